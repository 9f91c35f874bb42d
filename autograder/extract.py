"""Read a submitted notebook and keep only its graded code.

The grader runs, from every code cell in order, the statements that define things: imports
(except plotting and the kit's own packages), functions, classes, and assignments to
UPPER_CASE names or of literal values. Experiments,
training runs, plots and `check(...)` calls are left out. A cell that is not valid Python is
skipped and reported; the rest still counts. Notebook problems raise `NotebookError` with a
message that says what to do.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
# The kit itself, and plotting: graded code never plots, and importing matplotlib in every
# sandboxed worker costs about a second (its font cache is rebuilt in each private home).
SKIP_IMPORTS = ("autograder", "datasets_manifest", "leaderboard", "matplotlib", "seaborn", "IPython")


class NotebookError(ValueError):
    """The file is not a usable notebook; the message says why and what to do."""


@dataclass
class GradedCode:
    """The graded source of a notebook plus notes on what was skipped."""

    source: str
    notes: list[str] = field(default_factory=list)
    assignment: str | None = None


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Load and validate a notebook file, or raise NotebookError."""
    path = Path(path)
    if not path.is_file():
        raise NotebookError(f"{path} does not exist or is not a file")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{path.name} is larger than 50 MB: clear the outputs "
                            "(Kernel > Restart & Clear Output) and save again")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise NotebookError(f"{path.name} is not a Jupyter notebook (not valid JSON: {err}). "
                            "Submit the .ipynb file saved by Jupyter, not a copy or export.") from None
    if not isinstance(data, dict) or "cells" not in data:
        raise NotebookError(f"{path.name} is JSON but not a Jupyter notebook (no 'cells').")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - any schema problem is the submission's
        raise NotebookError(f"{path.name} is not a valid notebook ({type(err).__name__}: "
                            f"{str(err)[:200]}). Re-save it from Jupyter.") from None
    return nb


def graded_code(nb: nbformat.NotebookNode) -> GradedCode:
    """The graded statements of every code cell, in order."""
    parts: list[str] = []
    notes: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        text = strip_magics(cell.get("source", ""))
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            notes.append(f"cell {index + 1} is not valid Python and was skipped: {err}")
            continue
        kept = [node for node in tree.body if is_graded(node)]
        for node in kept:
            parts.append(ast.get_source_segment(text, node, padded=True) or ast.unparse(node))
    meta = nb.get("metadata", {}).get("coursekit", {})
    return GradedCode("\n\n".join(parts) + "\n", notes, meta.get("assignment"))


def strip_magics(source: str) -> str:
    """Drop IPython-only lines (%magics, !shell, ?help) so the cell parses as Python."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or stripped.endswith("?") and " " not in stripped:
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def is_graded(node: ast.stmt) -> bool:
    """Whether a top-level statement belongs to the graded code."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
            a.name for a in node.names]
        return not any(n.split(".")[0] in SKIP_IMPORTS for n in names)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is None:
            return False
        return all(_is_constant_name(t) for t in targets) or _is_literal(node.value)
    return False


def _is_constant_name(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return target.id.isupper() or (target.id.strip("_").isupper())
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_is_constant_name(t) for t in target.elts)
    return False


def _is_literal(value: ast.expr) -> bool:
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True
