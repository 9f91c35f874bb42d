"""The running leaderboard: configuration, database, loaded tasks and the scoring worker.

`LeaderboardService.open(data_dir)` prepares everything a server or an offline command
(rescore, export) needs: it reads config.json, opens the database, builds missing task
folders (fetching the datasets first when they are not in the data cache), loads each
task's hidden solution and public test ids, syncs the roster and pins the baselines.
`start()` then launches the scoring worker, which first scores every submission left
`pending` by a crash. This module composes the others; none of them imports it but the web
layer and the CLI.
"""

from __future__ import annotations

import hmac
import os
import secrets
import sys
from pathlib import Path

from sqlalchemy import select

from leaderboard.config import LeaderboardConfig, load_config
from leaderboard.store.db import make_engine, session_factory
from leaderboard.store.models import Participant, Submission, Team
from leaderboard.store.roster import demo_roster_text, hash_token, parse_roster, sync_roster
from leaderboard.store.submissions import store_submission
from leaderboard.tasks import get_task
from leaderboard.tasks.data import TaskDataMissing, prepare_task
from leaderboard.tasks.files import read_test_ids, sample_submission_path, solution_path, test_file
from leaderboard.tasks.loaded import LoadedTask
from leaderboard.tasks.solution import load_solution
from leaderboard.worker import ScoringWorker


def _log(message: str) -> None:
    print(f"[leaderboard] {message}", file=sys.stderr, flush=True)


class LeaderboardService:
    """Shared state of one leaderboard (used by the web app and the CLI)."""

    def __init__(self, config: LeaderboardConfig, instructor_token: str, *,
                 worker_threads: int = 1) -> None:
        self.config = config
        self.engine = make_engine(config.database_url)
        self.Session = session_factory(self.engine)
        self.tasks: dict[str, LoadedTask] = {}
        self.missing: dict[str, str] = {}  # task -> why it is not loaded (what to run)
        self._instructor_hash = hash_token(instructor_token)
        self.worker = ScoringWorker(self.Session, self.tasks, threads=worker_threads)
        self.roster_is_demo = False

    @classmethod
    def open(cls, data_dir: str | Path, *, database_url: str | None = None,
             roster: str | Path | None = None, mirror: str | Path | None = None,
             auto_init: bool = True, worker_threads: int = 1) -> LeaderboardService:
        """Open (creating when needed) the leaderboard stored in `data_dir`."""
        config = load_config(data_dir, database_url)
        service = cls(config, instructor_token(config.data_dir), worker_threads=worker_threads)
        service.load_tasks(mirror=mirror, auto_init=auto_init)
        service.sync_roster(roster)
        service.pin_baselines()
        return service

    def load_tasks(self, *, mirror: str | Path | None = None, auto_init: bool = True) -> None:
        """Load every configured task; a missing folder is built (its data fetched first)."""
        for name, rules in self.config.tasks.items():
            folder = self.config.task_dir(name)
            if not solution_path(folder).exists() and auto_init:
                try:
                    prepare_task(name, folder, mirror, log=_log)
                    _log(f"built task {name} in {folder}")
                except (TaskDataMissing, OSError, ValueError) as err:
                    self.missing[name] = str(err)
                    _log(f"skipping task {name}: {err}")
                    continue
            if not solution_path(folder).exists():
                self.missing[name] = (f"no {solution_path(folder)}; run `coursekit leaderboard "
                                      f"init {name} --out {folder}`")
                _log(f"skipping task {name}: {self.missing[name]}")
                continue
            self.tasks[name] = LoadedTask(
                spec=get_task(name), rules=rules, solution=load_solution(solution_path(folder)),
                expected_ids=read_test_ids(test_file(name, folder)), folder=folder)

    def sync_roster(self, roster: str | Path | None = None) -> None:
        """Load the roster (argument, `<data dir>/roster.csv`, else the bundled demo)."""
        path = Path(roster) if roster else self.config.data_dir / "roster.csv"
        if path.exists():
            text, source = path.read_text(encoding="utf-8"), str(path)
        else:
            text, source = demo_roster_text(), "bundled demo roster"
            self.roster_is_demo = True
            _log("no roster.csv in the data folder: using the DEMO roster (tokens "
                 "demo-alice-token, demo-bob-token, ...); put your class roster there")
        with self.Session.begin() as session:
            made = sync_roster(session, parse_roster(text, source),
                               self.config.data_dir / "tokens.csv")
        if made:
            _log(f"{made} new student token(s) appended to {self.config.data_dir / 'tokens.csv'}")

    def pin_baselines(self) -> None:
        """Submit each task's sample submission once, as its baseline team."""
        for name, task in self.tasks.items():
            with self.Session.begin() as session:
                team = session.scalar(select(Team).where(Team.name == task.spec.baseline_name))
                if team is None:
                    team = Team(name=task.spec.baseline_name, is_baseline=True)
                    session.add(team)
                    session.flush()
                exists = session.scalar(select(Submission.id).where(
                    Submission.team_id == team.id, Submission.task == name))
                if exists is None:
                    data = sample_submission_path(task.folder).read_bytes()
                    store_submission(session, name, team.id, None, data,
                                     "sample_submission.csv", task.spec.baseline_name)

    def start(self) -> None:
        """Start scoring (pending submissions first)."""
        self.worker.start()

    def stop(self) -> None:
        """Stop the scoring worker and close database connections."""
        self.worker.stop()
        self.engine.dispose()

    def task(self, name: str) -> LoadedTask | None:
        return self.tasks.get(name)

    def participant_for(self, token: str) -> Participant | None:
        """The roster student holding `token`, or None."""
        with self.Session() as session:
            return session.scalar(select(Participant).where(
                Participant.token_hash == hash_token(token)))

    def is_instructor(self, token: str) -> bool:
        return hmac.compare_digest(hash_token(token), self._instructor_hash)


def instructor_token(data_dir: Path) -> str:
    """$COURSEKIT_INSTRUCTOR_TOKEN, else `<data dir>/instructor_token` (made when missing)."""
    token = os.environ.get("COURSEKIT_INSTRUCTOR_TOKEN")
    if token:
        return token
    path = data_dir / "instructor_token"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
    path.chmod(0o600)
    return path.read_text().strip()
