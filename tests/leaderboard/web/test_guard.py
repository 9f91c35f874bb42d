"""Uploads are refused before their body is read: too large (413) or without a valid token
(401); bodies without a Content-Length are counted as they stream; rejected uploads have
their own daily limit."""

from __future__ import annotations

import asyncio

import pytest
from lb_helpers import auth, open_client, write_config

from leaderboard.web.guard import MULTIPART_OVERHEAD, UploadGuard


async def _never_called(scope, receive, send):  # the app behind the guard
    raise AssertionError("the app (and the body) must not be reached")


def _call(guard: UploadGuard, method: str, path: str, headers: dict[str, str]) -> dict:
    sent: list[dict] = []

    async def receive():
        raise AssertionError("the body must not be read")

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(guard(scope, receive, send))
    return {"status": sent[0]["status"], "body": sent[1]["body"].decode()}


@pytest.fixture
def guard() -> UploadGuard:
    return UploadGuard(_never_called, max_body_bytes=1_000_000 + MULTIPART_OVERHEAD,
                       token_is_known=lambda token: token == "tok-ok")


def test_oversized_upload_is_refused_from_its_content_length(guard):
    answer = _call(guard, "POST", "/api/tasks/dna-splice/submissions",
                   {"content-length": str(2**30), "authorization": "Bearer tok-ok"})
    assert answer["status"] == 413
    assert "1073.7 MB; the limit is 1.0 MB" in answer["body"]


def test_upload_without_a_valid_token_is_refused_before_the_body(guard):
    for headers in ({}, {"authorization": "Bearer nope"}):
        answer = _call(guard, "POST", "/api/tasks/dna-splice/submissions",
                       {"content-length": "5000", **headers})
        assert answer["status"] == 401 and "token" in answer["body"]


def test_streamed_body_over_the_limit_gets_413(data_dir):
    client, _ = open_client(data_dir)

    def chunks():  # no Content-Length: FastAPI's max_body_size counts the stream
        for _ in range(40):
            yield b"x" * 65536

    with client:
        answer = client.post("/api/tasks/dna-splice/submissions", content=chunks(),
                             headers={**auth("tok-carol"),
                                      "content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413


def test_rejected_uploads_have_their_own_daily_limit(data_dir):
    write_config(data_dir, daily_limit=5, invalid_daily_limit=2)
    client, _ = open_client(data_dir)
    junk = {"file": ("x.csv", b"nonsense")}
    with client:
        codes = [client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-dave"),
                             files=junk).status_code for _ in range(3)]
        refused = client.post("/api/tasks/dna-splice/submissions", headers=auth("tok-dave"),
                              files=junk).json()["detail"]["message"]
        other_team = client.post("/api/tasks/dna-splice/submissions",
                                 headers=auth("tok-carol"), files=junk).status_code
    assert codes == [422, 422, 429]
    assert "all 2 invalid uploads" in refused
    assert other_team == 422
