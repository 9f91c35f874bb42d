"""Read a submitted notebook and keep only its graded code.

The grader runs, from every code cell in order, the statements that define things: imports
(except plotting and the kit's own packages), functions, classes, and assignments to
UPPER_CASE names or of literal values. Experiments,
training runs, plots and `check(...)` calls are left out. A cell that is not valid Python is
skipped and reported; the rest still counts. Notebook problems raise `NotebookError` with a
message that says what to do. Extraction is linear in the notebook's size (each cell is split
into lines once) and capped in cells and lines. `GradedCode.origins` maps each graded line back
to the cell the student sees, so messages can say `cell 7 (In [5]) "def double(x):", line 3`.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
MAX_CELLS = 2000
MAX_CODE_LINES = 20_000
_LINE_ENDS = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")  # the line breaks Python's parser knows
# The kit itself, and plotting: graded code never plots, and importing matplotlib in every
# sandboxed worker costs about a second (its font cache is rebuilt in each private home).
SKIP_IMPORTS = ("autograder", "datasets_manifest", "leaderboard", "matplotlib", "seaborn", "IPython")


class NotebookError(ValueError):
    """The file is not a usable notebook; the message says why and what to do."""


@dataclass
class Origin:
    """Where graded lines [start, end] (1-based, in `GradedCode.source`) come from."""

    start: int
    end: int
    cell: int  # 1-based position among all cells
    count: int | None  # the cell's execution count (Jupyter's In [n]), if it was run
    first_line: str  # the cell's first non-empty line
    offset: int  # line in the cell = graded line - start + offset

    def label(self, graded_line: int | None = None) -> str:
        where = f", line {graded_line - self.start + self.offset}" if graded_line else ""
        return f"{cell_label(self.cell, self.count, self.first_line)}{where}"


@dataclass
class GradedCode:
    """The graded source of a notebook plus notes on what was skipped."""

    source: str
    notes: list[str] = field(default_factory=list)
    assignment: str | None = None
    origins: list[Origin] = field(default_factory=list)

    def locate(self, graded_line: int) -> str | None:
        """`cell 7 (In [5]) "def f(x):", line 3` for a line of the graded source."""
        for origin in self.origins:
            if origin.start <= graded_line <= origin.end:
                return origin.label(graded_line)
        return None


def cell_label(index: int, count: object, first_line: str) -> str:
    run = f" (In [{count}])" if isinstance(count, int) else ""
    first = first_line.strip()[:60]
    return f"cell {index}{run} {json.dumps(first, ensure_ascii=False)}" if first else \
        f"cell {index}{run}"


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
    """The graded statements of every code cell, in order (raises NotebookError past caps)."""
    _check_size(nb)
    parts: list[str] = []
    notes: list[str] = []
    origins: list[Origin] = []
    line = 1  # where the next part starts in the graded source
    for index, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        raw = _text(cell.get("source", ""))
        first = next((x for x in raw.splitlines() if x.strip()), "")
        count = cell.get("execution_count")
        text = strip_magics(raw)
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            notes.append(f"{cell_label(index, count, first)} is not valid Python and was "
                         f"skipped: {_syntax_reason(err)}")
            continue
        lines = _LINE_ENDS.split(text)
        for node in tree.body:
            if not is_graded(node):
                continue
            segment, first_line = _segment(lines, node)
            parts.append(segment)
            n_lines = segment.count("\n") + 1
            origins.append(Origin(line, line + n_lines - 1, index, count, first, first_line))
            line += n_lines + 1  # parts are joined by a blank line
    meta = nb.get("metadata", {}).get("coursekit", {})
    assignment = meta.get("assignment") if isinstance(meta, dict) else None
    return GradedCode("\n\n".join(parts) + "\n", notes,
                      assignment if isinstance(assignment, str) else None, origins)


def _text(source: object) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _check_size(nb: nbformat.NotebookNode) -> None:
    cells = nb.get("cells", [])
    if len(cells) > MAX_CELLS:
        raise NotebookError(f"the notebook has {len(cells)} cells (limit {MAX_CELLS}): "
                            "remove generated or pasted cells and submit again")
    lines = sum(_text(c.get("source", "")).count("\n") + 1 for c in cells
                if c.get("cell_type") == "code")
    if lines > MAX_CODE_LINES:
        raise NotebookError(f"the notebook's code cells hold {lines} lines (limit "
                            f"{MAX_CODE_LINES}): remove pasted data or generated code")


def _syntax_reason(err: BaseException) -> str:
    if isinstance(err, SyntaxError):
        return f"line {err.lineno}: {err.msg}"
    return type(err).__name__


def _segment(lines: list[str], node: ast.stmt) -> tuple[str, int]:
    """The statement's source (decorators included) and its first line, from lines split once
    (ast.get_source_segment splits the whole cell again for every statement: quadratic)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    col, end_col = node.col_offset, node.end_col_offset
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        first, col = min(d.lineno for d in decorators) - 1, 0
    if first == last:
        return lines[first].encode()[col:end_col].decode(), first + 1
    head = lines[first].encode()[col:].decode()
    tail = lines[last].encode()[:end_col].decode()
    return " " * col + head + "".join(lines[first + 1 : last]) + tail, first + 1


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
