"""`coursekit leaderboard init`: build a task's student files and hidden solution from data.

dna-splice: the UCI splice records are split by `dna_splice_split` (stratified, 20 % test,
fixed seed) into `public/train.csv` (id,sequence,label), `public/test.csv` (id,sequence) and
`public/sample_submission.csv` (id,label: the majority-class baseline).
billsum / multi-news: the mirror samples become `public/test.jsonl` and `public/test.csv`
(id,document) and `public/sample_submission.csv` + `.jsonl` (id,summary: the lead-3 baseline).
Each task gets `private/solution.json` with the answers and a fresh secret salt; reference
summaries are stored one sentence per line (`rouge_text.one_sentence_per_line`), the form
ROUGE-Lsum expects. Predictions are scored as submitted, so students should do the same.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from leaderboard.baselines import lead_n, majority_class
from leaderboard.rouge_text import one_sentence_per_line
from leaderboard.solution import new_solution, save_solution
from leaderboard.task_files import (
    public_dir,
    sample_submission_path,
    solution_path,
    write_csv,
    write_jsonl,
)
from leaderboard.tasks import DNA_SPLIT_SEED, DNA_TEST_FRACTION, dna_splice_split, get_task

MIRROR_ENV = "COURSEKIT_MIRROR"  # same variable as datasets_manifest.locations

README = {
    "dna-splice": (
        "dna-splice: train on train.csv (id,sequence,label), predict a label (EI, IE or N) for\n"
        "every id in test.csv, and submit a CSV with the header `id,label` and one row per\n"
        "test id (see sample_submission.csv, the majority-class baseline).\n"
    ),
    "summary": (
        "{task}: summarize every document in test.jsonl (or test.csv) and submit a CSV with the\n"
        "header `id,summary` or a JSONL file with objects {{\"id\": ..., \"summary\": ...}},\n"
        "one per test id (see sample_submission.*, the lead-3 baseline). Scored with ROUGE-1,\n"
        "ROUGE-2 and ROUGE-Lsum F1 (Porter stemming); put one sentence per line.\n"
    ),
}


def init_dna_splice(
    records: Sequence[Any], out_dir: str | Path, *, seed: int = DNA_SPLIT_SEED,
    test_fraction: float = DNA_TEST_FRACTION, public_fraction: float = 0.5,
) -> Path:
    """Write the dna-splice task folder from splice records; return the folder."""
    out = Path(out_dir)
    train, test = dna_splice_split(records, test_fraction=test_fraction, seed=seed)
    pub = public_dir(out)
    write_csv(pub / "train.csv", ["id", "sequence", "label"],
              [[r.id, r.sequence, r.label] for r in train])
    write_csv(pub / "test.csv", ["id", "sequence"], [[r.id, r.sequence] for r in test])
    majority = majority_class(r.label for r in train)
    write_csv(sample_submission_path(out), ["id", "label"], [[r.id, majority] for r in test])
    (pub / "README.txt").write_text(README["dna-splice"], encoding="utf-8")
    solution = new_solution("dna-splice", {r.id: r.label for r in test}, public_fraction)
    save_solution(solution, solution_path(out))
    return out


def init_summaries(
    task_name: str, records: Sequence[dict], out_dir: str | Path, *, public_fraction: float = 0.5,
) -> Path:
    """Write a summarization task folder from {id, document, summary} dicts."""
    get_task(task_name)
    out = Path(out_dir)
    pub = public_dir(out)
    ids = [str(r["id"]) for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{task_name}: the records have duplicate ids; fix the data first")
    docs = [{"id": i, "document": r["document"]} for i, r in zip(ids, records, strict=True)]
    write_jsonl(pub / "test.jsonl", docs)
    write_csv(pub / "test.csv", ["id", "document"], [[d["id"], d["document"]] for d in docs])
    leads = [[d["id"], lead_n(d["document"], 3)] for d in docs]
    write_csv(sample_submission_path(out), ["id", "summary"], leads)
    write_jsonl(pub / "sample_submission.jsonl", [{"id": i, "summary": s} for i, s in leads])
    (pub / "README.txt").write_text(README["summary"].format(task=task_name), encoding="utf-8")
    answers = {i: one_sentence_per_line(r["summary"]) for i, r in zip(ids, records, strict=True)}
    save_solution(new_solution(task_name, answers, public_fraction), solution_path(out))
    return out


def default_mirror() -> Path | None:
    """`../shared/datasets` next to a source checkout when $COURSEKIT_MIRROR is unset."""
    if os.environ.get(MIRROR_ENV):
        return None
    candidate = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    return candidate if candidate.is_dir() else None


def _load_records(task_name: str) -> list:
    import datasets_manifest

    if task_name == "dna-splice":
        return datasets_manifest.load_splice()
    if task_name == "billsum":
        return datasets_manifest.load_billsum(split="train")
    return datasets_manifest.load_multi_news(split="test")


def init_task(task_name: str, out_dir: str | Path, mirror: str | Path | None = None) -> Path:
    """Build `task_name` from the datasets (`datasets_manifest` loaders).

    `mirror` is a mirror root laid out like `$COURSEKIT_MIRROR` (e.g. `/work/shared/datasets`);
    without it the loaders use their own search (data cache, then `$COURSEKIT_MIRROR`, then
    `../shared/datasets` beside a source checkout).
    """
    get_task(task_name)
    mirror = mirror if mirror is not None else default_mirror()
    saved = os.environ.get(MIRROR_ENV)
    if mirror is not None:
        os.environ[MIRROR_ENV] = str(Path(mirror).resolve())
    try:
        records = _load_records(task_name)
    finally:
        if mirror is not None:
            if saved is None:
                os.environ.pop(MIRROR_ENV, None)
            else:
                os.environ[MIRROR_ENV] = saved
    if task_name == "dna-splice":
        return init_dna_splice(records, out_dir)
    return init_summaries(task_name, records, out_dir)
