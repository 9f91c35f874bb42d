"""Leaderboard settings: one JSON file in the data folder, created with defaults on first run.

`<data dir>/config.json` holds the instructor's time zone (daily limits reset at local
midnight), the upload size limit and per task its deadline (local time), daily submission
limit, daily limit of rejected (invalid) uploads and number of final picks. Zero
configuration: a missing file is written with a deadline four weeks ahead, 5 submissions and
20 invalid uploads a day and 2 final picks for every task. The data folder is made
owner-only (0700) and config.json owner-readable only (0600).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leaderboard.tasks import TASKS

DEFAULT_DAILY_LIMIT = 5
DEFAULT_FINAL_PICKS = 2
DEFAULT_INVALID_DAILY_LIMIT = 20
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclasses.dataclass
class TaskConfig:
    """Competition rules of one task."""

    deadline: dt.datetime  # timezone-aware
    daily_limit: int = DEFAULT_DAILY_LIMIT
    final_picks: int = DEFAULT_FINAL_PICKS
    invalid_daily_limit: int = DEFAULT_INVALID_DAILY_LIMIT


@dataclasses.dataclass
class LeaderboardConfig:
    """Everything `coursekit leaderboard serve` needs besides the roster and task folders."""

    data_dir: Path
    database_url: str
    timezone: str = "UTC"
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    tasks: dict[str, TaskConfig] = dataclasses.field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def task_dir(self, task_name: str) -> Path:
        return self.data_dir / "tasks" / task_name


def default_database_url(data_dir: Path) -> str:
    """SQLite file in the data folder (WAL mode is switched on when connecting)."""
    return f"sqlite:///{(data_dir / 'leaderboard.db').resolve()}"


def _default_payload(timezone: str) -> dict:
    now = dt.datetime.now(ZoneInfo(timezone))
    deadline = (now + dt.timedelta(days=28)).replace(hour=23, minute=59, second=0,
                                                     microsecond=0, tzinfo=None)
    tasks = {name: {"deadline": deadline.isoformat(), "daily_limit": DEFAULT_DAILY_LIMIT,
                    "invalid_daily_limit": DEFAULT_INVALID_DAILY_LIMIT,
                    "final_picks": DEFAULT_FINAL_PICKS} for name in TASKS}
    return {"timezone": timezone, "max_upload_bytes": DEFAULT_MAX_UPLOAD_BYTES, "tasks": tasks}


def _parse_deadline(text: str, tz: ZoneInfo) -> dt.datetime:
    deadline = dt.datetime.fromisoformat(text)
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=tz)


def load_config(data_dir: str | Path, database_url: str | None = None) -> LeaderboardConfig:
    """Read `<data_dir>/config.json`, writing the defaults first when it does not exist."""
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    path = data_dir / "config.json"
    if not path.exists():
        payload = _default_payload(os.environ.get("COURSEKIT_TIMEZONE", "UTC"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(payload, indent=2) + "\n")
    path.chmod(0o600)  # it may hold the database URL with its password
    payload = json.loads(path.read_text(encoding="utf-8"))
    timezone = payload.get("timezone", "UTC")
    try:
        tz = ZoneInfo(timezone)
    except ZoneInfoNotFoundError:
        raise ValueError(f"{path}: unknown time zone {timezone!r}; use an IANA name such as "
                         "'Europe/Berlin' or 'America/New_York'") from None
    tasks = {}
    for name, rules in payload.get("tasks", {}).items():
        if name not in TASKS:
            raise ValueError(f"{path}: unknown task {name!r}; known: {', '.join(TASKS)}")
        tasks[name] = TaskConfig(deadline=_parse_deadline(rules["deadline"], tz),
                                 daily_limit=int(rules.get("daily_limit", DEFAULT_DAILY_LIMIT)),
                                 invalid_daily_limit=int(rules.get(
                                     "invalid_daily_limit", DEFAULT_INVALID_DAILY_LIMIT)),
                                 final_picks=int(rules.get("final_picks", DEFAULT_FINAL_PICKS)))
    url = database_url or os.environ.get("COURSEKIT_LEADERBOARD_DB") or payload.get("database_url")
    return LeaderboardConfig(
        data_dir=data_dir, database_url=url or default_database_url(data_dir),
        timezone=timezone, max_upload_bytes=int(payload.get("max_upload_bytes",
                                                            DEFAULT_MAX_UPLOAD_BYTES)),
        tasks=tasks)
