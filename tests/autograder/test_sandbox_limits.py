"""Limits that hold for the whole sandbox, not one process: cgroups (memory across processes and
shared memory, tmpfs size), the seccomp filter and nested user namespaces, cleanup."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from autograder.adapter import Adapter, SubmissionCrashed
from autograder.sandbox import SandboxPolicy, SandboxTransport, bwrap_available
from autograder.sandbox import cgroup as cg
from autograder.sandbox.transport import cgroups

needs_bwrap = pytest.mark.skipif(not bwrap_available(), reason="bubblewrap is not installed")
needs_cgroups = pytest.mark.skipif(not cgroups().available,
                                   reason="no cgroup access here (the grader warns loudly)")

HOSTILE = r'''
import ctypes, mmap, os, subprocess, sys, time

LIBC = ctypes.CDLL(None, use_errno=True)

def _result(ret):
    return "denied (errno %d)" % ctypes.get_errno() if ret != 0 else "allowed"

def nested_userns_then_mount():
    """A new user namespace gives mount rights inside it; both must be refused."""
    if LIBC.unshare(0x10000000 | 0x00020000) != 0:
        return _result(-1)
    os.makedirs("mnt", exist_ok=True)
    return "userns ok, mount " + _result(LIBC.mount(b"none", b"mnt", b"tmpfs", 0, None))

def ptrace_own_child():
    child = os.fork()
    if child == 0:
        time.sleep(30)
        os._exit(0)
    try:
        return _result(LIBC.ptrace(16, child, 0, 0))  # PTRACE_ATTACH
    finally:
        os.kill(child, 9)

def keyctl():
    return _result(LIBC.syscall(250, 0, 0, 0, 0, 0))  # keyctl (x86_64 number)

def processes_holding(n, mb):
    """n processes each holding mb MiB: together past the limit, each one under it."""
    code = f"b = bytearray({mb} << 20); import time; time.sleep(60)"
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(n)]
    time.sleep(4)
    return sum(p.poll() is None for p in procs)

def shared_memory(mb):
    m = mmap.mmap(-1, mb << 20, flags=mmap.MAP_SHARED)
    for i in range(0, len(m), 4096):
        m[i] = 1
    return "held"

def fill(folder, mb):
    chunk, written = b"x" * (1 << 20), 0
    try:
        for i in range(mb):
            with open(os.path.join(folder, "f%d" % i), "wb") as fh:
                fh.write(chunk)
            written += 1
    except OSError:
        pass
    return written

def daemon():
    """A grandchild in its own session: killing the worker's process group misses it."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(300)
        os._exit(0)
    time.sleep(0.5)
    return [int(p) for p in os.listdir("/proc") if p.isdigit() and p != str(os.getpid())]

def deep_tree(depth):
    for _ in range(depth):
        os.mkdir("d")
        os.chdir("d")
    open("leaf", "w").close()
    os.chmod(".", 0o500)
    return depth
