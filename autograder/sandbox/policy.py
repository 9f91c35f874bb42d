"""What a sandboxed student process may do, and how that is enforced on this machine.

Two backends:
- `bwrap` (bubblewrap): the worker sees only the system and Python installation read-only and a
  private scratch directory; no network, its own PID/IPC/UTS namespaces; when the grader is root
  it runs under a uid of its own (see `sandbox_uid`). Nothing of the repository, the hidden tests, the reference or other
  submissions is visible.
- `rlimit`: resource limits only, in a private working directory. Used when bubblewrap is
  missing; it is NOT a security boundary, and the grader says so loudly.
Both apply the same resource limits (memory, processes, file size, CPU time) per process, and
where the grader may create cgroups (see `autograder.sandbox.cgroup`) the same memory, process and
CPU limits for the sandbox as a whole. Both load a seccomp filter (`autograder.sandbox.seccomp`).
Under bubblewrap the scratch directory, /tmp and /dev/shm are tmpfs of `disk_mb` each (their pages count
against the memory cgroup), so a submission cannot fill the host's disk; nested user namespaces
are disabled (`--disable-userns` when the worker has its own user namespace, the seccomp filter
in every case).
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import site
import sys
from dataclasses import dataclass, field
from pathlib import Path

UID_BASE = 200000  # sandboxed workers run as UID_BASE + (grading process id % UID_SPAN)
UID_SPAN = 100000


def sandbox_uid() -> int:
    """A uid unused by anything else and distinct for concurrent graders, so that one
    submission's fork bomb exhausts only its own process limit (RLIMIT_NPROC is per uid)."""
    return UID_BASE + os.getpid() % UID_SPAN


@dataclass(frozen=True)
class SandboxPolicy:
    """Limits for one student process."""

    memory_mb: int = 2048
    max_processes: int = 256
    max_file_mb: int = 64
    cpu_seconds: int = 900
    disk_mb: int = 512  # size of the scratch tmpfs and of /tmp (bubblewrap)
    cpus: float = 1.0  # CPU share of the whole sandbox (cgroup)
    backend: str = "auto"  # "auto" | "bwrap" | "rlimit"
    extra_ro_paths: tuple[str, ...] = field(default_factory=tuple)

    def resolved_backend(self) -> str:
        if self.backend != "auto":
            return self.backend
        return "bwrap" if bwrap_available() else "rlimit"


def bwrap_available() -> bool:
    return shutil.which("bwrap") is not None and sys.platform.startswith("linux")


@functools.cache
def bwrap_supports(option: str) -> bool:
    """Whether the installed bubblewrap knows `option` (e.g. --disable-userns needs 0.8)."""
    import subprocess

    try:
        out = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return option in out.stdout + out.stderr


WARNING_NO_BWRAP = (
    "WARNING: bubblewrap (bwrap) is not installed: student code runs with resource limits only, "
    "WITHOUT filesystem or network isolation. Install it (Debian/Ubuntu: apt-get install "
    "bubblewrap) before grading real submissions."
)


