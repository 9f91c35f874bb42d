"""`coursekit export gradescope`: the zip's layout, and its run_autograder run against a
simulated /autograder tree, with results.json checked against Gradescope's documented format."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from autograder.cli import main

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
# Gradescope's results.json, as documented at
# https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format
# (every field optional except a score: on the submission or on every test).
TEST = {
    "type": "object",
    "properties": {
        "score": {"type": "number"}, "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
        "name_format": FORMAT, "number": {"type": "string"}, "output": {"type": "string"},
        "output_format": FORMAT, "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY, "extra_data": {"type": "object"},
    },
    "additionalProperties": False,
}
RESULTS_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "number"}, "execution_time": {"type": "number"},
        "output": {"type": "string"}, "output_format": FORMAT,
        "test_output_format": FORMAT, "test_name_format": FORMAT,
        "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"}, "tests": {"type": "array", "items": TEST},
        "leaderboard": {"type": "array", "items": {
            "type": "object", "required": ["name", "value"],
            "properties": {"name": {"type": "string"}, "value": {"type": ["number", "string"]},
                           "order": {"enum": ["asc", "desc"]}}}},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}}],
}


@pytest.fixture(scope="module")
def autograder_zip(toy_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("gs") / "toy-autograder.zip"
    assert main(["export", "gradescope", "toy", "--bundle", str(toy_bundle),
                 "--out", str(dest)]) == 0
    return dest


def simulated_tree(zip_path: Path, root: Path, submission: Path | None) -> Path:
    """/autograder as Gradescope lays it out: source/ (the zip), submission/, results/."""
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
        for info in zf.infolist():  # zipfile does not restore modes
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    shutil.copy(root / "source/run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    if submission:
        shutil.copy(submission, root / "submission" / submission.name)
    return root


def run_autograder(root: Path) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(COURSEKIT_GS_ROOT=str(root), COURSEKIT_GS_PYTHON=sys.executable)
    proc = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, text=True,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads((root / "results/results.json").read_text())
    jsonschema.validate(data, RESULTS_SCHEMA)
    return data, proc.stdout


def test_zip_layout(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        names = set(zf.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
        requirements = zf.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", "bundle/assignment.json",
            "bundle/reference.py", "kit/autograder/grade/one.py"} <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert not any(n.startswith("bundle/examples") for n in names)  # solutions stay home
    assert any(n.startswith("bundle/tests/test_q1") for n in names)
    assert "numpy==" in requirements and "pytest==" in requirements


def test_the_zip_is_reproducible(autograder_zip, toy_bundle, tmp_path):
    again = tmp_path / "again.zip"
    assert main(["export", "gradescope", "toy", "--bundle", str(toy_bundle),
                 "--out", str(again)]) == 0
    assert again.read_bytes() == autograder_zip.read_bytes()


def test_run_autograder_grades_a_submission(autograder_zip, toy_bundle, tmp_path):
    root = simulated_tree(autograder_zip, tmp_path / "autograder",
                          toy_bundle / "examples/bug-double-adds.ipynb")
    data, stdout = run_autograder(root)
    assert data["score"] == 1.0  # loses q1 (2 points), keeps q2
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}
    assert sum(t["max_score"] for t in data["tests"]) == 3
    assert "sandbox backend" in stdout
    assert f"kit {root / 'source/kit/autograder'}" in stdout  # the zip's kit, not this checkout


def test_run_autograder_without_a_notebook_gives_a_clear_zero(autograder_zip, tmp_path):
    root = simulated_tree(autograder_zip, tmp_path / "autograder", None)
    data, _ = run_autograder(root)
    assert data["score"] == 0 and "upload your toy.ipynb" in data["output"]


def test_without_namespaces_grading_falls_back_to_resource_limits(toy_bundle, tmp_path,
                                                                   monkeypatch, capsys):
    """Inside Docker (Gradescope) bubblewrap usually cannot start: the grade must not change."""
    from autograder.export import gradescope_run

    monkeypatch.setattr(gradescope_run, "bwrap_works", lambda: False)
    (tmp_path / "submission").mkdir()
    shutil.copy(toy_bundle / "examples/reference.ipynb", tmp_path / "submission/toy.ipynb")
    result = gradescope_run.grade(tmp_path, toy_bundle)
    assert result.score == 3 and "rlimit sandbox backend" in capsys.readouterr().out
