"""The competitions: one class per task kind, one file per competition.

`TASKS` maps each name to its `Task` object (see `leaderboard.tasks.base`). To add a
competition, write a subclass of `ClassificationTask` or `SummarizationTask` in a new file
(name, title, datasets, `load_records`, and for classification `build`) and list it here.
"""

from __future__ import annotations

from leaderboard.tasks.base import Task
from leaderboard.tasks.billsum import BillSum
from leaderboard.tasks.dna_splice import (
    DNA_SPLIT_SEED,
    DNA_TEST_FRACTION,
    DnaSplice,
    dna_splice_split,
)
from leaderboard.tasks.multi_news import MultiNews

TASKS: dict[str, Task] = {task.name: task for task in (DnaSplice(), BillSum(), MultiNews())}

__all__ = ["DNA_SPLIT_SEED", "DNA_TEST_FRACTION", "TASKS", "Task", "dna_splice_split", "get_task"]


def get_task(name: str) -> Task:
    """Return the task called `name`, or raise a ValueError listing the known tasks."""
    try:
        return TASKS[name]
    except KeyError:
        known = ", ".join(sorted(TASKS))
        raise ValueError(f"unknown task {name!r}; known tasks are: {known}") from None
