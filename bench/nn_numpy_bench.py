"""Benchmark: the nn_numpy reference network on Fashion-MNIST, next to the same MLP in PyTorch.

The NumPy side is the reference solution itself: the graded code of
solutions/nn_numpy/nn_numpy.ipynb (its imports, functions and classes, extracted as the grader
does), trained with its `SGD`, `train_step` and `minibatch_indices`. The PyTorch side is an
`nn.Sequential` of the same shape, the same He initialisation (normal, std sqrt(2/fan_in), zero
biases), inverted dropout, SGD with the same momentum and weight decay on weights only, the same
cosine learning-rate schedule and the very same mini-batches, in float32, timed in the same run
with `torch.set_num_threads` equal to NumPy's BLAS threads.

Data: by default it trains on all 60,000 training images and reports accuracy on the official
10,000-image test split (held out nothing; hyper-parameters were chosen with --holdout 10000,
which trains on the first 50,000 and reports accuracy on the last 10,000 training images instead).
Pixels are scaled to [0, 1] and standardised with the training mean and std (one scalar each).

    COURSEKIT_MIRROR=/work/shared/datasets .venv/bin/python bench/nn_numpy_bench.py
    .venv/bin/python bench/nn_numpy_bench.py --epochs 2 --no-torch        # quick look
    .venv/bin/python bench/nn_numpy_bench.py --holdout 10000               # validation figure
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from autograder.build.markup import parse_solution
from autograder.build.render import render
from autograder.extract import graded_code

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "nn_numpy" / "nn_numpy.ipynb"


def reference_namespace() -> dict:
    """The reference solution's graded code, executed in a fresh namespace."""
    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "nn_numpy_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def load_data(holdout: int) -> tuple[np.ndarray, ...]:
    """(X_train, y_train, X_eval, y_eval) as float32 (N, 784) standardised, int64 labels."""
    from datasets_manifest import load_fashion_mnist

    X_u8, y = load_fashion_mnist("train")  # (60000, 28, 28) uint8, (60000,) int64
    X = X_u8.reshape(len(X_u8), -1).astype(np.float32) / 255.0
    if holdout:
        X, y, X_eval, y_eval = X[:-holdout], y[:-holdout], X[-holdout:], y[-holdout:]
    else:
        X_test_u8, y_eval = load_fashion_mnist("test")
        X_eval = X_test_u8.reshape(len(X_test_u8), -1).astype(np.float32) / 255.0
    mean, std = X.mean(), X.std()  # training statistics only
    return (X - mean) / std, y, (X_eval - mean) / std, y_eval


def cosine_lr(base: float, epoch: int, epochs: int) -> float:
    """Learning rate for `epoch` (0-based): half a cosine from base down to 2% of base."""
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * epoch / epochs)))


def batch_plan(ref: dict, n: int, args: argparse.Namespace) -> list[list[np.ndarray]]:
    """The mini-batch indices of every epoch, shared by both frameworks."""
    rng = np.random.default_rng(args.seed)
    return [ref["minibatch_indices"](n, args.batch_size, rng) for _ in range(args.epochs)]


def run_numpy(ref: dict, data, plan, args) -> dict:
    X, y, X_eval, y_eval = data
    model = ref["build_mlp"]([784, *args.hidden, 10], args.dropout, rng=args.seed)
    opt = ref["SGD"](model, args.lr, args.momentum, args.weight_decay)
    losses, steps = [], 0
    wall, cpu = time.perf_counter(), time.process_time()
    for epoch, batches in enumerate(plan):
        opt.lr = cosine_lr(args.lr, epoch, args.epochs)
        epoch_loss = [ref["train_step"](model, opt, X[idx], y[idx]) for idx in batches]
        losses.append(float(np.mean(epoch_loss)))
        steps += len(batches)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    _, acc = ref["evaluate"](model, X_eval, y_eval)
    return {"accuracy": acc, "train_wall_s": wall, "train_cpu_s": cpu, "steps": steps,
            "step_ms": 1000 * wall / steps, "epoch_loss": losses}


