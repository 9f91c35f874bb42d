"""Hostile submissions aimed at the trusted grader rather than the sandbox: planted modules, file
names and messages in any encoding, escape sequences, spreadsheet formulas, rich markup, floods of
notes, hidden inputs smuggled into public messages, and answers crafted to blow up decoding.
One small batch is graded for all of them (q2 is always answered honestly)."""

from __future__ import annotations

import copy
import csv
import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from autograder.adapter import Adapter, SubmissionCrashed
from autograder.grade.batch import grade_batch, write_gradebook
from autograder.results import SubmissionResult
from autograder.results import TestResult as Outcome
from autograder.sandbox import SandboxPolicy, SandboxTransport

HONEST_DOUBLE = "return SCALE * np.asarray(x, dtype=float)"
HONEST_ADD = "self.total += n"

PLANTED = '''import pathlib
pathlib.Path({marker!r}).write_text("imported by the grader")
raise ImportError("planted")
'''

ATTACKS = {
    # double() raises a message no grader should choke on
    "surrogate": ('raise ValueError("bad \\ud800 byte")', None),
    "odd-exception": ("class WeirdError(Exception):\n        def __str__(self):\n"
                      "            raise KeyboardInterrupt\n        def __repr__(self):\n"
                      "            raise SystemExit\n    raise WeirdError()", None),
    "escapes": ('raise ValueError("\\x1b[2J\\x1b]0;owned\\x07\\x1b[31mred\\x00\\x08 =1+1")',
                None),
    # q1's double() records what it is called with; q2's public test then reports it
    "hidden-leak": ("SEEN.append(np.shape(x))\n    " + HONEST_DOUBLE, "SEEN = []"),
}


def _notebook(reference, body: str | None, extra: str | None = None, add: str | None = None):
    nb = copy.deepcopy(reference)
    for cell in nb.cells:
        if cell.cell_type == "code" and body and HONEST_DOUBLE in cell.source:
            cell.source = cell.source.replace(HONEST_DOUBLE, body)
        if cell.cell_type == "code" and add and HONEST_ADD in cell.source:
            cell.source = cell.source.replace(HONEST_ADD, add)
    if extra:
        nb.cells.insert(0, v4.new_code_cell(extra))
    return nb


