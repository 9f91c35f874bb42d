"""Benchmark: does validating a huge upload hold up other requests?

Starts a real leaderboard server (billsum task from synthetic data, 20 MB upload limit), polls
`/healthz` for a few seconds with nothing else going on, then again while one student uploads
a ~19 MB CSV whose 120,000 ids are all wrong (a worst case for the validator: every row is
read and checked). Prints the upload's status and time and the /healthz latencies of both
phases. Validation runs in a worker thread, so the server keeps answering.

    .venv/bin/python bench/leaderboard_big_upload.py [--rows 120000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "leaderboard"))

from lb_helpers import make_data_dir, write_config  # noqa: E402

from leaderboard.localserver import running_server  # noqa: E402


def poll(url: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(timeout=60) as http:
        while not stop.is_set():
            start = time.perf_counter()
            http.get(url + "/healthz")
            out.append(time.perf_counter() - start)
            time.sleep(0.05)


def phase(url: str, seconds: float | None, upload: bytes | None) -> tuple[list[float], str]:
    latencies: list[float] = []
    stop = threading.Event()
    thread = threading.Thread(target=poll, args=(url, stop, latencies))
    thread.start()
    note = ""
    if upload is None:
        time.sleep(seconds or 3)
    else:
        start = time.perf_counter()
        reply = httpx.post(url + "/api/tasks/billsum/submissions", timeout=600,
                           headers={"Authorization": "Bearer tok-carol"},
                           files={"file": ("big.csv", upload)})
        note = (f"upload of {len(upload) / 1e6:.1f} MB: HTTP {reply.status_code} after "
                f"{time.perf_counter() - start:.2f} s")
    stop.set()
    thread.join()
    return latencies, note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=120_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_data_dir(Path(tmp) / "lb", tasks=("billsum",))
        write_config(root, tasks=("billsum",), max_upload_bytes=20_000_000)
        body = "\n".join(f"x{i},{'word ' * 30}" for i in range(args.rows))
        data = ("id,summary\n" + body).encode()
        with running_server(root, timeout=300) as (url, _):
            for label, upload in (("idle", None), ("during the upload", data)):
                lat, note = phase(url, 3, upload)
                print(f"/healthz {label}: {len(lat)} requests, median "
                      f"{statistics.median(lat) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms"
                      + (f"; {note}" if note else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
