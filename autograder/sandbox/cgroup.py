"""Limits for a whole sandbox (every process it starts, its tmpfs and shared memory): cgroups.

RLIMIT_DATA and RLIMIT_NPROC are per process / per uid, so several processes, shared mappings or
a tmpfs add up past them. A cgroup counts all of it. Both kernel interfaces exist in the wild:
- v2 (unified, `/sys/fs/cgroup/cgroup.controllers`): memory.max + memory.swap.max, pids.max,
  cpu.max, cgroup.kill;
- v1 (one hierarchy per controller, e.g. `/sys/fs/cgroup/memory`): memory.limit_in_bytes +
  memory.memsw.limit_in_bytes, pids.max, cpu.cfs_quota_us.
The grader creates a base cgroup beneath its own (v1) or at the top of the tree (v2), and one
child per worker. A grader that is not root can use a base prepared for it:
`COURSEKIT_CGROUP_BASE` holds the base directories, `os.pathsep`-separated (what `delegate`
sets up for a batch started as root). With no cgroup access `limits_note()` says what is weaker.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000
ENV_BASE = "COURSEKIT_CGROUP_BASE"


@dataclass
class Limits:
    memory_bytes: int
    max_processes: int
    cpus: float


class Cgroup:
    """One cgroup (v2: one directory; v1: one directory per controller) for one worker."""

    def __init__(self, version: int, dirs: list[Path]):
        self.version = version
        self.dirs = dirs

    def apply(self, limits: Limits) -> None:
        if self.version == 2:
            d = self.dirs[0]
            _write(d / "memory.max", limits.memory_bytes)
            _write(d / "memory.swap.max", 0, optional=True)
            _write(d / "pids.max", limits.max_processes)
            _write(d / "cpu.max", f"{int(CPU_PERIOD_US * limits.cpus)} {CPU_PERIOD_US}",
                   optional=True)
            return
        for d in self.dirs:
            kind = d.parts[len(MOUNT.parts)] if d.is_relative_to(MOUNT) else d.name
            if kind == "memory" or (d / "memory.limit_in_bytes").exists():
                _write(d / "memory.limit_in_bytes", limits.memory_bytes)
                _write(d / "memory.memsw.limit_in_bytes", limits.memory_bytes, optional=True)
            if (d / "pids.max").exists():
                _write(d / "pids.max", limits.max_processes)
            if (d / "cpu.cfs_quota_us").exists():
                _write(d / "cpu.cfs_period_us", CPU_PERIOD_US)
                _write(d / "cpu.cfs_quota_us", int(CPU_PERIOD_US * limits.cpus))

    def join(self, pid: int | None = None) -> None:
        """Move a process (default: the caller) and its future children into this cgroup."""
        for d in self.dirs:
            _write(d / "cgroup.procs", pid or os.getpid())

    def pids(self) -> list[int]:
        out: set[int] = set()
        for d in self.dirs:
            try:
                out.update(int(x) for x in (d / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(out)

    def memory_peak_hit(self) -> bool:
        """Whether the kernel killed a process here for memory (for a clearer message)."""
        if self.version == 2:
            return _counter(self.dirs[0] / "memory.events", "oom_kill") > 0
        return any(_counter(d / "memory.oom_control", "oom_kill") > 0 for d in self.dirs)

    def kill(self, timeout: float = 5.0) -> None:
        """SIGKILL every process inside, until none is left (forks racing the kill included)."""
        if self.version == 2 and (self.dirs[0] / "cgroup.kill").exists():
            _write(self.dirs[0] / "cgroup.kill", 1, optional=True)
        end = time.monotonic() + timeout
        while (pids := self.pids()) and time.monotonic() < end:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill what is left and remove the directories (never raises)."""
        self.kill()
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _counter(path: Path, key: str) -> int:
    """A `key value` line of a cgroup statistics file (0 when absent or unreadable)."""
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _write(path: Path, value: object, optional: bool = False) -> None:
    try:
        with open(path, "w") as fh:
            fh.write(str(value))
    except OSError:
        if not optional:
            raise


def version() -> int | None:
    """2 on a unified hierarchy, 1 when v1 controllers are mounted, None without cgroups."""
    if (MOUNT / "cgroup.controllers").exists():
        return 2
    if (MOUNT / "memory" / "cgroup.procs").exists():
        return 1
    return None


