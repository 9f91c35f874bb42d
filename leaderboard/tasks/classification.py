"""Task kind: classification of each test row into one of a fixed set of labels.

Scored by accuracy (primary) and macro-F1; a row scores 1 when its label is right.
"""

from __future__ import annotations

import importlib.metadata
from typing import Any

from leaderboard.scoring.metrics import classification_metrics
from leaderboard.tasks.base import Task
from leaderboard.tasks.solution import Solution


class ClassificationTask(Task):
    """A task whose submissions are `id,label` CSV files."""

    kind = "classification"
    value_column = "label"
    formats = ("csv",)
    metrics = ("accuracy", "macro_f1")
    baseline_name = "baseline: majority class"

    def row_scores(self, rows: dict[str, str], solution: Solution, ids: list[str]
                   ) -> tuple[list[float], dict[str, float]]:
        truth = [solution.answers[i] for i in ids]
        preds = [rows[i] for i in ids]
        scores = [float(p == t) for p, t in zip(preds, truth, strict=True)]
        return scores, classification_metrics(truth, preds, self.labels)

    def settings(self) -> dict[str, Any]:
        return {"labels": list(self.labels),
                "scikit-learn": importlib.metadata.version("scikit-learn")}
