"""The `Task` base class: what every competition says about itself.

A task names its submission format (columns, labels, file formats, checked by
`leaderboard.scoring.validate`), its metrics (primary first), its baseline, the datasets it
is built from (names in the datasets manifest) and how to build its folder and score rows.
The two kinds are `ClassificationTask` and `SummarizationTask`; a competition is one small
subclass of one of them in its own file, listed in `leaderboard.tasks.TASKS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from leaderboard.scoring.bootstrap import (
    BOOTSTRAP_CONFIDENCE,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
)
from leaderboard.scoring.metrics import ScoreResult, make_result
from leaderboard.scoring.validate import DEFAULT_MAX_BYTES, ValidationReport, validate_submission
from leaderboard.tasks.solution import Solution


class Task:
    """One competition. Subclasses set the class attributes and the three hooks."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "classification" or "summarization"
    title: ClassVar[str]
    value_column: ClassVar[str]  # "label" or "summary"
    formats: ClassVar[tuple[str, ...]]  # accepted upload formats: "csv", "jsonl"
    labels: ClassVar[tuple[str, ...]] = ()  # allowed labels (classification only)
    metrics: ClassVar[tuple[str, ...]]  # metric names shown on the board, primary first
    baseline_name: ClassVar[str]
    datasets: ClassVar[tuple[str, ...]]  # datasets-manifest names the task is built from

    @property
    def primary_metric(self) -> str:
        """The metric that ranks the board."""
        return self.metrics[0]

    @property
    def header(self) -> tuple[str, str]:
        """The exact CSV header a submission must have."""
        return ("id", self.value_column)

    def __repr__(self) -> str:
        return f"<task {self.name}>"

    # -- hooks -------------------------------------------------------------------------
    def load_records(self) -> list[Any]:
        """The task's records from the datasets (cache, then mirror; see datasets_manifest)."""
        raise NotImplementedError

    def build(self, records: Sequence[Any], out_dir: Path, public_fraction: float = 0.5
              ) -> Path:
        """Write `public/` (student files) and `private/solution.json` under `out_dir`."""
        raise NotImplementedError

    def row_scores(self, rows: dict[str, str], solution: Solution, ids: list[str]
                   ) -> tuple[list[float], dict[str, float]]:
        """(per-row scores, metrics) of the predictions `rows` on the test ids `ids`."""
        raise NotImplementedError

    def settings(self) -> dict[str, Any]:
        """Kind-specific settings stored with every score (versions, options)."""
        return {}

    # -- shared behaviour ----------------------------------------------------------------
    def validate(self, path_or_bytes: str | Path | bytes, expected_ids: Iterable[str], *,
                 max_bytes: int = DEFAULT_MAX_BYTES, filename: str = "") -> ValidationReport:
        """Check an upload against this task's format and the public test ids."""
        return validate_submission(self, path_or_bytes, expected_ids, max_bytes=max_bytes,
                                   filename=filename)

    def score(self, rows: dict[str, str], solution: Solution) -> ScoreResult:
        """Score validated `rows` (id -> label/summary, covering every solution id)."""
        missing = [i for i in solution.ids if i not in rows]
        if missing:
            raise ValueError(f"{len(missing)} solution ids are missing from the rows; validate "
                             "the submission before scoring it")
        public_ids, private_ids = solution.public_ids(), solution.private_ids()
        public_scores, public = self.row_scores(rows, solution, public_ids)
        private_scores, private = self.row_scores(rows, solution, private_ids)
        settings = {"primary_metric": self.primary_metric,
                    "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES,
                                  "confidence": BOOTSTRAP_CONFIDENCE, "seed": BOOTSTRAP_SEED,
                                  "method": "percentile"}, **self.settings()}
        return make_result(public_scores, private_scores, public, private, settings=settings,
                           solution_hash=solution.sha256)
