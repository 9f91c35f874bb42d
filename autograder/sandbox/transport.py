"""Runs a submission's graded code in a sandboxed worker and talks to it over two pipes.

The worker is `autograder/runtime/session.py`, copied into a private scratch directory together
with the submission's graded source. Requests and answers are length-prefixed frames on
dedicated pipes (not stdout), so whatever the student prints cannot be mistaken for an answer.
Student output goes to a capped file outside the sandbox. A request that outlives its deadline
kills the worker (and everything it started: its cgroup, or its process group); the next
request starts a fresh one. `restart()` starts a fresh worker on purpose (hidden tests run in a
worker that never saw the public ones, and the other way round). Closing always completes: the
scratch directory is removed however deep or read-only it is, and a failure to clean up is
reported on stderr, never as the student's problem.
"""

from __future__ import annotations

import atexit
import functools
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

from autograder.adapter import UNREADABLE, SubmissionCrashed, SubmissionTimeout
from autograder.runtime import session as session_module
from autograder.runtime.limits import DecodeLimits
from autograder.sandbox import seccomp
from autograder.sandbox.cgroup import Cgroup, CgroupManager, Limits, limits_note
from autograder.sandbox.policy import (
    WARNING_ROOT,
    SandboxPolicy,
    bwrap_available,
    bwrap_command,
    bwrap_supports,
    can_drop_root,
    drop_root_in_child,
    sandbox_env,
    sandbox_uid,
    set_limits,
)

STARTUP_SECONDS = 60.0


@functools.cache
def cgroups() -> CgroupManager:
    """This grading process's cgroup base (created once, removed at exit)."""
    manager = CgroupManager()
    atexit.register(manager.close)
    return manager


