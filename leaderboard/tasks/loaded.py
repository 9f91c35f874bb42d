"""A task as a running leaderboard holds it: definition, rules, hidden solution, test ids."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from leaderboard.config import TaskConfig
from leaderboard.tasks.base import Task
from leaderboard.tasks.solution import Solution


@dataclasses.dataclass
class LoadedTask:
    """A task ready to accept submissions."""

    spec: Task
    rules: TaskConfig
    solution: Solution
    expected_ids: list[str]
    folder: Path

    @property
    def name(self) -> str:
        return self.spec.name
