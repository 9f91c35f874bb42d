"""Containment of the sandboxed worker: no network, nothing of the kit visible, limits hold."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.adapter import Adapter, SubmissionCrashed, SubmissionError, SubmissionTimeout
from autograder.build.builder import repo_root
from autograder.sandbox import SandboxPolicy, SandboxTransport, bwrap_available

needs_bwrap = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap is not installed")

PROBES = '''
import os, socket, time
import numpy as np

def connect():
    try:
        socket.create_connection(("1.1.1.1", 80), timeout=2)
        return "connected"
    except OSError as err:
        return "blocked: " + str(err)

def read(path):
    try:
        with open(path, "rb") as fh:
            return "read %d bytes" % len(fh.read())
    except OSError as err:
        return "denied: " + type(err).__name__

def write(path):
    try:
        with open(path, "w") as fh:
            fh.write("pwned")
        return "written"
    except OSError as err:
        return "denied: " + type(err).__name__

def uid():
    return os.getuid()

def spin():
    while True:
        pass

def fork_bomb():
    n = 0
    while True:
        try:
            os.fork()
            n += 1
        except OSError:
            time.sleep(0.01)

def hog(n_bytes):
    return len(bytearray(n_bytes))

def flood():
    while True:
        print("x" * 65536)

def die():
    os._exit(0)

def double(x):
    return 2 * np.asarray(x)

def prefix():
    import sys
    return sys.prefix
'''


@pytest.fixture
def sandbox():
    transport = SandboxTransport(PROBES, SandboxPolicy(memory_mb=512, max_file_mb=4),
                                 preload=("numpy",))
    adapter = Adapter(transport)
    adapter.set_time_limit(20)
    yield adapter
    transport.close()


@needs_bwrap
def test_no_network(sandbox):
    assert sandbox.call("connect").startswith("blocked")


@needs_bwrap
def test_kit_and_other_files_are_invisible(sandbox, tmp_path):
    root = repo_root()
    for secret in (root / "pyproject.toml", root / "autograder" / "grade" / "one.py",
                   tmp_path / "other-submission.ipynb", "/root/.bashrc", "/etc/shadow"):
        if hasattr(secret, "write_text") and not secret.exists():
            secret.write_text("{}")
        assert sandbox.call("read", str(secret)).startswith("denied"), secret


@needs_bwrap
def test_cannot_write_outside_scratch(sandbox):
    for target in ("/usr/pwned", "/etc/pwned", str(repo_root() / "pwned")):
        assert sandbox.call("write", target).startswith("denied"), target
    assert sandbox.call("write", "/sandbox/ok.txt") == "written"


@needs_bwrap
def test_runs_unprivileged(sandbox):
    assert sandbox.call("uid") != 0


def test_timeout_then_recovers(sandbox):
    assert sandbox.call("double", 1) == 2  # the worker is up: the 1 s below is the call's alone
    sandbox.set_time_limit(1)
    with pytest.raises(SubmissionTimeout):
        sandbox.call("spin")
    sandbox.set_time_limit(20)
    assert sandbox.call("double", [1, 2]).tolist() == [2, 4]


def test_memory_limit(sandbox):
    with pytest.raises((SubmissionError, SubmissionCrashed), match="MemoryError|memory"):
        sandbox.call("hog", 2 * 1024**3)
    assert sandbox.call("hog", 10 * 1024**2) == 10 * 1024**2


@needs_bwrap
def test_fork_bomb_is_contained(sandbox):
    sandbox.set_time_limit(3)
    with pytest.raises(SubmissionTimeout):
        sandbox.call("fork_bomb")
    sandbox.set_time_limit(20)
    assert sandbox.call("double", 3) == 6


def test_output_flood_is_stopped(sandbox):
    sandbox.set_time_limit(30)
    # Python ignores SIGXFSZ, so the capped write fails with EFBIG ("File too large").
    with pytest.raises((SubmissionCrashed, SubmissionError), match="File too large|more than 4 MB"):
        sandbox.call("flood")
    assert sandbox.call("double", 1) == 2


def test_exit_is_a_crash_not_a_pass(sandbox):
    with pytest.raises(SubmissionCrashed, match="exited"):
        sandbox.call("die")
    assert sandbox.call("double", np.ones(2)).tolist() == [2.0, 2.0]


def test_rlimit_backend_still_grades():
    transport = SandboxTransport("def f(x):\n    return x + 1\n", SandboxPolicy(backend="rlimit"))
    try:
        assert Adapter(transport).call("f", 1) == 2
    finally:
        transport.close()


def test_tmp_is_writable_and_files_can_be_read_back(sandbox):
    assert sandbox.call("write", "/tmp/scratch.txt") == "written"
    assert sandbox.call("write", "out.csv") == "written"
    assert sandbox.read_text("out.csv") == "pwned"


@needs_bwrap
def test_worker_uses_the_graders_python_environment(sandbox):
    import sys

    assert sandbox.call("prefix") == sys.prefix


def test_parents_of_a_checkout_under_tmp_are_traversable():
    from autograder.sandbox.policy import _parent_dirs

    assert _parent_dirs("/tmp/fresh/.venv") == ["--perms", "0755", "--dir", "/tmp",
                                                "--perms", "0755", "--dir", "/tmp/fresh"]
    assert _parent_dirs("/usr/lib/python3") == []
