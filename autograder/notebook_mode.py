"""Execution mode `notebook`: the sandbox runs the whole notebook, top to bottom.

The default mode (`graded-code`, autograder.extract) keeps only imports, definitions and
constants. Otter's tests read computed variables (`nine = square(3)`), so assignments whose
tests are in Otter's formats run every code cell instead, in order, in the sandboxed worker:

- each cell is one statement of the submission (a `try`/`finally`): an exception stops the
  rest of that cell only, and is reported, like a notebook run with errors allowed;
- each cell has a time limit (the assignment's `timeout`), enforced in the worker by SIGALRM;
- Otter's intercell seeding runs at the top of every cell: `generate: seed: N` seeds `random`
  and NumPy's global RNG, and a `seed: variable:` is set to its autograder value.

Magics (`%matplotlib`, `!pip`) are dropped; a cell that is not valid Python is skipped with a
note, as in the default mode. Tests then read values through the usual `sub` protocol.
"""

from __future__ import annotations

import ast

import nbformat

from autograder.extract import GradedCode, strip_magics

PREAMBLE = '''import signal as _ck_signal


class CellTimeLimit(BaseException):
    """A notebook cell ran past its time limit while grading."""


def _ck_alarm(signum, frame):
    raise CellTimeLimit("this cell ran past its time limit while grading")


_ck_signal.signal(_ck_signal.SIGALRM, _ck_alarm)
'''
SEED_LINES = "import numpy as _ck_np\nimport random as _ck_random\n" \
             "_ck_np.random.seed({seed})\n_ck_random.seed({seed})\n"


def _cell_prefix(meta: dict) -> str:
    seed = meta.get("seed") or {}
    lines = ""
    if seed.get("value") is not None:
        lines += SEED_LINES.format(seed=int(seed["value"]))
    if seed.get("variable") and seed.get("autograder_value") is not None:
        lines += f"{seed['variable']} = {seed['autograder_value']!r}\n"
    return lines


def notebook_code(nb: nbformat.NotebookNode, meta: dict, *, time_limits: bool = True) -> GradedCode:
    """Every code cell of `nb` as one program (see the module docstring)."""
    cell_limit = float(meta.get("timeout", 20))
    prefix = _cell_prefix(meta)
    parts: list[str] = [PREAMBLE] if time_limits else []
    notes: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        text = strip_magics(cell.get("source", ""))
        try:
            body = ast.parse(prefix + text).body
        except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
            notes.append(f"cell {index + 1} is not valid Python and was skipped: {err}")
            continue
        if not body:
            continue
        parts.append(_wrap(body, cell_limit if time_limits else None, index + 1))
    meta_nb = nb.get("metadata", {}).get("coursekit", {})
    return GradedCode("\n\n".join(parts) + "\n", notes, meta_nb.get("assignment"))


def _wrap(body: list[ast.stmt], limit: float | None, number: int) -> str:
    start = f"_ck_signal.setitimer(_ck_signal.ITIMER_REAL, {limit!r})  # cell {number}"
    stop = "_ck_signal.setitimer(_ck_signal.ITIMER_REAL, 0)"
    if limit is None:
        return f"# cell {number}\n" + "\n".join(ast.unparse(node) for node in body)
    # indent through the AST, not the text: multi-line strings keep their exact content
    wrapper = ast.parse(f"try:\n    {start}\n    pass\nfinally:\n    {stop}\n")
    wrapper.body[0].body[1:] = body
    return ast.unparse(wrapper)
