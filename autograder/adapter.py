"""The trusted side of the grading protocol: what tests use to reach a student's code.

Tests get an `Adapter` (the `sub` and `ref` fixtures) and never import student code. An adapter
talks to a transport: `InProcessTransport` runs a `Session` in this process (self-check, and the
trusted reference), `autograder.sandbox.SandboxTransport` runs it in a sandboxed worker. Both pass
every request and answer through the same serialisation, so a test behaves the same either way.
"""

from __future__ import annotations

import time
import zipfile
from typing import Any, Protocol

from autograder.runtime.limits import DecodeLimits
from autograder.runtime.session import Codec, Session, _answer, pack, unpack

UNREADABLE = (ValueError, TypeError, KeyError, IndexError, RecursionError, EOFError, OSError,
              zipfile.BadZipFile, MemoryError)


class SubmissionError(Exception):
    """The student's code raised an exception."""

    def __init__(self, what: str, error: dict):
        if not isinstance(error, dict):
            error = {"type": "Error", "message": str(error)[:2000]}
        self.error = error
        tb = str(error.get("traceback") or "").rstrip()
        detail = f"\n{_student_frames(tb)}" if tb else ""
        super().__init__(f"{what} raised {error.get('type')}: {error.get('message')}{detail}")


class SubmissionTimeout(Exception):
    """The student's code ran past the test's time limit."""


class SubmissionCrashed(Exception):
    """The student's process died (memory limit, a crash, os._exit, output flood...)."""


def _student_frames(tb: str) -> str:
    lines = tb.splitlines()
    return "\n".join(lines[-8:-1]) if len(lines) > 1 else ""


class Transport(Protocol):
    def request(self, frame: bytes, deadline: float | None) -> bytes: ...

    @property
    def generation(self) -> int: ...


class InProcessTransport:
    """Runs requests against a namespace in this process (no isolation, no time limit)."""

    generation = 0

    def __init__(self, namespace: dict, source: str = ""):
        self.session = Session(namespace, source)

    def request(self, frame: bytes, deadline: float | None) -> bytes:
        return _answer(self.session, unpack(frame, self.session.codec))

    def close(self) -> None:
        pass


class Handle:
    """A student object that stays on the student side; methods and attributes by name."""

    def __init__(self, adapter: Adapter, handle_id: int, type_name: str, generation: int):
        self._coursekit_handle_id = handle_id
        self._adapter = adapter
        self.type_name = type_name
        self.generation = generation

    def __repr__(self) -> str:
        return f"<student {self.type_name} #{self._coursekit_handle_id}>"

    def _op(self, op: str, name: str = "", *args: Any, **kwargs: Any) -> Any:
        if self.generation != self._adapter.transport.generation:
            raise SubmissionCrashed(
                f"{self!r} was lost when the student's process restarted after an earlier failure"
            )
        what = f"{self.type_name}.{name}" if name else f"{self.type_name}.{op}"
        req = {"op": op, "handle": self._coursekit_handle_id, "name": name,
               "args": list(args), "kwargs": kwargs}
        return self._adapter._send(req, what)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self._op("hcall", method, *args, **kwargs)

    def get(self, attr: str) -> Any:
        return self._op("hget", attr)

    def set(self, attr: str, value: Any) -> None:
        self._op("hset", attr, value)

    def state_dict(self) -> dict:
        return self._op("state_dict")

    def load_state_dict(self, state: dict) -> str:
        return self._op("load_state_dict", "", state)

    def train(self, mode: bool = True) -> None:
        self._op("train", "", mode)

    def eval(self) -> None:
        self._op("train", "", False)

    def backward(self, method: str, *args: Any, grad_output: Any = None, **kwargs: Any) -> dict:
        return self._op("backward", method, *args, grad_output=grad_output, **kwargs)


class Adapter:
    """The `sub`/`ref` fixture: calls into a namespace of code through a transport."""

    def __init__(self, transport: Transport, label: str = "your code"):
        self.transport = transport
        self.label = label
        self.deadline: float | None = None
        self.codec = Codec(resolve=self._make_handle)

    def _make_handle(self, tree: dict) -> Handle:
        return Handle(self, tree["__h__"], tree.get("type", "object"), self.transport.generation)

    def _send(self, request: dict, what: str) -> Any:
        frame = pack({"value": request}, self.codec)
        answer = self.transport.request(frame, self.deadline)
        try:  # decoding is trusted CPU: capped, and it counts against the test's deadline
            reply = unpack(answer, self.codec, DecodeLimits())
        except UNREADABLE as err:
            raise SubmissionCrashed(f"{what} sent back an answer the grader cannot read "
                                    f"({type(err).__name__}: {str(err)[:200]})") from None
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SubmissionTimeout("your code ran past this test's time limit (its answer "
                                    "took too long to read)")
        if not isinstance(reply, dict):
            raise SubmissionCrashed(f"{what} sent back a malformed answer")
        if not reply.get("ok"):
            raise SubmissionError(what, reply.get("error", {}))
        return reply.get("value")

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._send({"op": "call", "name": name, "args": list(args), "kwargs": kwargs},
                          f"{name}()")

    def new(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._send({"op": "new", "name": name, "args": list(args), "kwargs": kwargs},
                          f"{name}()")

    def get(self, name: str) -> Any:
        return self._send({"op": "get", "name": name}, name)

    def has(self, name: str) -> bool:
        return bool(self._send({"op": "has", "name": name}, name))

    def seed(self, seed: int) -> None:
        self._send({"op": "seed", "seed": int(seed)}, "seed")

    def source(self) -> str:
        return self._send({"op": "source"}, "source")

    def read_text(self, path: str, limit: int = 1 << 20) -> str:
        """Text of a file the student's code wrote (relative to its working directory)."""
        return self._send({"op": "read_text", "name": str(path), "limit": int(limit)},
                          f"reading {path}")

    def set_time_limit(self, seconds: float | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds
