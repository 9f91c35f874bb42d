"""Parsing of submission text (CSV or JSON lines) into rows, collecting format problems.

Used by `leaderboard.scoring.validate`; each parser appends plain-language problems to a list
instead of stopping at the first one, so a student sees everything that is wrong in one go.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Protocol


class SubmissionFormat(Protocol):
    """What a submission file of a task looks like (every task class provides these)."""

    name: str
    value_column: str  # "label" or "summary"
    formats: tuple[str, ...]  # "csv", "jsonl"
    labels: tuple[str, ...]  # allowed labels; empty for free text

    @property
    def header(self) -> tuple[str, str]: ...


@dataclasses.dataclass
class ParsedRow:
    """One submission row: the 1-based line it starts on, its id and its raw value."""

    line: int
    id: str
    value: str


def _lines(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:5]))
    return shown if len(lines) <= 5 else f"{shown} and {len(lines) - 5} more"


def _header_columns(
    names: list[str], task: SubmissionFormat, expected_ids: set[str], problems: list[str]
) -> tuple[int, int, bool] | None:
    """(id column, value column, header line is data) or None when rows cannot be read."""
    want = ",".join(task.header)
    if names == list(task.header):
        return 0, 1, False
    if names and names[0] in expected_ids:
        problems.append(f"The first line looks like data, not a header; add the header line "
                        f"`{want}` at the top.")
        return 0, 1, True
    lowered = [n.lower() for n in names]
    hint = ""
    if lowered == list(task.header):
        hint = " (column names are lowercase)"
    elif len(names) == 1 and any(sep in names[0] for sep in (";", "\t")):
        hint = " (columns must be separated by commas, not semicolons or tabs)"
    problems.append(f"The header is `{','.join(names)[:80]}`; it must be exactly `{want}`{hint}.")
    if "id" in lowered and task.value_column in lowered:
        return lowered.index("id"), lowered.index(task.value_column), False
    if len(names) == 2:
        return 0, 1, False
    return None


def parse_csv(
    text: str, task: SubmissionFormat, expected_ids: set[str], problems: list[str], notes: list[str]
) -> list[ParsedRow]:
    """Rows of a CSV submission; header and row-shape problems go to `problems`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[ParsedRow] = []
    bad_width: list[int] = []
    try:
        header = next(reader)
        columns = _header_columns([h.strip() for h in header], task, expected_ids, problems)
        if columns is None:
            return rows
        id_col, value_col, header_is_data = columns
        if header_is_data:
            rows.append(ParsedRow(1, header[0].strip(), header[value_col]))
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record or record == [""]:
                continue
            if len(record) != len(header):
                bad_width.append(line)
            if len(record) > max(id_col, value_col):
                rows.append(ParsedRow(line, record[id_col].strip(), record[value_col]))
    except csv.Error as err:
        problems.append(f"Line {reader.line_num}: the CSV cannot be read ({err}). Put double "
                        "quotes around values that contain commas, quotes or line breaks, and "
                        "double any quote inside them.")
    if bad_width:
        problems.append(f"Line(s) {_lines(bad_width)} have a different number of fields than "
                        f"the header ({len(header)}); quote values that contain commas.")
    _note_padding(rows, task, notes)
    return rows


def _note_padding(rows: list[ParsedRow], task: SubmissionFormat, notes: list[str]) -> None:
    if task.labels:
        padded = [r.line for r in rows if r.value != r.value.strip()]
        if padded:
            notes.append(f"Spaces around the label on line(s) {_lines(padded)} were ignored.")


def parse_jsonl(
    text: str, task: SubmissionFormat, problems: list[str], notes: list[str]
) -> list[ParsedRow]:
    """Rows of a JSON-lines submission: one object {"id": ..., "<value>": ...} per line."""
    key = task.value_column
    rows: list[ParsedRow] = []
    bad_json, not_object, missing_keys, not_text = [], [], [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            bad_json.append(number)
            continue
        if not isinstance(obj, dict):
            not_object.append(number)
        elif "id" not in obj or key not in obj:
            missing_keys.append(number)
        elif not isinstance(obj[key], str) or isinstance(obj["id"], dict | list | None):
            not_text.append(number)
        else:
            rows.append(ParsedRow(number, str(obj["id"]).strip(), obj[key]))
    if bad_json:
        problems.append(f"Line(s) {_lines(bad_json)} are not valid JSON; write one JSON object "
                        "per line (json.dumps of each row), with no trailing commas.")
    if not_object:
        problems.append(f"Line(s) {_lines(not_object)} are not JSON objects; each line must be "
                        f'{{"id": ..., "{key}": ...}}.')
    if missing_keys:
        problems.append(f'Line(s) {_lines(missing_keys)} lack the key "id" or "{key}".')
    if not_text:
        problems.append(f'Line(s) {_lines(not_text)} have a "{key}" that is not a string '
                        "(or an id that is not a string or number).")
    return rows
