"""Hostile and broken submissions graded in one batch: each scores only what its honest part
earns (q2 is always answered honestly), the batch goes on, the grader is unharmed."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from autograder.grade.batch import grade_batch, overall_limit
from autograder.grade.one import load_bundle

HONEST_DOUBLE = "return SCALE * np.asarray(x, dtype=float)"

# name -> (replacement body for double(), extra code cell or None)
ATTACKS = {
    "infinite-loop": ("while True:\n        pass", None),
    "memory-bomb": ("return bytearray(8 * 1024**3)", None),
    "fork-bomb": ("import os\n    while True:\n        try:\n            os.fork()\n"
                  "        except OSError:\n            pass", None),
    "network": ("import socket\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
                f"    {HONEST_DOUBLE}", None),
    "read-hidden-tests": ("import glob\n    found = glob.glob('/**/test_q1.py', recursive=True)\n"
                          "    return open(found[0]).read()", None),
    "read-reference": ("import glob\n    return open(glob.glob('/**/reference.py', "
                       "recursive=True)[0]).read()", None),
    "monkeypatch": ("import numpy, builtins\n    numpy.allclose = lambda *a, **k: True\n"
                    "    numpy.testing.assert_allclose = lambda *a, **k: None\n"
                    "    builtins.isinstance = lambda *a: True\n    return x", None),
    "monkeypatch-at-load": (HONEST_DOUBLE.replace("SCALE", "3.0"),
                            "import numpy\nPATCHED = setattr(numpy, 'allclose', lambda *a, **k: True)"),
    "fake-results": ("import json, sys\n    print(json.dumps({'score': 100, 'tests': []}))\n"
                     "    open('results.json', 'w').write('{\"score\": 100}')\n"
                     "    sys.stdout.write('Score: 3 / 3\\n')\n    return 0", None),
    "sys-exit": ("import sys\n    sys.exit(0)", "import sys\nEXIT_AT_LOAD = sys.exit(0)"),
    "os-exit": ("import os\n    os._exit(0)", None),
    "delete-files": ("import shutil\n    shutil.rmtree('/', ignore_errors=True)\n    return 0",
                     None),
    "flood-stdout": ("while True:\n        print('spam' * 10000)", None),
}


def _attack_notebook(reference: nbformat.NotebookNode, body: str, extra: str | None):
    nb = copy.deepcopy(reference)
    for cell in nb.cells:
        if cell.cell_type == "code" and HONEST_DOUBLE in cell.source:
            cell.source = cell.source.replace(HONEST_DOUBLE, body)
    if extra:
        nb.cells.append(v4.new_code_cell(extra))
    return nb


@pytest.fixture(scope="module")
def graded(toy_bundle: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    reference = nbformat.read(str(toy_bundle / "examples/reference.ipynb"), as_version=4)
    paths = {}
    for name, (body, extra) in ATTACKS.items():
        paths[name] = folder / f"{name}.ipynb"
        nbformat.write(_attack_notebook(reference, body, extra), str(paths[name]))
    paths["not-json"] = folder / "not-json.ipynb"
    paths["not-json"].write_text("this is not a notebook {")
    paths["json-not-notebook"] = folder / "json-not-notebook.ipynb"
    paths["json-not-notebook"].write_text(json.dumps({"hello": "world"}))
    foreign = copy.deepcopy(reference)
    foreign.metadata["coursekit"] = {"assignment": "transformer"}
    paths["foreign"] = folder / "foreign.ipynb"
    nbformat.write(foreign, str(paths["foreign"]))
    syntax = copy.deepcopy(reference)
    syntax.cells.insert(0, v4.new_code_cell("def broken(:\n    pass"))
    paths["syntax-error-cell"] = folder / "syntax-error-cell.ipynb"
    nbformat.write(syntax, str(paths["syntax-error-cell"]))
    paths["honest"] = toy_bundle / "examples/reference.ipynb"
    names = list(paths)
    start = time.monotonic()
    results = grade_batch(toy_bundle, [paths[n] for n in names], folder / "out", progress=False)
    return dict(zip(names, results, strict=True)), time.monotonic() - start, folder / "out"


CONTAINED = [n for n in ATTACKS if n != "monkeypatch-at-load"]


@pytest.mark.parametrize("name", CONTAINED)
def test_attack_earns_only_its_honest_part(graded, name):
    results, _, _ = graded
    per_q = results[name].by_question()
    assert per_q["q1"][0] == 0, f"{name} earned points on the attacked question: {per_q}"
    assert per_q["q2"] == (1.0, 1.0), f"{name} lost its honest question: {per_q}"


def test_monkeypatching_numpy_at_load_fools_nobody(graded):
    results, _, _ = graded
    assert results["monkeypatch-at-load"].by_question()["q1"][0] == 0  # 3x is wrong


def test_sys_exit_at_load_is_reported(graded):
    results, _, _ = graded
    notes = " ".join(results["sys-exit"].notes)
    assert "exit(0)" in notes


@pytest.mark.parametrize("name,needle", [("not-json", "not a Jupyter notebook"),
                                         ("json-not-notebook", "not a Jupyter notebook"),
                                         ("foreign", "belongs to assignment 'transformer'")])
def test_broken_notebooks_get_zero_and_a_clear_error(graded, name, needle):
    results, _, out = graded
    assert results[name].score == 0
    assert needle in results[name].error
    assert needle in (out / name / "feedback.txt").read_text()


def test_syntax_error_cell_costs_only_itself(graded):
    results, _, _ = graded
    assert results["syntax-error-cell"].score == 3
    assert any("not valid Python" in n for n in results["syntax-error-cell"].notes)


def test_honest_submission_unharmed_and_batch_bounded(graded, toy_bundle):
    results, elapsed, out = graded
    assert results["honest"].score == 3
    assert (toy_bundle / "tests/test_q1.py").exists(), "the grader's files were touched"
    # Bounded by the grader's own backstop, not by a wall-clock guess that a loaded machine
    # breaks: every submission (the hanging ones included) ended within its overall limit.
    meta = load_bundle(toy_bundle)
    assert elapsed < len(results) * overall_limit(meta), f"batch took {elapsed:.0f}s"
    gradebook = (out / "gradebook.csv").read_text().splitlines()
    assert len(gradebook) == 1 + len(results)


def test_fake_results_do_not_count(graded):
    results, _, out = graded
    data = json.loads((out / "fake-results" / "results.json").read_text())
    assert data["score"] == 1.0
