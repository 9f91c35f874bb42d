"""Rescoring stored submissions from their uploaded bytes (`coursekit leaderboard rescore`).

Each rescore adds a new score row (the old ones stay as history) with the current scorer
version and solution hash, and updates the numbers shown on the board.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker
from tqdm import tqdm

from leaderboard.store.models import Submission
from leaderboard.worker import Tasks, score_submission


def rescore(Session: sessionmaker, tasks: Tasks, *, task: str | None = None,
            ids: list[int] | None = None, progress: bool = True) -> dict[str, int]:
    """Rescore the chosen submissions (all by default); return counts by new status."""
    query = select(Submission.id).order_by(Submission.id)
    if task:
        query = query.where(Submission.task == task)
    if ids is not None:
        query = query.where(Submission.id.in_(ids))
    with Session() as session:
        chosen = list(session.scalars(query))
    counts: Counter[str] = Counter()
    for submission_id in tqdm(chosen, desc="rescoring", disable=not progress):
        counts[score_submission(Session, tasks, submission_id, rescore=True)] += 1
    return dict(counts)
