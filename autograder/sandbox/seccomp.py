"""A seccomp filter for the grading worker: deny the system calls a grader never needs.

Built with libseccomp (the C library every Linux distribution ships, Debian: libseccomp2) through
`pyseccomp`, a ctypes binding with the same API as libseccomp's own Python bindings, installed
from PyPI with the kit. No hand-assembled BPF: libseccomp compiles the rules, checks the
architecture (a foreign-ABI system call kills the process) and exports the program, which
bubblewrap loads with `--seccomp FD`; the rlimit backend loads it (`SyscallFilter.load`) in the
child before exec.

Denied calls fail with EPERM (clone3 with ENOSYS, so the C library falls back to clone, whose
namespace flags are checked).
"""

from __future__ import annotations

import errno
import tempfile
from typing import IO

DENIED = (
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsmount",
    "fsconfig", "fspick", "mount_setattr", "unshare", "setns", "ptrace", "process_vm_readv",
    "process_vm_writev", "kcmp", "keyctl", "add_key", "request_key", "bpf", "perf_event_open",
    "userfaultfd", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog",
    "open_by_handle_at", "name_to_handle_at", "lookup_dcookie", "iopl", "ioperm",
)
# clone(2) flags that create namespaces (linux/sched.h).
CLONE_NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
                         0x20000000, 0x40000000, 0x00000080)


def seccomp_available() -> bool:
    """Whether libseccomp and its binding load on this machine (`COURSEKIT_NO_SECCOMP=1` turns
    the filter off, for measurements; the grader then warns)."""
    import os

    if os.environ.get("COURSEKIT_NO_SECCOMP"):
        return False
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def build_filter():
    """The filter as a `pyseccomp.SyscallFilter` (default: allow; listed calls: EPERM)."""
    import pyseccomp as sc

    filt = sc.SyscallFilter(sc.ALLOW)
    for name in DENIED:
        if _known(sc, name):
            filt.add_rule(sc.ERRNO(errno.EPERM), name)
    for flag in CLONE_NAMESPACE_FLAGS:
        filt.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    if _known(sc, "clone3"):
        filt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    return filt


def _known(sc, name: str) -> bool:
    try:
        return sc.resolve_syscall(sc.system_arch(), name) >= 0
    except (OSError, ValueError):
        return False


def export_bpf() -> IO[bytes]:
    """The compiled filter in an unlinked temporary file, rewound (pass its fd to bwrap)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it after the spawn
    build_filter().export_bpf(handle)
    handle.flush()
    handle.seek(0)
    return handle
