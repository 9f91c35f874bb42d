"""otter-grader's own master notebooks build unchanged: `private_points`, plugin blocks, and
the suite itself.

The always-run tests build coursekit fixtures equivalent to what otter-grader's test-suite
notebooks (test/test_assign/files/) use and coursekit used to refuse: a question with
`private_points` (generate-otter, generate-pdf, generate-gradescope) and a student-facing
`# BEGIN PLUGIN` block (generate-gradescope). With COURSEKIT_OTTER_FILES set to that folder of
an otter-grader checkout, `test_otter_suite_builds_unchanged_with_otters_points` builds each
notebook unchanged and compares every test's points and hidden flag with the autograder tests
Otter itself produced (the `*-correct` folders). Grading both ways is bench/otter_bench.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from nbformat import v4
from otter_master import master_notebook, write_master

from autograder.build.builder import generate
from autograder.build.markup import parse_solution
from autograder.build.otter_config import cell_points
from autograder.build.otter_plugins import remove_plugins
from autograder.build.stub import MarkupError

PLUGIN = '''""" # BEGIN PLUGIN
plugin: myotterpackage.MyOtterPlugin
args:
    - pi
    - z
kwargs:
    foo: circumference
    bar: None
    something: "'else'"
"""; # END PLUGIN'''
EXPORT = '''""" # BEGIN PLUGIN EXPORT
plugin: mypkg.Exporter
"""; # END PLUGIN'''


def _question(name: str, config: str, tests: list[str]) -> list:
    return [v4.new_raw_cell(f"# BEGIN QUESTION\nname: {name}\n{config}"),
            v4.new_raw_cell("# BEGIN SOLUTION"),
            v4.new_code_cell(f"{name}_value = 3  # SOLUTION"),
            v4.new_raw_cell("# END SOLUTION"), v4.new_raw_cell("# BEGIN TESTS"),
            *[v4.new_code_cell(t) for t in tests],
            v4.new_raw_cell("# END TESTS"), v4.new_raw_cell("# END QUESTION")]


def _build(tmp_path: Path, *cells):
    nb = master_notebook()
    nb.cells[-1:-1] = list(cells)
    spec = parse_solution(write_master(tmp_path, nb))
    return spec, generate(spec, tmp_path)


@pytest.mark.parametrize("config, points", [
    ("private_points: 2", [1 / 3] * 3),          # generate-otter's q3: Otter's default 1
    ("points: 4\nprivate_points: 2", [4 / 3] * 3),
    ("points: [1, 1, 2]\nprivate_points: 2", [1, 1, 2]),
])
def test_private_points_has_otters_meaning_none(tmp_path, config, points):
    tests = [f"qp_value  # {n}" for n in ("a", "b")] + ["# HIDDEN\nqp_value + 0"]
    spec, _out = _build(tmp_path, *_question("qp", config, tests))
    question = next(q for q in spec.questions if q.name == "qp")
    assert cell_points(question) == pytest.approx(points)
    assert any("'private_points: 2' has no effect" in n for n in spec.notes)
    otter = pytest.importorskip("otter.assign.question_config")
    from otter.test_files.abstract_test import TestCase, TestFile

    q = otter.QuestionConfig({"name": "qp", **_yaml(config)})
    cases = [TestCase(f"t{i}", "", i == 2, None, None, None) for i in range(3)]
    resolved = TestFile.resolve_test_file_points(q.points, cases)
    assert [c.points for c in resolved] == pytest.approx(points), "differs from Otter"


def _yaml(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


def test_private_points_must_be_a_number(tmp_path):
    with pytest.raises(MarkupError, match="private_points must be a number"):
        _build(tmp_path, *_question("qp", "private_points: [2]", ["qp_value"]))


def test_plugin_blocks_are_left_out_of_both_notebooks_with_a_warning(tmp_path):
    spec, out = _build(tmp_path, v4.new_code_cell(f"z = 1\n{PLUGIN}\nafter = 2"),
                       v4.new_code_cell(EXPORT))
    call = ('grader.run_plugin("myotterpackage.MyOtterPlugin", pi, z, foo=circumference, '
            "bar=None, something='else')")
    warnings = [n for n in spec.notes if n.startswith("WARNING") and "SECRET" not in n]
    assert len(warnings) == 2 and call in warnings[0] and "mypkg.Exporter" in warnings[1]
    assert "left out of both notebooks" in warnings[0] and "export zip" in warnings[1]
    for text in (*out.committed.values(), out.bundle["examples/reference.ipynb"]):
        assert "PLUGIN" not in text and "Exporter" not in text and "MyOtterPlugin" not in text
    student = out.committed["assignments/otterish/otterish.ipynb"]
    assert "z = 1\\n" in student and "after = 2" in student


@pytest.mark.parametrize("block", [PLUGIN, EXPORT])
def test_plugin_calls_are_the_ones_otter_assign_writes(block):
    # One block per cell: with a PLUGIN and a PLUGIN EXPORT block in one cell, Otter 7 swaps
    # the two calls' methods (it reverses the blocks but not their EXPORT flags).
    plugins = remove_plugins(f"x = 1\n{block}", "cell")[1]
    otter = pytest.importorskip("otter.assign.plugins")
    assert [p.call for p in plugins] == otter.replace_plugins(f"x = 1\n{block}".split("\n"))[1:]


@pytest.mark.parametrize("source, named", [
    ('""" # BEGIN PLUGIN\nplugin: a.B', "has no '# END PLUGIN'"),
    ('x = 1\n"""; # END PLUGIN', "without a BEGIN"),
    (f'""" # BEGIN PLUGIN\n{PLUGIN}', "inside another"),
    ('""" # BEGIN PLUGIN\nargs: [x]\n"""; # END PLUGIN', "needs 'plugin: "),
    ('""" # BEGIN PLUGIN\nplugin: a.B\nkwarg: {}\n"""; # END PLUGIN', r"\['kwarg'\]"),
    ("run(1)  # BEGIN PLUGIN", "triple quote"),
])
def test_broken_plugin_blocks_are_errors(source, named):
    with pytest.raises(MarkupError, match=named):
        remove_plugins(source, "cell 3")


