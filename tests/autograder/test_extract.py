"""Which statements of a notebook the grader runs."""

from __future__ import annotations

from nbformat import v4

from autograder.extract import graded_code


def _source(*cells: str) -> str:
    return graded_code(v4.new_notebook(cells=[v4.new_code_cell(c) for c in cells])).source


def test_keeps_definitions_and_constants_drops_experiments():
    src = _source("import numpy as np\nfrom autograder.check import Checker\n"
                  "check = Checker('x', globals())",
                  "SEED = 0\nVOCAB = ['A', 'C']\nlr = 0.1\nmodel = train()\nprint(model)",
                  "def f():\n    return 1\n\nclass A:\n    pass\n",
                  "%matplotlib inline\n!pip install foo\nHIDDEN = np.zeros(3)\ncheck('q1')")
    for kept in ("import numpy as np", "SEED = 0", "VOCAB", "lr = 0.1", "def f", "class A",
                 "HIDDEN = np.zeros(3)"):
        assert kept in src, kept
    for dropped in ("autograder", "Checker", "train()", "print(model)", "matplotlib", "pip",
                    "check('q1')"):
        assert dropped not in src, dropped


def test_invalid_cell_is_skipped_with_a_note():
    nb = v4.new_notebook(cells=[v4.new_code_cell("def f(:"), v4.new_code_cell("X = 1")])
    code = graded_code(nb)
    assert "X = 1" in code.source
    assert "cell 1 is not valid Python" in code.notes[0]
