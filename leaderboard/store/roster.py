"""Class roster: students, teams and their secret tokens.

A roster is a CSV with the header `student_id,name,team,token` (`team` and `token` may be
empty or absent). A student without a team plays as a team of one named after their id. A
student without a token gets a random one on first sync; new tokens are appended to
`tokens.csv` in the data folder (readable only by its owner) for the instructor to hand out.
Only sha256 hashes of tokens are stored in the database. Students who are no longer on the
roster (the demo students, once a real roster replaces the demo) cannot log in any more.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import secrets
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaderboard.store.models import Participant, Team


@dataclasses.dataclass
class RosterEntry:
    """One roster row."""

    student_id: str
    name: str
    team: str
    token: str


def hash_token(token: str) -> str:
    """sha256 hex digest of a token (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def demo_roster_text() -> str:
    """The bundled demo roster (four students with well-known tokens; demos only)."""
    return resources.files("leaderboard.store").joinpath("demo/roster.csv").read_text("utf-8")


def parse_roster(text: str, source: str = "roster") -> list[RosterEntry]:
    """Parse roster CSV text; raise ValueError naming every bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    fields = [f.strip() for f in reader.fieldnames or []]
    if "student_id" not in fields:
        raise ValueError(f"{source}: the header must start with `student_id,name` "
                         f"(optional columns: team, token); found {','.join(fields)!r}")
    entries, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        sid = row.get("student_id", "")
        if not sid:
            errors.append(f"line {line}: empty student_id")
        elif sid in seen:
            errors.append(f"line {line}: student_id {sid!r} appears twice")
        seen.add(sid)
        entries.append(RosterEntry(sid, row.get("name") or sid, row.get("team") or sid,
                                   row.get("token", "")))
    if errors:
        raise ValueError(f"{source}: " + "; ".join(errors))
    return entries


def _get_team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name, is_baseline=False)
        session.add(team)
        session.flush()
    return team


def sync_roster(session: Session, entries: list[RosterEntry], tokens_file: Path) -> int:
    """Insert or update roster students and teams; return how many new tokens were made."""
    new_tokens: list[tuple[str, str]] = []
    for entry in entries:
        team = _get_team(session, entry.team)
        person = session.scalar(select(Participant).where(
            Participant.student_id == entry.student_id))
        token = entry.token
        if person is None:
            if not token:
                token = secrets.token_urlsafe(24)
                new_tokens.append((entry.student_id, token))
            person = Participant(student_id=entry.student_id, token_hash=hash_token(token),
                                 name=entry.name, team_id=team.id)
            session.add(person)
        else:
            person.name, person.team_id = entry.name, team.id
            if token:
                person.token_hash = hash_token(token)
    _lock_out_others(session, {e.student_id for e in entries})
    session.flush()
    if new_tokens:
        _append_tokens(tokens_file, new_tokens)
    return len(new_tokens)


def _lock_out_others(session: Session, keep: set[str]) -> None:
    """Students no longer on the roster (e.g. the demo students after the real roster
    replaced the demo) keep their submissions but can no longer log in."""
    for person in session.scalars(select(Participant).where(Participant.student_id.not_in(keep))):
        person.token_hash = "locked:" + secrets.token_hex(27)  # matches no sha256 hex digest


def _append_tokens(path: Path, rows: list[tuple[str, str]]) -> None:
    is_new = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if is_new:
            writer.writerow(["student_id", "token"])
        writer.writerows(rows)
