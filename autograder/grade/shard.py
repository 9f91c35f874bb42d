"""Split a class into N deterministic shards for a batch scheduler, and record what each graded.

`--shard I/N` keeps submission number i (in the sorted order `expand_submissions` gives) when
i % N == I: every shard sees the same list, so the shards are disjoint, cover the class, and
differ in size by at most one. I (and N) default from the scheduler's environment:

- Slurm job arrays: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT;
- Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (N must be given: `--shard N`).

Each shard writes OUT/shards/<I>-of-<N>.json (the whole class's names, the ones it graded and
their result keys); `coursekit gradebook merge OUT` checks and combines them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder.fsutil import atomic_write_json

SHARD_DIR = "shards"


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def select(self, items: list) -> list:
        return [item for i, item in enumerate(items) if i % self.count == self.index]

    def manifest_path(self, out_dir: Path) -> Path:
        return out_dir / SHARD_DIR / f"{self.index}-of-{self.count}.json"


class ShardError(ValueError):
    """A --shard value or scheduler environment that does not name one shard."""


def _env_index(env: Mapping[str, str]) -> int | None:
    if "SLURM_ARRAY_TASK_ID" in env:
        return int(env["SLURM_ARRAY_TASK_ID"]) - int(env.get("SLURM_ARRAY_TASK_MIN", "0"))
    if "JOB_COMPLETION_INDEX" in env:
        return int(env["JOB_COMPLETION_INDEX"])
    return None


def parse_shard(spec: str, env: Mapping[str, str] | None = None) -> Shard:
    """'I/N', 'N' (index from the scheduler) or 'auto' (index and count from Slurm)."""
    env = os.environ if env is None else env
    index_text, _, count_text = spec.rpartition("/") if "/" in spec else ("", "", spec)
    if spec == "auto":
        index_text, count_text = "", env.get("SLURM_ARRAY_TASK_COUNT", "")
        if not count_text:
            raise ShardError("--shard auto needs a Slurm job array (SLURM_ARRAY_TASK_COUNT); "
                             "elsewhere pass --shard I/N or --shard N")
    try:
        count = int(count_text)
        index = int(index_text) if index_text else _env_index(env)
    except ValueError:
        raise ShardError(f"--shard {spec!r}: expected I/N, N or auto (e.g. --shard 0/4)") from None
    if index is None:
        raise ShardError(f"--shard {spec!r} gives no index and neither SLURM_ARRAY_TASK_ID nor "
                         "JOB_COMPLETION_INDEX is set: pass --shard I/N")
    if count < 1 or not 0 <= index < count:
        raise ShardError(f"--shard {index}/{count}: the index must be in 0..{count - 1}")
    return Shard(index, count)


def write_manifest(shard: Shard, out_dir: Path, *, assignment: str, version: str,
                   names: list[str], graded: dict[str, tuple[str, str]]) -> Path:
    """Record one shard: the class's names in order, and name -> (submission, key) it graded."""
    path = shard.manifest_path(out_dir)
    atomic_write_json(path, {
        "assignment": assignment, "version": version, "index": shard.index,
        "count": shard.count, "class": names,
        "graded": [{"name": n, "submission": s, "key": k} for n, (s, k) in graded.items()],
    })
    return path


def read_manifests(out_dir: Path) -> list[dict]:
    folder = out_dir / SHARD_DIR
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*-of-*.json"))]


__all__ = ["Shard", "ShardError", "parse_shard", "read_manifests", "write_manifest"]
