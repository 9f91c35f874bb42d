"""The helpers assignment tests use: messages that name the array, gradient checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.testing import (
    assert_close,
    assert_grad_close,
    assert_grads_match_torch,
    assert_no_forbidden,
    assert_shape,
    forbidden_calls,
    forbidden_uses,
    numerical_gradient,
    rel_error,
    torch_grads,
)


def test_assert_close_names_the_array_and_worst_entry():
    with pytest.raises(AssertionError, match=r"dW: values differ .* worst at index \(1, 0\)"):
        assert_close(np.array([[1.0, 2.0], [3.5, 4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]),
                     name="dW")


def test_assert_close_shapes_and_none():
    with pytest.raises(AssertionError, match=r"shape \(3,\), expected \(3, 1\)"):
        assert_close(np.zeros(3), np.zeros((3, 1)), name="b")
    with pytest.raises(AssertionError, match="got None"):
        assert_close(None, np.zeros(1), name="out")
    with pytest.raises(AssertionError, match="NaN or inf"):
        assert_close(np.array([np.nan]), np.array([1.0]), name="loss")
    assert_close(torch.ones(2), np.ones(2), name="tensor vs array")


def test_numerical_gradient_matches_analytic_and_catches_wrong():
    x = np.random.default_rng(0).normal(size=(3, 2))
    numeric = numerical_gradient(lambda v: float(np.sum(v**3)), x.copy())
    assert_grad_close(3 * x**2, numeric, name="d sum(x^3)")
    with pytest.raises(AssertionError, match=r"max relative error .* \(threshold 1e-06"):
        assert_grad_close(2 * x**2, numeric, name="wrong")
    assert rel_error(x, x) == 0


def test_forbidden_calls_sees_aliases_and_strings():
    src = ("import torch.nn.functional as F\n"
           "from torch.nn.functional import scaled_dot_product_attention as sdpa\n"
           "def f(q):\n    return getattr(F, 'scaled_dot_product_attention')(q, q, q)\n"
           "def g(q):\n    return F.scaled_dot_product_attention(q, q, q)\n")
    found = forbidden_calls(src, ["torch.nn.functional.scaled_dot_product_attention"])
    assert len(found) == 3
    assert forbidden_calls("def f(x):\n    return x @ x.T\n",
                           ["torch.nn.MultiheadAttention"]) == []


def test_forbidden_calls_allows_the_students_own_function_of_that_name():
    src = ('def scaled_dot_product_attention(q, k, v):\n'
           '    """Like F.scaled_dot_product_attention, by hand."""\n'
           '    return q\n'
           'OUT = scaled_dot_product_attention(1, 2, 3)\n')
    assert forbidden_calls(src, ["torch.nn.functional.scaled_dot_product_attention"]) == []


def test_forbidden_uses_sees_concatenated_strings_and_star_imports():
    src = ("import torch.nn.functional as F\n"
           "f = getattr(F, 'scaled_dot_' + 'product_attention')\n"
           "from torch.nn.functional import *\n")
    found = forbidden_uses(src, {"scaled_dot_product_attention"})
    assert any("string 'scaled_dot_product_attention'" in f for f in found), found
    assert any("import of *" in f for f in found), found
    assert forbidden_calls is forbidden_uses
    assert forbidden_uses("def f(:\n", {"x"}) == []  # not Python: nothing to report


class _Source:
    def __init__(self, text):
        self.text = text

    def source(self):
        return self.text


def test_assert_no_forbidden_names_the_line():
    with pytest.raises(AssertionError, match=r"line 2: \.MultiheadAttention"):
        assert_no_forbidden(_Source("import torch.nn as nn\nm = nn.MultiheadAttention(8, 2)"),
                            {"MultiheadAttention"})
    assert_no_forbidden(_Source("def f(x):\n    return x\n"), {"MultiheadAttention"})


def test_assert_shape_with_wildcards():
    assert_shape(np.zeros((2, 3)), (2, None), name="x")
    assert_shape(torch.zeros(4), (4,), name="t")
    with pytest.raises(AssertionError, match=r"logits: shape \(2, 3\), expected \(any, 4\)"):
        assert_shape(np.zeros((2, 3)), (None, 4), name="logits")
    with pytest.raises(AssertionError, match=r"shape \(2, 3\), expected \(6,\)"):
        assert_shape(np.zeros((2, 3)), (6,), name="flat")
    with pytest.raises(AssertionError, match="got None"):
        assert_shape(None, (1,), name="out")


def test_grads_match_torch_accepts_right_and_names_wrong():
    x = np.random.default_rng(0).normal(size=(3, 4))
    g = np.random.default_rng(1).normal(size=(3, 4))
    relu_grad = g * (x > 0)
    assert_grads_match_torch({"x": relu_grad}, lambda x: torch.relu(x), {"x": x},
                             grad_output=g, name="ReLU.backward")
    with pytest.raises(AssertionError, match=r"ReLU.backward \(d/dx, vs PyTorch autograd\)"):
        assert_grads_match_torch({"x": g}, lambda x: torch.relu(x), {"x": x}, grad_output=g,
                                 name="ReLU.backward")
    w = np.random.default_rng(2).normal(size=(4, 2))
    grads = torch_grads(lambda x, w: x @ w, {"x": x, "w": w})
    assert_close(grads["w"], x.T @ np.ones((3, 2)), name="dW")
    with pytest.raises(ValueError, match="not inputs of the expression"):
        assert_grads_match_torch({"y": x}, lambda x: x * 2, {"x": x}, name="f")
