"""Grading outputs: Gradescope results.json, student feedback, gradebook, catalog verdicts."""

from __future__ import annotations

import csv
import json

from autograder.build.prove import verify_catalog
from autograder.cli import main


def test_grade_command_gradebook_and_results(toy_root, tmp_path, capsys):
    assert main(["build", "--no-prove"]) == 0
    examples = toy_root / "build/toy/examples"
    out = tmp_path / "grades"
    assert main(["grade", "toy", str(examples), "--out", str(out), "--jobs", "2"]) == 0
    rows = {r["submission"].rsplit("/", 1)[-1]: r
            for r in csv.DictReader((out / "gradebook.csv").open())}
    assert rows["reference.ipynb"]["score"] == "3"
    assert rows["stub.ipynb"]["score"] == "0"
    assert rows["bug-double-adds.ipynb"]["score"] == "1"  # loses q1, keeps q2
    data = json.loads((out / "bug-double-adds" / "results.json").read_text())
    assert data["score"] == 1.0
    for test in data["tests"]:
        assert {"name", "score", "max_score", "visibility", "output"} <= set(test)
        assert test["visibility"] in {"visible", "after_published"}
    feedback = (out / "bug-double-adds" / "feedback.txt").read_text()
    assert "double([0,1,2])" in feedback and "expected" in feedback
    assert "a hidden test failed" in feedback
    assert "SCALE * np.asarray" not in feedback  # never shows the reference


def test_catalog_verdicts(toy_root):
    assert main(["build", "--no-prove"]) == 0
    outcomes = verify_catalog(toy_root, "toy", toy_root / "build/toy")
    assert [(o.bug, o.ok, o.lost) for o in outcomes] == [("double-adds", True, {"q1": 2.0})]


def test_catalog_flags_a_bug_no_test_catches(toy_root):
    catalog = toy_root / "solutions/toy/catalog.toml"
    catalog.write_text(catalog.read_text() + '''
[[bug]]
name = "harmless"
question = "q2"
[[bug.patch]]
old = '"""Counts what you add."""'
new = '"""Counts."""'
''')
    assert main(["build", "--no-prove"]) == 0
    assert main(["catalog", "toy"]) == 1
