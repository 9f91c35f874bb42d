"""The class gradebook: write it, show it, and merge sharded runs into it.

`write_gradebook` writes OUT/gradebook.csv (one row per submission: total, max, each question,
the first line of any error). `merge_shards` combines the shards of a scheduler run
(`coursekit grade --shard I/N`, recorded in OUT/shards/) into the same gradebook a single local
run writes, and reports missing shards, submissions no shard graded, and duplicates.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.fsutil import atomic_write_text
from autograder.grade.shard import read_manifests
from autograder.grade.store import ResultStore
from autograder.results import SubmissionResult
from autograder.safetext import clean, csv_cell


def gradebook_csv(results: list[SubmissionResult]) -> str:
    questions: list[str] = []
    for r in results:
        questions += [q for q in r.by_question() if q not in questions]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["submission", "assignment", "score", "max_score", *questions, "error"])
    for r in results:
        per_q = r.by_question()
        error = (r.error or "").splitlines()[0] if r.error else ""
        writer.writerow([csv_cell(r.submission), csv_cell(r.assignment), f"{r.score:g}",
                         f"{r.max_score:g}", *[f"{per_q.get(q, (0, 0))[0]:g}" for q in questions],
                         csv_cell(error)])
    return buffer.getvalue()


def write_gradebook(results: list[SubmissionResult], path: Path) -> None:
    """One row per submission: total, max, each question's score, and any error (atomic; cells
    that a spreadsheet would run as formulas are defused)."""
    atomic_write_text(path, gradebook_csv(results))


def print_gradebook(results: list[SubmissionResult], console: Console | None = None) -> None:
    table = Table(title="gradebook")
    table.add_column("submission")
    table.add_column("score", justify="right")
    table.add_column("note")
    for r in results:
        pct = 100 * r.score / r.max_score if r.max_score else 0
        note = (r.error or "").splitlines()[0][:70] if r.error else ""
        table.add_row(Text(clean(Path(r.submission).name, 200)),
                      f"{_pts(r.score)}/{_pts(r.max_score)} ({pct:.0f}%)", Text(clean(note)))
    (console or Console()).print(table)


def _pts(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


@dataclass
class MergeReport:
    """What a merge found; `ok` when every shard ran and every submission has one result."""

    results: list[SubmissionResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.missing or self.duplicated)


def merge_shards(out_dir: Path) -> MergeReport:
    """Combine OUT/shards/*.json into OUT/gradebook.csv (written only for submissions that have
    a result; everything else is reported)."""
    report = MergeReport()
    manifests = read_manifests(out_dir)
    if not manifests:
        report.problems.append(f"no shard records in {out_dir / 'shards'}: run "
                               "`coursekit grade ... --shard I/N --out OUT` first")
        return report
    first = manifests[0]
    for m in manifests[1:]:
        for field_ in ("assignment", "version", "count", "class"):
            if m[field_] != first[field_]:
                report.problems.append(f"shard {m['index']}/{m['count']} has a different "
                                       f"{field_} than shard {first['index']}: regrade it")
    indexes = {m["index"] for m in manifests if m["count"] == first["count"]}
    report.problems += [f"shard {i}/{first['count']} did not finish (no record)"
                        for i in range(first["count"]) if i not in indexes]
    graded = [g for m in manifests for g in m["graded"]]
    counts = Counter(g["name"] for g in graded)
    report.duplicated = sorted(n for n, c in counts.items() if c > 1)
    report.missing = [n for n in first["class"] if n not in counts]
    by_name = {g["name"]: g for g in graded}
    store = ResultStore(out_dir, first["version"])
    for name in first["class"]:
        entry = by_name.get(name)
        result = store.get(entry["key"]) if entry else None
        if entry and result is None:
            report.problems.append(f"{name}: its result {entry['key'][:12]}… is not in "
                                   f"{store.root} (shard output lost?)")
        elif result is not None:
            result.submission = entry["submission"]
            report.results.append(result)
    write_gradebook(report.results, out_dir / "gradebook.csv")
    return report


__all__ = ["MergeReport", "gradebook_csv", "merge_shards", "print_gradebook", "write_gradebook"]
