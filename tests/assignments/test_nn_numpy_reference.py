"""nn_numpy-specific checks of the reference solution, beyond the generic build proof.

The generic kit test (reference 100%, stub 0%, every catalog bug loses points) grades the notebook
question by question. Here: the reference's pieces composed into a whole network back-propagate
correctly (float64 gradient check through Linear-ReLU-Dropout-Linear and the loss), the bench
extracts the same code, and (with the data mirror) one short epoch learns real Fashion-MNIST.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from autograder.testing import assert_grad_close, numerical_gradient

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", ROOT.parent / "shared" / "datasets"))


def _bench_module():
    spec = importlib.util.spec_from_file_location("nn_numpy_bench",
                                                  ROOT / "bench" / "nn_numpy_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ref() -> dict:
    return _bench_module().reference_namespace()


def test_whole_network_gradient_check(ref):
    rng = np.random.default_rng(0)
    net = ref["build_mlp"]([6, 5, 4, 3], dropout=0.3, rng=1, dtype=np.float64)
    x, y = rng.standard_normal((4, 6)), np.array([0, 2, 1, 2])
    net.forward(x)  # training mode: draws the dropout masks, reused below

    def loss() -> float:
        return ref["softmax_cross_entropy"](_forward_with_cached_masks(net, x), y)[0]

    _, dlogits = ref["softmax_cross_entropy"](_forward_with_cached_masks(net, x), y)
    net.backward(dlogits)
    analytic = [g.copy() for g in net.grads()]
    assert len(analytic) == 6
    for i, p in enumerate(net.params()):
        assert_grad_close(analytic[i], numerical_gradient(lambda _: loss(), p),
                          name=f"gradient of parameter {i}", threshold=1e-6)


def _forward_with_cached_masks(net, x: np.ndarray) -> np.ndarray:
    """Forward through `net` reusing each Dropout's last mask (forward would draw new ones)."""
    h = x
    for layer in net.layers:
        h = h * layer.mask if type(layer).__name__ == "Dropout" else layer.forward(h)
    return h


def test_bench_uses_the_solution_code(ref):
    for name in ("Linear", "ReLU", "Sequential", "Dropout", "SGD", "softmax_cross_entropy",
                 "minibatch_indices", "train_step", "evaluate", "build_mlp"):
        assert name in ref, f"{name} missing from the extracted reference"


@pytest.mark.mirror
@pytest.mark.slow
def test_one_short_epoch_learns_fashion_mnist(ref, monkeypatch):
    if not (MIRROR / "fashion-mnist").is_dir():
        pytest.skip(f"no Fashion-MNIST mirror at {MIRROR} (set COURSEKIT_MIRROR)")
    monkeypatch.setenv("COURSEKIT_MIRROR", str(MIRROR))
    X, y, X_test, y_test = _bench_module().load_data(holdout=0)
    model = ref["build_mlp"]([784, 128, 10], dropout=0.0, rng=0)
    ref["train"](model, X[:12000], y[:12000], lr=0.05, batch_size=128, epochs=1)
    _, acc = ref["evaluate"](model, X_test, y_test)
    assert acc > 0.78, f"one epoch on 12k images reached only {acc:.3f} test accuracy"
