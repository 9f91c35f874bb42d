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
    assert code.notes[0].startswith('cell 1 "def f(:" is not valid Python')
    assert "line 1" in code.notes[0]


TRICKY = ('X = "é€"; Y = 2\r\nZ = {\r\n  "a": 1,\r\n}\r\n'
          'def f(x):\n    return x  # ünïcode\n\n'
          'class A:\n    B = 1\rW = [1,\n 2]; print(W)\n')


def test_statement_source_matches_ast_get_source_segment():
    """The linear splitter gives what ast.get_source_segment gives (parity)."""
    import ast

    from autograder.extract import _LINE_ENDS, _segment

    tree, lines = ast.parse(TRICKY), _LINE_ENDS.split(TRICKY)
    for node in tree.body:
        assert _segment(lines, node)[0] == ast.get_source_segment(TRICKY, node, padded=True)


def test_decorators_are_kept():
    src = _source("import functools\n\n@functools.lru_cache(None)\ndef f(x):\n    return x\n")
    assert "@functools.lru_cache(None)\ndef f(x):" in src


def test_extraction_is_linear_and_capped():
    import time

    import pytest

    from autograder.extract import MAX_CODE_LINES, NotebookError

    big = "\n".join(f"X{i} = {i}" for i in range(5000))  # was quadratic: minutes
    start = time.perf_counter()
    assert _source(big).count("\n") >= 5000
    assert time.perf_counter() - start < 5
    with pytest.raises(NotebookError, match="limit"):
        _source("\n".join(["pass"] * (MAX_CODE_LINES + 1)))


def test_origins_name_the_cell_the_student_sees():
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title"),
                                v4.new_code_cell("import numpy as np", execution_count=1),
                                v4.new_code_cell("print('x')\n\ndef double(x):\n    y = 2 * x\n"
                                                 "    return y", execution_count=4)])
    code = graded_code(nb)
    line = code.source.splitlines().index("    y = 2 * x") + 1
    assert code.locate(line) == 'cell 3 (In [4]) "print(\'x\')", line 4'
