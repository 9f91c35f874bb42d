"""Differential tests: compare the student's code (`sub`) with the reference (`ref`) on a seeded
sweep of the spec's domain, instead of one hand-picked input.

    CASES = sweep(dtype=[np.float32, np.float64], shape=[(1, 5), (3, 7), (4, 4)])

    def test_softmax_matches_reference(sub, ref):
        for case in CASES:
            x = array(case["shape"], case["dtype"], seed=case.seed)
            assert_matches_reference(sub, ref, "softmax", x, axis=-1, label=case.label)

What travels to the sandbox is a copy: a student cannot change the caller's array, so input
mutation and non-contiguous layouts are checked where the code runs in this process (the
self-check, or `assert_inputs_unchanged` on a callable). `graded_settings` makes hypothesis
deterministic for grading (every student gets the same examples).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.testing.compare import assert_close, to_numpy


@dataclass(frozen=True)
class Case(Mapping):
    """One point of a sweep: named options, a label for messages and its own seed."""

    options: dict = field(default_factory=dict)
    seed: int = 0

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={_short(v)}" for k, v in self.options.items())

    def __getitem__(self, key: str) -> Any:
        return self.options[key]

    def __iter__(self):
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)


def _short(value: Any) -> str:
    if isinstance(value, type) or isinstance(value, np.dtype):
        return np.dtype(value).name
    return repr(value)


def sweep(seed: int = 0, **axes: Sequence) -> list[Case]:
    """Every combination of the named options (a cartesian product), each with its own seed."""
    keys = list(axes)
    return [Case(dict(zip(keys, values, strict=True)), seed + n)
            for n, values in enumerate(itertools.product(*(axes[k] for k in keys)))]


def array(shape: Sequence[int], dtype=np.float64, *, seed: int = 0, scale: float = 1.0,
          low: float | None = None, high: float | None = None) -> np.ndarray:
    """A reproducible array: standard normal times `scale`, or uniform in [low, high)."""
    rng = np.random.default_rng(seed)
    if low is not None and high is not None:
        values = rng.uniform(low, high, size=tuple(shape))
    else:
        values = rng.standard_normal(tuple(shape)) * scale
    return values.astype(dtype)


def noncontiguous(x: np.ndarray) -> np.ndarray:
    """The same values as a non-contiguous view (every other column of a wider array)."""
    x = np.asarray(x)
    if x.ndim == 0:
        return x
    wide = np.zeros((*x.shape[:-1], 2 * x.shape[-1]), dtype=x.dtype)
    wide[..., ::2] = x
    view = wide[..., ::2]
    assert not view.flags["C_CONTIGUOUS"] or x.shape[-1] <= 1
    return view


def compare_outputs(got: Any, want: Any, *, name: str, rtol: float = 1e-6, atol: float = 1e-8,
                    check_dtype: bool = True) -> None:
    """Recursive comparison of results (arrays, tensors, numbers, tuples, lists, dicts): the
    same structure, shapes, dtypes (when `check_dtype`) and values."""
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping) or set(got) != set(want):
            keys = sorted(got) if isinstance(got, Mapping) else type(got).__name__
            raise AssertionError(f"{name}: expected a dict with keys {sorted(want)}, got {keys}")
        for key in want:
            compare_outputs(got[key], want[key], name=f"{name}[{key!r}]", rtol=rtol, atol=atol,
                            check_dtype=check_dtype)
        return
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(want):
            size = len(got) if isinstance(got, (list, tuple)) else type(got).__name__
            raise AssertionError(f"{name}: expected a sequence of {len(want)}, got {size}")
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            compare_outputs(g, w, name=f"{name}[{i}]", rtol=rtol, atol=atol,
                            check_dtype=check_dtype)
        return
    if isinstance(want, (str, bool)) or want is None:
        if got != want:
            raise AssertionError(f"{name}: got {got!r}, expected {want!r}")
        return
    if hasattr(want, "_coursekit_handle_id"):  # student/reference objects: compared elsewhere
        return
    if check_dtype and hasattr(want, "dtype"):
        got_dtype = getattr(got, "dtype", None)
        if got_dtype is None or str(got_dtype) != str(want.dtype):
            raise AssertionError(f"{name}: dtype {got_dtype}, expected {want.dtype} "
                                 "(keep the input's dtype)")
    assert_close(got, want, name=name, rtol=rtol, atol=atol)


def assert_matches_reference(sub, ref, function: str, *args: Any, label: str = "",
                             rtol: float = 1e-6, atol: float = 1e-8, check_dtype: bool = True,
                             **kwargs: Any) -> Any:
    """Call `function` with the same arguments on both sides and compare the results; returns
    the reference's result."""
    got = sub.call(function, *args, **kwargs)
    want = ref.call(function, *args, **kwargs)
    compare_outputs(got, want, name=f"{function}({label})" if label else f"{function}(...)",
                    rtol=rtol, atol=atol, check_dtype=check_dtype)
    return want