def python_paths() -> list[str]:
    """Directories the worker's Python needs: installation, virtual env, site-packages."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates.update(site.getsitepackages())
    exe_dir = str(Path(sys.executable).parent)
    candidates.add(exe_dir)
    real = Path(sys.executable).resolve().parent.parent
    candidates.add(str(real))
    return sorted(p for p in candidates if p and Path(p).exists())


def set_limits(policy: SandboxPolicy) -> None:
    """Apply resource limits to the current process (called in the child before exec)."""
    mem = policy.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (mem, mem))
    fsize = policy.max_file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CPU, (policy.cpu_seconds, policy.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Not enforced for root itself, but for the `nobody` the worker becomes (setpriv/setuid).
    resource.setrlimit(resource.RLIMIT_NPROC, (policy.max_processes, policy.max_processes))


def bwrap_command(policy: SandboxPolicy, scratch: Path, inner: list[str],
                  seccomp_fd: int | None = None) -> list[str]:
    """The bubblewrap command line that runs `inner` in a sized tmpfs at /sandbox holding the
    files of `scratch` read-only."""
    size = ["--size", str(policy.disk_mb * 1024 * 1024)] if bwrap_supports("--size") else []
    cmd = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--die-with-parent", "--new-session",
           "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
           "--proc", "/proc", "--dev", "/dev", "--perms", "1777", *size, "--tmpfs", "/dev/shm",
           "--perms", "1777", *size, "--tmpfs", "/tmp",
           "--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    if seccomp_fd is not None:
        cmd += ["--seccomp", str(seccomp_fd)]
    for link in ("bin", "lib", "lib64", "sbin", "lib32"):
        target = Path("/") / link
        if target.is_symlink():
            cmd += ["--symlink", os.readlink(target), str(target)]
        elif target.exists():
            cmd += ["--ro-bind", str(target), str(target)]
    mounted: list[str] = []
    for path in [*python_paths(), *policy.extra_ro_paths]:
        if any(path == m or path.startswith(m + "/") for m in mounted):
            continue
        cmd += _parent_dirs(path) + ["--ro-bind", path, path]
        mounted.append(path)
    cmd += ["--perms", "0777", *size, "--tmpfs", "/sandbox"]
    for item in sorted(scratch.iterdir()):
        cmd += ["--ro-bind", str(item), f"/sandbox/{item.name}"]
    cmd += ["--chdir", "/sandbox", "--setenv", "HOME", "/sandbox", "--setenv", "TMPDIR", "/tmp"]
    if os.geteuid() == 0:
        # Root keeps the host's user namespace (a mapped uid 0 would own root's files) and
        # drops to a uid of its own; the seccomp filter refuses new user namespaces.
        return cmd + ["--"] + drop_root_command() + inner
    cmd.append("--unshare-user")
    if bwrap_supports("--disable-userns"):
        cmd.append("--disable-userns")
    return cmd + ["--"] + inner


def drop_root_command() -> list[str]:
    """`setpriv` prefix that runs the rest as the sandbox uid with no capabilities."""
    uid = sandbox_uid()
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all"]


def reachable_by_others(path: str | Path) -> bool:
    """Whether a user with no special rights can reach `path` (every parent directory
    searchable, the file itself readable and, for programs, executable by "others")."""
    import stat

    target = Path(path).resolve()
    try:
        mode = target.stat().st_mode
        if not mode & stat.S_IROTH or (target.is_file() and os.access(target, os.X_OK)
                                       and not mode & stat.S_IXOTH):
            return False
        return all(p.stat().st_mode & stat.S_IXOTH for p in target.parents)
    except OSError:
        return False


@functools.cache
def can_drop_root() -> bool:
    """Whether the grading Python runs for an unprivileged user here (without bubblewrap's view
    of the file system). One-time setup when it does not: install Python where others can read
    it (a pyenv under /root is not: `chmod o+x /root` or a system-wide Python)."""
    return all(reachable_by_others(p) for p in (sys.executable, *python_paths()))


WARNING_ROOT = (
    "WARNING: running as root without bubblewrap, and the grading Python ({python}) is not "
    "reachable by an unprivileged user, so student code runs as root. One-time setup: make "
    "the Python installation and the kit readable by others (e.g. `chmod o+x /root` for a "
    "pyenv under /root, or use a system-wide Python)."
)


def drop_root_in_child() -> None:
    """For the rlimit backend started as root: become the sandbox uid before exec (when the
    interpreter is reachable for it, see `can_drop_root`)."""
    if os.geteuid() == 0 and can_drop_root():
        uid = sandbox_uid()
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)


def _parent_dirs(path: str) -> list[str]:
    """`--dir` each missing parent with mode 0755 so an unprivileged worker can traverse it."""
    out: list[str] = []
    parts = Path(path).parts[1:-1]
    for i in range(len(parts)):
        parent = "/" + "/".join(parts[: i + 1])
        if parent in {"/usr", "/etc", "/proc", "/dev"}:  # bound above: never recreate
            return []
        out += ["--perms", "0755", "--dir", parent]
    return out


def sandbox_env(preload_threads: int = 1) -> dict[str, str]:
    """A clean environment for the worker: no secrets, single-threaded BLAS."""
    keep = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        keep[var] = str(preload_threads)
    return keep
