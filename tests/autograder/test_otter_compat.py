"""Otter Assign compatibility: markers, config, points, test formats, notebook execution.

The master notebooks are coursekit's own (tests/autograder/otter_master.py). The side-by-side
comparison with otter-grader's notebooks and `otter run` is bench/otter_bench.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4
from otter_master import MARKERS, master_notebook, write_master

from autograder.adapter import Adapter, InProcessTransport
from autograder.build import otter_plugins
from autograder.build import stub as stub_module
from autograder.build.builder import generate, write_build
from autograder.build.markup import CELL_MARKERS, parse_solution
from autograder.build.otter_config import resolve_points
from autograder.build.otter_tests import doctest_text
from autograder.build.stub import MarkupError, make_stub, strip_solution_markers
from autograder.grade.batch import grade_batch
from autograder.notebook_mode import notebook_code
from autograder.otter_runtime import run_exception_test, run_ok_test
from autograder.runtime.session import load_submission

REFERENCE_SECRETS = ["SECRET_cube", "SECRET_print", "SECRET_area", "SECRET_markdown_solution",
                     "SECRET_written_answer"]
IGNORED_SECRETS = ["SECRET_ignored_block", "SECRET_ignored_line", "SECRET_ignored_markdown",
                   "SECRET_ignored_cell", "SECRET_plugin"]


def _build(root: Path, ok_format: bool | None):
    spec = parse_solution(write_master(root, master_notebook(ok_format)))
    return spec, generate(spec, root)


@pytest.mark.parametrize("ok_format", [None, False], ids=["ok-tests", "exception-tests"])
def test_no_marker_leaks_a_solution_or_a_hidden_test(tmp_path, ok_format):
    _spec, out = _build(tmp_path, ok_format)
    public = "\n".join(out.committed.values())
    leaked = [t for t in REFERENCE_SECRETS + IGNORED_SECRETS + ["HIDDEN_", "rng_seed = 42"]
              if t in public]
    assert not leaked, f"{leaked} reached the student notebook or the public tests"
    reference = out.bundle["examples/reference.ipynb"]
    assert all(s in reference for s in REFERENCE_SECRETS)
    assert not [s for s in IGNORED_SECRETS if s in reference], "# IGNORE, PLUGIN: in neither"
    hidden = "\n".join(v for k, v in out.bundle.items() if k.startswith("tests/"))
    assert "HIDDEN_" in hidden, "the hidden tests must reach the grader"


def test_the_master_notebook_walks_every_marker_the_build_knows():
    known = (stub_module.BLOCKS | stub_module.SUFFIXES | {"BEGIN PROMPT", "END PROMPT"}
             | CELL_MARKERS | set(otter_plugins.BEGIN) | {otter_plugins.END})
    assert known <= MARKERS, f"add {sorted(known - MARKERS)} to otter_master.py's notebook"


SECRET_LINE = "answer = 'SECRET'"


@pytest.mark.parametrize("source", [
    f"def f():\n    # BEGIN SOLUTION\n    {SECRET_LINE}\n    return answer\n    # END SOLUTION",
    f"# BEGIN SOLUTION NO PROMPT\n{SECRET_LINE}\n# END SOLUTION",
    f"{SECRET_LINE}  # SOLUTION",
    "print('SECRET')  # SOLUTION",
    f"{SECRET_LINE}  # SOLUTION NO PROMPT",
    "np.random.seed('SECRET')  # SEED",
    f"{SECRET_LINE}  # IGNORE",
    f"# BEGIN IGNORE\n{SECRET_LINE}\n# END IGNORE",
    f"def f():\n    # BEGIN SOLUTION NO PROMPT\n    {SECRET_LINE}\n    # END SOLUTION\n"
    '    """ # BEGIN PROMPT\n    return ...\n    """; # END PROMPT',
    f"x = 1\n{SECRET_LINE}  # solution",  # markers are matched in any case
])
def test_each_in_code_marker_removes_the_solution(source):
    student = make_stub(source, "q1", "cell")
    assert "SECRET" not in student
    compile(student, "student", "exec")


@pytest.mark.parametrize("source, named", [
    ('""" # BEGIN PLUGIN\nplugin: x\n""" # END PLUGIN', "BEGIN PLUGIN"),
    ("x = 1  # SOLUTION PROMPT", "SOLUTION PROMPT"),
    ("# HIDDEN\nx = 1", "HIDDEN"),
    ("# BEGIN SOLUTION\nx = 1", "no '# END SOLUTION'"),
    ("x = 1\n# END SOLUTION", "without a BEGIN"),
    ("# BEGIN PROMPT\nx = ...\n# END PROMPT", "multi-line string"),
    ("def f():\n    # BEGIN SOLUTION NO PROMPT\n    return 1\n    # END SOLUTION", "not valid"),
])
def test_unknown_or_broken_markers_are_errors(source, named):
    with pytest.raises(MarkupError, match=named):
        make_stub(source, "q1", "cell 5")