@functools.cache
def isolation_warnings() -> tuple[str, ...]:
    """What is weaker than it should be on this machine (printed once per grading process)."""
    notes = [n for n in [limits_note(cgroups())] if n]
    if not seccomp.seccomp_available():
        notes.append("WARNING: libseccomp or its binding (pyseccomp) is missing: the worker "
                     "may use mount, ptrace, unshare, bpf... (install libseccomp2 and pyseccomp)")
    if bwrap_available() and not bwrap_supports("--size"):
        notes.append("WARNING: this bubblewrap is older than 0.8 (no --size): the sandbox's "
                     "scratch space and /tmp are unsized tmpfs (only the memory cgroup bounds "
                     "them)")
    if os.geteuid() == 0 and not bwrap_available() and not can_drop_root():
        notes.append(WARNING_ROOT.format(python=sys.executable))
    for note in notes:
        print(note, file=sys.stderr)
    return tuple(notes)


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
        self.cgroup: Cgroup | None = None
        self.warnings = isolation_warnings()

    # -- lifecycle -------------------------------------------------------------------------
    def _spawn(self, deadline: float | None) -> None:
        scratch = self.dir / f"scratch{self.generation}"
        scratch.mkdir()
        if self.files_dir is not None:
            shutil.copytree(self.files_dir, scratch, dirs_exist_ok=True)
        shutil.copy(session_module.__file__, scratch / "session.py")
        (scratch / "submission.py").write_text(self.source, encoding="utf-8",
                                               errors="surrogatepass")
        if os.geteuid() == 0 and (self.backend == "bwrap" or can_drop_root()):
            for path in (scratch, scratch / "session.py", scratch / "submission.py"):
                os.chown(path, sandbox_uid(), sandbox_uid())
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        inner = [sys.executable, "-I", "-B", "session.py", "submission.py", str(req_r),
                 str(rep_w), ",".join(self.preload)]
        self.cgroup = self._make_cgroup()
        self._filter = (seccomp.build_filter() if self.backend != "bwrap" and _has_seccomp()
                        else None)
        bpf = seccomp.export_bpf() if self.backend == "bwrap" and _has_seccomp() else None
        fds = (req_r, rep_w) if bpf is None else (req_r, rep_w, bpf.fileno())
        cmd = (bwrap_command(self.policy, scratch, inner, bpf and bpf.fileno())
               if self.backend == "bwrap" else inner)
        out = open(self.output_path, "ab")  # noqa: SIM115 - handed to the child
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=fds,
                cwd=scratch, env=sandbox_env(), start_new_session=True,
                preexec_fn=self._preexec)
        finally:
            out.close()
            if bpf is not None:
                bpf.close()
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
        self.load_errors = self._hello_errors(hello)

    def _hello_errors(self, frame: bytes) -> list:
        """The load errors the worker reports when it is ready (read with the same caps as
        any answer: student code ran before it and may have written the frame)."""
        try:
            value = session_module.unpack(frame, session_module.Codec(), DecodeLimits())["value"]
            errors = value["errors"]
            if not isinstance(errors, list):
                raise TypeError("errors is not a list")
        except UNREADABLE + (AttributeError,) as err:
            self.kill()
            self.broken = f"your code's process sent a malformed start-up message ({err})"[:300]
            raise SubmissionCrashed(self.broken) from None
        return errors

    def _make_cgroup(self) -> Cgroup | None:
        manager = cgroups()
        if not manager.available:
            return None
        limits = Limits(self.policy.memory_mb * 1024 * 1024, self.policy.max_processes,
                        self.policy.cpus)
        try:
            return manager.create(f"{id(self)}-{self.generation}", limits)
        except OSError as err:  # the grader goes on with per-process limits, and says so
            print(f"WARNING: could not create the worker's cgroup ({err}): per-process limits "
                  "only for this worker", file=sys.stderr)
            return None

    def _preexec(self) -> None:
        """In the child before exec: join the cgroup, set rlimits; rlimit backend: also
        drop root and load the seccomp filter (bubblewrap does both itself)."""
        if self.cgroup is not None:
            self.cgroup.join()
        set_limits(self.policy)
        if self.backend != "bwrap":
            drop_root_in_child()
            if self._filter is not None:
                self._filter.load()

    def restart(self) -> None:
        """Start the next request in a fresh worker (nothing of the current one carries over)."""
        if self.proc is not None:
            self.kill()

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
        if self.cgroup is not None:
            self.cgroup.remove()  # every process the worker started, wherever its group
            self.cgroup = None
        for fd in (self.req_w, self.rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None
        self.generation += 1
        self.restarts += 1

    def close(self) -> None:
        """Stop the worker and remove its files; never raises (cleanup never costs a grade)."""
        try:
            self.kill()
        except Exception as err:  # noqa: BLE001 - reported to the instructor, not the student
            print(f"coursekit: stopping a worker failed: {err!r}", file=sys.stderr)
        if not remove_tree(self.dir):
            print(f"coursekit: could not remove {self.dir}", file=sys.stderr)

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
        memory_hit = self.cgroup is not None and self.cgroup.memory_peak_hit()
        self.kill()
        raise SubmissionCrashed(describe_exit(code, self.policy, memory_hit))

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


def _has_seccomp() -> bool:
    return seccomp.seccomp_available()


def remove_tree(path: Path) -> bool:
    """Remove a directory tree whatever it holds (read-only entries, thousands of levels);
    True when it is gone. Never raises."""
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        return True
    except (OSError, RecursionError):
        try:
            _remove_flat(Path(path))
        except OSError:
            pass
    return not os.path.lexists(path)


def _remove_flat(top: Path) -> None:
    """Delete in linear time at any depth: every subdirectory is first moved up to `top` (so
    no path grows long and nothing recurses), made writable, emptied and removed."""
    pending, count = [top], 0
    while pending:
        folder = pending.pop()
        os.chmod(folder, 0o700)
        with os.scandir(folder) as entries:
            items = list(entries)
        for entry in items:
            if entry.is_dir(follow_symlinks=False):
                count += 1
                moved = top / f".rm-{count}"
                os.rename(entry.path, moved)
                pending.append(moved)
            else:
                os.unlink(entry.path)
        if folder != top:
            pending.insert(0, folder) if any(os.scandir(folder)) else os.rmdir(folder)
    shutil.rmtree(top)


def describe_exit(code: int, policy: SandboxPolicy, memory_hit: bool = False) -> str:
    """Say in words why the worker stopped, and what to do about it."""
    if memory_hit:
        return (f"your code's process was killed: together its processes and files used more "
                f"than the {policy.memory_mb} MB memory limit")
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
