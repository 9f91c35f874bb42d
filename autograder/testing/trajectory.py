"""Trajectory tests for training code, and scripted validation curves for early stopping.

Training code (a train step, a loop, early stopping, cross-validation) is compared with the
reference from identical weights, data and seeds over a few steps: losses, parameters after each
step, the returned history and the chosen checkpoint, with tolerances that allow float
reordering (a sum in another order differs in the last bits, a wrong optimizer does not).

    def test_train_step_trajectory(sub, ref):
        got = record_steps(sub.new("MLP", seed=0), "train_step", BATCHES, snapshot="params")
        want = record_steps(ref.new("MLP", seed=0), "train_step", BATCHES, snapshot="params")
        assert_same_trajectory(got, want, name="train_step")

Early stopping and model selection are also checked on `scripted_curves()`: validation curves
whose best epoch and stopping epoch are known (plateau, dip-rise-dip, best before the last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autograder.testing.differential import compare_outputs

FLOAT32_RTOL, FLOAT32_ATOL = 1e-4, 1e-6  # float reordering over a few float32 steps


def record_steps(model, step: str, batches: Sequence[tuple], *,
                 snapshot: str | None = None) -> list[dict]:
    """Call `model.<step>(*batch)` for each batch; record what it returns and, when `snapshot`
    names a method (e.g. "params") or is "state_dict", the parameters after the step."""
    out = []
    for batch in batches:
        record = {"returned": model.call(step, *batch)}
        if snapshot == "state_dict":
            record["params"] = model.state_dict()
        elif snapshot:
            record["params"] = model.call(snapshot)
        out.append(record)
    return out


def assert_same_trajectory(got: Sequence, want: Sequence, *, name: str,
                           rtol: float = FLOAT32_RTOL, atol: float = FLOAT32_ATOL,
                           check_dtype: bool = False) -> None:
    """Step-by-step comparison of two trajectories (lists of per-step or per-epoch records);
    the message names the first step that differs, which is where the bug is."""
    if got is None:
        raise AssertionError(f"{name}: got None instead of a list of steps")
    if len(got) != len(want):
        raise AssertionError(f"{name}: {len(got)} steps/epochs, expected {len(want)}")
    for n, (g, w) in enumerate(zip(got, want, strict=True), 1):
        compare_outputs(g, w, name=f"{name}, step {n}", rtol=rtol, atol=atol,
                        check_dtype=check_dtype)


@dataclass(frozen=True)
class Curve:
    """A scripted validation curve with its known answers (epochs count from 0)."""

    name: str
    values: tuple[float, ...]
    patience: int
    best_epoch: int  # where the best value is (first one on ties)
    stop_epoch: int  # the last epoch that runs with this patience (len-1 when never stopping)


def early_stop(values: Sequence[float], patience: int, *, mode: str = "min",
               min_delta: float = 0.0) -> tuple[int, int]:
    """(best epoch, last epoch run) under the usual rule: stop after `patience` epochs without
    an improvement larger than `min_delta` over the best so far."""
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
    sign = 1.0 if mode == "min" else -1.0
    best, best_epoch, waited = None, 0, 0
    for epoch, value in enumerate(values):
        if best is None or sign * (best - value) > min_delta:
            best, best_epoch, waited = value, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                return best_epoch, epoch
    return best_epoch, len(values) - 1


def scripted_curves(patience: int = 2) -> list[Curve]:
    """Validation-loss curves that catch the usual early-stopping and selection mistakes:
    keeping the last epoch instead of the best, off-by-one patience, `<=` vs `<` on ties,
    never resetting the counter after a new best, stopping on the first rise."""
    shapes = {
        "steady-decrease": (1.0, 0.8, 0.6, 0.5, 0.45, 0.4),
        "plateau": (1.0, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7),
        "dip-rise-dip": (1.0, 0.6, 0.65, 0.5, 0.55, 0.58, 0.6, 0.62),
        "best-before-last": (1.0, 0.5, 0.6, 0.7, 0.8, 0.9),
        "early-best": (0.3, 0.4, 0.5, 0.6, 0.7),
        "noisy-improvement": (1.0, 0.9, 0.95, 0.85, 0.9, 0.92, 0.8, 0.81, 0.83, 0.84),
    }
    curves = []
    for name, values in shapes.items():
        best, stop = early_stop(values, patience)
        curves.append(Curve(name, values, patience, best, stop))
    return curves


def best_epoch(values: Sequence[float], mode: str = "min") -> int:
    """The first epoch with the best value (what model selection should return)."""
    key: Any = (lambda i: values[i]) if mode == "min" else (lambda i: -values[i])
    return min(range(len(values)), key=key)
