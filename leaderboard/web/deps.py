"""FastAPI dependencies shared by the API and the pages: the service, the caller, the task."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from leaderboard.service import LeaderboardService
from leaderboard.store.models import Participant
from leaderboard.tasks.loaded import LoadedTask


def get_service(request: Request) -> LeaderboardService:
    """The service the app was created with."""
    return request.app.state.service


def bearer(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header (401 without one)."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(401, "send your token as the header 'Authorization: Bearer <token>'")
    return authorization[7:].strip()


def current_participant(service: Annotated[LeaderboardService, Depends(get_service)],
                        authorization: Annotated[str | None, Header()] = None) -> Participant:
    """The roster student whose token was sent (401 otherwise)."""
    person = service.participant_for(bearer(authorization))
    if person is None:
        raise HTTPException(401, "unknown token; check the token your instructor sent you")
    return person


def require_instructor(service: Annotated[LeaderboardService, Depends(get_service)],
                       authorization: Annotated[str | None, Header()] = None) -> None:
    """403 unless the instructor token was sent."""
    if not service.is_instructor(bearer(authorization)):
        raise HTTPException(403, "this endpoint needs the instructor token")


def lookup_task(service: LeaderboardService, name: str) -> LoadedTask:
    """The loaded task `name` (404 naming the tasks that exist)."""
    task = service.task(name)
    if task is None:
        raise HTTPException(404, f"no task {name!r}; tasks: {', '.join(service.tasks)}")
    return task


Service = Annotated[LeaderboardService, Depends(get_service)]
Student = Annotated[Participant, Depends(current_participant)]
