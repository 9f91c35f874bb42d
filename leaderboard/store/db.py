"""Database engine for the leaderboard: SQLite (WAL) by default, PostgreSQL by URL.

SQLite connections switch on WAL (readers never block the writer), `synchronous=FULL` (a
committed submission survives a crash or power cut), a 30 s busy timeout and foreign keys.
PostgreSQL is used with any `postgresql+psycopg://user:pass@host/db` URL. A new SQLite file
is created owner-only (0600); SQLite gives its -wal and -shm files the same permissions.
A database written by leaderboard v1 is upgraded in place when opened: its submissions get
their per-team numbers (`team_seq`, in upload order) and the `daily_usage` table is created
(counting starts from the upgrade).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from leaderboard.store.models import Base


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000",
                   "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _private_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    path.chmod(0o600)


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for `url`; with `create`, the tables are created when missing."""
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=20, max_overflow=40)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif url.startswith("postgresql"):
        engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=40)
    else:
        raise ValueError(f"unsupported database URL {url!r}; use sqlite:///path/to/file.db or "
                         "postgresql+psycopg://user:password@host/dbname")
    if create:
        Base.metadata.create_all(engine)
        _upgrade_v1(engine)
    return engine


def _upgrade_v1(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("submissions")}
    if "team_seq" in columns:
        return
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE submissions ADD COLUMN team_seq INTEGER DEFAULT 1"))
        conn.execute(text(
            "UPDATE submissions SET team_seq = (SELECT COUNT(*) FROM submissions AS earlier "
            "WHERE earlier.team_id = submissions.team_id AND earlier.task = submissions.task "
            "AND earlier.id <= submissions.id)"))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