@dataclass(frozen=True)
class Step:
    """One method call in a replayed sequence; `attrs` are compared after the call."""

    method: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    attrs: tuple[str, ...] = ()


def assert_same_behaviour(sub, ref, cls: str, steps: Sequence[Step], *, init: tuple = (),
                          init_kwargs: Mapping | None = None, label: str = "",
                          rtol: float = 1e-6, atol: float = 1e-8,
                          check_dtype: bool = True) -> tuple[Any, Any]:
    """Make one `cls` object on each side and replay the same calls on both (repeated calls,
    train/eval switches, forward then backward...), comparing every return value and the
    attributes each step names. Returns both objects (student's, reference's)."""
    mine = sub.new(cls, *init, **dict(init_kwargs or {}))
    theirs = ref.new(cls, *init, **dict(init_kwargs or {}))
    where = f"{cls}({label})" if label else cls
    for n, step in enumerate(steps, 1):
        what = f"{where}, call {n}: .{step.method}()"
        got = mine.call(step.method, *step.args, **step.kwargs)
        want = theirs.call(step.method, *step.args, **step.kwargs)
        compare_outputs(got, want, name=what, rtol=rtol, atol=atol, check_dtype=check_dtype)
        for attr in step.attrs:
            compare_outputs(mine.get(attr), theirs.get(attr), name=f"{what} then .{attr}",
                            rtol=rtol, atol=atol, check_dtype=check_dtype)
    return mine, theirs


def assert_inputs_unchanged(fn: Callable, *args: Any, name: str = "", **kwargs: Any) -> Any:
    """Call `fn` in this process and fail if it changed any array argument in place."""
    before = copy.deepcopy((args, kwargs))
    result = fn(*args, **kwargs)
    pairs = [*zip(args, before[0], strict=True),
             *((kwargs[k], before[1][k]) for k in kwargs)]
    for i, (now, was) in enumerate(pairs):
        if hasattr(now, "shape") and not np.array_equal(to_numpy(now), to_numpy(was)):
            raise AssertionError(f"{name or getattr(fn, '__name__', 'function')}: changed its "
                                 f"argument {i} in place; work on a copy instead")
    return result


def graded_settings(max_examples: int = 25):
    """hypothesis settings for graded tests: deterministic examples (every student gets the
    same), no example database, no deadline (the sandbox is slower than a laptop)."""
    from hypothesis import HealthCheck, settings

    return settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def float_arrays(min_dims: int = 1, max_dims: int = 3, min_side: int = 1, max_side: int = 6,
                 dtypes: Sequence = (np.float32, np.float64), bound: float = 10.0):
    """A hypothesis strategy: finite float arrays of any shape in range and any of `dtypes`."""
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    shapes = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                              max_side=max_side)
    return st.sampled_from([np.dtype(d) for d in dtypes]).flatmap(
        lambda dt: hnp.arrays(dt, shapes, elements=st.floats(
            -bound, bound, allow_nan=False, allow_infinity=False, width=dt.itemsize * 8)))
