"""Otter-style master notebooks written by the tests (coursekit's own, not otter-grader's).

`master_notebook()` uses every marker coursekit supports. Every piece of solution text holds a
token `SECRET...` and every hidden test a token `HIDDEN...`: the student notebook and the
public tests must contain none of them. `MARKERS` lists the markers the notebook exercises,
so the tests can check it against the markers the build knows.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

MARKERS = {
    # in-code markers (autograder.build.stub)
    "BEGIN SOLUTION", "BEGIN SOLUTION NO PROMPT", "END SOLUTION", "SOLUTION",
    "SOLUTION NO PROMPT", "SEED", "IGNORE", "BEGIN IGNORE", "END IGNORE", "BEGIN PROMPT",
    "END PROMPT", "BEGIN PLUGIN", "BEGIN PLUGIN EXPORT", "END PLUGIN",
    # cell markers (autograder.build.markup)
    "# ASSIGNMENT CONFIG", "# BEGIN QUESTION", "# END QUESTION", "# BEGIN TESTS",
    "# END TESTS", "# BEGIN TEST HELPERS", "# END TEST HELPERS", "# BEGIN SOLUTION",
    "# END SOLUTION", "# BEGIN PROMPT", "# END PROMPT", "# IGNORE cell", "```otter cell",
    "# HIDDEN test", "TEST CONFIG",
}

CONFIG = """```otter
# ASSIGNMENT CONFIG
name: otterish
requires: [numpy]
timeout: 10
memory_mb: 1024
seed:
    variable: rng_seed
    autograder_value: 42
    student_value: 7
generate:
    seed: 3
    show_stdout: true
files:
    - data.csv
export_cell: false
```"""

IMPORTS = "import numpy as np\nrng_seed = 42"

Q1_SOLUTION = '''def square(x):
    y = x * x  # SOLUTION NO PROMPT
    return y  # SOLUTION


def cube(x):
    # BEGIN SOLUTION
    return x * x * x  # SECRET_cube
    # END SOLUTION


nine = square(3)
SCALE = 3.0  # SOLUTION
print("SECRET_print")  # SOLUTION
np.random.seed(0)  # SEED
# BEGIN IGNORE
IGNORED_EVERYWHERE = "SECRET_ignored_block"
# END IGNORE
also_ignored = "SECRET_ignored_line"  # IGNORE'''

Q2_SOLUTION = '''def area(r):
    # BEGIN SOLUTION NO PROMPT
    return 3.0 * r * r  # SECRET_area
    # END SOLUTION
    """ # BEGIN PROMPT
    # Next, compute the area of a circle of radius r.
    return ...
    """; # END PROMPT


total = int(np.random.default_rng(rng_seed).integers(0, 10, 3).sum())  # SOLUTION
rows = open("data.csv").read().split()  # SOLUTION'''

# Otter's student-facing plugin blocks: left out of both notebooks (with a warning)
PLUGINS = '''""" # BEGIN PLUGIN
plugin: SECRET_plugin.Upload
args: [nine]
"""; # END PLUGIN
""" # BEGIN PLUGIN EXPORT
plugin: SECRET_plugin.Export
"""; # END PLUGIN'''

# (code, saved output) of each test cell: public then hidden, per question and format
OK_TESTS = {
    "q1": [("square(4)", "16"), ("# HIDDEN\ncube(2) + 0 * len('HIDDEN_ok')", "8")],
    "q2": [("area(1.0)", "3.0"),
           ('''""" # BEGIN TEST CONFIG
hidden: true
points: 2
""" # END TEST CONFIG
check = "HIDDEN_ok2"
area(2.0) == 12.0 and rows == ["a", "b"] and \\
    total == int(np.random.default_rng(42).integers(0, 10, 3).sum())''',
            "True")],
}
EXCEPTION_TESTS = {
    "q1": [("def test_square(square):\n    assert square(4) == 16\n\ntest_square(square)", ""),
           ("# HIDDEN\ndef test_cube(cube):\n    assert cube(2) == 8, 'HIDDEN_exc_cube'", "")],
    "q2": [('''""" # BEGIN TEST CONFIG
