"""Comparisons that explain a failure the way a student needs it: which array, its shape and
dtype, the worst element, expected vs got."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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


def assert_shape(x, shape: Sequence[int | None], *, name: str) -> None:
    """Assert `x` (array, tensor, nested list) has `shape`; `None` in `shape` matches any size."""
    if x is None:
        raise AssertionError(f"{name}: got None (did you forget to return it?)")
    got = tuple(to_numpy(x).shape) if not hasattr(x, "shape") else tuple(x.shape)
    want = tuple(shape)
    if len(got) != len(want) or any(w is not None and g != w for g, w in zip(got, want,
                                                                              strict=True)):
        shown = "(" + ", ".join("any" if w is None else str(w) for w in want) + \
            ("," if len(want) == 1 else "") + ")"
        raise AssertionError(f"{name}: shape {got}, expected {shown}")


def rel_error(a, b) -> float:
    """max |a-b| / max(1e-8, |a|+|b|), elementwise (cs231n)."""
    a, b = to_numpy(a).astype(np.float64), to_numpy(b).astype(np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
