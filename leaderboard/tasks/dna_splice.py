"""Competition `dna-splice`: classify UCI splice-junction sequences as EI, IE or N.

The 3,190 UCI records are split by `dna_splice_split` (stratified, 20 % test, fixed seed)
into `public/train.csv` (id,sequence,label), `public/test.csv` (id,sequence) and
`public/sample_submission.csv` (id,label: the majority-class baseline).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from leaderboard.scoring.baselines import majority_class
from leaderboard.tasks.classification import ClassificationTask
from leaderboard.tasks.files import public_dir, sample_submission_path, solution_path, write_csv
from leaderboard.tasks.solution import new_solution, save_solution

DNA_LABELS = ("EI", "IE", "N")
DNA_SPLIT_SEED = 20240917
DNA_TEST_FRACTION = 0.2
README = (
    "dna-splice: train on train.csv (id,sequence,label), predict a label (EI, IE or N) for\n"
    "every id in test.csv, and submit a CSV with the header `id,label` and one row per\n"
    "test id (see sample_submission.csv, the majority-class baseline).\n"
)


class DnaSplice(ClassificationTask):
    """DNA splice-junction classification."""

    name = "dna-splice"
    title = "DNA splice-junction classification (EI / IE / N)"
    labels = DNA_LABELS
    datasets = ("splice",)

    def load_records(self) -> list[Any]:
        import datasets_manifest

        return datasets_manifest.load_splice()

    def build(self, records: Sequence[Any], out_dir: Path, public_fraction: float = 0.5
              ) -> Path:
        out = Path(out_dir)
        train, test = dna_splice_split(records)
        pub = public_dir(out)
        write_csv(pub / "train.csv", ["id", "sequence", "label"],
                  [[r.id, r.sequence, r.label] for r in train])
        write_csv(pub / "test.csv", ["id", "sequence"], [[r.id, r.sequence] for r in test])
        majority = majority_class(r.label for r in train)
        write_csv(sample_submission_path(out), ["id", "label"], [[r.id, majority] for r in test])
        (pub / "README.txt").write_text(README, encoding="utf-8")
        solution = new_solution(self.name, {r.id: r.label for r in test}, public_fraction)
        save_solution(solution, solution_path(out))
        return out


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
    renamed = [_with_id(records[old], f"s{new:0{width}d}") for new, old in enumerate(order)]
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
