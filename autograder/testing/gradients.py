"""Gradient checks: float64 central differences, and analytic gradients against PyTorch's
autograd of a reference expression. Both report the cs231n-style maximum relative error."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from autograder.testing.compare import rel_error, to_numpy


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


def torch_grads(expression: Callable, inputs: Mapping[str, object],
                grad_output=None) -> dict[str, np.ndarray]:
    """d(expression)/d(input) for each named input, by torch autograd in float64.

    `expression(**tensors)` returns a tensor; its gradient is seeded with `grad_output` (same
    shape; default ones, i.e. the gradient of `out.sum()`)."""
    import torch

    tensors = {k: torch.tensor(to_numpy(v), dtype=torch.float64, requires_grad=True)
               for k, v in inputs.items()}
    out = expression(**tensors)
    seed = torch.ones_like(out) if grad_output is None else torch.tensor(
        to_numpy(grad_output), dtype=torch.float64)
    out.backward(seed)
    return {k: (t.grad.numpy() if t.grad is not None else np.zeros(t.shape))
            for k, t in tensors.items()}


def assert_grads_match_torch(analytic: Mapping[str, object], expression: Callable,
                             inputs: Mapping[str, object], *, name: str, grad_output=None,
                             threshold: float = 1e-6) -> None:
    """Assert each analytic gradient (by input name) matches torch autograd of `expression`.

        dx = sub.new("ReLU").backward(...)   # the student's gradient
        assert_grads_match_torch({"x": dx}, lambda x: torch.relu(x), {"x": x},
                                 grad_output=g, name="ReLU.backward")
    """
    want = torch_grads(expression, inputs, grad_output)
    missing = sorted(set(analytic) - set(want))
    if missing:
        raise ValueError(f"{name}: gradients given for {missing}, which are not inputs of the "
                         f"expression (inputs: {sorted(want)})")
    for key, got in analytic.items():
        if got is None:
            raise AssertionError(f"{name}: the gradient for {key} is None")
        assert_grad_close(got, want[key], name=f"{name} (d/d{key}, vs PyTorch autograd)",
                          threshold=threshold)
