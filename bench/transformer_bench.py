"""Benchmark: the transformer reference solution trained on the digit-reversal task on the CPU.

The code is the reference solution itself: the graded code of
solutions/transformer/transformer.ipynb (its imports, constants, functions and classes, extracted
as the grader does). For every seed it runs `train_reverse_task(seed, steps)` (a post-LN
encoder-decoder, d_model 32, 4 heads, 2+2 layers, batches of 64, AdamW, warm-up + cosine) with
`torch.set_num_threads(--threads)`, then greedy-decodes held-out strings and reports exact-match
accuracy (the whole reversed string and its EOS must be right), overall, per length and on the
strings that never occurred in training (replayed from the same generator). It also times the
"overfit one batch" sanity check and can save the cross-attention figure.

    .venv/bin/python bench/transformer_bench.py                      # seed 0, the graded budget
    .venv/bin/python bench/transformer_bench.py --seeds 0 1 2 3 4    # spread over seeds
    .venv/bin/python bench/transformer_bench.py --plot /tmp/attention.png --json /tmp/bench.json
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import torch  # noqa: E402

from autograder.build.markup import parse_solution  # noqa: E402
from autograder.build.render import render  # noqa: E402
from autograder.extract import graded_code  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "transformer" / "transformer.ipynb"


def reference_namespace() -> dict:
    """The reference solution's graded code, executed in a fresh namespace."""
    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    import matplotlib.pyplot as plt  # the grader leaves plotting imports out; the figure needs it

    namespace: dict = {"__name__": "transformer_reference", "plt": plt}
    exec(compile(source, "<transformer reference>", "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def training_sources(ns: dict, seed: int, steps: int) -> set[tuple[int, ...]]:
    """Every source string train_reverse_task(seed, steps) saw (same generator, replayed)."""
    generator = torch.Generator().manual_seed(seed)
    seen = set()
    for _ in range(steps):
        src, _ = ns["make_reverse_batch"](64, generator)
        seen.update(tuple(t for t in row if t != ns["PAD_ID"]) for row in src.tolist())
    return seen


def evaluate(ns: dict, model, n: int, seen: set) -> dict:
    """Exact-match accuracy on n held-out strings: overall, per length, on never-seen strings."""
    src, tgt = ns["make_reverse_batch"](n, torch.Generator().manual_seed(10_000))
    start = time.perf_counter()
    pred = ns["greedy_decode"](model, src, tgt.size(1), ns["BOS_ID"], ns["EOS_ID"])
    decode_s = time.perf_counter() - start
    eos = ns["EOS_ID"]
    per_length: dict[int, list[int]] = {}
    unseen = [0, 0]
    for s, p, t in zip(src.tolist(), pred.tolist(), tgt.tolist(), strict=True):
        t = t[: t.index(eos) + 1]
        hit = int(p[: len(t)] == t)
        per_length.setdefault(len(t) - 1, []).append(hit)
        if tuple(x for x in s if x != ns["PAD_ID"]) not in seen:
            unseen[0] += hit
            unseen[1] += 1
    hits = sum(sum(v) for v in per_length.values())
    return {
        "exact_match": hits / n,
        "per_length": {k: round(sum(v) / len(v), 4) for k, v in sorted(per_length.items())},
        "unseen_exact_match": unseen[0] / unseen[1] if unseen[1] else None,
        "unseen_count": unseen[1],
        "decode_seconds": round(decode_s, 3),
    }


def run_seed(ns: dict, seed: int, steps: int, n_eval: int) -> tuple[dict, object]:
    """Train one model and evaluate it; times in wall-clock and process CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    model = ns["train_reverse_task"](seed, steps)
    result = {"seed": seed, "steps": steps,
              "train_seconds": round(time.perf_counter() - wall, 2),
              "train_cpu_seconds": round(time.process_time() - cpu, 2)}
    result.update(evaluate(ns, model, n_eval, training_sources(ns, seed, steps)))
    return result, model


def overfit_check(ns: dict) -> dict:
    """The notebook's sanity check: 200 steps on one batch of 16."""
    start = time.perf_counter()
    losses = ns["overfit_one_batch"](0, 200)
    return {"first_loss": round(losses[0], 4), "final_loss": round(losses[-1], 5),
            "seconds": round(time.perf_counter() - start, 2)}


def save_attention(ns: dict, model, path: Path) -> None:
    """The notebook's cross-attention figure for one held-out string."""
    src, _ = ns["make_reverse_batch"](1, torch.Generator().manual_seed(7))
    fig = ns["plot_attention"](model, src)
    fig.savefig(path, dpi=120)
    print(f"attention figure: {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--steps", type=int, default=None, help="default: the notebook's TRAIN_STEPS")
    parser.add_argument("--eval", type=int, default=1000, help="held-out strings")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--plot", type=Path, default=None, help="save the attention figure here")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    ns = reference_namespace()
    torch.set_num_threads(args.threads)  # the notebook sets 2; the flag wins
    steps = args.steps or ns["TRAIN_STEPS"]
    print(f"torch {torch.__version__}, {args.threads} threads, {platform.processor() or platform.machine()}")
    report = {"torch": torch.__version__, "threads": args.threads, "overfit_one_batch": overfit_check(ns),
              "runs": []}
    print(f"overfit one batch: {report['overfit_one_batch']}")
    for seed in args.seeds:
        result, model = run_seed(ns, seed, steps, args.eval)
        report["runs"].append(result)
        unseen = result["unseen_exact_match"]
        print(f"seed {seed}: {steps} steps in {result['train_seconds']} s "
              f"({result['train_cpu_seconds']} s CPU), held-out exact match "
              f"{result['exact_match']:.1%} (never-seen strings: "
              f"{'-' if unseen is None else f'{unseen:.1%}'} of {result['unseen_count']}), "
              f"per length {result['per_length']}")
        if args.plot and seed == args.seeds[0]:
            save_attention(ns, model, args.plot)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
