"""A tiny two-question assignment written by the tests themselves (no real data needed)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

CONFIG = """# ASSIGNMENT CONFIG
name: toy
title: Toy assignment
order: 0
requires: [numpy]
timeout: 5
memory_mb: 1024"""

Q1 = '''import numpy as np

SCALE = 2.0


def double(x):
    """Return SCALE * x."""
    # BEGIN SOLUTION
    return SCALE * np.asarray(x, dtype=float)
    # END SOLUTION'''

Q1_PUBLIC = '''def test_double_small(sub):
    assert_close(sub.call("double", np.arange(3)), [0.0, 2.0, 4.0], name="double([0,1,2])")'''

Q1_HIDDEN = '''""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_double_random(sub, ref):
    x = np.random.default_rng(0).normal(size=(3, 4))
    assert_close(sub.call("double", x), ref.call("double", x), name="double(x)")'''

Q2 = '''class Counter:
    """Counts what you add."""

    def __init__(self):
        self.total = 0

    def add(self, n):
        self.total += n  # SOLUTION
        return self.total'''

Q2_TESTS = '''def test_counter(sub):
    c = sub.new("Counter")
    c.call("add", 2)
    assert c.call("add", 3) == 5
    assert c.get("total") == 5'''

CATALOG = '''[[bug]]
name = "double-adds"
question = "q1"
description = "adds instead of multiplying"
[[bug.patch]]
old = "return SCALE * np.asarray(x, dtype=float)"
new = "return SCALE + np.asarray(x, dtype=float)"

[[alternative]]
name = "double-multiply"
description = "np.multiply instead of the * operator"
[[alternative.patch]]
old = "return SCALE * np.asarray(x, dtype=float)"
new = "return np.multiply(np.asarray(x, dtype=float), SCALE)"
'''


def solution_notebook(extra_q1_tests: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cells = [
        v4.new_raw_cell(CONFIG),
        v4.new_markdown_cell("# Toy assignment\nTwo tiny questions."),
        v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: 2"),
        v4.new_markdown_cell("Write `double`."),
        v4.new_code_cell(Q1),
        v4.new_raw_cell("# BEGIN TESTS"),
        v4.new_code_cell(Q1_PUBLIC),
        v4.new_code_cell(Q1_HIDDEN),
        *[v4.new_code_cell(t) for t in extra_q1_tests],
        v4.new_raw_cell("# END TESTS"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_raw_cell("# BEGIN QUESTION\nname: q2\npoints: 1"),
        v4.new_code_cell(Q2),
        v4.new_raw_cell("# BEGIN TESTS"),
        v4.new_code_cell(Q2_TESTS),
        v4.new_raw_cell("# END TESTS"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_code_cell("print(double([1, 2]))  # an experiment: not graded"),
    ]
    return v4.new_notebook(cells=cells)


def write_toy(root: Path, nb: nbformat.NotebookNode | None = None) -> Path:
    """Write solutions/toy/{toy.ipynb,catalog.toml} under `root`; returns the notebook path."""
    folder = root / "solutions" / "toy"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "toy.ipynb"
    nbformat.write(nb or solution_notebook(), str(path))
    (folder / "catalog.toml").write_text(CATALOG)
    return path
