"""Load test: N concurrent clients each upload M submissions to a real leaderboard server.

Starts `coursekit leaderboard serve` on a free 127.0.0.1 port with a fresh data folder
(dna-splice built from the dataset mirror when available, else a synthetic task of the same
shape), a roster of N students and no daily limit, then lets N threads (httpx) upload M
valid predictions each. Reports accepted submissions per second and checks that the number
of stored student submissions equals the number accepted, and that all get scored.

    .venv/bin/python bench/leaderboard_load.py --clients 32 --per-client 10
    .venv/bin/python bench/leaderboard_load.py --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select
from tqdm import tqdm

from leaderboard.localserver import running_server
from leaderboard.store.db import make_engine
from leaderboard.store.models import Base, Submission
from leaderboard.tasks import get_task
from leaderboard.tasks.data import init_task


def build_data_dir(root: Path, clients: int, mirror: str | None) -> Path:
    task_dir = root / "tasks" / "dna-splice"
    try:
        init_task("dna-splice", task_dir, mirror)
        source = "dataset mirror"
    except Exception as err:  # no mirror here: same shape, synthetic sequences
        from types import SimpleNamespace

        rng = random.Random(0)
        records = [SimpleNamespace(id=f"x{i}", label=rng.choice(["EI", "IE", "N"]),
                                   sequence="".join(rng.choice("ACGT") for _ in range(60)))
                   for i in range(3190)]
        get_task("dna-splice").build(records, task_dir)
        source = f"synthetic ({type(err).__name__})"
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    config = {"timezone": "UTC", "tasks": {"dna-splice": {
        "deadline": deadline.isoformat(), "daily_limit": 10**6, "final_picks": 2}}}
    (root / "config.json").write_text(json.dumps(config))
    rows = ["student_id,name,team,token"] + [f"u{i},User {i},,load-{i}" for i in range(clients)]
    (root / "roster.csv").write_text("\n".join(rows) + "\n")
    print(f"task dna-splice from {source}")
    return root


def prediction_bytes(root: Path) -> bytes:
    with (root / "tasks/dna-splice/public/test.csv").open(newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    rng = random.Random(1)
    return ("id,label\n" + "".join(f"{i},{rng.choice(['EI', 'IE', 'N'])}\n" for i in ids)).encode()


def run_clients(url: str, clients: int, per_client: int, data: bytes) -> tuple[list[int], int]:
    bar = tqdm(total=clients * per_client, desc="uploads", unit="sub")

    def one_client(index: int) -> tuple[list[int], int]:
        accepted, failed = [], 0
        with httpx.Client(base_url=url, timeout=120) as http:
            for _ in range(per_client):
                reply = http.post("/api/tasks/dna-splice/submissions",
                                  headers={"Authorization": f"Bearer load-{index}"},
                                  files={"file": ("pred.csv", data)})
                if reply.status_code == 202:
                    accepted.append(reply.json()["id"])
                else:
                    failed += 1
                bar.update()
        return accepted, failed

    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one_client, range(clients)))
    bar.close()
    return [i for ids, _ in results for i in ids], sum(f for _, f in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--database-url", help="default: SQLite (WAL) in the temp data folder")
    parser.add_argument("--mirror", help="dataset mirror root (default $COURSEKIT_MIRROR)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lb-load-") as tmp:
        root = build_data_dir(Path(tmp), args.clients, args.mirror)
        if args.database_url:
            Base.metadata.drop_all(make_engine(args.database_url, create=False))
        extra = ["--database-url", args.database_url] if args.database_url else []
        data = prediction_bytes(root)
        with running_server(root, extra_args=extra, log=root / "server.log") as (url, _):
            start = time.perf_counter()
            accepted, failed = run_clients(url, args.clients, args.per_client, data)
            elapsed = time.perf_counter() - start
            engine = make_engine(args.database_url or f"sqlite:///{root / 'leaderboard.db'}")
            scored_by = time.monotonic() + 300
            while True:
                with engine.connect() as conn:
                    stored = conn.scalar(select(func.count(Submission.id)).where(
                        Submission.participant_id.is_not(None)))
                    pending = conn.scalar(select(func.count(Submission.id)).where(
                        Submission.status != "scored"))
                if not pending or time.monotonic() > scored_by:
                    break
                time.sleep(0.5)
            engine.dispose()
    rate = len(accepted) / elapsed
    lost = len(set(accepted)) - stored
    print(f"{args.clients} clients x {args.per_client} uploads: {len(accepted)} accepted, "
          f"{failed} refused, {elapsed:.2f} s, {rate:.1f} submissions/s")
    print(f"stored student submissions: {stored}; lost: {lost}; not yet scored: {pending}")
    return 0 if lost == 0 and failed == 0 and stored == len(accepted) and not pending else 1


if __name__ == "__main__":
    raise SystemExit(main())
