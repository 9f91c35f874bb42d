"""Metrics and the score record of one submission (no task knowledge here).

Classification: accuracy and macro-F1 (scikit-learn). Summaries: ROUGE-1, ROUGE-2 and
ROUGE-Lsum F1 with Porter stemming (`leaderboard.scoring.rouge`), averaged over documents,
plus `rouge_mean`, the mean of the three. `ScoreResult` keeps what is needed to reproduce
and audit a score without giving away the hidden split: per-row scores are stored per part
(public, private) *sorted*, so they carry no row ids, no predictions and no order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from leaderboard.scoring.bootstrap import bootstrap_ci
from leaderboard.scoring.rouge import ROUGE_TYPES, score_pairs

SCORER_VERSION = "coursekit-leaderboard-scorer/2"


@dataclasses.dataclass
class ScoreResult:
    """Scores of one submission on the public and private parts of the test set.

    `per_row` is {"public": sorted row scores, "private": sorted row scores}: enough to
    recompute means and the bootstrap interval, not enough to tell which row is which.
    """

    public: dict[str, float]
    private: dict[str, float]
    public_ci: tuple[float, float]
    per_row: dict[str, list[float]]
    settings: dict[str, Any]
    scorer_version: str
    solution_hash: str


def mean(values: Sequence[float]) -> float:
    """Mean, or NaN for no values."""
    return float(np.mean(values)) if len(values) else float("nan")


def classification_metrics(labels: Sequence[str], preds: Sequence[str],
                           classes: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over the classes that occur in the truth or the predictions."""
    from sklearn.metrics import accuracy_score, f1_score  # lazily: slow to import

    if not labels:
        return {"accuracy": float("nan"), "macro_f1": float("nan")}
    # A class absent from both (possible on a small salted public part) must not count as
    # an F1 of 0; sklearn's default label set does the same, here in the task's order.
    seen = set(labels) | set(preds)
    present = [c for c in classes if c in seen]
    return {"accuracy": float(accuracy_score(labels, preds)),
            "macro_f1": float(f1_score(labels, preds, labels=present, average="macro",
                                       zero_division=0))}


def rouge_rows(predictions: Sequence[str], references: Sequence[str]) -> list[dict[str, float]]:
    """Per-document ROUGE F1 of each type plus `score`, their mean."""
    rows = score_pairs(predictions, references, rouge_types=ROUGE_TYPES, use_stemmer=True)
    for row in rows:
        row["score"] = float(np.mean([row[t] for t in ROUGE_TYPES]))
    return rows


def rouge_metrics(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean of each ROUGE type over documents, and `rouge_mean`."""
    metrics = {t: mean([r[t] for r in rows]) for t in ROUGE_TYPES}
    metrics["rouge_mean"] = mean([r["score"] for r in rows])
    return metrics


def make_result(public_scores: Sequence[float], private_scores: Sequence[float],
                public: dict[str, float], private: dict[str, float], *,
                settings: dict[str, Any], solution_hash: str) -> ScoreResult:
    """A `ScoreResult` with the public bootstrap interval and the sorted per-row scores."""
    return ScoreResult(public=public, private=private, public_ci=bootstrap_ci(public_scores),
                       per_row={"public": sorted(map(float, public_scores)),
                                "private": sorted(map(float, private_scores))},
                       settings=settings, scorer_version=SCORER_VERSION,
                       solution_hash=solution_hash)
