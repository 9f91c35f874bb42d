"""The leaderboard on PostgreSQL (psycopg 3). Needs COURSEKIT_PG_URL (source .ci/postgres.sh)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from lb_helpers import answers, auth, csv_bytes, make_data_dir, open_client, pg_url, wait_status
from sqlalchemy import create_engine, func, select

from leaderboard.localserver import running_server
from leaderboard.store.models import Base, Score, Submission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not pg_url(), reason="COURSEKIT_PG_URL is not set; run "
                                            "`source .ci/postgres.sh` to start PostgreSQL"),
]


@pytest.fixture
def pg(tmp_path):
    """An emptied PostgreSQL database and a data folder using it."""
    engine = create_engine(pg_url())
    Base.metadata.drop_all(engine)
    engine.dispose()
    return pg_url()


def test_submit_score_limit_and_rescore(tmp_path, pg):
    data_dir = make_data_dir(tmp_path / "lb", daily_limit=2)
    client, service = open_client(data_dir, database_url=pg)
    assert service.engine.dialect.name == "postgresql"
    data = csv_bytes("id,label", answers(data_dir, "dna-splice").items())
    with client:
        first = client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-alice"),
                            files={"file": ("a.csv", data)}).json()["id"]
        assert wait_status(client, "tok-alice", first)["public_score"] == 1.0
        assert client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-bob"),
                           files={"file": ("a.csv", data)}).status_code == 202
        assert client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-bob"),
                           files={"file": ("a.csv", data)}).status_code == 429
        board = client.get("/api/tasks/dna-splice/board").json()["rows"]
        assert board[0]["team"] == "team-a" and board[0]["rank"] == 1
        reply = client.post("/api/admin/rescore", headers=auth("instructor-secret-token"),
                            json={"submission_ids": [first]})
        assert reply.json()["statuses"] == {"scored": 1}
    with service.Session() as session:
        assert session.scalar(select(func.count(Score.id)).where(
            Score.submission_id == first)) == 2


@pytest.mark.slow
def test_parallel_burst_on_real_server(tmp_path, pg):
    data_dir = make_data_dir(tmp_path / "lb", daily_limit=1000, tasks=("dna-splice",))
    lines = ["student_id,name,team,token"] + [f"p{i},P {i},,ptok-{i}" for i in range(16)]
    (data_dir / "roster.csv").write_text("\n".join(lines) + "\n")
    data = csv_bytes("id,label", answers(data_dir, "dna-splice").items())

    def run(i: int) -> list[int]:
        with httpx.Client(timeout=60) as http:
            return [http.post(f"{url}/api/tasks/dna-splice/submissions",
                              headers=auth(f"ptok-{i}"), files={"file": ("p.csv", data)}
                              ).json()["id"] for _ in range(4)]

    with running_server(data_dir, extra_args=["--database-url", pg],
                        log=tmp_path / "server.log") as (url, _):
        with ThreadPoolExecutor(16) as pool:
            accepted = [i for ids in pool.map(run, range(16)) for i in ids]
    engine = create_engine(pg)
    with engine.connect() as conn:
        stored = set(conn.scalars(select(Submission.id).where(
            Submission.participant_id.is_not(None))))
    engine.dispose()
    assert len(accepted) == 64 and stored == set(accepted)
