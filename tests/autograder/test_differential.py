"""Differential tests: the student's code vs the reference on a sweep (in-process adapters)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from autograder.adapter import Adapter, InProcessTransport
from autograder.testing import (
    Step,
    array,
    assert_inputs_unchanged,
    assert_matches_reference,
    assert_same_behaviour,
    compare_outputs,
    float_arrays,
    graded_settings,
    noncontiguous,
    sweep,
)

REF = '''import numpy as np

def softmax(x, axis=-1):
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)

class Counter:
    def __init__(self, step=1):
        self.step, self.total = step, 0

    def add(self, n):
        self.total += self.step * n
        return self.total
'''


def _adapter(source: str) -> Adapter:
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - test code
    return Adapter(InProcessTransport(namespace, source))


def test_sweep_is_a_seeded_cartesian_product():
    cases = sweep(dtype=[np.float32, np.float64], shape=[(1, 3), (2, 5)])
    assert len(cases) == 4 and len({c.seed for c in cases}) == 4
    assert cases[0].label == "dtype=float32, shape=(1, 3)"
    x = array(cases[0]["shape"], cases[0]["dtype"], seed=cases[0].seed)
    assert x.dtype == np.float32 and np.array_equal(x, array((1, 3), np.float32, seed=0))


def test_matching_code_passes_the_whole_sweep():
    sub, ref = _adapter(REF), _adapter(REF)
    for case in sweep(dtype=[np.float32, np.float64], shape=[(1, 4), (3, 5)], axis=[0, -1]):
        x = array(case["shape"], case["dtype"], seed=case.seed)
        assert_matches_reference(sub, ref, "softmax", x, axis=case["axis"], label=case.label)


def test_a_bug_outside_the_default_arguments_is_caught_and_named():
    wrong_axis = REF.replace("e / e.sum(axis=axis, keepdims=True)", "e / e.sum(axis=-1, keepdims=True)")
    sub, ref = _adapter(wrong_axis), _adapter(REF)
    assert_matches_reference(sub, ref, "softmax", array((3, 4)))  # the default hides it
    with pytest.raises(AssertionError, match=r"softmax\(axis=0\): values differ"):
        assert_matches_reference(sub, ref, "softmax", array((3, 4)), axis=0, label="axis=0")


def test_dtype_must_be_preserved():
    upcast = REF.replace("e = np.exp(z)", "e = np.exp(z.astype(np.float64))")
    with pytest.raises(AssertionError, match="dtype float64, expected float32"):
        assert_matches_reference(_adapter(upcast), _adapter(REF), "softmax",
                                 array((2, 3), np.float32))


def test_state_across_repeated_calls_is_compared():
    forgets = REF.replace("self.total += self.step * n", "self.total = self.step * n")
    steps = [Step("add", (2,)), Step("add", (3,), attrs=("total",))]
    assert_same_behaviour(_adapter(REF), _adapter(REF), "Counter", steps, init=(2,))
    with pytest.raises(AssertionError, match=r"Counter\(step=2\), call 2: \.add\(\)"):
        assert_same_behaviour(_adapter(forgets), _adapter(REF), "Counter", steps, init=(2,),
                              label="step=2")


def test_compare_outputs_walks_structures():
    compare_outputs({"a": (np.ones(2), 1.0)}, {"a": (np.ones(2), 1.0)}, name="out")
    with pytest.raises(AssertionError, match=r"out\['a'\]\[1\]"):
        compare_outputs({"a": (np.ones(2), 2.0)}, {"a": (np.ones(2), 1.0)}, name="out")
    with pytest.raises(AssertionError, match="expected a sequence of 2, got 1"):
        compare_outputs([1.0], [1.0, 2.0], name="out")


def test_noncontiguous_and_input_mutation():
    x = array((3, 4))
    view = noncontiguous(x)
    assert not view.flags["C_CONTIGUOUS"] and np.array_equal(view, x)

    def in_place(v):
        v -= v.max()
        return v

    with pytest.raises(AssertionError, match="changed its argument 0 in place"):
        assert_inputs_unchanged(in_place, x.copy(), name="softmax")
    assert_inputs_unchanged(lambda v: v - v.max(), x.copy())


@graded_settings(max_examples=15)
@given(float_arrays(min_dims=2, max_dims=2))
def test_hypothesis_inputs_through_the_adapter(x):
    out = assert_matches_reference(_adapter(REF), _adapter(REF), "softmax", x)
    assert out.dtype == x.dtype
