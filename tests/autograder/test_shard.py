"""Sharding for batch schedulers: shard selection, scheduler environments, and merging shard
outputs into the gradebook a single local run writes (missing and duplicated reported)."""

from __future__ import annotations

import pytest
from classroom import make_class

from autograder.cli import main
from autograder.grade.shard import Shard, ShardError, parse_shard
from autograder.gradebook import merge_shards


def test_shards_are_disjoint_cover_the_class_and_are_balanced():
    for n in range(40):  # exhaustive over small classes and counts
        for count in range(1, 9):
            items = list(range(n))
            parts = [Shard(i, count).select(items) for i in range(count)]
            assert sorted(x for part in parts for x in part) == items
            assert max(map(len, parts)) - min(map(len, parts)) <= 1


@pytest.mark.parametrize(("spec", "env", "shard"), [
    ("2/4", {}, Shard(2, 4)),
    ("4", {"JOB_COMPLETION_INDEX": "3"}, Shard(3, 4)),
    ("4", {"SLURM_ARRAY_TASK_ID": "1"}, Shard(1, 4)),
    ("auto", {"SLURM_ARRAY_TASK_ID": "11", "SLURM_ARRAY_TASK_MIN": "10",
              "SLURM_ARRAY_TASK_COUNT": "3"}, Shard(1, 3)),
])
def test_shard_from_the_command_line_or_the_scheduler(spec, env, shard):
    assert parse_shard(spec, env) == shard


@pytest.mark.parametrize(("spec", "env", "says"), [
    ("4", {}, "pass --shard I/N"),
    ("auto", {}, "needs a Slurm job array"),
    ("4/4", {}, "must be in 0..3"),
    ("a/b", {}, "expected I/N"),
])
def test_bad_shard_values_say_what_to_do(spec, env, says):
    with pytest.raises(ShardError, match=says):
        parse_shard(spec, env)


def test_merged_shards_equal_a_local_run(toy_bundle, tmp_path, capsys):
    subs = tmp_path / "subs"
    make_class(toy_bundle, subs, 4)
    common = ["grade", "toy", str(subs), "--bundle", str(toy_bundle), "--jobs", "2"]
    assert main([*common, "--out", str(tmp_path / "local")]) == 0
    sharded = tmp_path / "sharded"
    assert main([*common, "--out", str(sharded), "--shard", "0/2"]) == 0
    assert main(["gradebook", "merge", str(sharded)]) == 1  # shard 1 has not run yet
    assert "did not finish" in capsys.readouterr().err
    assert main([*common, "--out", str(sharded), "--shard", "1/2"]) == 0
    assert main(["gradebook", "merge", str(sharded)]) == 0
    local = (tmp_path / "local/gradebook.csv").read_bytes()
    assert (sharded / "gradebook.csv").read_bytes() == local
    assert sorted(p.name for p in sharded.glob("s0*")) == sorted(p.stem for p in subs.iterdir())


def test_merge_reports_missing_and_duplicated(toy_bundle, tmp_path):
    subs = tmp_path / "subs"
    make_class(toy_bundle, subs, 3)
    out = tmp_path / "out"
    common = ["grade", "toy", str(subs), "--bundle", str(toy_bundle), "--out", str(out)]
    assert main([*common, "--shard", "0/3"]) == 0
    assert main([*common, "--shard", "0/2"]) == 0  # a rerun with another count
    report = merge_shards(out)
    assert not report.ok
    assert report.duplicated == ["s00-reference"]
    assert "s01-stub" in report.missing
    assert any("different count" in p for p in report.problems)


def test_merge_without_shards_explains(tmp_path):
    report = merge_shards(tmp_path)
    assert not report.ok and "--shard I/N" in report.problems[0]
