"""DNA datasets: UCI splice-junction sequences (mirror CSV or official .data) and E. coli promoters."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from datasets_manifest.locations import locate

SPLICE_LABELS = ("EI", "IE", "N")
SPLICE_LENGTH = 60
PathLike = str | os.PathLike[str] | None


@dataclass(frozen=True)
class SpliceRecord:
    """One splice-junction example: instance name, class and 60-nt sequence (uppercase)."""

    id: str
    label: str
    sequence: str


def load_splice(root: PathLike = None) -> list[SpliceRecord]:
    """All 3,190 splice-junction rows (EI 767, IE 768, N 1,655), in file order.

    Reads the mirror's `splice.csv` (header `Class, Donor, Sequence`, whitespace padding) or the
    official `splice.data` (no header, same three comma-separated, padded columns).
    """
    _, found = locate("splice", [["splice.csv"], ["splice.data"]], root)
    path = next(iter(found.values()))
    return parse_splice(path.read_text("ascii").splitlines(), source=path)


def parse_splice(lines: Iterable[str], source: Path | str = "<lines>") -> list[SpliceRecord]:
    """Parse splice rows from either layout; a first row starting with `Class` is a header."""
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        if number == 1 and fields[0].lower() == "class":
            continue
        if len(fields) != 3:
            raise ValueError(
                f"{source}:{number}: expected 3 comma-separated fields, got {len(fields)}"
            )
        label, name, sequence = fields[0], fields[1], fields[2].upper()
        if label not in SPLICE_LABELS:
            raise ValueError(f"{source}:{number}: label {label!r} is not one of {SPLICE_LABELS}")
        if len(sequence) != SPLICE_LENGTH:
            raise ValueError(
                f"{source}:{number}: sequence has {len(sequence)} letters, expected {SPLICE_LENGTH}"
            )
        records.append(SpliceRecord(id=name, label=label, sequence=sequence))
    return records


def load_promoters(root: PathLike = None) -> list[SpliceRecord]:
    """The 106 E. coli promoter rows as records with label '+' or '-' and a 57-nt uppercase sequence."""
    _, found = locate("promoters", [["promoters.data"]], root)
    path = found["promoters.data"]
    records = []
    for number, line in enumerate(path.read_text("ascii").splitlines(), start=1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 3 or fields[0] not in ("+", "-"):
            raise ValueError(f"{path}:{number}: expected '+|-, name, sequence', got {line!r}")
        records.append(SpliceRecord(id=fields[1], label=fields[0], sequence=fields[2].upper()))
    return records
