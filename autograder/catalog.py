"""The wrong-answer catalog: realistic buggy implementations, as patches on the solution notebook.

`solutions/<slug>/catalog.toml` holds `[[bug]]` entries (name, question, affects, description,
and `[[bug.patch]]` old/new pairs). `bug_notebook` applies one entry to the reference notebook;
each `old` text must occur exactly once in its code cells.
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


def load_catalog(path: Path) -> list[Bug]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    bugs = []
    for entry in data.get("bug", []):
        patches = tuple((p["old"], p["new"]) for p in entry.get("patch", []))
        if not patches:
            raise CatalogError(f"{path}: bug {entry.get('name')} has no [[bug.patch]]")
        bugs.append(Bug(entry["name"], str(entry["question"]), entry.get("description", ""),
                        patches, tuple(str(a) for a in entry.get("affects", []))))
    names = [b.name for b in bugs]
    if len(names) != len(set(names)):
        raise CatalogError(f"{path}: bug names must be unique")
    return bugs


def bug_notebook(reference: nbformat.NotebookNode, bug: Bug) -> nbformat.NotebookNode:
    """The reference notebook with one bug's patches applied."""
    nb = copy.deepcopy(reference)
    for old, new in bug.patches:
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        count = sum(c.source.count(old) for c in hits)
        if count != 1:
            raise CatalogError(f"bug {bug.name}: the text to replace occurs {count} times "
                               f"(must be exactly once): {old!r}")
        hits[0].source = hits[0].source.replace(old, new)
    nb.metadata.setdefault("coursekit", {})["kind"] = f"bug:{bug.name}"
    return nb
