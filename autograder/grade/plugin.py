"""The pytest plugin behind grading and self-checks.

It provides the `sub` and `ref` fixtures, selects questions, applies each test's time limit to
the student adapter, and records one `TestResult` per test with a short, readable message.
Public tests run first; before the first hidden test the student's worker is restarted, so no
public test's message can carry what a hidden test sent to the student's code.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from autograder.adapter import Adapter, SubmissionCrashed, SubmissionError, SubmissionTimeout
from autograder.results import TestResult

STUDENT_ERRORS = (SubmissionError, SubmissionTimeout, SubmissionCrashed)


class GradingPlugin:
    """Register with `pytest.main(args, plugins=[GradingPlugin(...)])`."""

    def __init__(self, sub: Callable[[], Adapter], ref: Callable[[], Adapter] | None = None,
                 questions: set[str] | None = None):
        self._sub_factory, self._ref_factory = sub, ref
        self._sub: Adapter | None = None
        self.questions = questions
        self.public_only = False
        self.results: dict[str, TestResult] = {}
        self.collection_errors: list[str] = []
        self._hidden_started = False
        self.all_or_nothing: set[str] = set()
        self.failed_questions: set[str] = set()

    def pytest_configure(self, config) -> None:
        config.addinivalue_line(
            "markers", "question(name, points, hidden, timeout): the question a test grades")

    @pytest.fixture(scope="session")
    def sub(self) -> Adapter:
        if self._sub is None:
            self._sub = self._sub_factory()
        return self._sub

    @pytest.fixture(scope="session")
    def ref(self) -> Adapter:
        if self._ref_factory is None:
            pytest.skip("the reference solution is only available to the grader")
        return self._ref_factory()

    def pytest_collection_modifyitems(self, config, items) -> None:
        keep = []
        for item in items:
            marker = item.get_closest_marker("question")
            if marker is None or (self.public_only and marker.kwargs.get("hidden")):
                continue
            if self.questions is None or marker.args[0] in self.questions:
                keep.append(item)
        keep.sort(key=lambda item: (bool(item.get_closest_marker("question").kwargs.get("hidden")),
                                    natural_key(item.get_closest_marker("question").args[0])))
        items[:] = keep

    def pytest_runtest_setup(self, item) -> None:
        hidden = item.get_closest_marker("question").kwargs.get("hidden")
        if hidden and not self._hidden_started:
            self._hidden_started = True
            restart = getattr(getattr(self._sub, "transport", None), "restart", None)
            if restart is not None:
                restart()

    def ordered_results(self) -> list[TestResult]:
        """Results question by question (public before hidden within a question)."""
        return sorted(self.results.values(), key=lambda t: natural_key(t.question))

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-1500:]}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        marker = item.get_closest_marker("question")
        if self._sub is not None:
            self._sub.set_time_limit(marker.kwargs.get("timeout"))
        yield
        if self._sub is not None:
            self._sub.set_time_limit(None)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        marker = item.get_closest_marker("question")
        key = item.nodeid
        if report.when == "setup" and report.passed:
            return
        if report.when == "teardown" and key in self.results:
            return
        points = float(marker.kwargs.get("points", 1.0))
        passed = report.passed and report.when == "call"
        message = _author_message(item, passed, "" if passed else _message(call, report))
        self.results[key] = TestResult(marker.args[0], item.name, points if passed else 0.0,
                                       points, bool(marker.kwargs.get("hidden", False)), message)
        if getattr(getattr(item, "function", None), "coursekit_all_or_nothing", False):
            self.all_or_nothing.add(marker.args[0])
        if not passed:
            self.failed_questions.add(marker.args[0])

    def pytest_sessionfinish(self, session) -> None:
        """Otter's `all_or_nothing`: a question with a failing test scores zero."""
        for question in self.all_or_nothing & self.failed_questions:
            for r in self.results.values():
                if r.question == question:
                    if r.passed and r.max_score:
                        r.message = f"{r.message}\n(no points: {question} is all-or-nothing and " \
                                    "one of its tests fails)".strip()
                    r.score = 0.0


def _author_message(item, passed: bool, message: str) -> str:
    """The test's success_message / failure_message (Otter's test config), if any."""
    func = getattr(item, "function", None)
    extra = getattr(func, "coursekit_success" if passed else "coursekit_failure", "")
    return f"{extra}\n{message}".strip() if extra else message


def natural_key(name: str) -> list:
    """q2 before q10: digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _message(call, report) -> str:
    excinfo = call.excinfo
    if excinfo is None:
        return report.longreprtext[-1500:]
    exc = excinfo.value
    if isinstance(exc, STUDENT_ERRORS):
        return str(exc)[:3000]
    if isinstance(exc, AssertionError):
        text = str(exc).strip() or report.longreprtext.strip().splitlines()[-1]
        return text[:3000]
    if excinfo.typename == "Skipped":
        return f"skipped: {exc}"
    crash = getattr(report.longrepr, "reprcrash", None)
    where = f" ({crash.path.rsplit('/', 1)[-1]}:{crash.lineno})" if crash else ""
    return f"{excinfo.typename}: {exc}{where}"[:3000]


def pytest_args(tests_dir: str, ini: str | None = None) -> list[str]:
    """The pytest arguments the grader and self-check use (no user config, quiet)."""
    args = [tests_dir, "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
            "-W", "ignore::DeprecationWarning", "--rootdir", tests_dir, "-o", "addopts="]
    if ini:
        args += ["-c", ini]
    return args
