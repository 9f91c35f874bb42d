"""The student-facing validator by task name: `validate_submission("dna-splice", file, ids)`.

Notebooks handed out to students (and the dna_classifier assignment's tests) import this
name, so it stays here as a stable entry point; it is `get_task(name).validate(...)`, i.e.
`leaderboard.scoring.validate` with the task's format.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from leaderboard.scoring.validate import DEFAULT_MAX_BYTES, ValidationReport
from leaderboard.tasks import get_task

__all__ = ["ValidationReport", "validate_submission"]


def validate_submission(task_name: str, path_or_bytes: str | Path | bytes,
                        expected_ids: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                        filename: str = "") -> ValidationReport:
    """Check a submission file (path or raw bytes) for the task called `task_name`."""
    return get_task(task_name).validate(path_or_bytes, expected_ids, max_bytes=max_bytes,
                                        filename=filename)