def run_torch(data, plan, args) -> dict:
    import torch
    from torch import nn

    torch.manual_seed(args.seed)
    X, y, X_eval, y_eval = (torch.from_numpy(a) for a in data)
    sizes = [784, *args.hidden, 10]
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        linear = nn.Linear(fan_in, fan_out)
        nn.init.normal_(linear.weight, 0.0, math.sqrt(2.0 / fan_in))
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers += [nn.ReLU()] + ([nn.Dropout(args.dropout)] if args.dropout else [])
    model = nn.Sequential(*layers)
    weights = [p for p in model.parameters() if p.ndim >= 2]
    biases = [p for p in model.parameters() if p.ndim < 2]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": args.weight_decay},
                           {"params": biases, "weight_decay": 0.0}],
                          lr=args.lr, momentum=args.momentum)
    loss_fn = nn.CrossEntropyLoss()
    losses, steps = [], 0
    wall, cpu = time.perf_counter(), time.process_time()
    model.train()
    for epoch, batches in enumerate(plan):
        for group in opt.param_groups:
            group["lr"] = cosine_lr(args.lr, epoch, args.epochs)
        epoch_loss = []
        for idx in batches:
            index = torch.from_numpy(idx)
            loss = loss_fn(model(X[index]), y[index])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            epoch_loss.append(loss.item())
        losses.append(float(np.mean(epoch_loss)))
        steps += len(batches)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    model.eval()
    with torch.no_grad():
        acc = float((model(X_eval).argmax(dim=1) == y_eval).float().mean())
    return {"accuracy": acc, "train_wall_s": wall, "train_cpu_s": cpu, "steps": steps,
            "step_ms": 1000 * wall / steps, "epoch_loss": losses}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hidden", type=int, nargs="+", default=[512, 256])
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="BLAS threads (NumPy) = torch threads")
    p.add_argument("--holdout", type=int, default=0,
                   help="hold out the last N training images and score on them, not on test")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--json", type=Path, help="also write the results here")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    ref = reference_namespace()
    data = load_data(args.holdout)
    split = (f"last {args.holdout} training images (validation)" if args.holdout
             else "official 10,000-image test split")
    plan = batch_plan(ref, len(data[0]), args)
    print(f"MLP 784-{'-'.join(map(str, args.hidden))}-10, dropout {args.dropout}, "
          f"SGD lr {args.lr} (cosine) momentum {args.momentum} wd {args.weight_decay}, "
          f"batch {args.batch_size}, {args.epochs} epochs on {len(data[0])} images, "
          f"{args.threads} threads, float32; {platform.processor() or platform.machine()}")
    results = {"config": vars(args) | {"json": None}, "split": split}
    with threadpool_limits(limits=args.threads):
        results["numpy"] = run_numpy(ref, data, plan, args)
    report("numpy (reference solution)", results["numpy"], split)
    if not args.no_torch:
        import torch

        torch.set_num_threads(args.threads)
        with threadpool_limits(limits=args.threads):
            results["torch"] = run_torch(data, plan, args)
        report(f"pytorch {torch.__version__}", results["torch"], split)
        ratio = results["numpy"]["step_ms"] / results["torch"]["step_ms"]
        results["step_time_ratio_numpy_over_torch"] = ratio
        print(f"per-step time NumPy / PyTorch: {ratio:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def report(name: str, r: dict, split: str) -> None:
    print(f"{name:28s} accuracy {r['accuracy']:.4f} on the {split}; training "
          f"{r['train_wall_s']:.1f} s wall, {r['train_cpu_s']:.1f} s CPU, "
          f"{r['step_ms']:.2f} ms/step over {r['steps']} steps; "
          f"final epoch loss {r['epoch_loss'][-1]:.4f}")


if __name__ == "__main__":
    main()
