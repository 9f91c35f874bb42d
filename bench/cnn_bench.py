"""Benchmark: the cnn reference CNN on CIFAR-10, next to the MLP baseline, in the same run.

Both models are the reference solution's own code: the graded code of
solutions/cnn/cnn.ipynb (its imports, functions and classes, extracted as the grader does) —
`channel_stats`, `build_transforms` (random crop with 4 pixels of padding and a horizontal flip
for training), `CNN`, `MLP`, `make_optimizer` (SGD, Nesterov momentum 0.9, weight decay 5e-4 on
weights only), `make_scheduler` (linear warm-up over half an epoch, then cosine to 0, stepped per
batch), `train_one_epoch`, `predict`, `confusion_matrix` and `accuracy`. Both train on all 50,000
training images (or --subset) with the same batches and are scored on the official 10,000-image
test split, which chooses nothing here. CPU time is the process's (all threads); wall time
depends on what else runs on the machine, so the load average is printed too.

    COURSEKIT_MIRROR=/work/shared/datasets nice -n 10 .venv/bin/python bench/cnn_bench.py --threads 2
    .venv/bin/python bench/cnn_bench.py --subset 2000 --epochs 1          # quick look
    .venv/bin/python bench/cnn_bench.py --device cuda --epochs 30          # a longer run on a GPU
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "cnn" / "cnn.ipynb"


def reference_namespace(path: Path | None = None) -> dict:
    """The reference solution's graded code (or the graded-code file `path`, e.g. build/cnn/reference.py,
    where nbformat is not installed), executed in a fresh namespace."""
    if path is not None:
        source = path.read_text()
    else:
        from autograder.build.markup import parse_solution
        from autograder.build.render import render
        from autograder.extract import graded_code

        source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "cnn_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


class ArrayDataset:
    """uint8 (N, 32, 32, 3) images and labels with a per-image transform (a map-style dataset)."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, transform) -> None:
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        return self.transform(self.images[i]), int(self.labels[i])


def loaders(ref: dict, args: argparse.Namespace):
    """Training and test DataLoaders with the reference transforms and training-set statistics."""
    import torch

    if args.jpeg_root:
        X, y = image_folder_arrays(args.jpeg_root / "train")
        X_test, y_test = image_folder_arrays(args.jpeg_root / "test")
    else:
        from datasets_manifest import load_cifar10

        X, y = load_cifar10("train")  # (50000, 32, 32, 3) uint8, (50000,) int64
        X_test, y_test = load_cifar10("test")
    if args.subset:
        keep = np.random.default_rng(args.seed).permutation(len(X))[: args.subset]
        X, y = X[keep], y[keep]
    mean, std = ref["channel_stats"](X)
    train = ArrayDataset(X, y, ref["build_transforms"](mean, std, True))
    test = ArrayDataset(X_test, y_test, ref["build_transforms"](mean, std, False))
    g = torch.Generator().manual_seed(args.seed)
    train_loader = torch.utils.data.DataLoader(train, batch_size=args.batch_size, shuffle=True, drop_last=True,
                                               generator=g, num_workers=args.workers)
    test_loader = torch.utils.data.DataLoader(test, batch_size=500, num_workers=args.workers)
    return train_loader, test_loader, (mean, std)


