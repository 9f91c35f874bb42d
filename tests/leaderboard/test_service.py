"""What the server writes: owner-only files, and a database that does not give away the
public/private split or the labels; the first start on a machine without data."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from lb_helpers import (
    answers,
    auth,
    csv_bytes,
    make_data_dir,
    open_client,
    wait_status,
    write_config,
)

from leaderboard.store.models import Score


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_the_server_writes_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSEKIT_INSTRUCTOR_TOKEN")
    data_dir = make_data_dir(tmp_path / "lb")
    (data_dir / "roster.csv").write_text("student_id,name,team,token\nnew,New,,\n")
    old = os.umask(0)  # no help from a strict umask
    try:
        client, _ = open_client(data_dir)
        with client:
            client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-carol"),
                        files={"file": ("p.csv", b"junk")})  # a write: WAL files exist
    finally:
        os.umask(old)
    assert _mode(data_dir) == 0o700
    for name in ("config.json", "leaderboard.db", "instructor_token", "tokens.csv"):
        assert _mode(data_dir / name) == 0o600, name
    for task in ("dna-splice", "billsum"):
        private = data_dir / "tasks" / task / "private"
        assert _mode(private) == 0o700 and _mode(private / "solution.json") == 0o600
    for extra in data_dir.glob("leaderboard.db-*"):  # WAL and shared-memory files
        assert _mode(extra) == 0o600, extra.name


def test_database_does_not_reveal_split_or_labels(data_dir):
    client, service = open_client(data_dir)
    truth = answers(data_dir, "dna-splice")
    rows = [(i, "N") for i in truth]  # right exactly where the label is N
    with client:
        sub = client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-carol"),
                          files={"file": ("p.csv", csv_bytes("id,label", rows))}).json()
        assert wait_status(client, "tok-carol", sub["id"])["status"] == "scored"
    with service.Session() as session:
        per_row = [s.per_row for s in session.query(Score)]
    for entry in per_row:
        assert set(entry) == {"public", "private"}
        assert all(isinstance(x, float) for part in entry.values() for x in part)
        assert entry["public"] == sorted(entry["public"])  # no order, no ids
    dump = (data_dir / "leaderboard.db").read_bytes()
    salt = json.loads((data_dir / "tasks/dna-splice/private/solution.json").read_text())["salt"]
    assert salt.encode() not in dump


def test_serve_offline_without_data_names_the_command(tmp_path):
    empty_cache, data_dir = tmp_path / "cache", tmp_path / "lb"
    data_dir.mkdir()
    write_config(data_dir, tasks=("billsum",))  # mirror-only data: no download to try
    env = {"COURSEKIT_DATA_DIR": str(empty_cache), "COURSEKIT_MIRROR": str(tmp_path / "none"),
           "COURSEKIT_INSTRUCTOR_TOKEN": "x", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "leaderboard", "serve",
                           "--data-dir", str(data_dir), "--port", "9"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "error: no task could be loaded" in done.stderr
    assert "coursekit data fetch billsum --mirror" in done.stderr
    assert "summarization/billsum_us_train_100.jsonl" in done.stderr
