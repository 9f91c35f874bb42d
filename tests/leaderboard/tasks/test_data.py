"""The first start on a fresh machine: a task's datasets are fetched into the empty data
cache (from the mirror, with the fetch report), or the error names the command to run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leaderboard.tasks import data

MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", Path(__file__).parents[4] / "shared/datasets"))


def test_offline_without_mirror_names_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSEKIT_MIRROR", raising=False)
    monkeypatch.setattr(data, "default_mirror", lambda: None)
    with pytest.raises(data.TaskDataMissing) as missing:
        data.prepare_task("multi-news", tmp_path / "task", log=lambda line: None)
    message = str(missing.value)
    assert "Run `coursekit data fetch multi-news --mirror /path/to/datasets-mirror`" in message
    assert "summarization/multi_news_test_200.jsonl" in message
    assert not (tmp_path / "task").exists()


@pytest.mark.mirror
@pytest.mark.skipif(not (MIRROR / "summarization").is_dir(), reason=f"no data mirror at {MIRROR}")
def test_empty_cache_is_filled_from_the_mirror(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEKIT_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSEKIT_MIRROR", raising=False)
    lines: list[str] = []
    folder = data.prepare_task("billsum", tmp_path / "task", mirror=MIRROR, log=lines.append)
    assert any("copied from mirror" in line for line in lines), lines
    assert (tmp_path / "cache" / "billsum" / "billsum_us_train_100.jsonl").exists()
    assert (folder / "private" / "solution.json").exists()
