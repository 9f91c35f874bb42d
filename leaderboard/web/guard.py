"""Refuse oversized and unauthenticated uploads before their bodies are read.

`UploadGuard` is an ASGI middleware in front of the app. For a request whose Content-Length
exceeds the limit it answers 413 at once, with a message naming the limit; for an upload
(`POST .../submissions`) without a known token it answers 401 at once. Neither reads or
spools a byte of the body. Bodies without a Content-Length (chunked) are counted as they
stream by FastAPI's own `max_body_size` limit, which the app also sets.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

MULTIPART_OVERHEAD = 64 * 1024  # form field names, boundaries and the description


class UploadGuard:
    """ASGI middleware: 413 by Content-Length, 401 for uploads without a valid token."""

    def __init__(self, app: ASGIApp, max_body_bytes: int,
                 token_is_known: Callable[[str], bool]) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.token_is_known = token_is_known

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            refusal = self._refusal(scope)
            if refusal is not None:
                await _send_json(send, *refusal)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            limit = (self.max_body_bytes - MULTIPART_OVERHEAD) / 1e6
            return 413, (f"the upload is {int(length) / 1e6:.1f} MB; the limit is {limit:.1f} "
                         "MB. Submit only the id and prediction columns.")
        if scope["method"] == "POST" and scope["path"].endswith("/submissions"):
            auth = headers.get("authorization", "")
            if not auth.lower().startswith("bearer "):
                return 401, "send your token as the header 'Authorization: Bearer <token>'"
            if not self.token_is_known(auth[7:].strip()):
                return 401, "unknown token; check the token your instructor sent you"
        return None


async def _send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
