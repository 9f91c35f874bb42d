"""Which sandbox limits hold on this machine: a hostile probe under each configuration.

For the bubblewrap and rlimit backends, with and without cgroups, it runs one worker that tries:
running as root, a nested user namespace, mount, ptrace, filling the scratch folder, /tmp and
/dev/shm past the sandbox's disk size, four processes that together exceed the memory limit,
and shared memory past it. Each line says "held" or "NOT held". Files the probe writes outside
a sandbox (rlimit backend) go to a folder of its own that it removes.

    .venv/bin/python bench/sandbox_probe.py             # as root, on the grading machine
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.adapter import Adapter, SubmissionCrashed
from autograder.sandbox import SandboxPolicy, SandboxTransport, bwrap_available
from autograder.sandbox import transport as transport_module

MEMORY_MB, DISK_MB = 384, 64

PROBE = r'''
import ctypes, mmap, os, subprocess, sys, time
LIBC = ctypes.CDLL(None, use_errno=True)

def uid():
    return os.getuid()

def userns():
    return LIBC.unshare(0x10000000) != 0

def mount():
    os.makedirs("mnt", exist_ok=True)
    return LIBC.mount(b"none", b"mnt", b"tmpfs", 0, None) != 0

def ptrace():
    child = os.fork()
    if child == 0:
        time.sleep(30)
        os._exit(0)
    try:
        return LIBC.ptrace(16, child, 0, 0) != 0
    finally:
        os.kill(child, 9)

def fill(folder, mb):
    os.makedirs(folder, exist_ok=True)
    chunk, n = b"x" * (1 << 20), 0
    try:
        for i in range(mb):
            with open(os.path.join(folder, "f%d" % i), "wb") as fh:
                fh.write(chunk)
            n += 1
    except OSError:
        pass
    return n

def processes(n, mb):
    code = f"b = bytearray({mb} << 20); import time; time.sleep(60)"
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(n)]
    time.sleep(4)
    alive = sum(p.poll() is None for p in procs)
    for p in procs:
        p.kill()
    return alive

def shm(mb):
    m = mmap.mmap(-1, mb << 20, flags=mmap.MAP_SHARED)
    for i in range(0, len(m), 4096):
        m[i] = 1
    return True
'''


def probe(backend: str, outside: Path) -> list[tuple[str, bool]]:
    transport = SandboxTransport(PROBE, SandboxPolicy(backend=backend, memory_mb=MEMORY_MB,
                                                      disk_mb=DISK_MB))
    sub = Adapter(transport)
    sub.set_time_limit(60)
    over = 2 * DISK_MB
    tmp = str(outside / "tmp") if backend == "rlimit" else "/tmp/probe"
    shm_dir = str(outside / "shm") if backend == "rlimit" else "/dev/shm/probe"
    try:
        rows = [("runs as a uid other than root", sub.call("uid") != 0),
                ("nested user namespace refused", sub.call("userns")),
                ("mount refused", sub.call("mount")),
                ("ptrace refused", sub.call("ptrace")),
                (f"scratch folder capped at {DISK_MB} MB", sub.call("fill", "fill", over) < over),
                (f"/tmp capped at {DISK_MB} MB", sub.call("fill", tmp, over) < over),
                (f"/dev/shm capped at {DISK_MB} MB", sub.call("fill", shm_dir, over) < over),
                (f"4 x 150 MB processes vs {MEMORY_MB} MB", sub.call("processes", 4, 150) < 4)]
        try:
            sub.call("shm", 2 * MEMORY_MB)
            rows.append((f"shared memory past {MEMORY_MB} MB", False))
        except SubmissionCrashed:
            rows.append((f"shared memory past {MEMORY_MB} MB", True))
    finally:
        transport.close()
    return rows


def main() -> int:
    backends = (["bwrap"] if bwrap_available() else []) + ["rlimit"]
    print("| configuration | limit | result |\n|---|---|---|")
    for backend in backends:
        for cgroups in (True, False):
            if cgroups:
                os.environ.pop("COURSEKIT_NO_CGROUPS", None)
            else:
                os.environ["COURSEKIT_NO_CGROUPS"] = "1"
            transport_module.cgroups.cache_clear()
            outside = Path(tempfile.mkdtemp(prefix="coursekit-probe-"))
            os.chmod(outside, 0o777)
            try:
                rows = probe(backend, outside)
            finally:
                shutil.rmtree(outside, ignore_errors=True)
            label = f"{backend}, {'cgroups' if transport_module.cgroups().available else 'no cgroups'}"
            for what, held in rows:
                print(f"| {label} | {what} | {'held' if held else '**NOT held**'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
