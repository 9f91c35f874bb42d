"""Trajectory helpers for training code, and scripted validation curves for early stopping."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.adapter import Adapter, InProcessTransport
from autograder.testing import (
    assert_same_trajectory,
    best_epoch,
    early_stop,
    record_steps,
    scripted_curves,
)

MODEL = '''import numpy as np

class Regressor:
    def __init__(self, lr=0.1):
        self.w, self.lr = np.zeros(2), lr

    def train_step(self, x, y):
        err = x @ self.w - y
        loss = float(np.mean(err ** 2))
        self.w = self.w - self.lr * (2 * x.T @ err / len(y))
        return loss

    def params(self):
        return [self.w]
'''


def _model(source: str):
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - test code
    return Adapter(InProcessTransport(namespace, source)).new("Regressor")


BATCHES = [(np.random.default_rng(i).normal(size=(4, 2)), np.arange(4.0)) for i in range(4)]


def test_identical_training_has_the_same_trajectory():
    got = record_steps(_model(MODEL), "train_step", BATCHES, snapshot="params")
    want = record_steps(_model(MODEL), "train_step", BATCHES, snapshot="params")
    assert len(got) == 4 and set(got[0]) == {"returned", "params"}
    assert_same_trajectory(got, want, name="train_step")


def test_a_wrong_update_is_named_at_its_first_step():
    wrong = MODEL.replace("2 * x.T @ err / len(y)", "2 * x.T @ err")  # gradient not averaged
    got = record_steps(_model(wrong), "train_step", BATCHES, snapshot="params")
    want = record_steps(_model(MODEL), "train_step", BATCHES, snapshot="params")
    with pytest.raises(AssertionError, match=r"train_step, step 1\['params'\]"):
        assert_same_trajectory(got, want, name="train_step")


def test_float_reordering_is_tolerated_but_length_is_not():
    want = [{"loss": np.float32(1.0)}, {"loss": np.float32(0.5)}]
    got = [{"loss": np.float32(1.0 + 3e-7)}, {"loss": np.float32(0.5)}]
    assert_same_trajectory(got, want, name="history")
    with pytest.raises(AssertionError, match="1 steps/epochs, expected 2"):
        assert_same_trajectory(got[:1], want, name="history")


def test_early_stop_rule():
    assert early_stop([1.0, 0.5, 0.6, 0.7], patience=2) == (1, 3)
    assert early_stop([1.0, 0.9, 0.8], patience=2) == (2, 2)  # never stops
    assert early_stop([0.1, 0.2, 0.3], patience=1, mode="max") == (2, 2)
    assert early_stop([1.0, 0.7, 0.7, 0.7], patience=2) == (1, 3)  # a tie is no improvement
    with pytest.raises(ValueError, match="mode"):
        early_stop([1.0], patience=1, mode="lowest")


def test_scripted_curves_cover_the_usual_mistakes():
    curves = {c.name: c for c in scripted_curves(patience=2)}
    assert {"plateau", "dip-rise-dip", "best-before-last"} <= set(curves)
    for curve in curves.values():
        assert curve.best_epoch == best_epoch(curve.values[:curve.stop_epoch + 1])
    dip = curves["dip-rise-dip"]
    assert dip.best_epoch == 3 and dip.stop_epoch == 5  # the first rise must not stop it
    last = curves["best-before-last"]
    assert last.best_epoch < last.stop_epoch == len(last.values) - 1 or last.best_epoch == 1
    assert curves["plateau"].best_epoch == 1  # ties keep the first best