points: 1
failure_message: area is wrong
""" # END TEST CONFIG
def test_area(area):
    assert abs(area(1.0) - 3.0) < 1e-9

test_area(area)''', ""),
           ('''""" # BEGIN TEST CONFIG
hidden: true
points: 2
""" # END TEST CONFIG
def test_rows(rows, env):
    assert rows == ["a", "b"] and env["area"](2.0) == 12.0, "HIDDEN_exc"
    assert env["total"] == int(env["np"].random.default_rng(42).integers(0, 10, 3).sum())''',
            "")],
}


def _out(code: str, text: str) -> nbformat.NotebookNode:
    cell = v4.new_code_cell(code)
    if text:
        cell.outputs = [v4.new_output("execute_result", {"text/plain": text},
                                      execution_count=1)]
    return cell


def master_notebook(ok_format: bool | None = None) -> nbformat.NotebookNode:
    """The master notebook with OK tests, or exception-based ones for `ok_format=False`."""
    config = CONFIG if ok_format is None else CONFIG.replace(
        "export_cell", f"tests:\n    ok_format: {str(ok_format).lower()}\nexport_cell")
    tests = EXCEPTION_TESTS if ok_format is False else OK_TESTS
    q1, q2 = ([_out(code, out) for code, out in tests[q]] for q in ("q1", "q2"))
    return v4.new_notebook(cells=[
        v4.new_markdown_cell(config),
        v4.new_code_cell(IMPORTS),
        v4.new_markdown_cell("# IGNORE\nSECRET_ignored_markdown"),
        v4.new_raw_cell("# BEGIN TEST HELPERS"),
        v4.new_code_cell("HELPER_TOLERANCE = 1e-9"),
        v4.new_raw_cell("# END TEST HELPERS"),
        v4.new_raw_cell("# BEGIN QUESTION\nname: q1\npoints: [2, 3]\nall_or_nothing: true"),
        v4.new_markdown_cell("Define `square` and `cube`."),
        v4.new_raw_cell("# BEGIN SOLUTION"),
        v4.new_code_cell(Q1_SOLUTION),
        v4.new_markdown_cell("SECRET_markdown_solution"),
        v4.new_raw_cell("# END SOLUTION"),
        v4.new_raw_cell("# BEGIN TESTS"),
        *q1,
        v4.new_raw_cell("# END TESTS"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_markdown_cell("```otter\n# BEGIN QUESTION\nname: q2\npoints:\n    each: 1.5\n```"),
        v4.new_raw_cell("# BEGIN SOLUTION"),
        v4.new_code_cell(Q2_SOLUTION),
        v4.new_raw_cell("# END SOLUTION"),
        v4.new_raw_cell("# BEGIN TESTS"),
        *q2,
        v4.new_raw_cell("# END TESTS"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_raw_cell("# BEGIN QUESTION\nname: q3\nmanual: true\npoints: 2"),
        v4.new_markdown_cell("Explain your choice."),
        v4.new_raw_cell("# BEGIN SOLUTION"),
        v4.new_markdown_cell("SECRET_written_answer"),
        v4.new_raw_cell("# END SOLUTION"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_raw_cell("# BEGIN QUESTION\nname: q4\nmanual: true"),
        v4.new_raw_cell("# BEGIN PROMPT"),
        v4.new_markdown_cell("_Write your plan here._"),
        v4.new_raw_cell("# END PROMPT"),
        v4.new_raw_cell("# END QUESTION"),
        v4.new_code_cell("# IGNORE\nprint('SECRET_ignored_cell')"),
        v4.new_code_cell(PLUGINS),
    ])


def write_master(root: Path, nb: nbformat.NotebookNode | None = None) -> Path:
    folder = root / "solutions" / "otterish"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "otterish.ipynb"
    nbformat.write(nb or master_notebook(), str(path))
    (folder / "data.csv").write_text("a\nb\n")
    return path
