"""Helpers for leaderboard tests: tiny synthetic tasks, a data folder and an app client.

Nothing here needs the dataset mirror: the DNA records and the summaries are generated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
from pathlib import Path

from leaderboard.tasks import get_task

INSTRUCTOR = "instructor-secret-token"
ROSTER = """student_id,name,team,token
alice,Alice,team-a,tok-alice
bob,Bob,team-a,tok-bob
carol,Carol,,tok-carol
dave,Dave,,tok-dave
"""


@dataclasses.dataclass(frozen=True)
class FakeSplice:
    """Stand-in for datasets_manifest.SpliceRecord."""

    id: str
    label: str
    sequence: str


# A fixed salt makes the public/private split, and so every test that depends on it,
# deterministic: a fresh random salt once put a one-wrong-row submission below the baseline in
# CI (a 16-row test split can have a tiny public part). With this salt the
# fake dna-splice test has 9 public rows (N 4, IE 3, EI 2) and its first id is public.
TEST_SALT = "coursekit-test-salt-12"


def pin_salt(folder: Path, salt: str = TEST_SALT) -> Path:
    """Rewrite the task folder's solution with `salt` instead of its random one."""
    from leaderboard.tasks.files import solution_path
    from leaderboard.tasks.solution import load_solution, save_solution

    solution = load_solution(solution_path(folder))
    solution.salt = salt
    save_solution(solution, solution_path(folder))
    return folder


def init_dna_splice(records, out_dir: Path) -> Path:
    """Build a dna-splice task folder from `records` (with the fixed test salt)."""
    return pin_salt(get_task("dna-splice").build(records, Path(out_dir)))


def init_summaries(task: str, records: list[dict], out_dir: Path) -> Path:
    """Build a summarization task folder from {id, document, summary} records."""
    return pin_salt(get_task(task).build(records, Path(out_dir)))


def fake_splice(n_per_class: tuple[int, int, int] = (20, 20, 40), seed: int = 0) -> list:
    rng = random.Random(seed)
    records = []
    for label, count in zip(("EI", "IE", "N"), n_per_class, strict=True):
        for k in range(count):
            seq = "".join(rng.choice("ACGT") for _ in range(60))
            records.append(FakeSplice(f"X-{label}-{k}", label, seq))
    return records


def fake_summaries(n: int = 12, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    words = "the cat sat on a mat while dogs ran far away from home and back again".split()
    rows = []
    for i in range(n):
        sents = [" ".join(rng.choice(words) for _ in range(8)).capitalize() + "." for _ in range(6)]
        rows.append({"id": f"doc{i}", "document": " ".join(sents),
                     "summary": " ".join(sents[:2])})
    return rows


def write_config(data_dir: Path, *, deadline: dt.datetime | None = None, daily_limit: int = 5,
                 final_picks: int = 2, timezone: str = "UTC", tasks=("dna-splice", "billsum"),
                 max_upload_bytes: int = 1_000_000, invalid_daily_limit: int = 20) -> None:
    deadline = deadline or dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    payload = {"timezone": timezone, "max_upload_bytes": max_upload_bytes,
               "tasks": {t: {"deadline": deadline.isoformat(), "daily_limit": daily_limit,
                             "invalid_daily_limit": invalid_daily_limit,
                             "final_picks": final_picks} for t in tasks}}
    (data_dir / "config.json").write_text(json.dumps(payload))


def make_data_dir(root: Path, **config) -> Path:
    """A complete data folder: config, roster, dna-splice and billsum task folders."""
    root.mkdir(parents=True, exist_ok=True)
    init_dna_splice(fake_splice(), root / "tasks" / "dna-splice")
    init_summaries("billsum", fake_summaries(), root / "tasks" / "billsum")
    (root / "roster.csv").write_text(ROSTER)
    write_config(root, **config)
    return root


def open_client(data_dir: Path, database_url: str | None = None):
    from fastapi.testclient import TestClient

    from leaderboard.service import LeaderboardService
    from leaderboard.web.app import create_app

    service = LeaderboardService.open(data_dir, database_url=database_url, auto_init=False)
    return TestClient(create_app(service)), service


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def public_file(data_dir: Path, task: str, name: str) -> Path:
    return data_dir / "tasks" / task / "public" / name


def answers(data_dir: Path, task: str) -> dict[str, str]:
    return json.loads((data_dir / "tasks" / task / "private" / "solution.json")
                      .read_text())["answers"]


def csv_bytes(header: str, rows) -> bytes:
    return (header + "\n" + "".join(f"{a},{b}\n" for a, b in rows)).encode()


def wait_status(client, token: str, submission_id: int, timeout: float = 90.0) -> dict:
    import time

    end = time.monotonic() + timeout
    while True:
        data = client.get(f"/api/submissions/{submission_id}", headers=auth(token)).json()
        if data["status"] != "pending" or time.monotonic() > end:
            return data
        time.sleep(0.05)


def pg_url() -> str | None:
    return os.environ.get("COURSEKIT_PG_URL")


def loaded_task(root: Path, daily_limit: int = 5, invalid_daily_limit: int = 20):
    """A `LoadedTask` for a tiny dna-splice folder under `root` (no service, no server)."""
    from leaderboard.config import TaskConfig
    from leaderboard.tasks.files import read_test_ids, solution_path, test_file
    from leaderboard.tasks.loaded import LoadedTask
    from leaderboard.tasks.solution import load_solution

    folder = init_dna_splice(fake_splice(), root / "dna-splice")
    rules = TaskConfig(deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
                       daily_limit=daily_limit, invalid_daily_limit=invalid_daily_limit)
    return LoadedTask(spec=get_task("dna-splice"), rules=rules,
                      solution=load_solution(solution_path(folder)),
                      expected_ids=read_test_ids(test_file("dna-splice", folder)), folder=folder)


def store_with_roster(root: Path, roster: str = ROSTER):
    """(session factory, participants by student id) on a fresh SQLite file."""
    from leaderboard.store.db import make_engine, session_factory
    from leaderboard.store.models import Participant
    from leaderboard.store.roster import parse_roster, sync_roster

    Session = session_factory(make_engine(f"sqlite:///{root / 'lb.db'}"))
    with Session.begin() as session:
        sync_roster(session, parse_roster(roster), root / "tokens.csv")
    with Session() as session:
        people = {p.student_id: p for p in session.query(Participant)}
    return Session, people
