"""The `leaderboard` field of Gradescope's results.json for a competition submission.

Gradescope shows a leaderboard from a list of {"name", "value", "order"} entries in
results.json. Only public-part metrics are reported, so the autograder cannot leak the
private part of the board.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leaderboard.tasks import get_task
from leaderboard.tasks.solution import load_solution

METRIC_NAMES = {"accuracy": "Accuracy", "macro_f1": "Macro-F1", "rouge_mean": "ROUGE mean",
                "rouge1": "ROUGE-1 F1", "rouge2": "ROUGE-2 F1", "rougeLsum": "ROUGE-Lsum F1"}


def leaderboard_entries(task_name: str, metrics: dict[str, float], digits: int = 4
                        ) -> list[dict[str, Any]]:
    """Gradescope leaderboard entries for `metrics` (primary metric first; higher is better)."""
    spec = get_task(task_name)
    return [{"name": METRIC_NAMES.get(m, m), "value": round(float(metrics[m]), digits),
             "order": "desc"} for m in spec.metrics if metrics.get(m) is not None]


def gradescope_leaderboard(task_name: str, submission: str | Path | bytes,
                           solution_file: str | Path) -> list[dict[str, Any]]:
    """Validate and score `submission` on the public part; return the leaderboard entries.

    Raises ValueError with the validator's full report when the submission is invalid.
    """
    task, solution = get_task(task_name), load_solution(solution_file)
    report = task.validate(submission, solution.ids)
    if not report.ok:
        raise ValueError(str(report))
    return leaderboard_entries(task_name, task.score(report.rows, solution).public)
