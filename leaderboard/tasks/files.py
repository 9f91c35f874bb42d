"""Layout of a task folder and readers for its student-facing files.

    <task dir>/public/   what students get: test inputs (no labels), a sample submission,
                         and for dna-splice the labelled train.csv
    <task dir>/private/  solution.json (hidden answers + salt); never hand this out

`read_test_ids` reads the id list from the public test file: that is all the local validator
needs, so students can validate without a server.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path


def public_dir(task_dir: str | Path) -> Path:
    """Folder of the student-facing files."""
    return Path(task_dir) / "public"


def solution_path(task_dir: str | Path) -> Path:
    """Path of the hidden solution file."""
    return Path(task_dir) / "private" / "solution.json"


def sample_submission_path(task_dir: str | Path) -> Path:
    """Path of the sample submission, which is also the task's pinned baseline."""
    return public_dir(task_dir) / "sample_submission.csv"


def test_file(task_name: str, task_dir: str | Path) -> Path:
    """The public test-input file of a task (`test.csv`; `test.jsonl` also for summaries)."""
    folder = public_dir(task_dir)
    for name in ("test.csv", "test.jsonl"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(
        f"no test.csv or test.jsonl in {folder}; create the task with "
        f"`coursekit leaderboard init {task_name}` or pass the test file with --test"
    )


def read_test_ids(path: str | Path) -> list[str]:
    """The ids, in order, of a public test file (CSV with an `id` column, or JSONL)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".jsonl":
        return [str(json.loads(line)["id"]) for line in text.splitlines() if line.strip()]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or "id" not in reader.fieldnames:
        raise ValueError(f"{path} has no `id` column; is it the public test file?")
    return [row["id"] for row in reader]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a UTF-8 CSV (no BOM, `\\n` line ends, quoting where needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """Write one JSON object per line (UTF-8, non-ASCII kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
