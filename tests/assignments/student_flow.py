"""The student flow every assignment is tested through: the stub notebook -> some questions
filled in with the solution -> everything filled in; at each stage the notebook's own `check()`
(public tests, in-process) and then `coursekit grade` (sandboxed, hidden tests too) must give the
expected scores. Each `test_<slug>_flow.py` names its slug, its first part and its points."""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import re
from pathlib import Path

import nbformat

from autograder.build.builder import repo_root
from autograder.build.stub import strip_solution_markers
from autograder.check import Checker
from autograder.cli import main as coursekit
from autograder.extract import graded_code

ROOT = repo_root()
STUB_QUESTION = re.compile(r"NotImplementedError\(['\"](q\d+):")


def _defined_names(source: str) -> frozenset[str]:
    return frozenset(node.name for node in ast.parse(source).body
                     if isinstance(node, ast.FunctionDef | ast.ClassDef))


def _paths(slug: str) -> tuple[Path, Path]:
    return (ROOT / "assignments" / slug / f"{slug}.ipynb",
            ROOT / "solutions" / slug / f"{slug}.ipynb")


def student_notebook(slug: str, questions: set[str] | None) -> nbformat.NotebookNode:
    """The student notebook with the stubs of `questions` (all when None) replaced by the solution."""
    student, solution = _paths(slug)
    solved = {}
    for cell in nbformat.read(solution, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            solved[_defined_names(cell.source)] = strip_solution_markers(cell.source)
    nb = nbformat.read(student, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "NotImplementedError(" in cell.source:
            question = STUB_QUESTION.search(cell.source).group(1)
            if questions is None or question in questions:
                cell.source = solved[_defined_names(cell.source)]
    return nb


def self_check(slug: str, nb: nbformat.NotebookNode) -> dict[str, tuple[float, float]]:
    """What `check()` in the notebook reports: public tests run on the notebook's own namespace."""
    namespace: dict = {"__name__": "student_notebook"}
    exec(compile(graded_code(nb).source, "student_notebook", "exec"), namespace)  # noqa: S102 - our own files
    check = Checker(slug, namespace)
    with contextlib.redirect_stdout(io.StringIO()):
        check()
    return check.last.by_question()


def assert_stubs_name_their_questions(slug: str, points: dict[str, float]) -> None:
    """Every stub names its question, every question has a stub, and every stub a solution."""
    nb = student_notebook(slug, None)
    assert not [c for c in nb.cells if "NotImplementedError(" in c.source]
    stubs = nbformat.read(_paths(slug)[0], as_version=4).cells
    named = {m for c in stubs if c.cell_type == "code" for m in STUB_QUESTION.findall(c.source)}
    assert named == set(points)


def assert_self_check_then_grade(slug: str, part1: set[str], points: dict[str, float],
                                 tmp_path: Path) -> None:
    """stub / part 1 / complete: `check()` passes exactly the filled-in questions, and
    `coursekit grade` gives part 1 its points and the complete notebook full marks."""
    stages = {"stub": set(), "part1": part1, "complete": None}
    for name, questions in stages.items():
        nb = student_notebook(slug, questions)
        checked = self_check(slug, nb)
        passing = {q for q, (got, top) in checked.items() if got >= top}
        assert passing == (set(points) if questions is None else questions), (name, checked)
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = coursekit(["grade", slug, str(tmp_path / "part1.ipynb"), str(tmp_path / "complete.ipynb"),
                          "--out", str(tmp_path / "grades")])
    assert code == 0, out.getvalue()
    with open(tmp_path / "grades" / "gradebook.csv", newline="") as fh:
        rows = {Path(row["submission"]).name: row for row in csv.DictReader(fh)}
    scores = {name: float(rows[f"{name}.ipynb"]["score"]) for name in ("part1", "complete")}
    assert scores == {"part1": sum(points[q] for q in part1), "complete": sum(points.values())}, \
        (scores, rows)
