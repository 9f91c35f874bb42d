"""The catalog: realistic wrong answers and correct alternatives, as patches on the solution.

`solutions/<slug>/catalog.toml` holds `[[bug]]` entries (name, question, affects, description,
`[[bug.patch]]` old/new pairs) and `[[alternative]]` entries (name, description,
`[[alternative.patch]]`): other correct formulations that must earn full marks. `patch_notebook`
applies one entry to the reference notebook; each `old` text must occur exactly once in its code
cells.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


class CatalogError(ValueError):
    """A catalog entry does not apply; the message says which and why."""


@dataclass(frozen=True)
class Bug:
    name: str
    question: str
    description: str
    patches: tuple[tuple[str, str], ...]
    affects: tuple[str, ...] = field(default_factory=tuple)

    kind = "bug"


@dataclass(frozen=True)
class Alternative:
    """A correct implementation written differently: it must score 100%."""

    name: str
    description: str
    patches: tuple[tuple[str, str], ...]

    kind = "alt"


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from None


def _patches(path: Path, table: str, entry: dict) -> tuple[tuple[str, str], ...]:
    patches = tuple((p["old"], p["new"]) for p in entry.get("patch", []))
    if not patches:
        raise CatalogError(f"{path}: {table} {entry.get('name')} has no [[{table}.patch]]")
    return patches


def _unique(path: Path, names: list[str], table: str) -> None:
    if len(names) != len(set(names)):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise CatalogError(f"{path}: {table} names must be unique (repeated: {dupes})")


def load_catalog(path: Path) -> list[Bug]:
    """The `[[bug]]` entries of a catalog file (none when the file does not exist)."""
    bugs = [Bug(e["name"], str(e["question"]), e.get("description", ""),
                _patches(path, "bug", e), tuple(str(a) for a in e.get("affects", [])))
            for e in _read(path).get("bug", [])]
    _unique(path, [b.name for b in bugs], "bug")
    return bugs


def load_alternatives(path: Path) -> list[Alternative]:
    """The `[[alternative]]` entries of a catalog file (none when absent)."""
    alts = [Alternative(e["name"], e.get("description", ""), _patches(path, "alternative", e))
            for e in _read(path).get("alternative", [])]
    _unique(path, [a.name for a in alts], "alternative")
    return alts


def patch_notebook(reference: nbformat.NotebookNode,
                   entry: Bug | Alternative) -> nbformat.NotebookNode:
    """The reference notebook with one entry's patches applied."""
    nb = copy.deepcopy(reference)
    for old, new in entry.patches:
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        count = sum(c.source.count(old) for c in hits)
        if count != 1:
            raise CatalogError(f"{entry.kind} {entry.name}: the text to replace occurs {count} "
                               f"times (must be exactly once): {old!r}")
        hits[0].source = hits[0].source.replace(old, new)
    nb.metadata.setdefault("coursekit", {})["kind"] = f"{entry.kind}:{entry.name}"
    return nb

