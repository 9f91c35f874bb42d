"""The summarization student flow, end to end: the stub notebook -> Part 1 filled in -> everything filled
in; at each stage the notebook's own `check()` (public tests, in-process) and then
`coursekit grade` (sandboxed, hidden tests too) give the expected scores. No data needed:
the graded code builds its own tiny BART models and tokenizers."""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import re
from pathlib import Path

import nbformat
import pytest

from autograder.build.builder import repo_root
from autograder.build.stub import strip_solution_markers
from autograder.check import Checker
from autograder.cli import main as coursekit
from autograder.extract import graded_code

ROOT = repo_root()
SLUG = "summarization"
STUDENT = ROOT / "assignments" / SLUG / f"{SLUG}.ipynb"
SOLUTION = ROOT / "solutions" / SLUG / f"{SLUG}.ipynb"
PART1 = {"q1", "q2", "q3", "q4"}
STUB_QUESTION = re.compile(r"NotImplementedError\(['\"](q\d+):")
POINTS = {"q1": 4, "q2": 6, "q3": 5, "q4": 4, "q5": 5, "q6": 12, "q7": 5, "q8": 8, "q9": 6, "q10": 3}


def _defined_names(source: str) -> frozenset[str]:
    return frozenset(node.name for node in ast.parse(source).body
                     if isinstance(node, ast.FunctionDef | ast.ClassDef))


def student_notebook(questions: set[str] | None) -> nbformat.NotebookNode:
    """The student notebook with the stubs of `questions` (all when None) replaced by the solution."""
    solved = {}
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            solved[_defined_names(cell.source)] = strip_solution_markers(cell.source)
    nb = nbformat.read(STUDENT, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "NotImplementedError(" in cell.source:
            question = STUB_QUESTION.search(cell.source).group(1)
            if questions is None or question in questions:
                cell.source = solved[_defined_names(cell.source)]
    return nb


def self_check(nb: nbformat.NotebookNode) -> dict[str, tuple[float, float]]:
    """What `check()` in the notebook reports: public tests run on the notebook's own namespace."""
    namespace: dict = {"__name__": "student_notebook"}
    exec(compile(graded_code(nb).source, "student_notebook", "exec"), namespace)  # noqa: S102 - our own files
    check = Checker(SLUG, namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        check()
    return check.last.by_question()


def test_every_stub_names_its_question_and_has_a_solution():
    nb = student_notebook(None)
    assert not [c for c in nb.cells if "NotImplementedError(" in c.source]
    stubs = nbformat.read(STUDENT, as_version=4).cells
    named = {m for c in stubs if c.cell_type == "code" for m in STUB_QUESTION.findall(c.source)}
    assert named == set(POINTS)


@pytest.mark.slow
def test_self_check_then_grade(tmp_path):
    stages = {"stub": set(), "part1": PART1, "complete": None}
    for name, questions in stages.items():
        nb = student_notebook(questions)
        checked = self_check(nb)
        passing = {q for q, (got, top) in checked.items() if got >= top}
        assert passing == (set(POINTS) if questions is None else questions), (name, checked)
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = coursekit(["grade", SLUG, str(tmp_path / "part1.ipynb"), str(tmp_path / "complete.ipynb"),
                          "--out", str(tmp_path / "grades")])
    assert code == 0, out.getvalue()
    with open(tmp_path / "grades" / "gradebook.csv", newline="") as fh:
        rows = {Path(row["submission"]).name: row for row in csv.DictReader(fh)}
    total = sum(POINTS.values())
    scores = {name: float(rows[f"{name}.ipynb"]["score"]) for name in ("part1", "complete")}
    assert scores == {"part1": sum(POINTS[q] for q in PART1), "complete": total}, (scores, rows)
