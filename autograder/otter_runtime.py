"""Run Otter's test formats against a student's variables, from the grader's side.

Otter runs its tests inside the student's environment. coursekit keeps the tests and expected
outputs in the grader: each name a test reads is fetched through the `sub` adapter (the same
protocol as every other test), so a test's expected output (a doctest's saved output) and its
comparisons stay in the grader; only what the test passes to student code crosses, as with
`sub.call`. Values (numbers, strings, arrays, tensors, containers of them) arrive as copies;
anything else (a function, a class, a DataFrame) stays in the sandbox behind a `Remote` proxy
whose calls, attributes, items, operators and repr are forwarded there. A module the student
imported (`np`) is imported here under the same name.

OK tests run with the standard library's `doctest`, as Otter does; exception-based tests call
the test function with the student's variables for its parameters (`env`: all of them; a
missing name is None, as in Otter).
"""

from __future__ import annotations

import builtins
import contextlib
import doctest
import importlib
import inspect
import io
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from autograder.adapter import Adapter, Handle, SubmissionError

MAX_REPORT = 3000


class Remote:
    """A student object that stays in the sandbox; Python operations are forwarded to it."""

    __slots__ = ("_coursekit_handle",)

    def __init__(self, handle: Handle):
        object.__setattr__(self, "_coursekit_handle", handle)

    def _op(self, method: str, *args: Any, **kwargs: Any) -> Any:
        args = tuple(unwrap(a) for a in args)
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        result = self._coursekit_handle.call(method, *args, **kwargs)
        if isinstance(result, Handle) and result.type_name == "NotImplementedType":
            return NotImplemented  # let Python try the reflected operation, as it would there
        return wrap(result)

    def __getattr__(self, name: str) -> Any:
        return wrap(self._coursekit_handle.get(name))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._op("__call__", *args, **kwargs)

    def __repr__(self) -> str:
        return self._coursekit_handle.call("__repr__")

    def __str__(self) -> str:
        return self._coursekit_handle.call("__str__")

    def __bool__(self) -> bool:
        return bool(self._op("__bool__")) if self._has("__bool__") else bool(len(self))

    def __len__(self) -> int:
        return int(self._op("__len__"))

    def __iter__(self) -> Iterator:
        iterator = self._op("__iter__")
        while True:
            try:
                yield iterator._op("__next__") if isinstance(iterator, Remote) else next(iterator)
            except SubmissionError as err:
                if err.error.get("type") == "StopIteration":
                    return
                raise

    def __hash__(self) -> int:
        return int(self._op("__hash__"))

    def _has(self, name: str) -> bool:
        try:
            self._coursekit_handle.get(name)
        except SubmissionError:
            return False
        return True


def _forward(method: str):
    def op(self, *args):
        return self._op(method, *args)
    op.__name__ = method
    return op


for _name in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__getitem__",
              "__contains__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
              "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__mod__", "__pow__",
              "__neg__", "__abs__", "__float__", "__int__", "__index__"):
    setattr(Remote, _name, _forward(_name))


def wrap(value: Any) -> Any:
    """A value as the test sees it: handles become `Remote` proxies, modules are imported here."""
    if isinstance(value, Handle):
        if value.type_name == "module":
            with contextlib.suppress(Exception):
                return importlib.import_module(str(value.get("__name__")))
        return Remote(value)
    return value


def unwrap(value: Any) -> Any:
    """What crosses back to the student: proxies become their handles again."""
    if isinstance(value, Remote):
        return value._coursekit_handle
    if isinstance(value, (list, tuple)):
        return type(value)(unwrap(v) for v in value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    return value


def student_value(sub: Adapter, name: str, default: Any = None) -> Any:
    return wrap(sub.get(name)) if sub.has(name) else default


class StudentGlobals(dict):
    """Doctest globals: names the test itself defines live here, the rest come from `sub`."""

    def __init__(self, sub: Adapter):
        super().__init__()
        self._sub = sub

    def __missing__(self, name: str) -> Any:
        if name.startswith("__") or hasattr(builtins, name) or not self._sub.has(name):
            raise KeyError(name)
        return wrap(self._sub.get(name))


class StudentEnv(Mapping):
    """Otter's `env` argument: the student's global environment, read-only, by name."""

    def __init__(self, sub: Adapter):
        self._sub = sub

    def __getitem__(self, name: str) -> Any:
        if not self._sub.has(name):
            raise KeyError(name)
        return wrap(self._sub.get(name))

    def __iter__(self):
        return iter(())  # listing the student's names is not part of the protocol

    def __len__(self) -> int:
        return 0


@contextlib.contextmanager
def assignment_files(test_file: str):
    """The assignment's files (`files`, `student_files`) importable and in the working dir."""
    here = Path(test_file).resolve().parent.parent
    folder = here / "files" if (here / "files").is_dir() else here
    old_cwd, old_path = os.getcwd(), list(sys.path)
    sys.path.insert(0, str(folder))
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path


def run_ok_test(sub: Adapter, text: str, name: str, test_file: str) -> None:
    """Run one OK-format (doctest) test case; fail with doctest's report when it fails."""
    test = doctest.DocTestParser().get_doctest(text, {}, name, None, 0)
    test.globs = StudentGlobals(sub)  # DocTest copies its globals into a plain dict
    runner = doctest.DocTestRunner(verbose=False)
    report = io.StringIO()
    with assignment_files(test_file):
        runner.run(test, out=report.write, clear_globs=False)
    if runner.failures:
        raise AssertionError(f"test {name} failed:\n{report.getvalue()[-MAX_REPORT:]}")


def run_exception_test(sub: Adapter, func, name: str, test_file: str) -> None:
    """Call an exception-based test with the student's variables for its parameters."""
    kwargs = {p: StudentEnv(sub) if p == "env" else student_value(sub, p)
              for p in inspect.signature(func).parameters}
    with assignment_files(test_file):
        func(**kwargs)