def test_reference_keeps_solutions_and_drops_prompts():
    src = ('def f():\n    # BEGIN SOLUTION NO PROMPT\n    return 1\n    # END SOLUTION\n'
           '    """ # BEGIN PROMPT\n    return ...\n    """; # END PROMPT\nnp.random.seed(1)  # SEED')
    assert strip_solution_markers(src) == "def f():\n    return 1\nnp.random.seed(1)"


def _with_cell(cell, at: int = 1) -> nbformat.NotebookNode:
    nb = master_notebook()
    nb.cells.insert(at, cell)
    return nb


@pytest.mark.parametrize("cell, named", [
    (v4.new_raw_cell("# BEGIN HIDDEN"), "unknown marker cell"),
    (v4.new_raw_cell("# BEGIN SOLUTION NO PROMPT"), "unknown marker cell"),
    (v4.new_raw_cell("# BEGIN QUESTION\nname: qx\nprivat_points: 2"), "privat_points"),
    (v4.new_raw_cell("# BEGIN QUESTION\nname: qx\npoints: [1, 2]\n"), "lists 2 values"),
])
def test_unknown_cells_and_keys_are_errors(tmp_path, cell, named):
    nb = _with_cell(cell, at=len(master_notebook().cells) - 1)
    if "BEGIN QUESTION" in cell.source:
        nb.cells[-1:-1] = [v4.new_raw_cell("# BEGIN TESTS"), v4.new_code_cell("nine"),
                           v4.new_raw_cell("# END TESTS"), v4.new_raw_cell("# END QUESTION")]
    with pytest.raises(MarkupError, match=named):
        generate(parse_solution(write_master(tmp_path, nb)), tmp_path)


@pytest.mark.parametrize("old, new, named", [
    ("export_cell: false", "export_cel: false", "export_cel"),
    ("show_stdout: true", "show_stdot: true", "show_stdot"),
    ("files:", "tests:\n    url_prefix: http://x\nfiles:", "url_prefix"),
    ("points: 2\n", "hiden: true\npoints: 2\n", "hiden"),
])
def test_unknown_config_keys_are_errors(tmp_path, old, new, named):
    nb = master_notebook()
    for cell in nb.cells:
        cell.source = cell.source.replace(old, new, 1)
    with pytest.raises(MarkupError, match=named):
        parse_solution(write_master(tmp_path, nb))


def test_config_name_from_folder_notes_and_config_file(tmp_path):
    nb = master_notebook()
    nb.cells[0].source = nb.cells[0].source.replace("name: otterish\n", "config_file: "
                                                    "shared.yml\n")
    path = write_master(tmp_path, nb)
    (path.parent / "shared.yml").write_text("init_cell: false\ntimeout: 7\n")
    spec = parse_solution(path)
    assert spec.config.name == "otterish" and spec.config.timeout == 10
    assert any("'init_cell' has no effect" in n for n in spec.notes)
    assert any("q3 is graded by hand" in n for n in spec.notes)
    assert spec.config.execution == "notebook"


@pytest.mark.parametrize("total, declared, expected", [
    (None, [None, None], [0.5, 0.5]),            # no points anywhere: the question is worth 1
    (None, [2, None, 1], [2, 0, 1]),             # unspecified tests are worth 0
    (None, [0, None], [0, 1]),                   # only zeros given: the rest share 1
    (6, [2, None, 2, None], [2, 1, 2, 1]),
    ([10, 2], [None, None], [10, 2]),
    ({"each": 0.75}, [None] * 4, [0.75] * 4),
    ({"each": 2}, [1, None], [1, 3]),
])
def test_points_follow_otters_rules(total, declared, expected):
    assert resolve_points("q", total, declared) == pytest.approx(expected)
    otter = pytest.importorskip("otter.test_files.abstract_test")
    cases = [otter.TestCase(f"t{i}", "", False, p, None, None) for i, p in enumerate(declared)]
    spec = total["each"] * len(declared) if isinstance(total, dict) else total
    resolved = otter.TestFile.resolve_test_file_points(spec, cases)
    assert [c.points for c in resolved] == pytest.approx(expected), "differs from Otter"


def test_points_that_do_not_add_up_are_an_error():
    with pytest.raises(MarkupError, match="add up to 3"):
        resolve_points("q1", 4, [1, 2])


@pytest.mark.parametrize("code", ["x", "def f(a):\n    return a\n\nf(2)",
                                  "for i in range(2):\n    print(i)\nelse:\n    pass"])
