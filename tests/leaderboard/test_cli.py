"""Tests for `coursekit leaderboard ...` (init, validate, rescore, export, submit, board)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lb_helpers import answers, csv_bytes, make_data_dir

from autograder.cli import main
from leaderboard.localserver import running_server

MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", Path(__file__).parents[3] / "shared/datasets"))


def test_validate_command(data_dir, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes("id,label", answers(data_dir, "dna-splice").items()))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,label\nnope,EI\n")
    test = data_dir / "tasks/dna-splice/public/test.csv"
    assert main(["leaderboard", "validate", "dna-splice", str(good), "--test", str(test)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["leaderboard", "validate", "dna-splice", str(bad),
                 "--data-dir", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "'nope'" in out
    assert main(["leaderboard", "validate", "dna-splice", str(bad),
                 "--data-dir", str(tmp_path / "none")]) == 2
    assert "--test" in capsys.readouterr().err


def test_rescore_and_export_offline(data_dir, tmp_path, capsys, monkeypatch):
    from lb_helpers import open_client

    client, _ = open_client(data_dir)
    with client:  # scores the pinned baselines
        pass
    assert main(["leaderboard", "rescore", "--data-dir", str(data_dir),
                 "--task", "dna-splice"]) == 0
    assert "scored: 1" in capsys.readouterr().out
    out = tmp_path / "standings.csv"
    assert main(["leaderboard", "export", "dna-splice", "--data-dir", str(data_dir),
                 "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("rank,team") and "baseline: majority class" in lines[1]


@pytest.mark.slow
def test_submit_and_board_against_server(tmp_path, capsys):
    data_dir = make_data_dir(tmp_path / "lb", tasks=("dna-splice",))
    sub = tmp_path / "p.csv"
    sub.write_bytes(csv_bytes("id,label", answers(data_dir, "dna-splice").items()))
    with running_server(data_dir) as (url, _):
        code = main(["leaderboard", "submit", "dna-splice", str(sub), "--server", url,
                     "--token", "tok-dave", "-m", "perfect"])
        assert code == 0
        assert "public score: 1.0" in capsys.readouterr().out
        assert main(["leaderboard", "submit", "dna-splice", str(sub), "--server", url,
                     "--token", "bad"]) == 1
        assert "401" in capsys.readouterr().err
        assert main(["leaderboard", "board", "dna-splice", "--server", url]) == 0
        assert "dave" in capsys.readouterr().out


@pytest.mark.mirror
def test_init_from_mirror(tmp_path, capsys):
    if not (MIRROR / "summarization").exists():
        pytest.skip(f"dataset mirror not found at {MIRROR} (set COURSEKIT_MIRROR)")
    out = tmp_path / "bs"
    assert main(["leaderboard", "init", "billsum", "--out", str(out),
                 "--mirror", str(MIRROR)]) == 0
    assert len((out / "public/test.jsonl").read_text().splitlines()) == 100
    assert (out / "private/solution.json").exists()
