"""Boards on their own: best public score per team, ties to the earlier upload, baselines
unranked, final standings from the picks on the private part."""

from __future__ import annotations

import datetime as dt

from lb_helpers import loaded_task, store_with_roster

from leaderboard.store.models import Submission, Team
from leaderboard.store.standings import final_board, public_board, standings_csv


def _scored(session, team_id, public, private, minutes, selected=False) -> Submission:
    sub = Submission(task="dna-splice", team_id=team_id, team_seq=minutes, content=b"",
                     content_sha256="", status="scored", public_score=public,
                     private_score=private, selected=selected,
                     created_at=dt.datetime(2026, 1, 1, 12, minutes))
    session.add(sub)
    return sub


def test_public_and_final_boards(tmp_path):
    Session, people = store_with_roster(tmp_path)
    task = loaded_task(tmp_path)
    team_a, carol, dave = (people[s].team_id for s in ("alice", "carol", "dave"))
    with Session.begin() as session:
        base = Team(name="baseline: majority class", is_baseline=True)
        session.add(base)
        session.flush()
        _scored(session, base.id, 0.9, 0.9, 0)
        _scored(session, team_a, 0.8, 0.5, 1)
        _scored(session, team_a, 0.7, 0.95, 2, selected=True)
        _scored(session, carol, 0.8, 0.6, 3)  # ties team-a's best, but later
        _scored(session, dave, 0.6, 0.7, 4)
    with Session() as session:
        public = public_board(session, task)
        final = final_board(session, task)
    assert [(r.rank, r.team, r.score) for r in public] == [
        (None, "baseline: majority class", 0.9), (1, "team-a", 0.8), (2, "carol", 0.8),
        (3, "dave", 0.6)]
    assert all(r.private_score is None for r in public)
    assert [(r.rank, r.team, r.score) for r in final] == [
        (1, "team-a", 0.95), (None, "baseline: majority class", 0.9), (2, "dave", 0.7),
        (3, "carol", 0.6)]
    assert standings_csv(final, ("accuracy",)).splitlines()[1].startswith("1,team-a,Alice; Bob")
