"""coursekit's autograder: build student notebooks, grade submissions in a sandbox, self-check.

Run as `python -m autograder...` (the grader's own processes, or an instructor in a folder of
submissions), importing the package drops the working directory from `sys.path` (Python puts
it first), unless the kit itself lives there: a student's `numpy.py` or `pytest.py` must never
be imported by the grader. Imported anywhere else (a notebook, pytest), `sys.path` is left
alone, so a student's own modules beside their notebook still import.
"""

import os as _os
import sys as _sys

__version__ = "0.1.0"


def _forget_working_directory() -> None:
    kit_parent = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    try:
        cwd = _os.getcwd()
    except OSError:
        cwd = None
    for entry in ("", cwd):
        if entry is None or _os.path.abspath(entry or ".") == kit_parent:
            continue
        while entry in _sys.path:
            _sys.path.remove(entry)


if _sys.argv[:1] == ["-m"]:  # set by Python while it locates the module of `python -m`
    _forget_working_directory()
