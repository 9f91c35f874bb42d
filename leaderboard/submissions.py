"""Accepting submissions: validation, deadline, the daily limit and final picks.

An upload is validated first; an invalid one is rejected with every problem listed and is
neither stored nor counted. A valid one is stored, bytes and `pending` status together, in
one transaction, and only then queued for scoring, so a crash can never lose it. The daily
limit counts a team's accepted submissions since local midnight in the instructor's zone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from leaderboard.models import Participant, Submission, Team, utcnow
from leaderboard.validate import ValidationReport, validate_submission

if TYPE_CHECKING:
    from leaderboard.service import LeaderboardService, LoadedTask


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


def used_today(session: Session, service: LeaderboardService, team_id: int, task: str,
               now_utc: dt.datetime | None = None) -> int:
    """Accepted submissions of `team_id` for `task` in today's local window."""
    start, _ = day_window(service.config.tz, now_utc or utcnow())
    return session.scalar(select(func.count(Submission.id)).where(
        Submission.team_id == team_id, Submission.task == task,
        Submission.created_at >= start)) or 0


def remaining_today(session: Session, service: LeaderboardService, team_id: int,
                    task: LoadedTask) -> int:
    """How many more submissions the team may make today."""
    return max(0, task.rules.daily_limit - used_today(session, service, team_id, task.spec.name))


def store_submission(session: Session, task: str, team_id: int, participant_id: int | None,
                     data: bytes, filename: str, description: str) -> Submission:
    """Add a `pending` submission holding `data` (the caller commits)."""
    submission = Submission(task=task, team_id=team_id, participant_id=participant_id,
                            created_at=utcnow(), filename=filename[:255],
                            description=description[:500], status="pending", content=data,
                            content_sha256=hashlib.sha256(data).hexdigest())
    session.add(submission)
    session.flush()
    return submission


def is_closed(task: LoadedTask, now_utc: dt.datetime | None = None) -> bool:
    """Whether the task's deadline has passed."""
    now = (now_utc or utcnow()).replace(tzinfo=dt.UTC)
    return now >= task.rules.deadline


def accept_submission(service: LeaderboardService, person: Participant, task_name: str,
                      data: bytes, filename: str = "", description: str = ""
                      ) -> tuple[Submission, ValidationReport, int]:
    """Validate and store an upload; return (submission, report, remaining today)."""
    task = service.task(task_name)
    if task is None:
        raise SubmissionRejected(404, f"no task {task_name!r}; open tasks: "
                                      f"{', '.join(service.tasks)}")
    if is_closed(task):
        raise SubmissionRejected(403, f"submissions for {task_name} closed at "
                                      f"{task.rules.deadline.isoformat()}")
    report = validate_submission(task_name, data, task.expected_ids, filename=filename,
                                 max_bytes=service.config.max_upload_bytes)
    if not report.ok:
        raise SubmissionRejected(422, "the submission is invalid and was not counted; fix "
                                      "the problems listed and upload again", report.problems)
    with service.write_lock, service.Session.begin() as session:
        session.get(Team, person.team_id, with_for_update=True)
        left = remaining_today(session, service, person.team_id, task)
        if left <= 0:
            _, reset = day_window(service.config.tz, utcnow())
            raise SubmissionRejected(429, f"your team has used all {task.rules.daily_limit} "
                                          f"submissions for {task_name} today; the limit resets "
                                          f"at midnight {service.config.timezone} "
                                          f"({reset.isoformat()} UTC)")
        submission = store_submission(session, task_name, person.team_id, person.id, data,
                                      filename, description)
    service.worker.enqueue(submission.id)
    return submission, report, left - 1


def select_final(service: LeaderboardService, person: Participant, task_name: str,
                 submission_ids: list[int]) -> list[int]:
    """Make `submission_ids` the team's final picks for the task (replacing earlier picks)."""
    task = service.task(task_name)
    if task is None:
        raise SubmissionRejected(404, f"no task {task_name!r}")
    if is_closed(task):
        raise SubmissionRejected(403, "the deadline has passed; final picks are locked")
    ids = sorted(set(submission_ids))
    if len(ids) > task.rules.final_picks:
        raise SubmissionRejected(422, f"pick at most {task.rules.final_picks} submissions "
                                      f"(you picked {len(ids)})")
    with service.write_lock, service.Session.begin() as session:
        owned = set(session.scalars(select(Submission.id).where(
            Submission.team_id == person.team_id, Submission.task == task_name,
            Submission.id.in_(ids))))
        unknown = [i for i in ids if i not in owned]
        if unknown:
            raise SubmissionRejected(404, f"your team has no {task_name} submission(s) "
                                          f"{unknown}")
        session.execute(update(Submission).where(
            Submission.team_id == person.team_id, Submission.task == task_name)
            .values(selected=Submission.id.in_(ids) if ids else False))
    return ids
