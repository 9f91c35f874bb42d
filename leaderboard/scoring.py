"""Scoring of a validated submission against a task's hidden solution.

dna-splice: accuracy and macro-F1 (scikit-learn) on the public and the private ids; the
board ranks by accuracy. billsum / multi-news: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 with Porter
stemming (`leaderboard.rouge.score_pairs`, equal to rouge-score), averaged over documents;
the board ranks by `rouge_mean`, the mean of the three. Every result carries the scorer
version, the solution's sha256, the settings and the per-row scores, so any submission can be
rescored and compared later.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

from leaderboard.bootstrap import (
    BOOTSTRAP_CONFIDENCE,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    bootstrap_ci,
)
from leaderboard.solution import Solution
from leaderboard.tasks import ROUGE_TYPES, TaskSpec, get_task

SCORER_VERSION = "coursekit-leaderboard-scorer/1"


@dataclasses.dataclass
class ScoreResult:
    """Scores of one submission; `per_row` holds one dict per test id (instructor-only)."""

    public: dict[str, float]
    private: dict[str, float]
    public_ci: tuple[float, float]
    per_row: list[dict[str, Any]]
    settings: dict[str, Any]
    scorer_version: str
    solution_hash: str


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def scoring_settings(task: TaskSpec) -> dict[str, Any]:
    """The settings a score depends on (stored with every score)."""
    settings: dict[str, Any] = {
        "primary_metric": task.primary_metric,
        "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "confidence": BOOTSTRAP_CONFIDENCE,
                      "seed": BOOTSTRAP_SEED, "method": "percentile"},
    }
    if task.kind == "classification":
        settings["labels"] = list(task.labels)
        settings["scikit-learn"] = _version("scikit-learn")
    else:
        settings["rouge"] = {"rouge_types": list(ROUGE_TYPES), "use_stemmer": True,
                             "aggregate": "mean of per-document F1",
                             "rouge-score": _version("rouge-score")}
    return settings


def _classification_metrics(labels: list[str], preds: list[str], classes: tuple) -> dict:
    if not labels:
        return {"accuracy": float("nan"), "macro_f1": float("nan")}
    # Macro-F1 over the classes that occur in the truth or the predictions (sklearn's default
    # set, in the task's order): a class absent from both (possible on a small salted public
    # part) must not count as an F1 of 0.
    seen = set(labels) | set(preds)
    present = [c for c in classes if c in seen]
    return {
        "accuracy": float(accuracy_score(labels, preds)),
        "macro_f1": float(f1_score(labels, preds, labels=present, average="macro",
                                   zero_division=0)),
    }


def _score_classification(task: TaskSpec, rows: dict[str, str], solution: Solution):
    per_row = [{"id": i, "public": solution.is_public(i), "prediction": rows[i],
                "score": float(rows[i] == label)} for i, label in solution.answers.items()]
    metrics = {}
    for part, want in (("public", True), ("private", False)):
        ids = [r["id"] for r in per_row if r["public"] == want]
        metrics[part] = _classification_metrics(
            [solution.answers[i] for i in ids], [rows[i] for i in ids], task.labels)
    return per_row, metrics


def _score_summaries(task: TaskSpec, rows: dict[str, str], solution: Solution):
    from leaderboard.rouge import score_pairs

    ids = solution.ids
    scores = score_pairs([rows[i] for i in ids], [solution.answers[i] for i in ids],
                         rouge_types=ROUGE_TYPES, use_stemmer=True)
    per_row = []
    for row_id, score in zip(ids, scores, strict=True):
        row = {"id": row_id, "public": solution.is_public(row_id)}
        row.update({t: float(score[t].fmeasure) for t in ROUGE_TYPES})
        row["score"] = float(np.mean([row[t] for t in ROUGE_TYPES]))
        per_row.append(row)
    metrics = {}
    for part, want in (("public", True), ("private", False)):
        part_rows = [r for r in per_row if r["public"] == want]
        metrics[part] = {t: _mean([r[t] for r in part_rows]) for t in ROUGE_TYPES}
        metrics[part]["rouge_mean"] = _mean([r["score"] for r in part_rows])
    return per_row, metrics


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def score_rows(task_name: str, rows: dict[str, str], solution: Solution) -> ScoreResult:
    """Score validated `rows` (id -> label/summary, covering every solution id)."""
    task = get_task(task_name)
    missing = [i for i in solution.ids if i not in rows]
    if missing:
        raise ValueError(f"{len(missing)} solution ids are missing from the rows; validate the "
                         "submission before scoring it")
    if task.kind == "classification":
        per_row, metrics = _score_classification(task, rows, solution)
    else:
        per_row, metrics = _score_summaries(task, rows, solution)
    public_ci = bootstrap_ci([r["score"] for r in per_row if r["public"]])
    return ScoreResult(public=metrics["public"], private=metrics["private"],
                       public_ci=public_ci, per_row=per_row, settings=scoring_settings(task),
                       scorer_version=SCORER_VERSION, solution_hash=solution.sha256)
