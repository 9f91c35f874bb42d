"""bench/vit_bench.py: the re-sized warm-up + cosine schedule lands where a fresh schedule over the
new length would be, budgeted training ends with the cosine at its end, and `--augment flip`
mirrors the width axis of about half the images and nothing else."""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vit_bench():
    spec = importlib.util.spec_from_file_location("vit_bench", ROOT / "bench" / "vit_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _factor(t, total, warmup):
    if t < warmup:
        return (t + 1) / warmup
    return 0.5 * (1 + math.cos(math.pi * (t - warmup) / max(1, total - warmup)))


def _make_sched(opt, total, warmup):
    return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: _factor(t, total, warmup))


def test_resized_scheduler_fast_forwards_to_the_new_plan(vit_bench):
    opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
    sched = _make_sched(opt, 100, 10)
    for _ in range(30):
        opt.step()
        sched.step()
    assert abs(opt.param_groups[0]["lr"] - 0.1 * _factor(30, 100, 10)) < 1e-12
    vit_bench.resized_scheduler(_make_sched, opt, 200, 10, 30)
    assert abs(opt.param_groups[0]["lr"] - 0.1 * _factor(30, 200, 10)) < 1e-12, "lr after re-sizing to 200 steps"


def test_train_for_budget_ends_on_its_plan(vit_bench):
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 1)
    data = torch.utils.data.TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
    loader = torch.utils.data.DataLoader(data, batch_size=8, shuffle=True)

    def step(m, batches, opt, sched):
        losses = []
        for x, y in batches:
            loss = ((m(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            losses.append(loss.item())
        return losses

    r = vit_bench.train_for_budget(step, model, loader, lambda m: torch.optim.SGD(m.parameters(), lr=0.1),
                                   _make_sched, budget_s=0.3, replan_every=20)
    assert r["steps"] <= r["planned_steps"] and r["train_cpu_s"] < 0.3 + 1.0
    if r["steps"] == r["planned_steps"]:  # the plan was reached before the budget: the cosine is at its end
        assert r["final_lr_factor"] < 1e-9, f"lr factor {r['final_lr_factor']} at the end of the plan"


def test_flip_then_mirrors_the_width_axis_half_the_time(vit_bench):
    torch.manual_seed(0)
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)  # (H, W, C), no symmetry
    flip = vit_bench.flip_then(lambda x: x.copy())
    outs = [flip(image) for _ in range(400)]
    kept = sum(np.array_equal(o, image) for o in outs)
    mirrored = sum(np.array_equal(o, image[:, ::-1]) for o in outs)
    assert kept + mirrored == 400, "every output is the image or its left-right mirror"
    assert 160 < mirrored < 240, f"{mirrored} of 400 mirrored, expected about half"
    assert all(o.flags.c_contiguous for o in outs), "torchvision's ToImage needs contiguous arrays"
