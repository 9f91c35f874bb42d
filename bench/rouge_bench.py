"""Benchmark: rouge-score-rs (the leaderboard's scorer) vs Google's rouge-score, plus the
hand-written scorer the leaderboard used before v2 (loaded from git history), on the mirror's
summarization samples.

Builds lead-3 predictions (one sentence per line) against the reference summaries (also one
sentence per line) for the Multi-News sample (200 distinct clusters once, and tiled to the
5,622-pair size of the real test set) and the BillSum sample (100 bills), scores them with
each implementation in the same process, and prints pairs/s and the largest absolute
difference from rouge-score over every pair, type and P/R/F.

rouge-score-rs scores a batch on all cores; `--threads` (RAYON_NUM_THREADS, default 1)
makes the comparison single-core like the other two. The hand-written scorer comes from
`git show COMMIT:leaderboard/rouge.py` (`--hand-written-from`, default the last commit that
had it; `--hand-written-from ''` leaves it out, as does a checkout without git history).
rouge-score takes about a minute on 5,622 pairs; `--reference-limit N` times it on the first
N pairs only and extrapolates (the table says so).

    .venv/bin/python bench/rouge_bench.py
    .venv/bin/python bench/rouge_bench.py --reference-limit 600 --threads 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TYPES = ("rouge1", "rouge2", "rougeLsum")
HAND_WRITTEN_COMMIT = "2160dc7"  # last commit with leaderboard/rouge.py (hand-written)


def mirror_dir() -> Path:
    """Summarization folder of the data mirror ($COURSEKIT_MIRROR or ../shared/datasets)."""
    root = Path(os.environ.get("COURSEKIT_MIRROR", REPO.parent / "shared" / "datasets"))
    return root / "summarization"


def load_pairs(name: str, size: int | None) -> tuple[list[str], list[str]]:
    """(lead-3 predictions, references) of one sample, tiled or cut to `size` pairs."""
    from leaderboard.scoring.sentences import lead, multi_news_source, one_sentence_per_line

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


def hand_written(commit: str):
    """The pre-v2 hand-written scorer module from git history, or None."""
    if not commit:
        return None
    try:
        text = subprocess.run(["git", "show", f"{commit}:leaderboard/rouge.py"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "handwritten_rouge.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("handwritten_rouge", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _triples(scores: list) -> list[tuple]:
    return [tuple(float(x) for t in TYPES for x in (s[t].precision, s[t].recall,
                                                     s[t].fmeasure)) for s in scores]


def timed(label: str, run, preds: list[str], refs: list[str]) -> dict:
    start = time.perf_counter()
    scores = run(preds, refs)
    return {"impl": label, "seconds": time.perf_counter() - start, "scores": _triples(scores)}


def implementations(old) -> dict:
    from rouge_score.rouge_scorer import RougeScorer as Slow
    from rouge_score_rs import RougeScorer as Fast

    impls = {
        "rouge-score": lambda p, r: [Slow(list(TYPES), use_stemmer=True).score(b, a)
                                     for a, b in zip(p, r, strict=True)],
        "rouge-score-rs": lambda p, r: Fast(list(TYPES), use_stemmer=True).score_batch(r, p),
    }
    if old is not None:
        def run_old(p, r):
            old.clear_cache()  # start cold: no stems cached from an earlier set
            return old.score_pairs(p, r, rouge_types=TYPES, use_stemmer=True)
        impls["hand-written"] = run_old
    return impls


def bench(name: str, size: int | None, limit: int | None, impls: dict, label: str) -> list[dict]:
    preds, refs = load_pairs(name, size)
    n = len(preds)
    n_ref = min(limit or n, n)
    oracle = timed("rouge-score", impls["rouge-score"], preds[:n_ref], refs[:n_ref])
    oracle.update(pairs=n, timed_pairs=n_ref, diff=0.0)
    rows = [oracle]
    for impl, run in impls.items():
        if impl == "rouge-score":
            continue
        row = timed(impl, run, preds, refs)
        row.update(pairs=n, timed_pairs=n, diff=max(
            abs(a - b) for x, y in zip(row["scores"], oracle["scores"], strict=False)
            for a, b in zip(x, y, strict=True)))
        rows.append(row)
    for row in rows:
        row["set"] = label
        row["full_seconds"] = row["seconds"] * n / row["timed_pairs"]
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'set':<13}{'implementation':<16}{'pairs':>6}{'pairs/s':>10}{'time (s)':>11}"
          f"{'vs rouge-score':>16}{'max |diff|':>12}")
    base = {r["set"]: r["full_seconds"] for r in rows if r["impl"] == "rouge-score"}
    for r in rows:
        note = "" if r["timed_pairs"] == r["pairs"] else f"  (extrap. from {r['timed_pairs']})"
        print(f"{r['set']:<13}{r['impl']:<16}{r['pairs']:>6}"
              f"{r['pairs'] / r['full_seconds']:>10.1f}{r['full_seconds']:>11.2f}"
              f"{base[r['set']] / r['full_seconds']:>15.1f}x{r['diff']:>12.1e}{note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-news-pairs", type=int, default=5622)
    parser.add_argument("--reference-limit", type=int, default=None,
                        help="time rouge-score on only the first N pairs of each set")
    parser.add_argument("--threads", default="1", help="RAYON_NUM_THREADS for rouge-score-rs")
    parser.add_argument("--hand-written-from", default=HAND_WRITTEN_COMMIT,
                        help="git commit holding the old leaderboard/rouge.py ('' to skip)")
    args = parser.parse_args(argv)
    os.environ["RAYON_NUM_THREADS"] = args.threads  # before rouge_score_rs starts its pool
    if not mirror_dir().is_dir():
        print(f"no mirror at {mirror_dir()}; set COURSEKIT_MIRROR", file=sys.stderr)
        return 2
    impls = implementations(hand_written(args.hand_written_from))
    rows = (bench("multi_news", None, args.reference_limit, impls, "mn_distinct")
            + bench("multi_news", args.multi_news_pairs, args.reference_limit, impls,
                    "multi_news")
            + bench("billsum", None, args.reference_limit, impls, "billsum"))
    print(f"types {', '.join(TYPES)}, Porter stemming, lead-3 vs reference; rouge-score-rs on "
          f"{args.threads} thread(s); os.getloadavg() = {os.getloadavg()[0]:.1f}")
    print_table(rows)
    print("mn_distinct = the 200 distinct clusters once (no token seen before: the honest rate);")
    print("  multi_news tiles them to 5,622 pairs, which favours caches (stems are reused).")
    worst = max(r["diff"] for r in rows)
    print(f"parity: max |diff| over P/R/F of every pair and type = {worst:.1e}"
          f" ({'OK' if worst <= 1e-9 else 'FAIL'}, tolerance 1e-9)")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
