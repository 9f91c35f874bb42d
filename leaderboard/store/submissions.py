"""Accepting submissions: deadline, validation, the daily limits and final picks.

The database enforces the daily limits, so they hold with any number of server processes on
SQLite or PostgreSQL. Each team has one `DailyUsage` row per task and local day (the
instructor's time zone); an upload claims a slot with one guarded statement,
`UPDATE daily_usage SET accepted = accepted + 1 WHERE ... AND accepted < limit`, in the same
transaction that stores the submission. PostgreSQL locks the row, so a concurrent claim waits
and re-checks the guard after the first commits; SQLite lets one writer in at a time (the
claim is the transaction's first write, so `busy_timeout` queues the others). A claim that
updates no row is the 429.

An invalid upload is rejected with every problem listed and is not stored, but it counts
against a separate, larger per-team limit of rejected uploads (`invalid_daily_limit`), so
nobody can keep the server busy validating junk. A valid one is stored, bytes and `pending`
status together, and numbered within its team (`team_seq`), and only then queued for scoring.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from leaderboard.scoring.validate import ValidationReport
from leaderboard.store.models import DailyUsage, Participant, Submission, utcnow
from leaderboard.tasks.loaded import LoadedTask


class SubmissionRejected(Exception):
    """An upload or request that was refused; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