def image_folder_arrays(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """An extracted train/ or test/ folder of the mirror's JPEG tarball as arrays, without the kit's
    dataset package (for a machine that lacks its dependencies; class folders sort in CIFAR order)."""
    from torchvision.datasets import ImageFolder

    data = ImageFolder(str(folder))
    X = np.stack([np.asarray(data.loader(path)) for path, _ in data.samples])  # (N, 32, 32, 3) uint8
    return X, np.array(data.targets, dtype=np.int64)


def on_device(loader, device: str, channels_last: bool):
    """The loader's batches moved to `device` (and to channels-last memory, same values)."""
    import torch

    fmt = torch.channels_last if channels_last else torch.contiguous_format
    for images, labels in loader:
        yield images.to(device).contiguous(memory_format=fmt), labels.to(device)


class Sized:
    """A re-iterable wrapper of on_device with the loader's length (the scheduler needs it)."""

    def __init__(self, loader, device: str, channels_last: bool) -> None:
        self.loader, self.device, self.channels_last = loader, device, channels_last

    def __iter__(self):
        return on_device(self.loader, self.device, self.channels_last)

    def __len__(self) -> int:
        return len(self.loader)


def run(ref: dict, name: str, model, lr: float, train_loader, test_loader, args) -> dict:
    import torch

    torch.manual_seed(args.seed)
    channels_last = args.channels_last and name == "cnn"
    model = model.to(args.device, memory_format=torch.channels_last if channels_last else torch.contiguous_format)
    train, test = Sized(train_loader, args.device, channels_last), Sized(test_loader, args.device, channels_last)
    optimizer = ref["make_optimizer"](model, lr)
    scheduler = ref["make_scheduler"](optimizer, args.epochs * len(train), len(train) // 2)
    wall, cpu, losses = time.perf_counter(), time.process_time(), []
    for epoch in range(args.epochs):
        batch_losses = ref["train_one_epoch"](model, train, optimizer, scheduler, progress=args.progress)
        losses.append(float(np.mean(batch_losses)))
        print(f"  {name} epoch {epoch + 1}/{args.epochs}: loss {losses[-1]:.4f} "
              f"({time.perf_counter() - wall:.0f} s wall, {time.process_time() - cpu:.0f} s CPU, "
              f"load {os.getloadavg()[0]:.1f})", flush=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    y_true, y_pred = ref["predict"](model, test)
    cm = ref["confusion_matrix"](y_true, y_pred, 10)
    return {"accuracy": ref["accuracy"](cm), "parameters": ref["count_parameters"](model),
            "train_wall_s": wall, "train_cpu_s": cpu, "epoch_loss": losses,
            "most_confused": ref["most_confused_pairs"](cm, 3)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1, help="CNN peak learning rate")
    p.add_argument("--mlp-lr", type=float, default=0.02)
    p.add_argument("--channels", type=int, nargs="+", default=[32, 64, 128])
    p.add_argument("--subset", type=int, default=0, help="train on N random training images (0: all)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-channels-last", dest="channels_last", action="store_false")
    p.add_argument("--no-mlp", action="store_true")
    p.add_argument("--progress", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path)
    p.add_argument("--reference", type=Path, help="graded-code file to use instead of the solution notebook")
    p.add_argument("--jpeg-root", type=Path, help="extracted JPEG tarball (train/, test/) instead of the manifest")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    ref = reference_namespace(args.reference)
    start = time.process_time()
    train_loader, test_loader, (mean, std) = loaders(ref, args)
    print(f"CIFAR-10: {len(train_loader.dataset)} training images, {len(test_loader.dataset)} test images "
          f"(loaded in {time.process_time() - start:.1f} s CPU); mean {np.round(mean, 4)}, std {np.round(std, 4)}; "
          f"{args.epochs} epochs, batch {args.batch_size}, {args.threads} threads, device {args.device}; "
          f"torch {torch.__version__}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    results = {"config": vars(args) | {"json": None}}
    models = [("cnn", lambda: ref["CNN"](tuple(args.channels)), args.lr)]
    if not args.no_mlp:
        models.append(("mlp", ref["MLP"], args.mlp_lr))
    for name, make, lr in models:
        torch.manual_seed(args.seed)  # the same initialisation whatever ran before
        results[name] = run(ref, name, make(), lr, train_loader, test_loader, args)
        r = results[name]
        print(f"{name}: test accuracy {r['accuracy']:.4f} ({r['parameters']:,} parameters); training "
              f"{r['train_wall_s']:.0f} s wall, {r['train_cpu_s']:.0f} s CPU; most confused "
              f"(true, predicted, count) {r['most_confused']}", flush=True)
    print(f"load average at the end: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
