"""Student self-check: in the notebook (in-process) and from the terminal (sandboxed)."""

from __future__ import annotations

import nbformat
import numpy as np

from autograder.check import Checker
from autograder.cli import main


def _namespace(double_body: str) -> dict:
    ns: dict = {}
    exec(f"import numpy as np\nSCALE = 2.0\ndef double(x):\n    {double_body}\n"
         "class Counter:\n    def __init__(self):\n        self.total = 0\n"
         "    def add(self, n):\n        self.total += n\n        return self.total\n", ns)
    return ns


def test_check_in_notebook_passes_and_explains(toy_root, capsys, monkeypatch):
    assert main(["build", "--no-prove"]) == 0
    monkeypatch.chdir(toy_root / "assignments" / "toy")
    check = Checker("toy", _namespace("return SCALE * np.asarray(x, dtype=float)"))
    assert check("q1") is None  # a notebook shows the summary, not an object's repr
    assert check.last.score == check.last.max_score == 1.0
    assert "q1: all public tests pass" in capsys.readouterr().out
    bad = Checker("toy", _namespace("return x + x + 1"))
    bad()
    out = capsys.readouterr().out
    assert bad.last.score == 1.0  # q2 passes, q1 fails
    assert "double([0,1,2])" in out and "expected" in out


def test_check_command_on_saved_notebook(toy_root, capsys):
    assert main(["build", "--no-prove"]) == 0
    student = toy_root / "assignments/toy/toy.ipynb"
    assert main(["check", str(student)]) == 1
    out = capsys.readouterr().out
    assert "NotImplementedError: q1: implement double" in out
    nb = nbformat.read(str(student), as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace(
            "raise NotImplementedError('q1: implement double')",
            "return SCALE * np.asarray(x, dtype=float)")
        cell.source = cell.source.replace("        return self.total",
                                          "        self.total += n\n        return self.total")
    nbformat.write(nb, str(student))
    assert main(["check", str(student)]) == 0
    assert np  # numpy used by the namespace builder
