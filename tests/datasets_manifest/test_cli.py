"""`coursekit data ...` through the real coursekit parser (autograder.cli)."""

from __future__ import annotations

import pytest

from autograder.cli import main


def test_list_and_info(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "fashion-mnist" in out and "cifar10" in out and "multi-news" in out
    assert main(["data", "info", "fashion-mnist"]) == 0
    out = capsys.readouterr().out
    assert "MIT" in out and "content sha256" in out and "holds back" in out


def test_unknown_name_is_an_error(capsys):
    assert main(["data", "info", "nope"]) == 2
    assert "unknown dataset 'nope'" in capsys.readouterr().err


def test_fetch_needs_names_or_all(capsys):
    assert main(["data", "fetch"]) == 2
    assert "--all" in capsys.readouterr().err


def test_fetch_with_missing_mirror_folder(tmp_path, capsys):
    assert main(["data", "fetch", "splice", "--mirror", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_verify_unfetched_dataset_fails_with_hint(tmp_path, capsys):
    assert main(["data", "verify", "splice", "--cache-dir", str(tmp_path)]) == 1
    assert "coursekit data fetch splice" in capsys.readouterr().out


def test_path_without_data_explains(capsys):
    assert main(["data", "path", "splice"]) == 1
    assert "coursekit data fetch splice" in capsys.readouterr().err


def test_data_needs_an_action():
    with pytest.raises(SystemExit):
        main(["data"])


@pytest.mark.mirror
def test_fetch_all_from_mirror_then_verify(mirror_dir, tmp_path, capsys):
    cache = str(tmp_path / "c")
    assert (
        main(
            ["data", "fetch", "--all", "--mirror", str(mirror_dir), "--cache-dir", cache, "--quiet"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "cifar10: fetch ok (format jpeg)" in out and "needs the official download" in out
    assert main(["data", "verify", "--all", "--cache-dir", cache]) == 0
    assert main(["data", "path", "splice", "--cache-dir", cache]) == 0
    assert capsys.readouterr().out.strip().endswith("splice")
