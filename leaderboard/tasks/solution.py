"""The hidden solution file of a task: answers, the secret salt and the public/private split.

A solution is one JSON file (`private/solution.json` in a task folder) holding every test id
with its label or reference summary, plus a random salt. An id is on the public part of the
board when the first 8 bytes of sha256(salt + id), read as a fraction of 2**64, fall below
`public_fraction`; without the salt nobody can tell which rows count for the public score.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import secrets
from pathlib import Path

SOLUTION_FORMAT = 1


@dataclasses.dataclass
class Solution:
    """Hidden answers of a task; `answers` maps test id to label or reference summary."""

    task: str
    answers: dict[str, str]
    salt: str
    public_fraction: float = 0.5
    sha256: str = ""  # hash of the file it was loaded from (set by load_solution)

    @property
    def ids(self) -> list[str]:
        """Test ids in file order."""
        return list(self.answers)

    def is_public(self, row_id: str) -> bool:
        """Whether `row_id` counts toward the public score (salted, deterministic)."""
        digest = hashlib.sha256(f"{self.salt}:{row_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.public_fraction

    def public_ids(self) -> list[str]:
        """Ids of the public part, in file order."""
        return [i for i in self.answers if self.is_public(i)]

    def private_ids(self) -> list[str]:
        """Ids of the private part, in file order."""
        return [i for i in self.answers if not self.is_public(i)]


def new_solution(task: str, answers: dict[str, str], public_fraction: float = 0.5) -> Solution:
    """A solution with a fresh random salt."""
    return Solution(task=task, answers=dict(answers), salt=secrets.token_hex(16),
                    public_fraction=public_fraction)


def save_solution(solution: Solution, path: str | Path) -> str:
    """Write `solution` as JSON readable only by its owner; return the file's sha256."""
    payload = {
        "format": SOLUTION_FORMAT,
        "task": solution.task,
        "salt": solution.salt,
        "public_fraction": solution.public_fraction,
        "answers": solution.answers,
    }
    data = json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)  # the folder of the answers: owner only
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    solution.sha256 = hashlib.sha256(data).hexdigest()
    return solution.sha256


def load_solution(path: str | Path) -> Solution:
    """Read a solution file written by `save_solution`."""
    data = Path(path).read_bytes()
    payload = json.loads(data.decode("utf-8"))
    if payload.get("format") != SOLUTION_FORMAT:
        raise ValueError(f"{path}: unsupported solution format {payload.get('format')!r}; "
                         "recreate it with `coursekit leaderboard init`")
    return Solution(
        task=payload["task"],
        answers=dict(payload["answers"]),
        salt=payload["salt"],
        public_fraction=float(payload["public_fraction"]),
        sha256=hashlib.sha256(data).hexdigest(),
    )
