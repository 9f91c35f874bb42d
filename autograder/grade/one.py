"""Grade one submission against an autograder bundle (run as its own process by the batch).

    python -P -m autograder.grade.one BUNDLE SUBMISSION OUT_DIR [--public-only] [--hidden-details]
        [--question Q]... [--first-failure] [--name NAME] [--sandbox auto|bwrap|rlimit]

The student's graded code runs in a sandboxed worker; this process holds the tests, the
reference and the expected values, and decides the score. A broken or foreign notebook gets a
zero with a clear message, and results.json / feedback.txt / record.json are always written.
Hidden tests' messages reach results.json and feedback.txt only with `--hidden-details` (or
`hidden_details: true` in the assignment's config). Start it with `-P` (or `-I`) and from a
folder of your own: a `numpy.py` in the working directory must never be importable here
(`autograder/__init__.py` also drops the working directory from `sys.path`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.adapter import Adapter, InProcessTransport
from autograder.extract import GradedCode, NotebookError, graded_code, read_notebook
from autograder.grade.plugin import GradingPlugin, pytest_args
from autograder.grade.threads import pin_threads
from autograder.notebook_mode import notebook_code
from autograder.results import SubmissionResult, TestResult
from autograder.safetext import MAX_NOTES, cap_notes, path_text
from autograder.sandbox import SandboxPolicy, SandboxTransport

PYTEST_INI = "[pytest]\n"


def load_bundle(bundle: Path) -> dict:
    path = bundle / "assignment.json"
    if not path.exists():
        raise FileNotFoundError(f"{bundle} is not an autograder bundle (no assignment.json): "
                                "run `coursekit build` first")
    return json.loads(path.read_text())


def zero_result(meta: dict, submission: str, error: str, public_only: bool) -> SubmissionResult:
    """Every test at zero, with one clear error (for notebooks that cannot be graded)."""
    tests = [TestResult(q["name"], t["name"], 0.0, t["points"], t["hidden"], error)
             for q in meta["questions"] for t in q["tests"] if not (public_only and t["hidden"])]
    return SubmissionResult(submission, meta["name"], tests, error)


def reference_adapter(bundle: Path) -> Adapter:
    source = (bundle / "reference.py").read_text(encoding="utf-8")
    namespace: dict = {"__name__": "reference"}
    exec(compile(source, str(bundle / "reference.py"), "exec"), namespace)  # noqa: S102 - trusted
    return Adapter(InProcessTransport(namespace, source), label="the reference")


def grade_submission(bundle: Path, submission: Path, *, public_only: bool = False,
                     tests_dir: Path | None = None, policy: SandboxPolicy | None = None,
                     questions: set[str] | None = None,
                     first_failure: bool = False) -> SubmissionResult:
    """Grade one notebook (only `questions` when given; stopping at the first failing test when
    `first_failure`, as mutation runs do); never raises for problems that are the submission's
    fault."""
    meta = load_bundle(bundle)
    start = time.monotonic()
    name = path_text(submission)
    try:
        nb = read_notebook(submission)
        code = notebook_code(nb, meta) if meta.get("execution") == "notebook" else graded_code(nb)
    except NotebookError as err:
        return zero_result(meta, name, str(err), public_only)
    if code.assignment and code.assignment != meta["name"]:
        msg = (f"this notebook belongs to assignment {str(code.assignment)[:100]!r}, not "
               f"'{meta['name']}': "
               f"submit your {meta['name']} notebook")
        return zero_result(meta, name, msg, public_only)
    policy = policy or SandboxPolicy(memory_mb=int(meta.get("memory_mb", 2048)))
    files = bundle / "files"
    transport = SandboxTransport(code.source, policy, tuple(meta.get("requires", [])),
                                 files_dir=files if files.is_dir() else None)
    try:
        if meta.get("execution") == "notebook":  # run the notebook before any test's clock
            with contextlib.suppress(Exception):
                Adapter(transport).has("__name__")
        plugin = GradingPlugin(lambda: Adapter(transport),
                               None if public_only else lambda: reference_adapter(bundle),
                               questions=questions)
        run_pytest(tests_dir or bundle / "tests", plugin, public_only,
                   ["-x"] if first_failure else [])
    finally:
        transport.close()
    tests = plugin.ordered_results()
    for test in tests:
        test.message = in_the_notebook(test.message, code)
    result = SubmissionResult(name, meta["name"], tests,
                              notes=cap_notes(code.notes + _load_notes(transport, code)))
    if plugin.collection_errors:
        raise RuntimeError("the assignment's tests failed to load (instructor problem):\n"
                           + "\n".join(plugin.collection_errors))
    result.execution_time = time.monotonic() - start
    return result


def _load_notes(transport: SandboxTransport, code: GradedCode) -> list[str]:
    notes = []
    for error in transport.load_errors[:MAX_NOTES + 1]:
        if not isinstance(error, dict):
            continue
        line = error.get("line")
        where = (code.locate(line) if isinstance(line, int) else None) or f"line {line}"
        notes.append(f"{where}: {error.get('type')}: {error.get('message')} (while loading "
                     "your code: this statement was skipped)")
    return notes


NOTEBOOK_FRAME = re.compile(r'File "<notebook>", line (\d+)')
FILE_FRAME = re.compile(r'File "[^"\n]*/([^"/\n]+)"')


def in_the_notebook(message: str, code: GradedCode) -> str:
    """Traceback lines name the cell the student sees (first the innermost one); other files
    show only their name, never a path of the grader's machine."""
    found: list[str] = []

    def to_cell(match: re.Match) -> str:
        label = code.locate(int(match[1]))
        if label:
            found.append(label)
        return label or match[0]

    text = FILE_FRAME.sub(lambda m: f'File "{m[1]}"', NOTEBOOK_FRAME.sub(to_cell, message))
    return f"in {found[-1]}: {text}" if found else text


