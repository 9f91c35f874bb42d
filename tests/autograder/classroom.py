"""A small class of distinct toy submissions (each file's bytes differ, as real ones do)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

KINDS = ("reference", "stub", "bug-double-adds")
SCORES = {"reference": "3", "stub": "0", "bug-double-adds": "1"}


def make_class(bundle: Path, folder: Path, n: int) -> list[Path]:
    """n notebooks cycling through the bundle's examples; student i's file records its id."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        nb = nbformat.read(str(bundle / "examples" / f"{kind}.ipynb"), as_version=4)
        nb.metadata["student"] = f"s{i:02d}"
        path = folder / f"s{i:02d}-{kind}.ipynb"
        nbformat.write(nb, str(path))
        paths.append(path)
    return paths


def copy_bundle(bundle: Path, dest: Path) -> Path:
    shutil.copytree(bundle, dest)
    return dest


def stored(out: Path) -> dict[str, int]:
    """Stored result files -> their modification time (ns): what a rerun must not touch."""
    return {p.name: p.stat().st_mtime_ns for p in (out / ".results").glob("*/*.json")}
