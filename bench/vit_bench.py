"""Benchmark: the vit reference ViT on CIFAR-10 next to assignment 2's CNN, same split, same CPU budget.

Both models are the reference solutions' own code, extracted as the grader does: the ViT, its
AdamW parameter groups, warm-up + cosine, label smoothing and augmentation (crop + flip +
TrivialAugmentWide) from solutions/vit/vit.ipynb; the CNN with its own recipe (SGD Nesterov,
weight decay on weights, crop + flip) and assignment 2's data loading (channel statistics of the
training set) and evaluation (`predict`, `confusion_matrix`, `accuracy`, `most_confused_pairs`)
from solutions/cnn/cnn.ipynb. Each model trains on the same training images in the same order of
batches for `--budget-s` seconds of process CPU time: a few probe steps on a copy time one step,
the warm-up + cosine schedule is sized to the steps that fit and re-sized every 50 steps from the
measured pace (so the cosine ends when the budget does), and training also stops when the budget
is spent. Both are scored on the official 10,000-image test split, which chooses nothing.

    COURSEKIT_MIRROR=/work/shared/datasets nice -n 10 .venv/bin/python bench/vit_bench.py --threads 2 --budget-s 900
    .venv/bin/python bench/vit_bench.py --subset 2000 --budget-s 60 --test-subset 2000   # quick look
    ... bench/vit_bench.py --threads 2 --budget-s 1600 --augment flip   # 15 min each: ViT 0.656, CNN 0.820 (bench/README)
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _cnn_bench():
    spec = importlib.util.spec_from_file_location("cnn_bench", ROOT / "bench" / "cnn_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vit_namespace() -> dict:
    """The vit reference's graded code, executed in a fresh namespace."""
    from autograder.build.markup import parse_solution
    from autograder.build.render import render
    from autograder.extract import graded_code

    path = ROOT / "solutions" / "vit" / "vit.ipynb"
    namespace: dict = {"__name__": "vit_reference"}
    exec(compile(graded_code(render(parse_solution(path), solutions=True)).source, str(path), "exec"), namespace)  # noqa: S102
    return namespace


def data(cnn: dict, vit: dict, args: argparse.Namespace):
    """(ViT train loader, CNN train loader, test loader): one split, one batch order, cnn's statistics."""
    import torch

    from datasets_manifest import load_cifar10

    bench = _cnn_bench()
    X, y = load_cifar10("train")
    X_test, y_test = load_cifar10("test")
    if args.subset:
        keep = np.random.default_rng(args.seed).permutation(len(X))[: args.subset]
        X, y = X[keep], y[keep]
    if args.test_subset:
        keep = np.random.default_rng(args.seed + 1).permutation(len(X_test))[: args.test_subset]  # the files are sorted by class
        X_test, y_test = X_test[keep], y_test[keep]
    mean, std = cnn["channel_stats"](X)

    def train_loader(transform):
        dataset = bench.ArrayDataset(X, y, transform)
        return torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True, drop_last=True,
                                           generator=torch.Generator().manual_seed(args.seed), num_workers=args.workers)

    extra = vit["strong_augmentation"]() if args.augment == "strong" else None
    vit_transform = vit["build_transforms"](mean, std, args.augment in ("strong", "crop-flip"), extra=extra)
    if args.augment == "flip":
        vit_transform = flip_then(vit_transform)
    vit_train = train_loader(vit_transform)
    cnn_train = train_loader(cnn["build_transforms"](mean, std, True))
    test = torch.utils.data.DataLoader(bench.ArrayDataset(X_test, y_test, cnn["build_transforms"](mean, std, False)),
                                       batch_size=500, num_workers=args.workers)
    return vit_train, cnn_train, test


def flip_then(transform):
    """`transform` after a horizontal flip with probability 1/2 (torch's RNG) of the uint8 (H, W, C) image."""
    import torch

    def apply(image: np.ndarray):
        if torch.rand(()) < 0.5:
            image = np.ascontiguousarray(image[:, ::-1])  # (H, W, C): flip the width axis
        return transform(image)

    return apply


def resized_scheduler(make_sched, opt, total: int, warmup: int, done: int):
    """A fresh warm-up + cosine scheduler over `total` steps, fast-forwarded to step `done`."""
    sched = make_sched(opt, total, warmup)  # base lrs come from the groups' initial_lr
    for _ in range(done):
        sched.step()
    return sched


