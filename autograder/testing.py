"""Helpers for assignment tests: comparisons that name the array, gradient checks, static checks.

`assert_close` and `assert_grad_close` explain a failure the way a student needs it: which array,
shapes, the worst element, expected vs got. Gradient checks use float64 central differences and
report the cs231n-style maximum relative error against a stated threshold.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable

import numpy as np

__all__ = ["assert_close", "assert_grad_close", "forbidden_calls", "load_helpers",
           "numerical_gradient", "rel_error", "to_numpy"]

_HELPERS: dict[str, dict] = {}


def load_helpers(test_file: str) -> dict:
    """The public names of `_helpers.py` beside a generated test file (loaded once per path)."""
    path = os.path.join(os.path.dirname(os.path.abspath(test_file)), "_helpers.py")
    if path not in _HELPERS:
        namespace: dict = {"__name__": "_coursekit_helpers", "__file__": path}
        with open(path, encoding="utf-8") as fh:
            exec(compile(fh.read(), path, "exec"), namespace)  # noqa: S102 - the kit's own file
        _HELPERS[path] = {k: v for k, v in namespace.items() if not k.startswith("__")}
    return _HELPERS[path]


def to_numpy(x) -> np.ndarray:
    """An ndarray from an ndarray, a torch tensor, a scalar or a nested list."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def assert_close(actual, expected, *, name: str, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Assert two arrays match in shape and value; the message names `name` and the worst entry."""
    if actual is None:
        raise AssertionError(f"{name}: got None (did you forget to return it?)")
    got, want = to_numpy(actual), to_numpy(expected)
    if got.shape != want.shape:
        raise AssertionError(f"{name}: shape {got.shape}, expected {want.shape}")
    if np.any(np.isfinite(want) & ~np.isfinite(got)):
        raise AssertionError(f"{name}: contains NaN or inf where finite values were expected")
    if np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        return
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    diff = np.where(np.isnan(diff), np.inf, diff)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    raise AssertionError(
        f"{name}: values differ (rtol={rtol}, atol={atol}); worst at index {tuple(map(int, idx))}: "
        f"got {got[idx]!r}, expected {want[idx]!r}; "
        f"{int(np.sum(~np.isclose(got, want, rtol=rtol, atol=atol)))} of {got.size} entries off"
    )


def rel_error(a, b) -> float:
    """max |a-b| / max(1e-8, |a|+|b|), elementwise (cs231n)."""
    a, b = to_numpy(a).astype(np.float64), to_numpy(b).astype(np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of scalar f at x, in float64; x is restored afterwards."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        plus = float(f(x))
        x[i] = old - eps
        minus = float(f(x))
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def assert_grad_close(analytic, numeric, *, name: str, threshold: float = 1e-6) -> None:
    """Assert the max relative error between two gradients is below `threshold`."""
    got, want = to_numpy(analytic), to_numpy(numeric)
    if got.shape != want.shape:
        raise AssertionError(f"{name}: gradient shape {got.shape}, expected {want.shape}")
    err = rel_error(got, want)
    if not err < threshold:
        raise AssertionError(
            f"{name}: gradient check failed, max relative error {err:.2e} "
            f"(threshold {threshold:.0e}; float64 central differences)"
        )


def forbidden_calls(source: str, names: Iterable[str]) -> list[str]:
    """Uses of forbidden library functions/classes in `source`, by attribute, import or string.

    `names` are dotted names such as "torch.nn.functional.scaled_dot_product_attention". A use is
    an attribute access `x.<last>`, an import of `<last>`, a bare name `<last>` that the source
    does not define itself (a student may write their own `scaled_dot_product_attention`), or a
    string constant equal to `<last>` outside docstrings (catching `getattr(F, "...")`).
    """
    wanted = {n.rsplit(".", 1)[-1]: n for n in names}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return []
    defined = {n.name for n in ast.walk(tree)
               if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)
                  and isinstance(n.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        hit = None
        if isinstance(node, ast.Attribute) and node.attr in wanted:
            hit = node.attr
        elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in wanted:
            hit = node.name.rsplit(".", 1)[-1]
        elif isinstance(node, ast.Name) and node.id in wanted and node.id not in defined:
            hit = node.id
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings and node.value.strip() in wanted):
            hit = node.value.strip()
        if hit:
            found.append(f"line {getattr(node, 'lineno', '?')}: {wanted[hit]}")
    return sorted(set(found))