def day_window(tz: dt.tzinfo, now_utc: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of the instructor's local day containing `now_utc`, as naive UTC."""
    local = now_utc.replace(tzinfo=dt.UTC).astimezone(tz)
    start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return (start.astimezone(dt.UTC).replace(tzinfo=None),
            end.astimezone(dt.UTC).replace(tzinfo=None))


def local_day(tz: dt.tzinfo, now_utc: dt.datetime | None = None) -> str:
    """The instructor's local date (YYYY-MM-DD) at `now_utc` (default: now)."""
    return (now_utc or utcnow()).replace(tzinfo=dt.UTC).astimezone(tz).date().isoformat()


def usage_today(session: Session, team_id: int, task: str, tz: dt.tzinfo) -> tuple[int, int]:
    """(accepted, rejected) uploads of the team to the task today."""
    row = session.get(DailyUsage, (team_id, task, local_day(tz)))
    return (row.accepted, row.rejected) if row else (0, 0)


def remaining_today(session: Session, task: LoadedTask, team_id: int, tz: dt.tzinfo) -> int:
    """How many more submissions the team may make today."""
    return max(0, task.rules.daily_limit - usage_today(session, team_id, task.name, tz)[0])


def _ensure_usage_row(session: Session, team_id: int, task: str, day: str) -> None:
    values = {"team_id": team_id, "task": task, "day": day, "accepted": 0, "rejected": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(DailyUsage).values(**values).on_conflict_do_nothing())


def claim_slot(session: Session, team_id: int, task: str, day: str, column: str,
               limit: int) -> bool:
    """Count one upload in `column` ("accepted"/"rejected") unless the limit is reached."""
    _ensure_usage_row(session, team_id, task, day)
    counter = getattr(DailyUsage, column)
    done = session.execute(update(DailyUsage).where(
        DailyUsage.team_id == team_id, DailyUsage.task == task, DailyUsage.day == day,
        counter < limit).values({column: counter + 1}))
    return done.rowcount == 1


def store_submission(session: Session, task: str, team_id: int, participant_id: int | None,
                     data: bytes, filename: str, description: str) -> Submission:
    """Add a `pending` submission holding `data`, numbered within the team (caller commits)."""
    last = session.scalar(select(func.max(Submission.team_seq)).where(
        Submission.team_id == team_id, Submission.task == task)) or 0
    submission = Submission(task=task, team_id=team_id, team_seq=last + 1,
                            participant_id=participant_id, created_at=utcnow(),
                            filename=filename[:255], description=description[:500],
                            status="pending", content=data,
                            content_sha256=hashlib.sha256(data).hexdigest())
    session.add(submission)
    session.flush()
    return submission


def is_closed(task: LoadedTask, now_utc: dt.datetime | None = None) -> bool:
    """Whether the task's deadline has passed."""
    now = (now_utc or utcnow()).replace(tzinfo=dt.UTC)
    return now >= task.rules.deadline


def _limit_reached(what: str, limit: int, task: LoadedTask, tz: dt.tzinfo) -> SubmissionRejected:
    _, reset = day_window(tz, utcnow())
    return SubmissionRejected(429, f"your team has used all {limit} {what} for {task.name} "
                                   f"today; the limit resets at midnight {tz} "
                                   f"({reset.isoformat()} UTC)")


def _reject_invalid(Session: sessionmaker, task: LoadedTask, team_id: int, tz: dt.tzinfo,
                    report: ValidationReport) -> SubmissionRejected:
    limit = task.rules.invalid_daily_limit
    with Session.begin() as session:
        if not claim_slot(session, team_id, task.name, local_day(tz), "rejected", limit):
            return _limit_reached("invalid uploads", limit, task, tz)
        left = limit - usage_today(session, team_id, task.name, tz)[1]
    return SubmissionRejected(422, f"the submission is invalid and was not scored; fix the "
                                   f"problems listed and upload again (it counts against your "
                                   f"team's {limit} invalid uploads a day: {left} left)",
                              report.problems)


def accept_submission(Session: sessionmaker, task: LoadedTask, person: Participant,
                      data: bytes, filename: str, description: str, tz: dt.tzinfo,
                      max_bytes: int) -> tuple[Submission, ValidationReport, int]:
    """Validate and store an upload; return (submission, report, remaining today)."""
    if is_closed(task):
        raise SubmissionRejected(403, f"submissions for {task.name} closed at "
                                      f"{task.rules.deadline.isoformat()}")
    with Session() as session:
        rejected = usage_today(session, person.team_id, task.name, tz)[1]
    if rejected >= task.rules.invalid_daily_limit:  # refuse before spending CPU on it
        raise _limit_reached("invalid uploads", task.rules.invalid_daily_limit, task, tz)
    report = task.spec.validate(data, task.expected_ids, filename=filename, max_bytes=max_bytes)
    if not report.ok:
        raise _reject_invalid(Session, task, person.team_id, tz, report)
    limit = task.rules.daily_limit
    with Session.begin() as session:
        if not claim_slot(session, person.team_id, task.name, local_day(tz), "accepted", limit):
            raise _limit_reached("submissions", limit, task, tz)
        submission = store_submission(session, task.name, person.team_id, person.id, data,
                                      filename, description)
        left = limit - usage_today(session, person.team_id, task.name, tz)[0]
    return submission, report, left


def select_final(Session: sessionmaker, task: LoadedTask, person: Participant,
                 submission_ids: list[int]) -> list[int]:
    """Make `submission_ids` the team's final picks for the task (replacing earlier picks)."""
    if is_closed(task):
        raise SubmissionRejected(403, "the deadline has passed; final picks are locked")
    ids = sorted(set(submission_ids))
    if len(ids) > task.rules.final_picks:
        raise SubmissionRejected(422, f"pick at most {task.rules.final_picks} submissions "
                                      f"(you picked {len(ids)})")
    with Session.begin() as session:
        owned = set(session.scalars(select(Submission.id).where(
            Submission.team_id == person.team_id, Submission.task == task.name,
            Submission.id.in_(ids))))
        unknown = [i for i in ids if i not in owned]
        if unknown:
            raise SubmissionRejected(404, f"your team has no {task.name} submission(s) "
                                          f"{unknown}")
        session.execute(update(Submission).where(
            Submission.team_id == person.team_id, Submission.task == task.name)
            .values(selected=Submission.id.in_(ids) if ids else False))
    return ids
