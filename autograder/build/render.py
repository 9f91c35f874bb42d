"""Render the student notebook (stubs) and the reference notebook (solutions) from a spec.

Both keep the author's prompts and experiments, drop all markup, tests and outputs, and carry
clean metadata. The student notebook gets a self-check setup cell and a `check("q")` cell after
each question that has public tests.
"""

from __future__ import annotations

import nbformat
from nbformat import v4

from autograder.build.markup import AssignmentSpec, Item
from autograder.build.stub import make_stub, strip_solution_markers

SETUP = '''# Self-check: check("{first}") runs the public tests of one question, check() runs them all.
# The grader runs only imports, functions, classes and UPPER_CASE constants from this notebook.
from autograder.check import Checker

check = Checker("{name}", globals())'''


def render(spec: AssignmentSpec, *, solutions: bool) -> nbformat.NotebookNode:
    """The student notebook (solutions=False) or the reference notebook (solutions=True)."""
    name = spec.config.name
    first = spec.questions[0].name if spec.questions else "q1"
    cells = [] if solutions else [v4.new_code_cell(SETUP.format(name=name, first=first))]
    has_public = {q.name: any(not t.hidden for t in q.tests) for q in spec.questions}
    for index, item in enumerate(spec.items):
        cells.extend(_render_item(item, index, spec, solutions, has_public))
    nb = v4.new_notebook(cells=cells)
    meta = spec.notebook.get("metadata", {})
    nb.metadata = {
        "kernelspec": meta.get("kernelspec", {"name": "python3", "display_name": "Python 3",
                                              "language": "python"}),
        "language_info": {"name": "python"},
        "coursekit": {"assignment": name, "kind": "reference" if solutions else "student"},
    }
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{n:03d}"
    return nb


def _render_item(item: Item, index: int, spec: AssignmentSpec, solutions: bool,
                 has_public: dict[str, bool]) -> list:
    if item.kind == "question-start":
        q = item.question
        pts = f" ({_fmt(q.points)} points)" if q.points is not None else ""
        return [v4.new_markdown_cell(f"### Question `{q.name}`{pts}")]
    if item.kind == "question-end":
        if solutions or not has_public[item.question.name]:
            return []
        return [v4.new_code_cell(f'check("{item.question.name}")')]
    cell = item.cell
    if item.solution_only and not solutions:
        return []
    if cell.cell_type == "code":
        where = f"{spec.path.name} cell {index + 1}"
        qname = item.question.name if item.question else None
        source = strip_solution_markers(cell.source) if solutions else make_stub(
            cell.source, qname, where)
        return [v4.new_code_cell(source)]
    if cell.cell_type == "markdown":
        return [v4.new_markdown_cell(cell.source)]
    return [v4.new_raw_cell(cell.source)]


def _fmt(points: float) -> str:
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def dumps(nb: nbformat.NotebookNode) -> str:
    """Deterministic notebook text (what `build --check` compares)."""
    return nbformat.writes(nb) + "\n"
