"""The helpers assignment tests use: messages that name the array, gradient checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.testing import (
    assert_close,
    assert_grad_close,
    forbidden_calls,
    numerical_gradient,
    rel_error,
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
