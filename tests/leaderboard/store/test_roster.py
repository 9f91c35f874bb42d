"""The roster on its own: parsing, teams of one, generated tokens, hashed storage."""

from __future__ import annotations

import csv
import stat

import pytest
from lb_helpers import store_with_roster

from leaderboard.store.models import Participant, Team
from leaderboard.store.roster import demo_roster_text, hash_token, parse_roster, sync_roster


def test_parse_defaults_and_errors():
    entries = parse_roster("student_id,name\nann,\nben,Ben B\n")
    assert [(e.student_id, e.name, e.team, e.token) for e in entries] == [
        ("ann", "ann", "ann", ""), ("ben", "Ben B", "ben", "")]
    with pytest.raises(ValueError, match="line 3: student_id 'a' appears twice"):
        parse_roster("student_id,name\na,A\na,B\n")
    with pytest.raises(ValueError, match="header must start with `student_id,name`"):
        parse_roster("id,name\n1,x\n")
    assert len(parse_roster(demo_roster_text())) == 4


def test_sync_makes_teams_tokens_and_stores_only_hashes(tmp_path):
    Session, people = store_with_roster(tmp_path, "student_id,name,team,token\n"
                                                  "a,A,t1,tok-a\nb,B,t1,\nc,C,,\n")
    assert people["a"].token_hash == hash_token("tok-a")
    tokens = dict(csv.reader((tmp_path / "tokens.csv").open()))
    assert set(tokens) == {"student_id", "b", "c"}
    assert people["b"].token_hash == hash_token(tokens["b"])
    assert stat.S_IMODE((tmp_path / "tokens.csv").stat().st_mode) == 0o600
    with Session() as session:
        teams = {t.name: len(t.members) for t in session.query(Team)}
        assert teams == {"t1": 2, "c": 1}
    with Session.begin() as session:  # a second sync moves b and makes no new token
        made = sync_roster(session, parse_roster("student_id,name,team\nb,B,t2\n"),
                           tmp_path / "tokens.csv")
        assert made == 0
        assert session.query(Participant).filter_by(student_id="b").one().team.name == "t2"


def test_students_left_off_the_roster_cannot_log_in(tmp_path):
    Session, _ = store_with_roster(tmp_path, demo_roster_text())
    with Session.begin() as session:
        sync_roster(session, parse_roster("student_id,name,team,token\nreal,Real,,tok-real\n"),
                    tmp_path / "tokens.csv")
    with Session() as session:
        hashes = {p.student_id: p.token_hash for p in session.query(Participant)}
    assert hashes["real"] == hash_token("tok-real")
    assert hash_token("demo-alice-token") not in hashes.values()
    assert all(h.startswith("locked:") for sid, h in hashes.items() if sid != "real")
