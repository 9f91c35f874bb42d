"""Pin each grading worker's math libraries to its share of the cores.

BLAS/OpenMP and torch start one thread per core by default; with one grading process per core
that oversubscribes the machine (two threads per process on two busy cores measured ~9x more
CPU per training step). The batch gives each worker `threads_per_worker(jobs)` threads (one when
the jobs fill the cores) through the environment variables the libraries read at start-up and
`COURSEKIT_THREADS`; the worker calls `pin_threads()` to apply it to torch as well.
"""

from __future__ import annotations

import os
import sys

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")
ENV = "COURSEKIT_THREADS"


def available_cores() -> int:
    """Cores this process may run on (a Slurm or container CPU set, else the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_worker(jobs: int) -> int:
    return max(1, available_cores() // max(1, jobs))


def thread_env(threads: int) -> dict[str, str]:
    """Environment for a worker process limited to `threads` math threads."""
    return {**{var: str(threads) for var in THREAD_VARS}, ENV: str(threads)}


def configured_threads(default: int = 1) -> int:
    try:
        return max(1, int(os.environ.get(ENV, default)))
    except ValueError:
        return default


def pin_threads(threads: int | None = None, *, torch: bool = False) -> int:
    """Apply the thread count to this process (env for libraries loaded later, and torch when
    it is loaded or `torch=True`). Returns the count applied."""
    threads = threads or configured_threads()
    os.environ.update(thread_env(threads))
    if torch or "torch" in sys.modules:
        try:
            import torch as _torch  # noqa: PLC0415 - only for assignments that use torch
        except ImportError:
            return threads
        _torch.set_num_threads(threads)
    return threads


__all__ = ["available_cores", "configured_threads", "pin_threads", "thread_env",
           "threads_per_worker"]