@pytest.mark.parametrize("block", ["# BEGIN TESTS", "# BEGIN TEST HELPERS"])
def test_plugin_blocks_in_tests_are_errors(tmp_path, block):
    nb = master_notebook()
    at = next(i for i, c in enumerate(nb.cells) if c.source == block) + 1
    nb.cells.insert(at, v4.new_code_cell(f"{PLUGIN}\nx = 1"))
    with pytest.raises(MarkupError, match=f"cell {at + 1}: a '# BEGIN PLUGIN' block in a"):
        parse_solution(write_master(tmp_path, nb))


@pytest.mark.parametrize("old, new, named", [
    ("export_cell: false", "plugins:\n    - otter.plugins.builtin.GradeOverride", "plugins"),
    ("show_stdout: true", "plugins: [a.B]", "grading plugins"),
    ("show_stdout: true", "points_possible: 10", "points_possible"),
])
def test_grading_plugins_and_score_keys_are_errors(tmp_path, old, new, named):
    nb = master_notebook()
    nb.cells[0].source = nb.cells[0].source.replace(old, new, 1)
    with pytest.raises(MarkupError, match=f"'{named}' is not supported|{named}"):
        parse_solution(write_master(tmp_path, nb))


# master notebook -> the folder of the autograder tests Otter produced from it
OTTER_SUITE = {
    "example": "example-autograder-correct/tests",
    "exception-example": "exception-correct/autograder/tests",
    "generate-otter": "otter-correct/autograder/tests",
    "generate-pdf": "pdf-correct/autograder/tests",
    "generate-gradescope": "gs-correct/autograder/tests",
    "master-skeleton": None, "lecture-notebook": None,
}


@pytest.mark.skipif(not os.environ.get("COURSEKIT_OTTER_FILES"),
                    reason="set COURSEKIT_OTTER_FILES to otter-grader's test/test_assign/files")
@pytest.mark.parametrize("name", list(OTTER_SUITE))
def test_otter_suite_builds_unchanged_with_otters_points(tmp_path, name):
    files = Path(os.environ["COURSEKIT_OTTER_FILES"])
    for path in files.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    spec = parse_solution(tmp_path / f"{name}.ipynb")
    out = generate(spec, tmp_path / "out")
    public = "\n".join(v for k, v in out.committed.items() if k.endswith(".py"))
    for q in spec.questions:
        for test in q.tests:
            shown = [f for f in test.functions if f"def {f}(" in public]
            assert shown == ([] if test.hidden else test.functions), f"{q.name}: {shown}"
    if OTTER_SUITE[name] is None:
        return
    from otter.test_files import create_test_file

    theirs = {t.name: [(c.points, c.hidden) for c in t.test_cases] for t in
              (create_test_file(str(p), None) for p in (files / OTTER_SUITE[name]).glob("*.py"))}
    ours = {q.name: list(zip(cell_points(q), [t.hidden for t in q.tests], strict=True))
            for q in spec.questions}
    assert ours.keys() == theirs.keys()
    for q, cases in theirs.items():
        assert [(pytest.approx(p), h) for p, h in cases] == ours[q], q


def test_every_otter_config_key_is_supported_inert_or_an_error():
    """No Otter 7 key falls through to the generic unknown-key error: each has a meaning here,
    a note saying why it has none, or an error saying why it cannot be honoured."""
    fica = pytest.importorskip("fica")
    from otter.assign.assignment import Assignment
    from otter.assign.question_config import QuestionConfig
    from otter.run.run_autograder.autograder_config import AutograderConfig

    from autograder.build import otter_config as oc

    def keys(cls):
        return {k for k, v in vars(cls).items() if isinstance(v, fica.Key)}

    assignment = oc.OTTER_SUPPORTED | set(oc.OTTER_INERT) | set(oc.UNSUPPORTED)
    generate = oc.GENERATE_SUPPORTED | oc.GENERATE_INERT | set(oc.UNSUPPORTED) | {"seed_variable"}
    assert keys(Assignment) - assignment == set()
    assert keys(AutograderConfig) - generate == set()
    assert keys(QuestionConfig) - oc.QUESTION_KEYS == set()
    assert keys(Assignment.SeedValue) == {"variable", "autograder_value", "student_value"}
    assert keys(Assignment.TestsValue) == {"files", "ok_format", "url_prefix"}
