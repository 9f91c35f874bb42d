"""Command-line client of a running leaderboard server (httpx): submit, wait, show the board."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

DEFAULT_SERVER = "http://127.0.0.1:8000"


class ClientError(Exception):
    """The server refused a request; the message says why and what to do."""


def server_url(url: str | None) -> str:
    return (url or os.environ.get("COURSEKIT_LEADERBOARD_URL") or DEFAULT_SERVER).rstrip("/")


def resolve_token(token: str | None) -> str:
    token = token or os.environ.get("COURSEKIT_LEADERBOARD_TOKEN")
    if not token:
        raise ClientError("no token: pass --token or set COURSEKIT_LEADERBOARD_TOKEN")
    return token


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = response.text
    if isinstance(detail, dict):
        lines = [str(detail.get("message", ""))] + [f"  - {p}" for p in detail.get("problems", [])]
        detail = "\n".join(lines)
    raise ClientError(f"server answered {response.status_code}: {detail}")


def submit_file(server: str, token: str, task: str, path: Path, description: str = "",
                timeout: float = 60.0) -> dict[str, Any]:
    """Upload `path` for `task`; return the server's answer (id, status, remaining_today)."""
    with httpx.Client(base_url=server, timeout=timeout) as client:
        with path.open("rb") as handle:
            response = client.post(f"/api/tasks/{task}/submissions",
                                   headers={"Authorization": f"Bearer {token}"},
                                   files={"file": (path.name, handle)},
                                   data={"description": description})
        _raise_for(response)
        return response.json()


def wait_scored(server: str, token: str, submission_id: int, timeout: float = 300.0
                ) -> dict[str, Any]:
    """Poll a submission until it is no longer pending (or `timeout` seconds pass)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=server, timeout=30.0) as client:
        while True:
            response = client.get(f"/api/submissions/{submission_id}",
                                  headers={"Authorization": f"Bearer {token}"})
            _raise_for(response)
            data = response.json()
            if data["status"] != "pending" or time.monotonic() > deadline:
                return data
            time.sleep(0.5)


def fetch_board(server: str, task: str) -> dict[str, Any]:
    """The public board (or final standings after the deadline) of `task`."""
    with httpx.Client(base_url=server, timeout=30.0) as client:
        response = client.get(f"/api/tasks/{task}/board")
        _raise_for(response)
        return response.json()
