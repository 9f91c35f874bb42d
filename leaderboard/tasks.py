"""The instructor-defined competition tasks and the DNA train/test split they rely on.

A task says what a submission looks like (columns, allowed labels, file formats), which metrics
score it and which one ranks the board. The three tasks are `dna-splice` (classification of
splice-junction sequences), `billsum` and `multi-news` (abstractive summarization, ROUGE).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

DNA_LABELS = ("EI", "IE", "N")
DNA_SPLIT_SEED = 20240917
DNA_TEST_FRACTION = 0.2
ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@dataclasses.dataclass(frozen=True)
class TaskSpec:
    """What one competition task accepts and how it is scored."""

    name: str
    kind: str  # "classification" or "summarization"
    title: str
    value_column: str  # "label" or "summary"
    formats: tuple[str, ...]  # accepted upload formats: "csv", "jsonl"
    labels: tuple[str, ...] = ()  # allowed labels (classification only)
    metrics: tuple[str, ...] = ()  # metric names shown on the board, primary first
    primary_metric: str = ""
    baseline_name: str = ""

    @property
    def header(self) -> tuple[str, str]:
        """The exact CSV header a submission must have."""
        return ("id", self.value_column)


TASKS: dict[str, TaskSpec] = {
    "dna-splice": TaskSpec(
        name="dna-splice",
        kind="classification",
        title="DNA splice-junction classification (EI / IE / N)",
        value_column="label",
        formats=("csv",),
        labels=DNA_LABELS,
        metrics=("accuracy", "macro_f1"),
        primary_metric="accuracy",
        baseline_name="baseline: majority class",
    ),
    "billsum": TaskSpec(
        name="billsum",
        kind="summarization",
        title="BillSum: summarize US congressional bills",
        value_column="summary",
        formats=("csv", "jsonl"),
        metrics=("rouge_mean", "rouge1", "rouge2", "rougeLsum"),
        primary_metric="rouge_mean",
        baseline_name="baseline: lead-3",
    ),
    "multi-news": TaskSpec(
        name="multi-news",
        kind="summarization",
        title="Multi-News: summarize a cluster of news articles",
        value_column="summary",
        formats=("csv", "jsonl"),
        metrics=("rouge_mean", "rouge1", "rouge2", "rougeLsum"),
        primary_metric="rouge_mean",
        baseline_name="baseline: lead-3",
    ),
}


def get_task(name: str) -> TaskSpec:
    """Return the task called `name`, or raise a ValueError listing the known tasks."""
    try:
        return TASKS[name]
    except KeyError:
        known = ", ".join(sorted(TASKS))
        raise ValueError(f"unknown task {name!r}; known tasks are: {known}") from None


def _with_id(record: Any, new_id: str) -> Any:
    """A copy of `record` whose `id` is `new_id` (dataclass, NamedTuple or plain object)."""
    if dataclasses.is_dataclass(record):
        return dataclasses.replace(record, id=new_id)
    if hasattr(record, "_replace"):
        return record._replace(id=new_id)
    return type(record)(id=new_id, label=record.label, sequence=record.sequence)


def dna_splice_split(
    records: Sequence[Any],
    test_fraction: float = DNA_TEST_FRACTION,
    seed: int = DNA_SPLIT_SEED,
) -> tuple[list[Any], list[Any]]:
    """Split splice records into (train, test): deterministic, stratified by label.

    The UCI ids (e.g. `HUMALBGC-DONOR-17044`) name the class and are not unique, so every
    record gets a fresh opaque id `s0000`..`sNNNN` from a seeded shuffle; both lists are
    sorted by that id, which therefore says nothing about the label. In each class,
    `round(test_fraction * class_size)` records go to the test split. With the defaults the
    3,190 UCI records give 2,552 train and 638 test rows (EI 153, IE 154, N 331).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(records))
    width = max(4, len(str(len(records) - 1)))
    renamed = [None] * len(records)
    for new_index, old_index in enumerate(order):
        renamed[new_index] = _with_id(records[old_index], f"s{new_index:0{width}d}")
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(renamed):
        by_label[record.label].append(index)
    test_indices: set[int] = set()
    for label in sorted(by_label):
        members = np.array(by_label[label])
        chosen = rng.permutation(members)[: round(test_fraction * len(members))]
        test_indices.update(int(i) for i in chosen)
    train = [r for i, r in enumerate(renamed) if i not in test_indices]
    test = [r for i, r in enumerate(renamed) if i in test_indices]
    return train, test
