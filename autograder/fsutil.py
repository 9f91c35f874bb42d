"""Crash-safe file writes: a reader sees the old file or the new one, never half of either.

The text goes to a temporary file in the same folder (same filesystem), is flushed to disk, and
replaces the target with `os.replace`, which is atomic on POSIX and on Windows. A process killed
mid-write leaves at most a stray `.<name>.*.tmp` file beside the target, never a torn target.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically, creating its folder when needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(path: Path, data: object) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


__all__ = ["atomic_write_json", "atomic_write_text"]