def _own_path(controller: str | None) -> str:
    """This process's cgroup path in the hierarchy of `controller` (None: the v2 one)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller is None and names == "") or controller in names.split(","):
            return path.lstrip("/")
    return ""


def base_dirs(ver: int) -> list[Path]:
    """Where this grader creates worker cgroups (created if needed)."""
    if os.environ.get(ENV_BASE):
        return [Path(p) for p in os.environ[ENV_BASE].split(os.pathsep) if p]
    name = f"coursekit-{os.getpid()}-{secrets.token_hex(4)}"  # PIDs repeat across namespaces
    if ver == 2:
        base = MOUNT / name
        base.mkdir(exist_ok=True)
        _write(MOUNT / "cgroup.subtree_control", "+memory +pids +cpu", optional=True)
        _write(base / "cgroup.subtree_control", "+memory +pids +cpu")
        return [base]
    dirs = []
    for controller in V1_CONTROLLERS:
        root = MOUNT / controller
        if not (root / "cgroup.procs").exists():
            continue
        base = root / _own_path(controller) / name
        base.mkdir(exist_ok=True)
        dirs.append(base)
    return dirs


class CgroupManager:
    """Creates one cgroup per worker under this grader's base; knows why it could not."""

    def __init__(self) -> None:
        self.version = version()
        self.problem: str | None = None
        self.bases: list[Path] = []
        self.owned_bases = not os.environ.get(ENV_BASE)
        self.token = secrets.token_hex(4)  # names this grader's worker cgroups in a shared base
        if os.environ.get("COURSEKIT_NO_CGROUPS"):
            self.problem = "cgroups turned off by COURSEKIT_NO_CGROUPS"
            return
        if self.version is None:
            self.problem = "no cgroup file system is mounted at /sys/fs/cgroup"
            return
        try:
            self.bases = base_dirs(self.version)
        except OSError as err:
            self.problem = f"cannot create cgroups under {MOUNT} ({err.strerror})"

    @property
    def available(self) -> bool:
        return bool(self.bases)

    def create(self, name: str, limits: Limits) -> Cgroup:
        """A worker cgroup `w<token>-<name>` in every base, with its limits applied."""
        dirs = [base / f"w{self.token}-{name}" for base in self.bases]
        for d in dirs:
            try:
                d.mkdir()
            except FileExistsError:
                pass
        group = Cgroup(self.version or 1, dirs)
        group.apply(limits)
        return group

    def close(self) -> None:
        """Remove what this grader created: leftover worker cgroups (killing what is left in
        them), then its base. Never raises."""
        for base in self.bases:
            try:
                children = [p for p in base.iterdir() if p.is_dir()]
            except OSError:
                children = []
            for child in children:
                if child.name.startswith(f"w{self.token}-"):  # this grader's own
                    Cgroup(self.version or 1, [child]).remove()
            if self.owned_bases:
                try:
                    base.rmdir()
                except OSError:
                    pass


def delegate(uid: int, gid: int) -> tuple[dict[str, str], CgroupManager | None]:
    """As root: a base cgroup the unprivileged grader (uid) may create worker cgroups in.

    Returns the environment variables to hand to it and the manager (close it at the end);
    v2 also gets a `grader` leaf that the grading process joins (see `join_grader_leaf`)."""
    manager = CgroupManager()
    if not manager.available:
        return {}, None
    for base in manager.bases:
        os.chown(base, uid, gid)
        for name in ("cgroup.procs", "tasks", "cgroup.subtree_control", "cgroup.threads"):
            if (base / name).exists():
                os.chown(base / name, uid, gid)
        if manager.version == 2:
            (base / "grader").mkdir(exist_ok=True)
    return {ENV_BASE: os.pathsep.join(str(b) for b in manager.bases)}, manager


def join_grader_leaf(env: dict[str, str]) -> None:
    """v2 only (no-op on v1): in the child, before dropping root, join the delegated base's
    `grader` leaf so that moving workers stays inside the delegated subtree."""
    for base in filter(None, env.get(ENV_BASE, "").split(os.pathsep)):
        leaf = Path(base) / "grader"
        if leaf.is_dir():
            _write(leaf / "cgroup.procs", os.getpid())


def limits_note(manager: CgroupManager) -> str | None:
    """A loud note when the sandbox as a whole is not limited, saying what is weaker."""
    if manager.available:
        return None
    return (f"WARNING: no cgroup access ({manager.problem}): memory is limited per process "
            "(RLIMIT_DATA), so several processes, shared memory or tmpfs files can together "
            "exceed it; the process count is limited per uid (RLIMIT_NPROC) and CPU only as "
            "CPU time per process. Run the grader as root, or give it a delegated cgroup "
            f"(set {ENV_BASE}), for whole-sandbox limits.")
