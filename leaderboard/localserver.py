"""Start a real leaderboard server in a child process on a free loopback port.

Used by the end-to-end tests (concurrency, crash recovery, browser) and by
`bench/leaderboard_load.py`: the child runs `coursekit leaderboard serve`, and the context
manager waits for /healthz, yields the base URL and the process, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, *, port: int | None = None, env: dict[str, str] | None = None,
                 extra_args: list[str] | None = None, log: Path | None = None,
                 timeout: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Launch the server; return (process, base URL) once /healthz answers (`timeout` s)."""
    port = port or free_port()
    command = [sys.executable, "-m", "autograder.cli", "leaderboard", "serve", "--data-dir",
               str(data_dir), "--port", str(port), *(extra_args or [])]
    output = open(log, "ab") if log else subprocess.DEVNULL  # lives as long as the child
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=output,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not answer on {url} within {timeout:.0f} s; see {log}")


def stop_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate the server (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_server(data_dir: Path, **kwargs) -> Iterator[tuple[str, subprocess.Popen]]:
    """`with running_server(dir) as (url, process): ...`"""
    process, url = start_server(data_dir, **kwargs)
    try:
        yield url, process
    finally:
        stop_server(process)