def train_for_budget(step, model, loader, make_opt, make_sched, budget_s: float, probe: int = 5,
                     replan_every: int = 50) -> dict:
    """Train for budget_s CPU seconds under a warm-up + cosine schedule sized to the steps that fit.

    A few probe steps on a copy give the first plan; every `replan_every` steps the plan is re-sized
    from the measured pace (warm-up length kept), so the cosine reaches its end as the budget does.
    """
    trial = copy.deepcopy(model)
    opt = make_opt(trial)
    batches = iter(loader)
    step(trial, [next(batches)], opt, None)
    start = time.process_time()
    for _ in range(probe):
        step(trial, [next(batches)], opt, None)
    total = first = max(1, int(budget_s / ((time.process_time() - start) / probe)))
    warmup = max(1, total // 10)
    opt = make_opt(model)
    sched = make_sched(opt, total, warmup)
    start, done, losses, replans = time.process_time(), 0, [], 0
    while done < total and time.process_time() - start < budget_s:
        for images, labels in loader:
            losses += step(model, [(images, labels)], opt, sched)
            done += 1
            used = time.process_time() - start
            if done % replan_every == 0 and used < budget_s:
                planned = max(done + 1, done + int((budget_s - used) / (used / done)))
                if abs(planned - total) > 0.01 * total:
                    total, replans = planned, replans + 1
                    sched = resized_scheduler(make_sched, opt, total, warmup, done)
            if done >= total or used >= budget_s:
                break
        print(f"    {done}/{total} steps, loss {np.mean(losses[-50:]):.3f}, {time.process_time() - start:.0f} s CPU, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
    return {"steps": done, "planned_steps": total, "first_plan_steps": first, "replans": replans,
            "train_cpu_s": time.process_time() - start, "final_loss": float(np.mean(losses[-50:])),
            "final_lr_factor": opt.param_groups[0]["lr"] / opt.param_groups[0]["initial_lr"]}


def evaluate(cnn: dict, model, test) -> dict:
    y_true, y_pred = cnn["predict"](model, test)
    cm = cnn["confusion_matrix"](y_true, y_pred, 10)
    return {"accuracy": cnn["accuracy"](cm), "most_confused": cnn["most_confused_pairs"](cm, 3),
            "parameters": cnn["count_parameters"](model)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--budget-s", type=float, default=900, help="training CPU seconds per model")
    p.add_argument("--subset", type=int, default=0, help="train on N random training images (0: all)")
    p.add_argument("--test-subset", type=int, default=0, help="score on N random test images (0: all)")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--vit-lr", type=float, default=1e-3)
    p.add_argument("--cnn-lr", type=float, default=0.1)
    p.add_argument("--smoothing", type=float, default=0.1)
    p.add_argument("--augment", choices=["strong", "crop-flip", "flip", "none"], default="strong",
                   help="ViT training augmentation: the reference's crop + flip + strong_augmentation() "
                        "(TrivialAugmentWide), crop + flip only (the CNN's), a horizontal flip only, or none")
    p.add_argument("--patch", type=int, default=4)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--mlp-dim", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--only", choices=["vit", "cnn"], help="run one model only")
    p.add_argument("--json", type=Path)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    cnn, vit = _cnn_bench().reference_namespace(), vit_namespace()
    vit_train, cnn_train, test = data(cnn, vit, args)
    print(f"CIFAR-10: {len(vit_train.dataset)} training, {len(test.dataset)} test images; budget {args.budget_s:.0f} s CPU "
          f"per model, {args.threads} threads, torch {torch.__version__}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)

    def vit_step(model, batches, opt, sched):
        return vit["train_one_epoch"](model, batches, opt, sched, args.smoothing)

    def cnn_step(model, batches, opt, sched):
        return cnn["train_one_epoch"](model, batches, opt, sched)

    runs = {
        "vit": (lambda: vit["ViT"](32, args.patch, 10, args.dim, args.depth, args.heads, args.mlp_dim), vit_step, vit_train,
                lambda m: vit["make_optimizer"](m, args.vit_lr), vit["make_scheduler"]),
        "cnn": (lambda: cnn["CNN"](), cnn_step, cnn_train, lambda m: cnn["make_optimizer"](m, args.cnn_lr),
                cnn["make_scheduler"]),
    }
    results = {"config": vars(args) | {"json": None}}
    for name, (make, step, loader, make_opt, make_sched) in runs.items():
        if args.only and name != args.only:
            continue
        torch.manual_seed(args.seed)
        model = make()
        print(f"  {name}:", flush=True)
        results[name] = train_for_budget(step, model, loader, make_opt, make_sched, args.budget_s) | evaluate(cnn, model, test)
        r = results[name]
        print(f"{name}: test accuracy {r['accuracy']:.4f} ({r['parameters']:,} parameters), {r['steps']} steps "
              f"({r['steps'] * args.batch_size / len(loader.dataset):.2f} epochs) in {r['train_cpu_s']:.0f} s CPU; "
              f"most confused {r['most_confused']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
