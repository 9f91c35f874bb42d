"""End-to-end tests against a real uvicorn server in a child process on 127.0.0.1.

A burst of parallel uploads loses nothing; a server killed mid-scoring scores every
accepted submission after a restart.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from lb_helpers import answers, csv_bytes, make_data_dir, write_config

from leaderboard.localserver import running_server, start_server, stop_server


def _roster(data_dir, n: int) -> list[str]:
    tokens = [f"tok-{i}" for i in range(n)]
    lines = ["student_id,name,team,token"] + [f"s{i},Student {i},,tok-{i}" for i in range(n)]
    (data_dir / "roster.csv").write_text("\n".join(lines) + "\n")
    return tokens


def _db_rows(data_dir) -> list[tuple[int, str, int | None]]:
    with sqlite3.connect(data_dir / "leaderboard.db") as conn:
        return conn.execute("SELECT id, status, participant_id FROM submissions").fetchall()


def _wait_all_scored(data_dir, expected: int, timeout: float = 60) -> list:
    end = time.monotonic() + timeout
    while True:
        rows = _db_rows(data_dir)
        done = [r for r in rows if r[1] == "scored"]
        if len(done) >= expected or time.monotonic() > end:
            return rows
        time.sleep(0.2)


@pytest.mark.slow
def test_parallel_burst_loses_nothing(tmp_path):
    data_dir = make_data_dir(tmp_path / "lb", daily_limit=1000)
    tokens = _roster(data_dir, 24)
    data = csv_bytes("id,label", answers(data_dir, "dna-splice").items())
    per_client = 5

    def client_run(token: str) -> list[int]:
        ids = []
        with httpx.Client(timeout=60) as http:
            for _ in range(per_client):
                reply = http.post(f"{url}/api/tasks/dna-splice/submissions",
                                  headers={"Authorization": f"Bearer {token}"},
                                  files={"file": ("p.csv", data)})
                assert reply.status_code == 202, reply.text
                ids.append(reply.json()["id"])
        return ids

    with running_server(data_dir, log=tmp_path / "server.log") as (url, _):
        with ThreadPoolExecutor(len(tokens)) as pool:
            accepted = [i for ids in pool.map(client_run, tokens) for i in ids]
        rows = _wait_all_scored(data_dir, len(accepted) + 2)
    assert len(accepted) == len(set(accepted)) == len(tokens) * per_client
    student_rows = {r[0] for r in rows if r[2] is not None}
    assert student_rows == set(accepted)
    assert all(r[1] == "scored" for r in rows), [r for r in rows if r[1] != "scored"]


@pytest.mark.slow
def test_kill_mid_scoring_then_restart_scores_everything(tmp_path):
    data_dir = make_data_dir(tmp_path / "lb", tasks=("dna-splice",))
    data = csv_bytes("id,label", answers(data_dir, "dna-splice").items())
    log = tmp_path / "server.log"
    process, url = start_server(data_dir, log=log,
                                env={"COURSEKIT_LEADERBOARD_TEST_SCORE_DELAY": "60"})
    try:
        accepted = []
        for token in ("tok-alice", "tok-carol", "tok-dave"):
            reply = httpx.post(f"{url}/api/tasks/dna-splice/submissions", timeout=30,
                               headers={"Authorization": f"Bearer {token}"},
                               files={"file": ("p.csv", data)})
            assert reply.status_code == 202
            accepted.append(reply.json()["id"])
        time.sleep(0.5)  # the scorer is now asleep inside its first job
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    pending = {r[0] for r in _db_rows(data_dir) if r[1] == "pending"}
    assert set(accepted) <= pending  # stored before scoring, survived the kill
    process, url = start_server(data_dir, log=log)
    try:
        rows = _wait_all_scored(data_dir, len(accepted) + 1)
        board = httpx.get(f"{url}/api/tasks/dna-splice/board").json()
    finally:
        stop_server(process)
    assert all(r[1] == "scored" for r in rows)
    assert {r["team"] for r in board["rows"]} >= {"team-a", "carol", "dave"}


def test_restart_keeps_config_and_tokens(tmp_path):
    data_dir = make_data_dir(tmp_path / "lb", tasks=("dna-splice",))
    write_config(data_dir, tasks=("dna-splice",), daily_limit=3)
    from lb_helpers import open_client

    for _ in range(2):  # open twice: roster sync and baseline pinning are idempotent
        client, service = open_client(data_dir)
        with client:
            me = client.get("/api/me", headers={"Authorization": "Bearer tok-alice"}).json()
            assert me["tasks"]["dna-splice"]["daily_limit"] == 3
    assert [r for r in _db_rows(data_dir) if r[2] is None].__len__() == 1  # one baseline
