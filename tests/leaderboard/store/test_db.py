"""The database engine: a v1 database (no per-team numbers) is upgraded when opened."""

from __future__ import annotations

import sqlite3

from leaderboard.store.db import make_engine
from leaderboard.store.models import Submission


def test_v1_database_gets_team_numbers(tmp_path):
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as conn:  # the v1 submissions table (no team_seq), some uploads
        conn.execute("CREATE TABLE submissions (id INTEGER PRIMARY KEY, task VARCHAR(50), "
                     "team_id INTEGER, participant_id INTEGER, created_at DATETIME, "
                     "filename VARCHAR(255), description VARCHAR(500), status VARCHAR(16), "
                     "selected BOOLEAN, content BLOB, content_sha256 VARCHAR(64), error TEXT, "
                     "scored_at DATETIME, public_score FLOAT, private_score FLOAT, "
                     "ci_low FLOAT, ci_high FLOAT)")
        for team in (1, 2, 1, 1, 2):
            conn.execute("INSERT INTO submissions (task, team_id, created_at, filename, "
                         "description, status, selected, content, content_sha256) VALUES "
                         "('t', ?, '2026-01-01 00:00:00', '', '', 'scored', 0, x'', '')",
                         (team,))
    engine = make_engine(f"sqlite:///{path}")
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        numbers = [(s.team_id, s.team_seq) for s in session.query(Submission).order_by("id")]
    engine.dispose()
    assert numbers == [(1, 1), (2, 1), (1, 2), (1, 3), (2, 2)]
