"""Board and final standings computed from scored submissions.

Public board: each team's best public score (ties: the earlier submission wins), with its
bootstrap interval. Baselines appear in place but take no rank. Final standings (shown after
the deadline, and to the instructor at any time): each team's final picks, or its best public
submission when it picked none, scored on the private part; the best private score among the
picks counts, ties again going to the earlier submission.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from leaderboard.store.models import Participant, Score, Submission

if TYPE_CHECKING:
    from leaderboard.tasks.loaded import LoadedTask


@dataclasses.dataclass
class BoardRow:
    """One team's line on a board."""

    rank: int | None  # None for baselines
    team: str
    members: list[str]
    is_baseline: bool
    submission_id: int
    score: float | None  # public score on the public board, private on the final one
    ci_low: float | None
    ci_high: float | None
    metrics: dict[str, Any]
    entries: int
    submitted_at: dt.datetime
    private_score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["submitted_at"] = self.submitted_at.isoformat() + "Z"
        return out


def _scored(session: Session, task: str) -> list[Submission]:
    return list(session.scalars(
        select(Submission).options(joinedload(Submission.team))
        .where(Submission.task == task, Submission.status == "scored")
        .order_by(Submission.created_at, Submission.id)).unique())


def _best(subs: list[Submission], attribute: str) -> Submission | None:
    scored = [s for s in subs if getattr(s, attribute) is not None]
    if not scored:
        return None
    return min(scored, key=lambda s: (-getattr(s, attribute), s.created_at, s.id))


def _members(session: Session) -> dict[int, list[str]]:
    members: dict[int, list[str]] = defaultdict(list)
    for person in session.scalars(select(Participant).order_by(Participant.student_id)):
        members[person.team_id].append(person.name)
    return members


def _metrics(session: Session, submission_ids: list[int], part: str) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    rows = session.execute(select(Score.submission_id, Score.id, getattr(Score, part))
                           .where(Score.submission_id.in_(submission_ids)).order_by(Score.id))
    for submission_id, _, metrics in rows:
        latest[submission_id] = metrics
    return latest


def _rank(rows: list[BoardRow]) -> list[BoardRow]:
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0.0), r.submitted_at, r.team))
    rank = 0
    for row in rows:
        if not row.is_baseline:
            rank += 1
            row.rank = rank
    return rows


def public_board(session: Session, task: LoadedTask, *, reveal_private: bool = False
                 ) -> list[BoardRow]:
    """Best public score per team, ranked; private scores only when `reveal_private`."""
    by_team: dict[int, list[Submission]] = defaultdict(list)
    for sub in _scored(session, task.spec.name):
        by_team[sub.team_id].append(sub)
    members = _members(session)
    best = {team_id: _best(subs, "public_score") for team_id, subs in by_team.items()}
    best = {k: v for k, v in best.items() if v is not None}
    metrics = _metrics(session, [s.id for s in best.values()], "public_metrics")
    rows = [BoardRow(rank=None, team=s.team.name, members=members.get(team_id, []),
                     is_baseline=s.team.is_baseline, submission_id=s.id, score=s.public_score,
                     ci_low=s.ci_low, ci_high=s.ci_high, metrics=metrics.get(s.id, {}),
                     entries=len(by_team[team_id]), submitted_at=s.created_at,
                     private_score=s.private_score if reveal_private else None)
            for team_id, s in best.items()]
    return _rank(rows)


def final_board(session: Session, task: LoadedTask) -> list[BoardRow]:
    """Final standings by private score over each team's final picks."""
    by_team: dict[int, list[Submission]] = defaultdict(list)
    for sub in _scored(session, task.spec.name):
        by_team[sub.team_id].append(sub)
    members = _members(session)
    chosen: dict[int, Submission] = {}
    for team_id, subs in by_team.items():
        picks = [s for s in subs if s.selected] or [x for x in [_best(subs, "public_score")] if x]
        best = _best(picks, "private_score") or (picks[0] if picks else None)
        if best is not None:
            chosen[team_id] = best
    metrics = _metrics(session, [s.id for s in chosen.values()], "private_metrics")
    rows = [BoardRow(rank=None, team=s.team.name, members=members.get(team_id, []),
                     is_baseline=s.team.is_baseline, submission_id=s.id, score=s.private_score,
                     ci_low=None, ci_high=None, metrics=metrics.get(s.id, {}),
                     entries=len(by_team[team_id]), submitted_at=s.created_at,
                     private_score=s.private_score)
            for team_id, s in chosen.items()]
    return _rank(rows)


def standings_csv(rows: list[BoardRow], metric_names: tuple[str, ...]) -> str:
    """CSV text of final standings: rank, team, members, submission, scores, time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "team", "members", "baseline", "submission_id", "private_score",
                     *[f"private_{m}" for m in metric_names], "submitted_at_utc"])
    for row in rows:
        writer.writerow([row.rank or "", row.team, "; ".join(row.members), int(row.is_baseline),
                         row.submission_id, _fmt(row.score),
                         *[_fmt(row.metrics.get(m)) for m in metric_names],
                         row.submitted_at.isoformat()])
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"
