"""The proofs: alternatives at 100%, degenerate answers at most 25%, and the catalog's judge."""

from __future__ import annotations

import json

import nbformat
import pytest
from toy import CATALOG, solution_notebook, write_toy

from autograder import results
from autograder.build.builder import generate, write_build
from autograder.build.degenerate import degenerate_source, solution_functions
from autograder.build.markup import parse_solution
from autograder.build.prove import examples, judge, prove_bundle
from autograder.catalog import Bug, CatalogError, load_alternatives, patch_notebook

TOP = {"q1": 2.0, "q2": 1.0, "q3": 1.0}


def _result(lost: dict[str, float], error: str | None = None) -> results.SubmissionResult:
    tests = [results.TestResult(q, f"test_{q}", top - lost.get(q, 0.0), top, False) for q, top in
             TOP.items()]
    return results.SubmissionResult("bug.ipynb", "toy", tests, error)


@pytest.mark.parametrize(("lost", "affects", "ok", "reason"), [
    ({"q1": 2.0}, (), True, ""),
    ({"q1": 1.0, "q3": 1.0}, ("q3",), True, ""),
    ({"q3": 1.0}, ("q3",), False, "loses nothing on its own question q1 (it only loses on"),
    ({}, (), False, "loses nothing on its own question q1: no test"),
    ({"q1": 1.0, "q2": 1.0}, ("q3",), False, "also loses points on ['q2']"),
])
def test_judge_points_land_where_the_bug_is(lost, affects, ok, reason):
    bug = Bug("b", "q1", "", (("a", "b"),), affects)
    outcome = judge(bug, _result(lost), TOP)
    assert outcome.ok is ok
    assert reason in outcome.reason


def test_judge_fails_a_bug_whose_notebook_does_not_grade():
    outcome = judge(Bug("b", "q1", "", (("a", "b"),)), _result({"q1": 2.0}, "crashed"), TOP)
    assert not outcome.ok and "error" in outcome.reason


def test_alternatives_load_and_apply(tmp_path):
    path = write_toy(tmp_path)
    (alt,) = load_alternatives(path.parent / "catalog.toml")
    nb = patch_notebook(nbformat.read(str(path), as_version=4), alt)
    assert nb.metadata["coursekit"]["kind"] == "alt:double-multiply"
    assert any("np.multiply" in c.source for c in nb.cells)


def test_alternative_without_patch_is_an_error(tmp_path):
    path = write_toy(tmp_path)
    (path.parent / "catalog.toml").write_text('[[alternative]]\nname = "x"\n')
    with pytest.raises(CatalogError, match="alternative x has no"):
        load_alternatives(path.parent / "catalog.toml")


def test_solution_functions_are_found():
    src = ("class A:\n    def f(self, x):\n        # BEGIN SOLUTION\n        return x\n"
           "        # END SOLUTION\n\n    def g(self):\n        self.n += 1  # SOLUTION\n"
           "        return self.n\n\ndef h():\n    return 0\n")
    assert solution_functions(src) == {"A.f", "A.g"}


@pytest.mark.parametrize("kind", ["zeros", "ones", "random", "input"])
def test_degenerate_values_have_the_reference_shape(kind):
    src = ("import numpy as np\n\ndef f(x, k=2):\n    # BEGIN SOLUTION\n"
           "    return np.tile(x, k).astype(np.float32)\n    # END SOLUTION\n")
    from autograder.build.degenerate import RUNTIME

    namespace: dict = {}
    exec(RUNTIME + "\n" + degenerate_source(src, kind), namespace)  # noqa: S102 - test code
    import numpy as np

    x = np.arange(3.0)
    out = namespace["f"](x, k=2)
    if kind == "input":
        assert out is x
        return
    assert out.shape == (6,) and out.dtype == np.float32
    want = {"zeros": 0.0, "ones": 1.0}.get(kind)
    assert (np.all(out == want) if want is not None else np.std(out) > 0)


def test_degenerate_init_zeroes_what_it_stores():
    src = ("import numpy as np\n\nclass L:\n    def __init__(self, n):\n        # BEGIN SOLUTION\n"
           "        self.W = np.full((n, 2), 5.0)\n        self.n = n\n        # END SOLUTION\n")
    from autograder.build.degenerate import RUNTIME

    namespace: dict = {}
    exec(RUNTIME + "\n" + degenerate_source(src, "zeros"), namespace)  # noqa: S102 - test code
    layer = namespace["L"](3)
    assert layer.W.shape == (3, 2) and not layer.W.any() and layer.n == 0


def test_degenerate_pass_does_nothing():
    src = "def f(x):\n    # BEGIN SOLUTION\n    return x + 1\n    # END SOLUTION\n"
    namespace: dict = {}
    exec(degenerate_source(src, "pass"), namespace)  # noqa: S102 - test code
    assert namespace["f"](1) is None


def test_build_indexes_every_proof_example(toy_bundle):
    index = {e["name"]: e for e in examples(toy_bundle, ("alt", "degenerate", "bug"))}
    assert index["double-multiply"]["kind"] == "alt"
    assert {"q1-zeros", "q1-ones", "q1-random", "q1-input", "q1-pass", "q2-pass"} <= set(index)
    assert (toy_bundle / index["q1-zeros"]["file"]).exists()


def test_proof_passes_a_sound_toy(toy_bundle):
    """Reference 100%, stub 0, the alternative 100%, every degenerate answer at most 25%."""
    assert prove_bundle(toy_bundle, jobs=2) == []


def test_proof_fails_an_alternative_that_is_not_correct(tmp_path):
    path = write_toy(tmp_path)
    (path.parent / "catalog.toml").write_text(CATALOG.replace(
        "np.multiply(np.asarray(x, dtype=float), SCALE)", "np.add(np.asarray(x, dtype=float), SCALE)"))
    bundle = write_build(generate(parse_solution(path), tmp_path), tmp_path, "toy")
    problems = prove_bundle(bundle, names=["double-multiply"])
    assert len(problems) == 1 and "alternative double-multiply scores 0/2 on q1" in problems[0]


def test_proof_fails_a_question_a_degenerate_answer_passes(tmp_path):
    shape_only = ('""" # BEGIN TEST CONFIG\npoints: 1.5\n""" # END TEST CONFIG\n'
                  'def test_double_shape(sub):\n'
                  '    assert np.shape(sub.call("double", np.ones((2, 3)))) == (2, 3)')
    path = write_toy(tmp_path, solution_notebook((shape_only,)))
    spec = parse_solution(path)
    spec.questions[0].points = 3.5
    bundle = write_build(generate(spec, tmp_path), tmp_path, "toy")
    problems = prove_bundle(bundle, names=["q1-zeros", "q1-pass"])
    assert len(problems) == 1, problems
    assert "degenerate answer q1-zeros earns 1.5/3.5 on q1" in problems[0]
    assert "test_double_shape" in problems[0]
    graded = json.loads((bundle / "proof" / "q1-zeros" / "results.json").read_text())
    assert {t["extra_data"]["question"] for t in graded["tests"]} == {"q1"}
