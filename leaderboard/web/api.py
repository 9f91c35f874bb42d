"""The JSON API: tasks, boards, uploads, a team's submissions, final picks, admin views.

Students authenticate with `Authorization: Bearer <token>`; `/api/admin/...` needs the
instructor token. Uploads are size-capped and token-checked before their body is read
(`leaderboard.web.guard`); an upload is validated in a worker thread, so a large file does not
hold up other requests. Each answer gives the team's own submission number (`number`, 1, 2,
...) next to the global `id` used in URLs and final picks.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import select

from leaderboard.rescore import rescore
from leaderboard.store.models import Score, Submission, Team
from leaderboard.store.standings import final_board, public_board, standings_csv
from leaderboard.store.submissions import (
    SubmissionRejected,
    accept_submission,
    day_window,
    is_closed,
    remaining_today,
    select_final,
    usage_today,
)
from leaderboard.tasks.loaded import LoadedTask
from leaderboard.web.deps import Service, Student, lookup_task, require_instructor

router = APIRouter(prefix="/api")


class FinalPicks(BaseModel):
    """Submission ids to count for the final standings."""

    submission_ids: list[int]


class RescoreRequest(BaseModel):
    """Which submissions to rescore: all of a task, or the listed ids."""

    task: str | None = None
    submission_ids: list[int] | None = None


def task_info(task: LoadedTask) -> dict[str, Any]:
    spec, rules = task.spec, task.rules
    return {"name": spec.name, "title": spec.title, "metrics": list(spec.metrics),
            "primary_metric": spec.primary_metric, "formats": list(spec.formats),
            "header": ",".join(spec.header), "deadline": rules.deadline.isoformat(),
            "daily_limit": rules.daily_limit, "final_picks": rules.final_picks,
            "invalid_daily_limit": rules.invalid_daily_limit,
            "closed": is_closed(task), "test_rows": len(task.expected_ids)}


@router.get("/tasks")
def list_tasks(service: Service) -> list[dict[str, Any]]:
    return [task_info(t) for t in service.tasks.values()]


@router.get("/tasks/{task_name}/board")
def board(task_name: str, service: Service) -> dict[str, Any]:
    task = lookup_task(service, task_name)
    closed = is_closed(task)
    with service.Session() as session:
        rows = final_board(session, task) if closed else public_board(session, task)
    return {"task": task_info(task), "final": closed, "rows": [r.as_dict() for r in rows]}


def submission_view(sub: Submission, metrics: dict | None, reveal: bool) -> dict[str, Any]:
    out = {"id": sub.id, "number": sub.team_seq, "task": sub.task,
           "created_at": sub.created_at.isoformat() + "Z",
           "filename": sub.filename, "description": sub.description, "status": sub.status,
           "selected": sub.selected, "public_score": sub.public_score, "ci_low": sub.ci_low,
           "ci_high": sub.ci_high, "public_metrics": (metrics or {}).get("public")}
    if sub.status == "failed":
        out["error"] = "scoring failed; the instructor has been told (rescore will retry)"
    if reveal:
        out["private_score"] = sub.private_score
        out["private_metrics"] = (metrics or {}).get("private")
    return out


def _latest_metrics(session, ids: list[int]) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for sid, pub, priv in session.execute(
            select(Score.submission_id, Score.public_metrics, Score.private_metrics)
            .where(Score.submission_id.in_(ids)).order_by(Score.id)):
        latest[sid] = {"public": pub, "private": priv}
    return latest


@router.post("/tasks/{task_name}/submissions", status_code=202)
def submit(task_name: str, service: Service, person: Student,
           file: Annotated[UploadFile, File(description="CSV or JSONL predictions")],
           description: Annotated[str, Form()] = "") -> dict[str, Any]:
    task = lookup_task(service, task_name)
    limit = service.config.max_upload_bytes
    data = file.file.read(limit + 1)
    try:
        sub, report, left = accept_submission(service.Session, task, person, data,
                                              file.filename or "", description,
                                              service.config.tz, limit)
    except SubmissionRejected as err:
        raise HTTPException(err.status, {"message": err.message, "problems": err.problems}) \
            from None
    service.worker.enqueue(sub.id)
    return {"id": sub.id, "number": sub.team_seq, "status": sub.status, "remaining_today": left,
            "notes": report.notes, "message": "accepted; scoring in the background"}


@router.get("/tasks/{task_name}/submissions")
def my_submissions(task_name: str, service: Service, person: Student) -> dict[str, Any]:
    task = lookup_task(service, task_name)
    reveal = is_closed(task)
    with service.Session() as session:
        subs = list(session.scalars(select(Submission).where(
            Submission.team_id == person.team_id, Submission.task == task_name)
            .order_by(Submission.id.desc())))
        metrics = _latest_metrics(session, [s.id for s in subs])
        accepted, rejected = usage_today(session, person.team_id, task_name, service.config.tz)
    return {"remaining_today": max(0, task.rules.daily_limit - accepted),
            "daily_limit": task.rules.daily_limit,
            "invalid_left_today": max(0, task.rules.invalid_daily_limit - rejected),
            "invalid_daily_limit": task.rules.invalid_daily_limit,
            "final_picks": task.rules.final_picks,
            "submissions": [submission_view(s, metrics.get(s.id), reveal) for s in subs]}


@router.get("/submissions/{submission_id}")
def one_submission(submission_id: int, service: Service, person: Student) -> dict[str, Any]:
    with service.Session() as session:
        sub = session.get(Submission, submission_id)
        if sub is None or sub.team_id != person.team_id:
            raise HTTPException(404, f"your team has no submission {submission_id}")
        metrics = _latest_metrics(session, [sub.id]).get(sub.id)
    task = service.task(sub.task)
    return submission_view(sub, metrics, bool(task and is_closed(task)))


@router.put("/tasks/{task_name}/final")
def pick_final(task_name: str, picks: FinalPicks, service: Service,
               person: Student) -> dict[str, Any]:
    task = lookup_task(service, task_name)
    try:
        ids = select_final(service.Session, task, person, picks.submission_ids)
    except SubmissionRejected as err:
        raise HTTPException(err.status, err.message) from None
    return {"selected": ids}


@router.get("/me")
def me(service: Service, person: Student) -> dict[str, Any]:
    with service.Session() as session:
        team = session.get(Team, person.team_id)
        tasks = {name: {"remaining_today": remaining_today(session, task, team.id,
                                                           service.config.tz),
                        "daily_limit": task.rules.daily_limit}
                 for name, task in service.tasks.items()}
    _, reset = day_window(service.config.tz, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return {"student_id": person.student_id, "name": person.name, "team": team.name,
            "tasks": tasks, "limits_reset_at_utc": reset.isoformat() + "Z",
            "timezone": service.config.timezone}


admin = APIRouter(prefix="/api/admin", dependencies=[Depends(require_instructor)])


@admin.get("/tasks/{task_name}/board")
def admin_board(task_name: str, service: Service) -> dict[str, Any]:
    task = lookup_task(service, task_name)
    with service.Session() as session:
        public = public_board(session, task, reveal_private=True)
        final = final_board(session, task)
    return {"public": [r.as_dict() for r in public], "final": [r.as_dict() for r in final]}


@admin.get("/tasks/{task_name}/standings.csv", response_class=PlainTextResponse)
def admin_standings(task_name: str, service: Service) -> PlainTextResponse:
    task = lookup_task(service, task_name)
    with service.Session() as session:
        text = standings_csv(final_board(session, task), task.spec.metrics)
    return PlainTextResponse(text, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{task_name}-standings.csv"'})


@admin.get("/tasks/{task_name}/submissions")
def admin_submissions(task_name: str, service: Service) -> list[dict[str, Any]]:
    lookup_task(service, task_name)
    with service.Session() as session:
        subs = session.scalars(select(Submission).where(Submission.task == task_name)
                               .order_by(Submission.id))
        return [{**submission_view(s, None, True), "team_id": s.team_id, "error": s.error}
                for s in subs]


@admin.post("/rescore")
def admin_rescore(request: RescoreRequest, service: Service) -> dict[str, Any]:
    counts = rescore(service.Session, service.tasks, task=request.task,
                     ids=request.submission_ids, progress=False)
    return {"rescored": sum(counts.values()), "statuses": counts}
