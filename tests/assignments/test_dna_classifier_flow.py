"""The dna_classifier student flow, end to end: stub notebook -> filled in -> predictions.csv ->
`coursekit leaderboard validate` -> `coursekit leaderboard submit` to a real local server -> a score.

The data are a tiny generated splice task (no mirror needed): sequences whose class is written at
the centre, as in the real data, so even a 2-epoch run beats chance.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import os
import random
from pathlib import Path

import nbformat
import pytest

from autograder.build.builder import repo_root
from autograder.build.stub import strip_solution_markers
from autograder.cli import main as coursekit
from autograder.extract import graded_code

ROOT = repo_root()
SLUG = "dna_classifier"
STUDENT = ROOT / "assignments" / SLUG / f"{SLUG}.ipynb"
SOLUTION = ROOT / "solutions" / SLUG / f"{SLUG}.ipynb"
MOTIFS = {"EI": "CAGGTAAGT", "IE": "TTTCAGGCT", "N": "ACGTACGTA"}


@dataclasses.dataclass(frozen=True)
class Splice:
    """Stand-in for datasets_manifest.SpliceRecord."""

    id: str
    label: str
    sequence: str


def fake_splice(per_class: int = 40, seed: int = 0) -> list[Splice]:
    """60-nt sequences with a class motif at the centre and a few ambiguity codes."""
    rng = random.Random(seed)
    out = []
    for label, motif in MOTIFS.items():
        for k in range(per_class):
            left = "".join(rng.choice("ACGT") for _ in range(26))
            right = list("".join(rng.choice("ACGT") for _ in range(25)))
            if k % 7 == 0:
                right[rng.randrange(25)] = rng.choice("NDSR")
            out.append(Splice(f"FAKE-{label}-{k}", label, left + motif + "".join(right)))
    return out


def make_leaderboard(root: Path) -> tuple[Path, Path]:
    """A leaderboard data folder with the dna-splice task and a one-student roster."""
    from leaderboard.tasks import get_task

    task = get_task("dna-splice").build(fake_splice(), root / "tasks" / "dna-splice")
    (root / "roster.csv").write_text("student_id,name,team,token\nada,Ada,,tok-ada\n")
    return root, task


def completed_student_notebook() -> nbformat.NotebookNode:
    """The student notebook with every stubbed cell replaced by its solution (a perfect student)."""
    solved = {}
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            solved[_defined_names(cell.source)] = strip_solution_markers(cell.source)
    nb = nbformat.read(STUDENT, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "NotImplementedError(" in cell.source:
            cell.source = solved[_defined_names(cell.source)]
    return nb


def _defined_names(source: str) -> frozenset[str]:
    return frozenset(node.name for node in ast.parse(source).body
                     if isinstance(node, ast.FunctionDef | ast.ClassDef))


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = coursekit(list(args))
    return code, out.getvalue()


def test_every_stub_cell_has_a_solution():
    nb = completed_student_notebook()
    assert not [c for c in nb.cells if "NotImplementedError(" in c.source]


def test_reference_predictions_pass_validate_and_score(tmp_path):
    """Fast path: the reference's write_predictions output is accepted by the CLI validator."""
    namespace: dict = {}
    exec(compile(graded_code(nbformat.read(SOLUTION, as_version=4)).source, "reference", "exec"),
         namespace)  # noqa: S102 - our own reference
    _, task = make_leaderboard(tmp_path / "lb")
    test_csv = task / "public" / "test.csv"
    rows = namespace["read_rows"](test_csv)
    path = tmp_path / "predictions.csv"
    namespace["write_predictions"]([r["id"] for r in rows], ["N"] * len(rows), str(path))
    code, out = _cli("leaderboard", "validate", "dna-splice", str(path), "--test", str(test_csv))
    assert code == 0, out
    path.write_text(path.read_text().replace("id,label\n", ""))
    code, out = _cli("leaderboard", "validate", "dna-splice", str(path), "--test", str(test_csv))
    assert code == 1 and "header" in out.lower(), out


@pytest.mark.slow
def test_stub_notebook_cannot_write_predictions(tmp_path):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    _, task = make_leaderboard(tmp_path / "lb")
    nb = nbformat.read(STUDENT, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    os.environ["DNA_TASK_DIR"] = str(task)
    try:
        with pytest.raises(CellExecutionError, match="NotImplementedError"):
            client.execute()
    finally:
        os.environ.pop("DNA_TASK_DIR", None)
    assert not (tmp_path / "predictions.csv").exists()


@pytest.mark.slow
def test_student_flow_notebook_to_leaderboard_score(tmp_path):
    from nbclient import NotebookClient

    from leaderboard.localserver import running_server

    data_dir, task = make_leaderboard(tmp_path / "lb")
    work = tmp_path / "student"
    work.mkdir()
    nb = completed_student_notebook()
    env = {"DNA_TASK_DIR": str(task), "DNA_MAX_EPOCHS": "3", "MPLBACKEND": "Agg"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(work)}}).execute()
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    predictions = work / "predictions.csv"
    assert predictions.exists(), "the notebook did not write predictions.csv"
    assert (work / "dna_best.pt").exists(), "the training run did not save its best checkpoint"
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "OK: the submission is valid." in outputs
    code, out = _cli("leaderboard", "validate", "dna-splice", str(predictions), "--test",
                     str(task / "public" / "test.csv"))
    assert code == 0, out
    with running_server(data_dir, log=tmp_path / "server.log") as (url, _):
        code, out = _cli("leaderboard", "submit", "dna-splice", str(predictions),
                         "--server", url, "--token", "tok-ada", "-m", "notebook flow test")
    assert code == 0, out
    assert "status: scored" in out and "public score:" in out, out
