"""Build: stubs, student notebook, public/hidden tests, bundle, --check and the proof."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat import v4
from toy import solution_notebook, write_toy

from autograder.build.builder import generate, stale_files, write_build
from autograder.build.markup import parse_solution
from autograder.build.prove import prove_bundle
from autograder.build.stub import MarkupError, make_stub
from autograder.cli import main


def test_stub_names_question_and_function():
    src = "class Linear:\n    def forward(self, x):\n        # BEGIN SOLUTION\n        return x\n        # END SOLUTION\n"
    out = make_stub(src, "q1.1", "cell")
    assert 'raise NotImplementedError(\'q1.1: implement Linear.forward\')' in out
    assert "return x" not in out


def test_solution_suffix_rules():
    """Otter's rule: an assignment keeps its target, any other line becomes `...`."""
    src = "lr = 0.1  # SOLUTION\nprint('secret')  # SOLUTION\nkeep = 1"
    assert make_stub(src, None, "cell").splitlines() == ["lr = ...", "...", "keep = 1"]


def test_unclosed_solution_is_an_error():
    with pytest.raises(MarkupError, match="no '# END SOLUTION'"):
        make_stub("def f():\n    # BEGIN SOLUTION\n    return 1\n", "q1", "cell 3")


def test_build_writes_student_notebook_and_tests(toy_root):
    assert main(["build", "--no-prove"]) == 0
    nb = nbformat.read(str(toy_root / "assignments/toy/toy.ipynb"), as_version=4)
    text = json.dumps(nb)
    assert "SCALE * np.asarray" not in text, "solution leaked into the student notebook"
    assert "BEGIN TESTS" not in text and "test_double_random" not in text
    assert "q1: implement double" in text
    assert nb.metadata["coursekit"] == {"assignment": "toy", "kind": "student"}
    assert all(c.get("outputs", []) == [] for c in nb.cells)
    public = (toy_root / "assignments/toy/tests/test_q1.py").read_text()
    assert "test_double_small" in public and "test_double_random" not in public
    hidden = (toy_root / "build/toy/tests/test_q1.py").read_text()
    assert "test_double_random" in hidden and "hidden=True" in hidden
    meta = json.loads((toy_root / "build/toy/assignment.json").read_text())
    assert [q["points"] for q in meta["questions"]] == [2.0, 1.0]


def test_build_check_detects_stale_notebook(toy_root):
    assert main(["build", "--no-prove"]) == 0
    assert main(["build", "--check"]) == 0
    path = toy_root / "assignments/toy/toy.ipynb"
    path.write_text(path.read_text().replace("Two tiny questions", "Edited by hand"))
    assert main(["build", "--check"]) == 1


def test_public_test_may_not_use_ref(tmp_path):
    bad = 'def test_peek(sub, ref):\n    assert sub.call("double", 1) == ref.call("double", 1)'
    path = write_toy(tmp_path, solution_notebook((bad,)))
    with pytest.raises(MarkupError, match="public test uses the `ref` fixture"):
        generate(parse_solution(path), tmp_path)


def test_missing_end_question_is_reported(tmp_path):
    nb = solution_notebook()
    nb.cells = [c for c in nb.cells if c.source != "# END QUESTION"][:-1]
    path = write_toy(tmp_path, nb)
    with pytest.raises(MarkupError):
        parse_solution(path)


def test_proof_catches_a_test_that_cannot_fail(tmp_path):
    trivial = 'def test_always(sub):\n    assert sub.has("SCALE") or True'
    path = write_toy(tmp_path, solution_notebook((trivial,)))
    bundle = write_build(generate(parse_solution(path), tmp_path), tmp_path, "toy")
    problems = prove_bundle(bundle, names=["reference", "stub"])
    assert any("stub earns" in p and "test_always" in p for p in problems), problems


def test_stale_files_lists_missing(tmp_path):
    path = write_toy(tmp_path)
    out = generate(parse_solution(path), tmp_path)
    assert "assignments/toy/toy.ipynb" in stale_files(out, tmp_path, "toy")


def test_raw_solution_cells_follow_otters_rules(tmp_path):
    """Otter: code cells in a raw solution block are stubbed line by line (not dropped, which
    left nothing in their place); Markdown solution cells are removed."""
    nb = solution_notebook()
    nb.cells[-1:-1] = [v4.new_raw_cell("# BEGIN SOLUTION"),
                       v4.new_code_cell("ANSWER_ONLY = 42  # SOLUTION"),
                       v4.new_markdown_cell("**SOLUTION**: forty-two"),
                       v4.new_raw_cell("# END SOLUTION")]
    path = write_toy(tmp_path, nb)
    out = generate(parse_solution(path), tmp_path)
    student = out.committed["assignments/toy/toy.ipynb"]
    assert "42" not in student and "forty-two" not in student
    assert "ANSWER_ONLY = ..." in student
    assert "ANSWER_ONLY = 42" in out.bundle["reference.py"]
