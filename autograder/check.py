"""Student self-check: run the public tests against the live notebook, say what passed and why.

In a notebook:      check = Checker("nn_numpy", globals()); check("q1"); check()
From the terminal:  coursekit check assignments/nn_numpy/nn_numpy.ipynb
The notebook form runs in-process on the notebook's own variables (no sandbox: it is the
student's own machine); the terminal form grades the saved notebook exactly as the grader does,
with the public tests only.
"""

from __future__ import annotations

from pathlib import Path

from autograder.adapter import Adapter, InProcessTransport
from autograder.grade.one import run_pytest
from autograder.grade.plugin import GradingPlugin
from autograder.results import SubmissionResult


def find_public_tests(assignment: str) -> Path:
    """The public tests: ./tests next to the notebook, else the kit's assignments/ folder."""
    from autograder.build.builder import repo_root

    for candidate in (Path.cwd() / "tests", repo_root() / "assignments" / assignment / "tests"):
        if any(candidate.glob("test_*.py")):
            return candidate
    raise FileNotFoundError(f"no public tests for {assignment}: keep the tests/ folder next to "
                            "the notebook, or reinstall coursekit")


class Checker:
    """Callable self-check bound to a notebook's namespace."""

    def __init__(self, assignment: str, namespace: dict):
        self.assignment = assignment
        self.namespace = namespace
        self.last: SubmissionResult | None = None

    def __call__(self, question: str | None = None) -> None:
        """Print a compact summary; returns None so the notebook shows no object repr (the
        full result stays in `check.last`)."""
        self.last = run_public_tests(self.assignment, self.namespace, question)
        print(summary(self.last, question))

    def __repr__(self) -> str:
        return f"<self-check for {self.assignment}: call check('q1') or check()>"


def run_public_tests(assignment: str, namespace: dict,
                     question: str | None = None) -> SubmissionResult:
    tests_dir = find_public_tests(assignment)
    plugin = GradingPlugin(lambda: Adapter(InProcessTransport(namespace)),
                           questions={question} if question else None)
    run_pytest(tests_dir, plugin, public_only=True)
    if question and not plugin.results:
        raise ValueError(f"no public tests for question {question!r} of {assignment}")
    return SubmissionResult("notebook", assignment, list(plugin.results.values()))


def _compact(message: str, max_lines: int = 8, max_chars: int = 800) -> str:
    """A failure message cut to a readable size (the full text stays in `check.last`)."""
    text = message.strip()
    lines = text.splitlines()
    short = "\n".join(lines[:max_lines])[:max_chars]
    return short if short == text else short + "\n[... cut: the full message is in check.last]"


def summary(result: SubmissionResult, question: str | None = None) -> str:
    """Readable pass/fail report with each failure's message."""
    lines = []
    for q, (got, top) in result.by_question().items():
        status = "all public tests pass" if got >= top else "some public tests fail"
        lines.append(f"{q}: {status} ({sum(t.passed for t in result.tests if t.question == q)}"
                     f"/{sum(1 for t in result.tests if t.question == q)})")
        for t in result.tests:
            if t.question == q and not t.passed:
                lines.append(f"  ✗ {t.name}: " + _compact(t.message).replace("\n", "\n    "))
    if not question:
        lines.append("Hidden tests also grade your work: passing these is necessary, "
                     "not sufficient.")
    return "\n".join(lines)
