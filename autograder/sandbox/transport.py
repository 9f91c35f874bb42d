"""Runs a submission's graded code in a sandboxed worker and talks to it over two pipes.

The worker is `autograder/runtime/session.py`, copied into a private scratch directory together
with the submission's graded source. Requests and answers are length-prefixed frames on
dedicated pipes (not stdout), so whatever the student prints cannot be mistaken for an answer.
Student output goes to a capped file outside the sandbox. A request that outlives its deadline
kills the worker (and everything it started); the next request starts a fresh one.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.adapter import SubmissionCrashed, SubmissionTimeout
from autograder.runtime import session as session_module
from autograder.sandbox.policy import (
    SandboxPolicy,
    bwrap_command,
    sandbox_env,
    sandbox_uid,
    set_limits,
)

STARTUP_SECONDS = 60.0


class SandboxTransport:
    """One sandboxed worker per submission, restarted after a timeout or crash."""

    def __init__(self, source: str, policy: SandboxPolicy, preload: tuple[str, ...] = (),
                 files_dir: Path | None = None):
        self.source = source
        self.files_dir = files_dir  # the assignment's data files, copied next to the code
        self.policy = policy
        self.preload = preload
        self.backend = policy.resolved_backend()
        self.generation = 0
        self.proc: subprocess.Popen | None = None
        self.load_errors: list[dict] = []
        self.restarts = 0
        self.broken: str | None = None
        self.dir = Path(tempfile.mkdtemp(prefix="coursekit-grade-"))
        self.output_path = self.dir / "student-output.txt"

    # -- lifecycle -------------------------------------------------------------------------
    def _spawn(self, deadline: float | None) -> None:
        scratch = self.dir / f"scratch{self.generation}"
        scratch.mkdir()
        if self.files_dir is not None:
            shutil.copytree(self.files_dir, scratch, dirs_exist_ok=True)
        shutil.copy(session_module.__file__, scratch / "session.py")
        (scratch / "submission.py").write_text(self.source, encoding="utf-8")
        if os.geteuid() == 0 and self.backend == "bwrap":
            for path in (scratch, scratch / "session.py", scratch / "submission.py"):
                os.chown(path, sandbox_uid(), sandbox_uid())
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        inner = [sys.executable, "-I", "-B", "session.py", "submission.py", str(req_r),
                 str(rep_w), ",".join(self.preload)]
        cmd = bwrap_command(self.policy, scratch, inner) if self.backend == "bwrap" else inner
        out = open(self.output_path, "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(req_r, rep_w),
            cwd=scratch, env=sandbox_env(), start_new_session=True,
            preexec_fn=self._preexec)
        out.close()
        os.close(req_r)
        os.close(rep_w)
        self.req_w, self.rep_r = req_w, rep_r
        start_deadline = time.monotonic() + STARTUP_SECONDS
        if deadline is not None:
            start_deadline = min(start_deadline, deadline)
        try:
            hello = self._read_frame(start_deadline)
        except SubmissionTimeout:
            self.broken = "your code did not finish loading in time (a long computation " \
                "in an UPPER_CASE constant or a class body?)"
            raise SubmissionTimeout(self.broken) from None
        self.load_errors = session_module.unpack(hello, session_module.Codec())["value"]["errors"]

    def _preexec(self) -> None:
        set_limits(self.policy)

    def _ensure(self, deadline: float | None) -> None:
        if self.proc is None:
            self._spawn(deadline)

    def kill(self) -> None:
        """Stop the worker and everything it started; the next request starts a new one."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.kill()
        self.proc.wait()
        for fd in (self.req_w, self.rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None
        self.generation += 1
        self.restarts += 1

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- requests --------------------------------------------------------------------------
    def request(self, frame: bytes, deadline: float | None) -> bytes:
        if self.broken:
            raise SubmissionCrashed(self.broken)
        self._ensure(deadline)
        try:
            _write_all(self.req_w, frame)
            return self._read_frame(deadline)
        except BrokenPipeError:
            self._died()
            raise AssertionError("unreachable") from None

    def _read_frame(self, deadline: float | None) -> bytes:
        head = self._read_exact(16, deadline)
        header_len, data_len = struct.unpack("<QQ", head)
        if header_len + data_len > session_module.MAX_MESSAGE:
            self.kill()
            raise SubmissionCrashed("your code sent back an oversized answer")
        return head + self._read_exact(header_len + data_len, deadline)

    def _read_exact(self, n: int, deadline: float | None) -> bytes:
        chunks, left = [], n
        while left:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.rep_r], [], [], timeout)
            if not ready:
                self.kill()
                raise SubmissionTimeout("your code ran past this test's time limit (stopped)")
            chunk = os.read(self.rep_r, min(left, 1 << 20))
            if not chunk:
                self._died()
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _died(self) -> None:
        assert self.proc is not None
        code = self.proc.wait()
        self.kill()
        raise SubmissionCrashed(describe_exit(code, self.policy))

    def output_tail(self, limit: int = 2000) -> str:
        try:
            with open(self.output_path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - limit))
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def describe_exit(code: int, policy: SandboxPolicy) -> str:
    """Say in words why the worker stopped, and what to do about it."""
    if code > 128 and code - 128 in signal.Signals._value2member_map_:
        code = -(code - 128)  # bubblewrap reports a signal as 128 + its number
    if code < 0:
        sig = signal.Signals(-code).name
        hints = {"SIGKILL": f"killed (often the {policy.memory_mb} MB memory limit)",
                 "SIGXFSZ": f"stopped: it wrote more than {policy.max_file_mb} MB (output flood?)",
                 "SIGXCPU": "stopped: it used up its CPU time",
                 "SIGSEGV": "crashed with a segmentation fault"}
        return f"your code's process was {hints.get(sig, 'stopped by ' + sig)}"
    if code == 0:
        return "your code's process exited (os._exit(0)?) before answering"
    return f"your code's process exited with status {code} (os._exit or a crash?)"