def run_pytest(tests_dir: Path, plugin: GradingPlugin, public_only: bool = False,
               extra: list[str] | None = None) -> None:
    """Run the tests quietly with the plugin (hidden tests deselected when public_only)."""
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as ini:
        ini.write(PYTEST_INI)
    args = pytest_args(str(tests_dir), ini.name) + (extra or [])
    plugin.public_only = public_only
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = pytest.main(args, plugins=[plugin])
    finally:
        Path(ini.name).unlink(missing_ok=True)
        forget_test_modules(tests_dir)
    if code not in (0, 1, 5):
        raise RuntimeError(f"pytest could not run the tests (exit {code}):\n{sink.getvalue()[-3000:]}")


def forget_test_modules(tests_dir: Path) -> None:
    """Drop the test modules a run imported: every assignment names its files `test_q1.py`...,
    and a later run in this process (a self-check of another assignment) must not get these."""
    root = str(Path(tests_dir).resolve())
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None) or ""
        if where and os.path.realpath(where).startswith(root + os.sep):
            del sys.modules[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.grade.one")
    parser.add_argument("bundle", type=Path)
    parser.add_argument("submission", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--public-only", action="store_true")
    parser.add_argument("--tests-dir", type=Path)
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "rlimit"), default="auto",
                        help="sandbox backend (default: bwrap when installed)")
    parser.add_argument("--question", action="append", help="grade only this question "
                        "(repeatable; the proofs use it to grade a variant on its own question)")
    parser.add_argument("--first-failure", action="store_true",
                        help="stop at the first failing test (mutation runs)")
    parser.add_argument("--name", help="the submission's name in results (default: its path)")
    parser.add_argument("--hidden-details", action="store_true",
                        help="show hidden tests' messages to students (default: only that "
                             "a hidden test failed)")
    args = parser.parse_args(argv)
    meta = load_bundle(args.bundle)
    pin_threads(torch="torch" in meta.get("requires", []))
    policy = SandboxPolicy(memory_mb=int(meta.get("memory_mb", 2048)), backend=args.sandbox)
    result = grade_submission(args.bundle, args.submission, public_only=args.public_only,
                              tests_dir=args.tests_dir, policy=policy,
                              questions=set(args.question) if args.question else None,
                              first_failure=args.first_failure)
    if args.name:
        result.submission = path_text(args.name)
    details = args.hidden_details or bool(meta.get("hidden_details"))
    result.write(args.out, hidden_details=details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