def test_doctest_text_matches_otters(code):
    import ast

    utils = pytest.importorskip("otter.assign.utils")
    ours = doctest_text(ast.parse(code), "OUT")
    theirs = "\n".join(utils.str_to_doctest(ast.unparse(ast.parse(code)).split("\n"), []))
    assert ours == theirs + "\nOUT"


class Point:
    def __init__(self, x):
        self.x = x

    def __eq__(self, other):
        return isinstance(other, Point) and other.x == self.x


def _sub(**names) -> Adapter:
    import numpy

    return Adapter(InProcessTransport({"np": numpy, **names}))


def test_ok_tests_reach_student_objects_through_the_adapter():
    sub = _sub(square=lambda v: v * v, Point=Point, p=Point(3), x=..., xs=[1, 2])
    run_ok_test(sub, ">>> square(4)\n16\n", "t", __file__)
    run_ok_test(sub, ">>> p == Point(3), p.x, len(xs)\n(True, 3, 2)\n", "t", __file__)
    run_ok_test(sub, ">>> np.allclose(np.ones(2), 1)\nTrue\n", "t", __file__)
    with pytest.raises(AssertionError, match="TypeError"):
        run_ok_test(sub, ">>> 0 < x\nTrue\n", "t", __file__)  # as Python: `...` has no order
    with pytest.raises(AssertionError, match="NameError"):
        run_ok_test(sub, ">>> missing\n1\n", "t", __file__)


def test_exception_tests_get_student_values_env_and_none():
    sub = _sub(nine=9)

    def test_values(nine, absent, env):
        assert nine == 9 and absent is None and env["nine"] == 9

    run_exception_test(sub, test_values, "t", __file__)

    def test_wrong(nine):
        assert nine == 10, "nine is wrong"

    with pytest.raises(AssertionError, match="nine is wrong"):
        run_exception_test(sub, test_wrong, "t", __file__)


def test_notebook_mode_runs_every_cell_with_time_limits_and_seeds():
    nb = v4.new_notebook(cells=[
        v4.new_code_cell("%matplotlib inline\nimport numpy as np\nfirst = np.random.rand()"),
        v4.new_code_cell("while True:\n    pass"),
        v4.new_code_cell("raise ValueError('boom')\nnot_reached = 1"),
        v4.new_code_cell("second = np.random.rand()\nafter = sv"),
    ])
    meta = {"timeout": 0.3, "seed": {"value": 5, "variable": "sv", "autograder_value": 4}}
    namespace: dict = {}
    errors = load_submission(notebook_code(nb, meta).source, namespace)
    assert [e["type"] for e in errors] == ["CellTimeLimit", "ValueError"]
    assert namespace["first"] == namespace["second"], "every cell starts from the same seed"
    assert namespace["after"] == 4 and "not_reached" not in namespace


def test_otter_master_proves_and_grades_like_otter(tmp_path):
    """Reference full marks, stub zero (what `coursekit build` proves), and all-or-nothing: a right `cube` with a wrong
    `square` earns nothing on q1 (Otter would give 0 too)."""
    _spec, out = _build(tmp_path, None)
    bundle = write_build(out, tmp_path, "otterish")
    reference = nbformat.read(str(bundle / "examples" / "reference.ipynb"), as_version=4)
    for cell in reference.cells:
        cell.source = cell.source.replace("return y", "return y + 1")
    partial = tmp_path / "partial.ipynb"
    nbformat.write(reference, str(partial))
    examples = bundle / "examples"
    ref, stub, part = grade_batch(bundle, [examples / "reference.ipynb", examples / "stub.ipynb",
                                           partial], tmp_path / "out", jobs=1)
    assert ref.by_question() == {"q1": (5.0, 5.0), "q2": (3.0, 3.0)}, ref.tests
    assert stub.by_question() == {"q1": (0.0, 5.0), "q2": (0.0, 3.0)}
    assert part.by_question()["q1"] == (0.0, 5.0)
    assert "all-or-nothing" in next(t.message for t in part.tests if t.name == "test_q1_2")
    meta = json.loads((bundle / "assignment.json").read_text())
    assert meta["execution"] == "notebook" and (bundle / "files" / "data.csv").is_file()


def test_question_totals_round_the_sum_not_each_step():
    from autograder.results import SubmissionResult, TestResult

    third = 1 / 3
    tests = [TestResult("q3", f"t{i}", third, third, False) for i in range(3)]
    assert SubmissionResult("nb", "a", tests).by_question() == {"q3": (1.0, 1.0)}


def test_marker_errors_name_the_solution_notebook_cell(tmp_path):
    nb = master_notebook()
    nb.cells.append(v4.new_code_cell("x = 1  # SOLUTION PROMPT"))
    with pytest.raises(MarkupError, match=rf"cell {len(nb.cells)} line 1: .*'# SOLUTION PROMPT'"):
        generate(parse_solution(write_master(tmp_path, nb)), tmp_path)