'''

ARCH_OK = os.uname().machine == "x86_64"


@pytest.fixture
def hostile():
    transport = SandboxTransport(HOSTILE, SandboxPolicy(memory_mb=400, disk_mb=64))
    adapter = Adapter(transport)
    adapter.set_time_limit(30)
    yield adapter
    transport.close()


@needs_bwrap
def test_nested_user_namespaces_and_mounts_are_refused(hostile):
    assert hostile.call("nested_userns_then_mount").startswith("denied")


@needs_bwrap
def test_seccomp_denies_ptrace_and_keyctl(hostile):
    assert hostile.call("ptrace_own_child").startswith("denied")
    if ARCH_OK:
        assert hostile.call("keyctl").startswith("denied")


@needs_bwrap
def test_scratch_and_tmp_are_sized_tmpfs_not_the_host_disk(hostile):
    for folder in ("/tmp", ".", "/dev/shm"):
        assert hostile.call("fill", folder, 200) < 65, folder


@needs_bwrap
@needs_cgroups
def test_memory_limit_holds_across_processes(hostile):
    # 4 x 150 MiB = 600 MiB against 400 MiB: RLIMIT_DATA alone lets all four live.
    assert hostile.call("processes_holding", 4, 150) < 4


@needs_bwrap
@needs_cgroups
def test_memory_limit_covers_shared_memory(hostile):
    with pytest.raises(SubmissionCrashed, match="memory limit"):
        hostile.call("shared_memory", 600)
    assert hostile.call("fill", "/tmp", 1) == 1  # a fresh worker answers again


def test_cleanup_completes_for_deep_read_only_trees(tmp_path: Path):
    transport = SandboxTransport(HOSTILE, SandboxPolicy(backend="rlimit", memory_mb=400))
    adapter = Adapter(transport)
    adapter.set_time_limit(60)
    try:
        assert adapter.call("deep_tree", 1100) == 1100  # Python 3.11 rmtree recursed: failed
    finally:
        transport.close()
    assert not transport.dir.exists()


@needs_cgroups
def test_no_process_outlives_its_worker():
    """Even without bubblewrap's PID namespace (rlimit backend) the worker's cgroup is emptied."""
    transport = SandboxTransport(HOSTILE, SandboxPolicy(backend="rlimit", memory_mb=400))
    adapter = Adapter(transport)
    adapter.set_time_limit(20)
    try:
        adapter.call("daemon")
        assert transport.cgroup is not None
        inside = transport.cgroup.pids()
        assert len(inside) >= 2  # the worker and the daemon
    finally:
        transport.close()
    time.sleep(0.2)
    assert not [pid for pid in inside if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_without_cgroups_the_grader_says_which_limits_are_weaker(monkeypatch):
    monkeypatch.setenv("COURSEKIT_NO_CGROUPS", "1")
    note = cg.limits_note(cg.CgroupManager())
    assert note and "RLIMIT_DATA" in note and "per uid" in note


def test_cgroup_v1_and_v2_files(tmp_path: Path):
    """Both interfaces get the same limits (checked on a fake tree: this host has one kind)."""
    v2 = tmp_path / "v2"
    v2.mkdir()
    cg.Cgroup(2, [v2]).apply(cg.Limits(512 << 20, 64, 1.5))
    assert (v2 / "memory.max").read_text() == str(512 << 20)
    assert (v2 / "pids.max").read_text() == "64"
    assert (v2 / "cpu.max").read_text() == "150000 100000"
    mem, pids = tmp_path / "memory" / "w", tmp_path / "pids" / "w"
    for d, files in ((mem, ("memory.limit_in_bytes", "memory.memsw.limit_in_bytes")),
                     (pids, ("pids.max",))):
        d.mkdir(parents=True)
        for f in files:
            (d / f).write_text("")
    cg.Cgroup(1, [mem, pids]).apply(cg.Limits(512 << 20, 64, 1.0))
    assert (mem / "memory.memsw.limit_in_bytes").read_text() == str(512 << 20)
    assert (pids / "pids.max").read_text() == "64"


def test_seccomp_filter_is_built_by_libseccomp():
    from autograder.sandbox import seccomp

    if not seccomp.seccomp_available():
        pytest.skip("libseccomp is not installed (the grader warns loudly)")
    with seccomp.export_bpf() as bpf:
        program = bpf.read()
    assert program and len(program) % 8 == 0  # struct sock_filter instructions


def test_cgroup_v2_manager_on_a_fake_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The v2 path (this host may only have v1): base under the mount with controllers enabled,
    one child per worker with its limits, delegation to a plain user, cleanup."""
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids")
    (tmp_path / "cgroup.subtree_control").write_text("")
    monkeypatch.setattr(cg, "MOUNT", tmp_path)
    monkeypatch.delenv(cg.ENV_BASE, raising=False)
    monkeypatch.delenv("COURSEKIT_NO_CGROUPS", raising=False)
    assert cg.version() == 2
    manager = cg.CgroupManager()
    (base,) = manager.bases
    assert (base / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    group = manager.create("1-0", cg.Limits(256 << 20, 32, 1.0))
    assert group.dirs[0].name == f"w{manager.token}-1-0"
    assert (group.dirs[0] / "memory.max").read_text() == str(256 << 20)
    assert (group.dirs[0] / "memory.swap.max").read_text() == "0"
    (group.dirs[0] / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.memory_peak_hit()
    for f in [*group.dirs[0].iterdir(), base / "cgroup.subtree_control"]:
        f.unlink()  # a real cgroupfs has no files to delete
    manager.close()
    assert not base.exists()
