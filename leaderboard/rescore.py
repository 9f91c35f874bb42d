"""Rescoring stored submissions from their uploaded bytes (`coursekit leaderboard rescore`).

Each rescore adds a new score row (the old ones stay as history) with the current scorer
version and solution hash, and updates the numbers shown on the board.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from sqlalchemy import select
from tqdm import tqdm

from leaderboard.models import Submission
from leaderboard.worker import score_submission

if TYPE_CHECKING:
    from leaderboard.service import LeaderboardService


def rescore(service: LeaderboardService, *, task: str | None = None,
            ids: list[int] | None = None, progress: bool = True) -> dict[str, int]:
    """Rescore the chosen submissions (all by default); return counts by new status."""
    query = select(Submission.id).order_by(Submission.id)
    if task:
        query = query.where(Submission.task == task)
    if ids is not None:
        query = query.where(Submission.id.in_(ids))
    with service.Session() as session:
        chosen = list(session.scalars(query))
    counts: Counter[str] = Counter()
    for submission_id in tqdm(chosen, desc="rescoring", disable=not progress):
        counts[score_submission(service, submission_id, rescore=True)] += 1
    return dict(counts)
