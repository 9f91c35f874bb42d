"""The daily limit holds under a race between several real server processes.

Three `coursekit leaderboard serve` processes share one database (the SQLite file of the
data folder, or PostgreSQL when COURSEKIT_PG_URL is set). Two teams fire many uploads at
once, spread over the three servers, with a barrier so they really overlap. Exactly
`daily_limit` uploads per team must be accepted (202), every other one refused (429), and
the database must hold exactly that many rows per team, numbered 1..limit within the team.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from lb_helpers import answers, csv_bytes, make_data_dir, open_client, pg_url
from sqlalchemy import create_engine, select

from leaderboard.config import default_database_url
from leaderboard.localserver import start_server, stop_server
from leaderboard.store.models import Base, Submission

LIMIT = 5
SERVERS = 3
UPLOADS_PER_TEAM = 12  # 4 per server
TEAMS = {"team-a": ["tok-alice", "tok-bob"], "carol": ["tok-carol"]}


def _race(tmp_path, database_url: str | None) -> dict[str, list[int]]:
    data_dir = make_data_dir(tmp_path / "lb", daily_limit=LIMIT, tasks=("dna-splice",))
    data = csv_bytes("id,label", answers(data_dir, "dna-splice").items())
    extra = ["--database-url", database_url] if database_url else []
    open_client(data_dir, database_url)[1].engine.dispose()  # tables, roster, baseline once
    with ThreadPoolExecutor(SERVERS) as pool:  # then the servers start side by side
        servers = list(pool.map(lambda k: start_server(
            data_dir, extra_args=extra, log=tmp_path / f"server{k}.log", timeout=300),
            range(SERVERS)))
    try:
        jobs = [(team, tokens[i % len(tokens)], servers[i % SERVERS][1])
                for team, tokens in TEAMS.items() for i in range(UPLOADS_PER_TEAM)]
        barrier = threading.Barrier(len(jobs))

        def upload(job: tuple[str, str, str]) -> tuple[str, int]:
            team, token, url = job
            with httpx.Client(timeout=120) as http:
                barrier.wait()
                reply = http.post(f"{url}/api/tasks/dna-splice/submissions",
                                  headers={"Authorization": f"Bearer {token}"},
                                  files={"file": ("p.csv", data)})
            return team, reply.status_code

        with ThreadPoolExecutor(len(jobs)) as pool:
            results = list(pool.map(upload, jobs))
    finally:
        for process, _ in servers:
            stop_server(process)
    engine = create_engine(database_url or default_database_url(data_dir))
    with engine.connect() as conn:
        rows = conn.execute(select(Submission.team_id, Submission.team_seq)
                            .where(Submission.participant_id.is_not(None))).all()
    engine.dispose()
    codes = {team: sorted(code for t, code in results if t == team) for team in TEAMS}
    codes["rows_per_team"] = sorted(len([r for r in rows if r[0] == t])
                                    for t in {r[0] for r in rows})
    codes["numbers"] = sorted({tuple(sorted(r[1] for r in rows if r[0] == t))
                               for t in {r[0] for r in rows}})
    return codes


def _check(codes: dict) -> None:
    expected = [202] * LIMIT + [429] * (UPLOADS_PER_TEAM - LIMIT)
    for team in TEAMS:
        assert codes[team] == expected, (team, codes[team])
    assert codes["rows_per_team"] == [LIMIT] * len(TEAMS)
    assert codes["numbers"] == [tuple(range(1, LIMIT + 1))]


@pytest.mark.slow
def test_daily_limit_holds_across_server_processes_on_sqlite(tmp_path):
    _check(_race(tmp_path, None))


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(not pg_url(), reason="COURSEKIT_PG_URL is not set; run "
                                         "`source .ci/postgres.sh` to start PostgreSQL")
def test_daily_limit_holds_across_server_processes_on_postgres(tmp_path):
    engine = create_engine(pg_url())
    Base.metadata.drop_all(engine)
    engine.dispose()
    _check(_race(tmp_path, pg_url()))
