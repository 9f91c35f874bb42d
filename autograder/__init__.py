"""coursekit's autograder: build student notebooks, grade submissions in a sandbox, self-check.

Importing the package drops the working directory from `sys.path` (Python puts it first for
`python -m ...` and `python -c`), unless the kit itself lives there: an instructor who grades
from a folder of submissions must never import a student's `numpy.py` or `pytest.py`.
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


_forget_working_directory()
