"""REST API of the leaderboard (FastAPI; the schema is served at /openapi.json).

Reads of the public board need no token. Every write needs `Authorization: Bearer <token>`:
a student's token for submitting and picking finals, the instructor's for `/api/admin/...`.
A student only ever sees their own team's submissions, and private scores only after the
deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import select

from leaderboard.models import Participant, Score, Submission, Team
from leaderboard.rescore import rescore
from leaderboard.service import LeaderboardService, LoadedTask
from leaderboard.standings import final_board, public_board, standings_csv
from leaderboard.submissions import (
    SubmissionRejected,
    accept_submission,
    day_window,
    is_closed,
    remaining_today,
    select_final,
)

router = APIRouter(prefix="/api")


class FinalPicks(BaseModel):
    """Submission ids to count for the final standings."""

    submission_ids: list[int]


class RescoreRequest(BaseModel):
    """Which submissions to rescore: all of a task, or the listed ids."""

    task: str | None = None
    submission_ids: list[int] | None = None


def get_service(request: Request) -> LeaderboardService:
    return request.app.state.service


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(401, "send your token as the header 'Authorization: Bearer <token>'")
    return authorization[7:].strip()


def current_participant(service: Annotated[LeaderboardService, Depends(get_service)],
                        authorization: Annotated[str | None, Header()] = None) -> Participant:
    person = service.participant_for(_bearer(authorization))
    if person is None:
        raise HTTPException(401, "unknown token; check the token your instructor sent you")
    return person


def require_instructor(service: Annotated[LeaderboardService, Depends(get_service)],
                       authorization: Annotated[str | None, Header()] = None) -> None:
    if not service.is_instructor(_bearer(authorization)):
        raise HTTPException(403, "this endpoint needs the instructor token")


Service = Annotated[LeaderboardService, Depends(get_service)]
Student = Annotated[Participant, Depends(current_participant)]


def _task(service: LeaderboardService, name: str) -> LoadedTask:
    task = service.task(name)
    if task is None:
        raise HTTPException(404, f"no task {name!r}; tasks: {', '.join(service.tasks)}")
    return task


def task_info(task: LoadedTask) -> dict[str, Any]:
    spec, rules = task.spec, task.rules
    return {"name": spec.name, "title": spec.title, "metrics": list(spec.metrics),
            "primary_metric": spec.primary_metric, "formats": list(spec.formats),
            "header": ",".join(spec.header), "deadline": rules.deadline.isoformat(),
            "daily_limit": rules.daily_limit, "final_picks": rules.final_picks,
            "closed": is_closed(task), "test_rows": len(task.expected_ids)}


@router.get("/tasks")
def list_tasks(service: Service) -> list[dict[str, Any]]:
    return [task_info(t) for t in service.tasks.values()]


@router.get("/tasks/{task_name}/board")
def board(task_name: str, service: Service) -> dict[str, Any]:
    task = _task(service, task_name)
    closed = is_closed(task)
    with service.Session() as session:
        rows = final_board(session, task) if closed else public_board(session, task)
    return {"task": task_info(task), "final": closed, "rows": [r.as_dict() for r in rows]}


def submission_view(sub: Submission, metrics: dict | None, reveal: bool) -> dict[str, Any]:
    out = {"id": sub.id, "task": sub.task, "created_at": sub.created_at.isoformat() + "Z",
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
    data = file.file.read(service.config.max_upload_bytes + 1)
    try:
        sub, report, left = accept_submission(service, person, task_name, data,
                                              file.filename or "", description)
    except SubmissionRejected as err:
        raise HTTPException(err.status, {"message": err.message, "problems": err.problems}) \
            from None
    return {"id": sub.id, "status": sub.status, "remaining_today": left,
            "notes": report.notes, "message": "accepted; scoring in the background"}


@router.get("/tasks/{task_name}/submissions")
def my_submissions(task_name: str, service: Service, person: Student) -> dict[str, Any]:
    task = _task(service, task_name)
    reveal = is_closed(task)
    with service.Session() as session:
        subs = list(session.scalars(select(Submission).where(
            Submission.team_id == person.team_id, Submission.task == task_name)
            .order_by(Submission.id.desc())))
        metrics = _latest_metrics(session, [s.id for s in subs])
        left = remaining_today(session, service, person.team_id, task)
    return {"remaining_today": left, "daily_limit": task.rules.daily_limit,
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
    try:
        ids = select_final(service, person, task_name, picks.submission_ids)
    except SubmissionRejected as err:
        raise HTTPException(err.status, err.message) from None
    return {"selected": ids}


@router.get("/me")
def me(service: Service, person: Student) -> dict[str, Any]:
    with service.Session() as session:
        team = session.get(Team, person.team_id)
        tasks = {name: {"remaining_today": remaining_today(session, service, team.id, task),
                        "daily_limit": task.rules.daily_limit}
                 for name, task in service.tasks.items()}
    _, reset = day_window(service.config.tz, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return {"student_id": person.student_id, "name": person.name, "team": team.name,
            "tasks": tasks, "limits_reset_at_utc": reset.isoformat() + "Z",
            "timezone": service.config.timezone}


admin = APIRouter(prefix="/api/admin", dependencies=[Depends(require_instructor)])


@admin.get("/tasks/{task_name}/board")
def admin_board(task_name: str, service: Service) -> dict[str, Any]:
    task = _task(service, task_name)
    with service.Session() as session:
        public = public_board(session, task, reveal_private=True)
        final = final_board(session, task)
    return {"public": [r.as_dict() for r in public], "final": [r.as_dict() for r in final]}


@admin.get("/tasks/{task_name}/standings.csv", response_class=PlainTextResponse)
def admin_standings(task_name: str, service: Service) -> PlainTextResponse:
    task = _task(service, task_name)
    with service.Session() as session:
        text = standings_csv(final_board(session, task), task.spec.metrics)
    return PlainTextResponse(text, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{task_name}-standings.csv"'})


@admin.get("/tasks/{task_name}/submissions")
def admin_submissions(task_name: str, service: Service) -> list[dict[str, Any]]:
    _task(service, task_name)
    with service.Session() as session:
        subs = session.scalars(select(Submission).where(Submission.task == task_name)
                               .order_by(Submission.id))
        return [{**submission_view(s, None, True), "team_id": s.team_id, "error": s.error}
                for s in subs]


@admin.post("/rescore")
def admin_rescore(request: RescoreRequest, service: Service) -> dict[str, Any]:
    counts = rescore(service, task=request.task, ids=request.submission_ids, progress=False)
    return {"rescored": sum(counts.values()), "statuses": counts}
