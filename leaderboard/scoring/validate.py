"""Submission validation: every problem at once, in words a student can act on.

`validate_submission(task, path_or_bytes, expected_ids)` (`task` from
`leaderboard.tasks.get_task`) checks size, emptiness, encoding, format, header, each row,
and the id set against the public test ids. It never
looks at answers, so its messages cannot leak labels: they only quote the student's own
values, the allowed label set and public test ids. The same function runs in the server,
in `coursekit leaderboard validate` and in autograder tests.

Encoding decision: files must be UTF-8. A UTF-8 byte-order mark (what Excel's "CSV UTF-8"
writes) is accepted and reported as a note; UTF-16/UTF-32 files and bytes that are not UTF-8
are rejected with the line where decoding failed.
"""

from __future__ import annotations

import codecs
import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from leaderboard.scoring.parse import ParsedRow, SubmissionFormat, parse_csv, parse_jsonl

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MISSING_MARKERS = {"nan", "null", "none", "na", "n/a", "<na>", "undefined"}
EXAMPLES = 5


@dataclasses.dataclass
class ValidationReport:
    """Outcome of validation. `rows` maps id -> label/summary (first occurrence of each id)."""

    ok: bool
    problems: list[str]
    notes: list[str] = dataclasses.field(default_factory=list)
    rows: dict[str, str] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        lines = ["OK: the submission is valid." if self.ok else
                 f"INVALID: {len(self.problems)} problem(s); fix them and submit again."]
        lines += [f"  problem: {p}" for p in self.problems]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _examples(items: list, limit: int = EXAMPLES) -> str:
    shown = ", ".join(str(i) for i in items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def _read(path_or_bytes: str | Path | bytes, max_bytes: int) -> tuple[bytes | None, int, str]:
    """(data or None when too large, size, file name)."""
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
        return (data if len(data) <= max_bytes else None), len(data), ""
    path = Path(path_or_bytes)
    size = path.stat().st_size
    return (path.read_bytes() if size <= max_bytes else None), size, path.name


def _decode(data: bytes, problems: list[str], notes: list[str]) -> str:
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            problems.append(f"The file is encoded as {name}; save it as UTF-8 "
                            "(in Excel: 'CSV UTF-8'; in pandas: to_csv(..., encoding='utf-8')).")
            return ""
    if data.startswith(codecs.BOM_UTF8):
        notes.append("The file starts with a UTF-8 byte-order mark (BOM); it was ignored.")
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(f"Line {line} contains byte 0x{data[err.start]:02x}, which is not valid "
                        "UTF-8; save the file as UTF-8 (not Latin-1/cp1252).")
        return data.decode("utf-8", errors="replace")


def _looks_like_jsonl(text: str, name: str) -> bool:
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return True
    return text.lstrip().startswith("{")


def _check_values(task: SubmissionFormat, rows: list[ParsedRow], problems: list[str]) -> None:
    empty_ids, empty_values, missing_marks = [], [], []
    unknown: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.id == "":
            empty_ids.append(row.line)
        value = row.value.strip()
        if value == "":
            empty_values.append(row.line)
        elif value.lower() in MISSING_MARKERS:
            missing_marks.append(row.line)
        elif task.labels and value not in task.labels:
            unknown[value].append(row.line)
    col = task.value_column
    if empty_ids:
        problems.append(f"Empty id on line(s) {_examples(empty_ids)}; every row needs an id "
                        "from the test file.")
    if empty_values:
        problems.append(f"Empty {col} on line(s) {_examples(empty_values)}; give every "
                        f"test id a {col}.")
    if missing_marks:
        problems.append(f"The {col} looks like a missing value (NaN/null/None) on line(s) "
                        f"{_examples(missing_marks)}; fill in a real {col} for those rows.")
    allowed = ", ".join(task.labels)
    for value, lines in sorted(unknown.items(), key=lambda kv: kv[1][0])[:10]:
        hint = " (labels are case-sensitive)" if value.upper() in task.labels else ""
        problems.append(f"Unknown label {value[:40]!r} on line(s) {_examples(lines)}; "
                        f"allowed labels: {allowed}{hint}.")
    if len(unknown) > 10:
        problems.append(f"... and {len(unknown) - 10} more unknown labels; allowed: {allowed}.")


def _check_ids(rows: list[ParsedRow], expected_ids: Iterable[str], problems: list[str]) -> None:
    expected = list(expected_ids)
    expected_set = set(expected)
    lines_by_id: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.id != "":
            lines_by_id[row.id].append(row.line)
    duplicates = [f"{i!r} (lines {_examples(ls, 3)})" for i, ls in lines_by_id.items()
                  if len(ls) > 1]
    if duplicates:
        problems.append(f"{len(duplicates)} id(s) appear more than once: "
                        f"{_examples(duplicates)}; keep exactly one row per id.")
    extra = [i for i in lines_by_id if i not in expected_set]
    if extra:
        problems.append(f"{len(extra)} id(s) are not in the test file: "
                        f"{_examples([repr(i[:40]) for i in extra])}; remove them or check "
                        "that you predicted on the test file, not train.")
    missing = [i for i in expected if i not in lines_by_id]
    if missing:
        problems.append(f"{len(missing)} of the {len(expected)} test id(s) are missing: "
                        f"{_examples(missing)}; submit one row for every id in the test file.")


def validate_submission(
    task: SubmissionFormat,
    path_or_bytes: str | Path | bytes,
    expected_ids: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    filename: str = "",
) -> ValidationReport:
    """Check a submission file (path or raw bytes) for `task` against the test ids."""
    expected_ids = [str(i) for i in expected_ids]
    problems: list[str] = []
    notes: list[str] = []
    data, size, name = _read(path_or_bytes, max_bytes)
    name = (filename or name).lower()
    if data is None:
        problems.append(f"The file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} "
                        "MB. Submit only the id and prediction columns.")
        return ValidationReport(False, problems, notes)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        problems.append(f"The file is empty; it needs the header `{','.join(task.header)}` "
                        "and one row per test id.")
        return ValidationReport(False, problems, notes)
    text = _decode(data, problems, notes)
    if not text:
        return ValidationReport(False, problems, notes)
    if _looks_like_jsonl(text, name):
        if "jsonl" not in task.formats:
            problems.append(f"{task.name} takes CSV files only (header "
                            f"`{','.join(task.header)}`), but this looks like JSON lines.")
            return ValidationReport(False, problems, notes)
        rows = parse_jsonl(text, task, problems, notes)
    else:
        rows = parse_csv(text, task, set(expected_ids), problems, notes)
    if rows:
        _check_values(task, rows, problems)
    _check_ids(rows, expected_ids, problems)
    parsed: dict[str, str] = {}
    for row in rows:
        parsed.setdefault(row.id, row.value.strip() if task.labels else row.value)
    return ValidationReport(not problems, problems, notes, parsed)
