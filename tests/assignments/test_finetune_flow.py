"""The finetune student flow, end to end: the stub notebook fails its self-check, the filled-in
notebook passes `check()` in-process, and `coursekit grade` of the saved notebook gives the
expected score: full marks, and exactly the points of the tests a one-line slip breaks.

No data and no pretrained model are needed: the graded code never reads SMS Spam or SST-2 and the
tests build a tiny BERT and WordPiece tokenizer from configs (only the experiment cells load
MiniLM from the hub cache). Everything runs with HF_HUB_OFFLINE=1.
"""

from __future__ import annotations

import ast
import csv
import os

import nbformat
import pytest

from autograder.build.builder import repo_root
from autograder.build.stub import strip_solution_markers
from autograder.check import Checker
from autograder.cli import main as coursekit
from autograder.extract import graded_code

ROOT = repo_root()
SLUG = "finetune"
STUDENT = ROOT / "assignments" / SLUG / f"{SLUG}.ipynb"
SOLUTION = ROOT / "solutions" / SLUG / f"{SLUG}.ipynb"
SLIP = ("pred = p_pos >= t", "pred = p_pos > t")  # strict threshold: p == t predicted negative


def _defined_names(source: str) -> frozenset[str]:
    return frozenset(node.name for node in ast.parse(source).body
                     if isinstance(node, ast.FunctionDef | ast.ClassDef))


def completed_student_notebook() -> nbformat.NotebookNode:
    """The student notebook with every stubbed cell replaced by its solution (a perfect student)."""
    solved = {}
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            solved[_defined_names(cell.source)] = strip_solution_markers(cell.source)
    nb = nbformat.read(STUDENT, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "NotImplementedError(" in cell.source:
            cell.source = solved[_defined_names(cell.source)]
    return nb


def _namespace(nb: nbformat.NotebookNode) -> dict:
    namespace: dict = {"__name__": "student"}
    exec(compile(graded_code(nb).source, "student", "exec"), namespace)  # noqa: S102 - our own notebook
    return namespace


def _check(nb: nbformat.NotebookNode, question: str | None, monkeypatch):
    monkeypatch.chdir(STUDENT.parent)  # where a student's notebook finds its public tests
    check = Checker(SLUG, _namespace(nb))
    check(question)  # prints the summary a student sees; the result stays in check.last
    return check.last


def test_every_stub_cell_has_a_solution():
    nb = completed_student_notebook()
    assert not [c for c in nb.cells if "NotImplementedError(" in c.source]


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_stub_fails_its_self_check(monkeypatch, capsys):
    result = _check(nbformat.read(STUDENT, as_version=4), "q5", monkeypatch)
    assert result.score == 0 < result.max_score
    assert "NotImplementedError: q5: implement classification_metrics" in capsys.readouterr().out


def test_filled_in_notebook_passes_check(monkeypatch):
    result = _check(completed_student_notebook(), None, monkeypatch)
    assert result.score == result.max_score > 0


@pytest.mark.slow
def test_grade_saved_notebooks(tmp_path, monkeypatch):
    nb = completed_student_notebook()
    slipped = completed_student_notebook()
    cell = next(c for c in slipped.cells if SLIP[0] in c.source)
    cell.source = cell.source.replace(*SLIP)
    public = _check(slipped, "q5", monkeypatch)
    assert public.score < public.max_score, "the self-check should already show the slip"
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    nbformat.write(nb, str(submissions / "ada.ipynb"))
    nbformat.write(slipped, str(submissions / "bob.ipynb"))
    assert coursekit(["grade", SLUG, str(submissions), "--out", str(tmp_path / "grades")]) == 0
    with open(tmp_path / "grades" / "gradebook.csv", newline="") as fh:
        rows = {os.path.basename(row["submission"]): row for row in csv.DictReader(fh)}
    assert float(rows["ada.ipynb"]["score"]) == float(rows["ada.ipynb"]["max_score"]) == 46, rows
    # p > t instead of p >= t breaks 2 of q5's 5 tests (1.2 points each): the public small example
    # and the hidden comparison with scikit-learn's precision-recall curve
    assert float(rows["bob.ipynb"]["score"]) == pytest.approx(43.6), rows["bob.ipynb"]
