"""Background scoring: a queue of submission ids served by worker threads.

A submission is scored after its `pending` row is committed. The result and the status
change to `scored` are written in one transaction, guarded by `status = 'pending'`, so a row
is scored exactly once even when two server processes race. On start (and every
`SWEEP_SECONDS`) the worker queues every row still `pending`, which is how submissions that
were accepted just before a crash or kill get scored after a restart.

The worker gets only what it needs: a session factory and the loaded tasks by name.

Test hook: `COURSEKIT_LEADERBOARD_TEST_SCORE_DELAY=<seconds>` sleeps before each scoring,
so tests can kill a server mid-scoring.
"""

from __future__ import annotations

import math
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker, undefer

from leaderboard.scoring.metrics import ScoreResult
from leaderboard.store.models import Score, Submission, utcnow
from leaderboard.tasks.loaded import LoadedTask

Tasks = Mapping[str, LoadedTask]

SWEEP_SECONDS = 30.0
DELAY_ENV = "COURSEKIT_LEADERBOARD_TEST_SCORE_DELAY"


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN/inf become None (PostgreSQL's json rejects NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def compute_score(task: LoadedTask, submission: Submission) -> ScoreResult:
    """Re-validate the stored bytes and score them against the task's solution."""
    report = task.spec.validate(submission.content, task.expected_ids,
                                filename=submission.filename, max_bytes=len(submission.content))
    if not report.ok:
        raise ValueError("stored submission no longer validates: " + "; ".join(report.problems))
    return task.spec.score(report.rows, task.solution)


def save_score(Session: sessionmaker, task: LoadedTask, submission_id: int,
               result: ScoreResult, *, only_if_pending: bool) -> bool:
    """Store `result` as the submission's current score; False when someone else did."""
    primary = task.spec.primary_metric
    public, private = _clean(result.public), _clean(result.private)
    low, high = _clean(list(result.public_ci))
    with Session.begin() as session:
        statement = update(Submission).where(Submission.id == submission_id)
        if only_if_pending:
            statement = statement.where(Submission.status == "pending")
        done = session.execute(statement.values(
            status="scored", scored_at=utcnow(), error=None, public_score=public[primary],
            private_score=private[primary], ci_low=low, ci_high=high))
        if done.rowcount != 1:
            session.rollback()
            return False
        session.add(Score(submission_id=submission_id, scorer_version=result.scorer_version,
                          solution_hash=result.solution_hash, settings=_clean(result.settings),
                          public_metrics=public, private_metrics=private,
                          per_row=_clean(result.per_row)))
    return True


def score_submission(Session: sessionmaker, tasks: Tasks, submission_id: int, *,
                     rescore: bool = False) -> str:
    """Score one submission; return its new status ('scored', 'failed' or unchanged)."""
    with Session() as session:
        submission = session.scalar(select(Submission).options(undefer(Submission.content))
                                    .where(Submission.id == submission_id))
        if submission is None or (submission.status != "pending" and not rescore):
            return submission.status if submission else "missing"
        if submission.task not in tasks:
            return submission.status
    delay = float(os.environ.get(DELAY_ENV, "0") or 0)
    if delay and not rescore:
        time.sleep(delay)
    try:
        result = compute_score(tasks[submission.task], submission)
    except Exception as err:  # any scorer failure is recorded on the row
        traceback.print_exc()
        with Session.begin() as session:
            session.execute(update(Submission).where(Submission.id == submission_id)
                            .values(status="failed", error=f"{type(err).__name__}: {err}"))
        return "failed"
    saved = save_score(Session, tasks[submission.task], submission_id, result,
                       only_if_pending=not rescore)
    return "scored" if saved else "unchanged"


class ScoringWorker:
    """Threads that score queued submission ids; sweeps for pending rows periodically."""

    def __init__(self, Session: sessionmaker, tasks: Tasks, threads: int = 1) -> None:
        self.Session = Session
        self.tasks = tasks
        self.queue: queue.Queue[int] = queue.Queue()
        self._queued: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, name=f"scorer-{i}", daemon=True)
                         for i in range(max(1, threads))]
        self._last_sweep = 0.0

    def start(self) -> None:
        self.sweep()
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def enqueue(self, submission_id: int) -> None:
        with self._lock:
            if submission_id in self._queued:
                return
            self._queued.add(submission_id)
        self.queue.put(submission_id)

    def sweep(self) -> int:
        """Queue every pending submission (oldest first); return how many."""
        self._last_sweep = time.monotonic()
        with self.Session() as session:
            ids = list(session.scalars(select(Submission.id).where(
                Submission.status == "pending").order_by(Submission.id)))
        for submission_id in ids:
            self.enqueue(submission_id)
        return len(ids)

    def _run(self) -> None:
        while not self._stop.is_set():
            if time.monotonic() - self._last_sweep > SWEEP_SECONDS:
                self.sweep()
            try:
                submission_id = self.queue.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                score_submission(self.Session, self.tasks, submission_id)
            except Exception:  # keep the worker alive; the sweep retries
                print(f"[leaderboard] scoring {submission_id} crashed:", file=sys.stderr)
                traceback.print_exc()
            finally:
                with self._lock:
                    self._queued.discard(submission_id)