@pytest.fixture(scope="module")
def graded(toy_bundle: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile-grader")
    marker = folder / "IMPORTED"
    for module in ("numpy", "pytest", "autograder", "json", "nbformat"):
        (folder / f"{module}.py").write_text(PLANTED.format(marker=str(marker)))
    reference = nbformat.read(str(toy_bundle / "examples/reference.ipynb"), as_version=4)
    paths = {}
    for name, (body, extra) in ATTACKS.items():
        add = ("raise RuntimeError(f'counter broke; seen {SEEN}')" if name == "hidden-leak"
               else None)
        paths[name] = folder / f"{name}.ipynb"
        nbformat.write(_notebook(reference, body, extra, add), str(paths[name]))
    paths["non-utf8-name"] = folder / os.fsdecode(b"caf\xe9-\xff.ipynb")
    nbformat.write(reference, str(paths["non-utf8-name"]))
    markup = copy.deepcopy(reference)
    markup.metadata["coursekit"] = {"assignment": "[/bold][red]x[/red] \x1b[5m"}
    paths["markup-metadata"] = folder / "markup-metadata.ipynb"
    nbformat.write(markup, str(paths["markup-metadata"]))
    flood = copy.deepcopy(reference)
    flood.cells += [v4.new_code_cell(f"def broken{i}(:  # {'x' * 200}") for i in range(1500)]
    paths["notes-flood"] = folder / "notes-flood.ipynb"
    nbformat.write(flood, str(paths["notes-flood"]))
    names = list(paths)
    cwd = Path.cwd()
    os.chdir(folder)  # the instructor grades from the submissions folder
    try:
        results = grade_batch(toy_bundle, [paths[n] for n in names], folder / "out",
                              progress=False)
    finally:
        os.chdir(cwd)
    return dict(zip(names, results, strict=True)), folder / "out", marker


def test_planted_modules_are_never_imported(graded):
    _, _, marker = graded
    assert not marker.exists(), "a module beside the submissions was imported by the grader"


def test_batch_survives_a_file_name_that_is_not_utf8(graded):
    results, out, _ = graded
    assert results["non-utf8-name"].score == 3
    rows = list(csv.reader((out / "gradebook.csv").open(encoding="utf-8")))
    assert len(rows) == 1 + len(results)


@pytest.mark.parametrize("name", ["surrogate", "odd-exception", "escapes"])
def test_odd_messages_cost_only_their_question(graded, name):
    results, out, _ = graded
    assert results[name].by_question() == {"q1": (0.0, 2.0), "q2": (1.0, 1.0)}
    feedback = (out / name / "feedback.txt").read_text(encoding="utf-8")
    assert "\x1b" not in feedback and "\x00" not in feedback and "\x07" not in feedback
    json.loads((out / name / "results.json").read_text(encoding="utf-8"))


def test_unprintable_exception_is_named(graded):
    results, _, _ = graded
    message = next(t.message for t in results["odd-exception"].tests if t.name ==
                   "test_double_small")
    assert "WeirdError" in message and "unprintable" in message


def test_public_messages_never_carry_hidden_inputs(graded):
    results, _, _ = graded
    q2 = next(t for t in results["hidden-leak"].tests if t.question == "q2")
    assert "seen" in q2.message, q2.message  # the attack ran ...
    assert "(3, 4)" not in q2.message  # ... but its worker never saw the hidden input


def test_hidden_details_stay_out_of_results_json(graded):
    results, out, _ = graded
    hidden = [t for t in results["surrogate"].tests if t.hidden]
    assert hidden and all(t.message for t in hidden)  # the grader's record keeps them
    shown = json.loads((out / "surrogate" / "results.json").read_text())["tests"]
    assert [t["output"] for t in shown if t["extra_data"]["hidden"]] == ["a hidden test failed"]


def test_flood_of_notes_is_capped(graded):
    results, out, _ = graded
    assert results["notes-flood"].score == 3
    assert (out / "notes-flood" / "results.json").stat().st_size < 50_000
    assert "more notes" in (out / "notes-flood" / "feedback.txt").read_text()


def test_markup_in_metadata_does_not_crash_the_cli(graded, capsys):
    from autograder import commands

    results, _, _ = graded
    commands.print_gradebook(list(results.values()))
    assert "belongs to assignment" in results["markup-metadata"].error


def test_gradebook_defuses_formulas_and_controls(tmp_path):
    result = SubmissionResult('=HYPERLINK("http://x","y")', "toy",
                              [Outcome("q1", "t", 0, 1, False, "")], error="@SUM(1)\x1b[2J")
    write_gradebook([result], tmp_path / "gradebook.csv")
    row = list(csv.reader((tmp_path / "gradebook.csv").open(encoding="utf-8")))[1]
    assert row[0].startswith("'=") and row[-1] == "'@SUM(1)"


CRAFTED = '''
import os, struct, sys, time

def send(header, data=b""):
    os.write(int(sys.argv[3]), struct.pack("<QQ", len(header), len(data)) + header + data)
    time.sleep(30)

def deep_json():
    send(b'{"ok": true, "value": ' + b"[" * 200000 + b"]" * 200000 + b"}")

def wide_json():
    send(b'{"ok": true, "value": [' + b"0," * 2000000 + b'0]}')

def npz(compressed, declared):
    import io, zipfile
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }" % declared
    header = header.ljust(118) + "\\n"
    member = b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", len(header)) + header.encode()
    member += bytes(8 * (declared if compressed else 1))
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED) as z:
        z.writestr("arr_0.npy", member)
    send(b'{"ok": true, "value": {"__nd__": 0}}', blob.getvalue())
'''


@pytest.mark.parametrize("call,args", [("deep_json", ()), ("wide_json", ()),
                                       ("npz", (True, 4_000_000)),  # 30 KB -> 32 MB
                                       ("npz", (False, 2**40))])  # 8 bytes claiming 8 TiB
def test_crafted_answers_are_refused_before_decoding(call, args):
    transport = SandboxTransport(CRAFTED, SandboxPolicy(memory_mb=512))
    adapter = Adapter(transport)
    adapter.set_time_limit(20)
    try:
        with pytest.raises(SubmissionCrashed, match="cannot read"):
            adapter.call(call, *args)
    finally:
        transport.close()


def test_failures_name_the_notebook_cell_first_and_no_grader_paths(graded):
    results, out, _ = graded
    message = next(t.message for t in results["surrogate"].tests if t.name == "test_double_small")
    assert message.startswith('in cell '), message
    assert ", line " in message.splitlines()[0]
    assert "/" not in message and "session.py" not in message, message
    notes = results["notes-flood"].notes
    assert notes[0].startswith("cell ") and "is not valid Python" in notes[0]
    assert "line 1:" in notes[0]


def test_crafted_start_up_message_is_refused():
    source = ("import os, struct, sys\n"
              "HELLO = os.write(int(sys.argv[3]), struct.pack('<QQ', 5, 0) + b'[1,2]')\n"
              "def f():\n    return 1\n")
    transport = SandboxTransport(source, SandboxPolicy(memory_mb=512))
    adapter = Adapter(transport)
    adapter.set_time_limit(20)
    try:
        with pytest.raises(SubmissionCrashed, match="malformed start-up"):
            adapter.call("f")
    finally:
        transport.close()


def test_cli_run_from_a_folder_of_submissions_imports_nothing_from_it(tmp_path: Path):
    import subprocess
    import sys

    marker = tmp_path / "IMPORTED"
    for module in ("argparse", "numpy", "rich"):
        (tmp_path / f"{module}.py").write_text(PLANTED.format(marker=str(marker)))
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "--help"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert not marker.exists()
