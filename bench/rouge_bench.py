"""Benchmark: leaderboard.rouge vs Google's rouge-score on the mirror's summarization samples.

Builds lead-3 predictions (one sentence per line) against the reference summaries (also one
sentence per line) for the Multi-News sample (200 clusters, tiled to the 5,622-pair size of the
real test set) and the BillSum sample (100 bills), scores them with both implementations in the
same run, and prints the largest absolute difference and pairs/s.

rouge-score takes about a minute on 5,622 pairs; ``--reference-limit N`` times it on the first
N pairs only and extrapolates its time for the full set (the table says which is which). Parity
is then checked on those N pairs.

    .venv/bin/python bench/rouge_bench.py                       # everything measured
    .venv/bin/python bench/rouge_bench.py --reference-limit 600 # rouge-score extrapolated
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rouge_score import rouge_scorer

from leaderboard.rouge import DEFAULT_ROUGE_TYPES, clear_cache, score_pairs
from leaderboard.rouge_text import lead, multi_news_source, one_sentence_per_line

REPO = Path(__file__).resolve().parents[1]


def mirror_dir() -> Path:
    """Summarization folder of the data mirror ($COURSEKIT_MIRROR or ../shared/datasets)."""
    root = Path(os.environ.get("COURSEKIT_MIRROR", REPO.parent / "shared" / "datasets"))
    return root / "summarization"


def load_pairs(name: str, size: int | None) -> tuple[list[str], list[str]]:
    """(lead-3 predictions, references) of one sample, tiled or cut to ``size`` pairs."""
    folder = mirror_dir()
    if name == "multi_news":
        rows = [json.loads(line) for line in open(folder / "multi_news_test_200.jsonl")]
        preds = [lead(multi_news_source(r["context"])) for r in rows]
        refs = [one_sentence_per_line(r["answers"][0]) for r in rows]
    else:
        rows = [json.loads(line) for line in open(folder / "billsum_us_train_100.jsonl")]
        preds = [lead(r["text"]) for r in rows]
        refs = [one_sentence_per_line(r["summary"]) for r in rows]
    size = size or len(preds)
    reps = -(-size // len(preds))
    return (preds * reps)[:size], (refs * reps)[:size]


def time_reference(preds: list[str], refs: list[str]) -> tuple[list[dict], float]:
    scorer = rouge_scorer.RougeScorer(list(DEFAULT_ROUGE_TYPES), use_stemmer=True)
    start = time.perf_counter()
    out = [scorer.score(r, p) for p, r in zip(preds, refs, strict=True)]
    return out, time.perf_counter() - start


def time_fast(preds: list[str], refs: list[str]) -> tuple[list[dict], float]:
    clear_cache()  # start cold: no stems cached from an earlier set
    start = time.perf_counter()
    out = score_pairs(preds, refs)
    return out, time.perf_counter() - start


def max_abs_diff(slow: list[dict], fast: list[dict]) -> float:
    return max(
        abs(a - b)
        for s, f in zip(slow, fast, strict=False)
        for key in DEFAULT_ROUGE_TYPES
        for a, b in zip(s[key], f[key], strict=True)
    )


def bench(name: str, size: int | None, limit: int | None, label: str = "") -> dict:
    preds, refs = load_pairs(name, size)
    n = len(preds)
    fast, fast_s = time_fast(preds, refs)
    n_ref = min(limit or n, n)
    slow, slow_s = time_reference(preds[:n_ref], refs[:n_ref])
    slow_full = slow_s * n / n_ref
    return {
        "set": label or name, "pairs": n, "ref_pairs": n_ref, "fast_s": fast_s,
        "slow_s": slow_full, "slow_kind": "measured" if n_ref == n else f"extrap. from {n_ref}",
        "diff": max_abs_diff(slow, fast[:n_ref]),
    }


def print_table(rows: list[dict]) -> None:
    head = f"{'set':<12}{'pairs':>6} {'rouge-score pairs/s':>20} {'(time)':>24} "
    print(head + f"{'fast pairs/s':>13} {'fast time':>10} {'speed-up':>9} {'max |diff|':>11}")
    for r in rows:
        slow = f"{r['slow_s']:.1f} s {r['slow_kind']}"
        print(
            f"{r['set']:<12}{r['pairs']:>6} {r['pairs'] / r['slow_s']:>20.1f} {slow:>24} "
            f"{r['pairs'] / r['fast_s']:>13.0f} {r['fast_s']:>8.2f} s "
            f"{r['slow_s'] / r['fast_s']:>8.1f}x {r['diff']:>11.2e}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-news-pairs", type=int, default=5622)
    parser.add_argument("--billsum-pairs", type=int, default=100)
    parser.add_argument("--reference-limit", type=int, default=None,
                        help="time rouge-score on only the first N pairs of each set")
    args = parser.parse_args(argv)
    if not mirror_dir().is_dir():
        print(f"no mirror at {mirror_dir()}; set COURSEKIT_MIRROR", file=sys.stderr)
        return 2
    rows = [
        bench("multi_news", None, args.reference_limit, label="mn_distinct"),
        bench("multi_news", args.multi_news_pairs, args.reference_limit),
        bench("billsum", args.billsum_pairs, args.reference_limit),
    ]
    print(f"types {', '.join(DEFAULT_ROUGE_TYPES)}, stemming on, lead-3 vs reference; "
          "fast side always measured on all pairs (one process, stem cache cleared per set)")
    print_table(rows)
    print("mn_distinct = the 200 distinct clusters once: every token is new to the stem cache, a")
    print("  pessimistic rate for the real test set; multi_news tiles them, so stems are mostly cached.")
    worst = max(r["diff"] for r in rows)
    print(f"parity: max |diff| over all checked pairs and types = {worst:.3e}"
          f" ({'OK' if worst <= 1e-9 else 'FAIL'}, tolerance 1e-9)")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
