"""The FastAPI application: API routes, web pages and the scoring worker's lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from leaderboard.service import LeaderboardService
from leaderboard.web.api import admin, router
from leaderboard.web.guard import MULTIPART_OVERHEAD, UploadGuard
from leaderboard.web.pages import pages


def create_app(service: LeaderboardService, *, start_worker: bool = True) -> FastAPI:
    """An app serving `service`; the scoring worker runs while the app does."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if start_worker:
            service.start()
        try:
            yield
        finally:
            service.stop()

    body_limit = service.config.max_upload_bytes + MULTIPART_OVERHEAD
    app = FastAPI(title="coursekit leaderboard", version="2",
                  description="Prediction and summary competitions for a class.",
                  lifespan=lifespan, max_body_size=body_limit)
    app.add_middleware(UploadGuard, max_body_bytes=body_limit,
                       token_is_known=lambda token: service.participant_for(token) is not None)
    app.state.service = service
    app.include_router(router)
    app.include_router(admin)
    app.include_router(pages)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"ok": True, "tasks": list(service.tasks)}

    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory leaderboard.web.app:app_from_env`
    (data folder: $COURSEKIT_LEADERBOARD_DIR)."""
    import os

    data_dir = Path(os.environ.get("COURSEKIT_LEADERBOARD_DIR", "leaderboard-data"))
    return create_app(LeaderboardService.open(data_dir))
