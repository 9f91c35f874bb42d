"""Database tables of the leaderboard (SQLAlchemy 2.x declarative models).

Times are stored as naive UTC. An accepted upload is one `Submission` row holding the file's
bytes with status `pending` and its number within the team (`team_seq`: a team's first upload
to a task is #1); scoring adds a `Score` row (history is kept, the newest one is current) and
copies its headline numbers onto the submission for fast board queries. `DailyUsage` counts
each team's accepted and rejected uploads per task and local day; the daily limits are
enforced by a guarded update of that row (see `leaderboard.store.submissions`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship


def utcnow() -> dt.datetime:
    """Current time as naive UTC (what the tables store)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of the leaderboard tables."""


class Team(Base):
    """A team (a student without a team is a team of one); baselines are teams too."""

    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    members: Mapped[list[Participant]] = relationship(back_populates="team")


class Participant(Base):
    """A student from the roster; `token_hash` is the sha256 of their secret token."""

    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    team: Mapped[Team] = relationship(back_populates="members")


class Submission(Base):
    """One accepted upload (invalid uploads are counted in `DailyUsage`, never stored)."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("team_id", "task", "team_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(50), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    team_seq: Mapped[int] = mapped_column(Integer, default=1)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    content_sha256: Mapped[str] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    scored_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    public_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    private_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    ci_low: Mapped[float | None] = mapped_column(Float, nullable=True)
    ci_high: Mapped[float | None] = mapped_column(Float, nullable=True)
    team: Mapped[Team] = relationship()


class DailyUsage(Base):
    """Uploads of one team to one task on one local day (the instructor's time zone)."""

    __tablename__ = "daily_usage"
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    task: Mapped[str] = mapped_column(String(50), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, local
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class Score(Base):
    """One scoring run of a submission, with everything needed to reproduce it.

    `per_row` is {"public": sorted row scores, "private": sorted row scores}: no row ids,
    predictions or order, so the table does not reveal the split or the labels.
    """

    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    scorer_version: Mapped[str] = mapped_column(String(100))
    solution_hash: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    public_metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    per_row: Mapped[dict[str, list[float]]] = deferred(mapped_column(JSON))
