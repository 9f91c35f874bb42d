"""Tests for leaderboard.tasks (the DNA split) and leaderboard.task_init (task folders)."""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from lb_helpers import fake_splice, fake_summaries, init_dna_splice, init_summaries

from leaderboard.tasks import dna_splice_split, get_task
from leaderboard.tasks.files import read_test_ids
from leaderboard.tasks.solution import load_solution

MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", Path(__file__).parents[4] / "shared/datasets"))


def test_split_is_deterministic_stratified_and_opaque():
    records = fake_splice((50, 50, 100))
    train, test = dna_splice_split(records)
    again_train, again_test = dna_splice_split(records)
    assert [r.id for r in test] == [r.id for r in again_test]
    assert [r.id for r in train] == [r.id for r in again_train]
    assert Counter(r.label for r in test) == {"EI": 10, "IE": 10, "N": 20}
    assert len(train) + len(test) == 200
    ids = [r.id for r in train + test]
    assert len(set(ids)) == 200 and all(i.startswith("s") for i in ids)
    assert not any("EI" in i or "IE" in i or "N" in i for i in ids)  # ids say nothing of labels
    originals = {(r.sequence, r.label) for r in records}
    assert {(r.sequence, r.label) for r in train + test} == originals


def test_split_seed_and_fraction_matter():
    records = fake_splice((50, 50, 100))
    _, test_a = dna_splice_split(records, seed=1)
    _, test_b = dna_splice_split(records, seed=2)
    assert {r.sequence for r in test_a} != {r.sequence for r in test_b}
    _, test_c = dna_splice_split(records, test_fraction=0.5)
    assert len(test_c) == 100
    with pytest.raises(ValueError, match="test_fraction"):
        dna_splice_split(records, test_fraction=1.5)


def test_unknown_task_lists_known_ones():
    with pytest.raises(ValueError, match="dna-splice"):
        get_task("nope")


def _read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_init_dna_writes_student_files_without_labels(tmp_path):
    out = init_dna_splice(fake_splice(), tmp_path / "dna")
    train = _read_csv(out / "public" / "train.csv")
    test = _read_csv(out / "public" / "test.csv")
    sample = _read_csv(out / "public" / "sample_submission.csv")
    assert list(train[0]) == ["id", "sequence", "label"]
    assert list(test[0]) == ["id", "sequence"]
    assert list(sample[0]) == ["id", "label"]
    assert {r["label"] for r in sample} == {"N"}  # majority class of the training part
    assert [r["id"] for r in test] == [r["id"] for r in sample]
    solution = load_solution(out / "private" / "solution.json")
    assert solution.ids == [r["id"] for r in test]
    assert oct((out / "private" / "solution.json").stat().st_mode & 0o777) == "0o600"
    public_text = "".join(p.read_text() for p in (out / "public").iterdir())
    assert solution.salt not in public_text


def test_init_summaries_writes_inputs_and_lead3(tmp_path):
    out = init_summaries("billsum", fake_summaries(5), tmp_path / "bs")
    docs = [json.loads(line) for line in (out / "public" / "test.jsonl").read_text().splitlines()]
    assert set(docs[0]) == {"id", "document"}
    assert read_test_ids(out / "public" / "test.csv") == [d["id"] for d in docs]
    sample = _read_csv(out / "public" / "sample_submission.csv")
    assert sample[0]["summary"].count("\n") == 2  # three sentences, one per line
    solution = load_solution(out / "private" / "solution.json")
    assert set(solution.ids) == {d["id"] for d in docs}


@pytest.mark.mirror
def test_real_splice_split_sizes():
    if not (MIRROR / "dna" / "splice.csv").exists():
        pytest.skip(f"dataset mirror not found at {MIRROR} (set COURSEKIT_MIRROR)")
    from datasets_manifest import load_splice

    train, test = dna_splice_split(load_splice(root=MIRROR / "dna"))
    assert (len(train), len(test)) == (2552, 638)
    assert Counter(r.label for r in test) == {"EI": 153, "IE": 154, "N": 331}
