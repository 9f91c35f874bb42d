"""Accepting submissions on their own (no web app): the database's daily slots, per-team
numbers, invalid uploads, final picks, and the instructor's day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from lb_helpers import csv_bytes, loaded_task, store_with_roster

from leaderboard.store.submissions import (
    SubmissionRejected,
    accept_submission,
    claim_slot,
    local_day,
    select_final,
)

UTC = ZoneInfo("UTC")


def _good(task) -> bytes:
    return csv_bytes("id,label", task.solution.answers.items())


def test_claim_slot_stops_at_the_limit(tmp_path):
    Session, people = store_with_roster(tmp_path)
    with Session.begin() as session:
        claims = [claim_slot(session, people["carol"].team_id, "t", "2026-01-01", "accepted", 3)
                  for _ in range(5)]
    assert claims == [True, True, True, False, False]


def test_team_numbers_limits_and_picks(tmp_path):
    Session, people = store_with_roster(tmp_path)
    task = loaded_task(tmp_path, daily_limit=3)
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    numbers = [accept_submission(Session, task, p, _good(task), "p.csv", "", UTC, 10**6)[0]
               .team_seq for p in (alice, carol, bob)]
    assert numbers == [1, 1, 2]  # alice and bob share team-a
    _, _, left = accept_submission(Session, task, alice, _good(task), "p.csv", "", UTC, 10**6)
    assert left == 0
    with pytest.raises(SubmissionRejected) as refused:
        accept_submission(Session, task, bob, _good(task), "p.csv", "", UTC, 10**6)
    assert refused.value.status == 429
    with pytest.raises(SubmissionRejected) as invalid:
        accept_submission(Session, task, carol, b"id,label\n", "p.csv", "", UTC, 10**6)
    assert invalid.value.status == 422 and invalid.value.problems
    with pytest.raises(SubmissionRejected, match="pick at most 2"):
        select_final(Session, task, alice, [1, 2, 3])


def test_local_day_is_the_instructors():
    late = dt.datetime(2026, 3, 10, 3, 0)  # 23:00 on 9 March in New York
    assert local_day(ZoneInfo("America/New_York"), late) == "2026-03-09"
    assert local_day(UTC, late) == "2026-03-10"
