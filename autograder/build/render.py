"""Render the student notebook (stubs) and the reference notebook (solutions) from a spec.

Both keep the author's prompts and experiments, drop all markup, tests and outputs, and carry
clean metadata. The student notebook starts with the author's title, then a self-check setup cell,
and gets a `check("q")` cell after each question that has public tests. Each question's name and
points go under the author's own heading (the question's first cell, or the heading just before
it); only a question without one gets a generated `### Question` heading.
"""

from __future__ import annotations

import nbformat
from nbformat import v4

from autograder.build.markup import AssignmentSpec, Item
from autograder.build.stub import make_stub, strip_solution_markers, student_seed

SETUP = '''# Self-check: check("{first}") runs the public tests of one question, check() runs them all.
# The grader runs only imports, functions, classes and UPPER_CASE constants from this notebook.
from autograder.check import Checker

check = Checker("{name}", globals())'''
MANUAL_PROMPT = "_Type your answer here, replacing this text._"
GRADED_CODE_LINE = "only imports, functions, classes and UPPER_CASE constants from this notebook."
NOTEBOOK_LINE = "this whole notebook, top to bottom: restart and run all before submitting."


def render(spec: AssignmentSpec, *, solutions: bool) -> nbformat.NotebookNode:
    """The student notebook (solutions=False) or the reference notebook (solutions=True)."""
    name = spec.config.name
    first = spec.questions[0].name if spec.questions else "q1"
    cells: list = []
    has_public = {q.name: q.check_cell and any(not t.hidden for t in q.tests)
                  for q in spec.questions}
    pending = None  # a question whose points go under the heading of the next markdown cell
    for index, item in enumerate(spec.items):
        if item.kind == "question-start":
            pending = _points_under_heading(item.question, cells, spec.items[index + 1:])
            if pending is None:
                continue
        rendered = _render_item(item, index, spec, solutions, has_public)
        if pending is not None and item.kind == "cell" and rendered:
            rendered[0].source = _with_points(rendered[0].source, pending)
            pending = None
        cells.extend(rendered)
    if not solutions:
        title = 1 if cells and cells[0].cell_type == "markdown" else 0
        setup = SETUP.format(name=name, first=first)
        if spec.config.execution == "notebook":
            setup = setup.replace(GRADED_CODE_LINE, NOTEBOOK_LINE)
        cells.insert(title, v4.new_code_cell(setup))
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


def _is_heading(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")


def _points_line(question) -> str:
    pts = f" · {_fmt(question.points)} points" if question.points is not None else ""
    return f"**Question `{question.name}`**{pts}"


def _with_points(source: str, question) -> str:
    """The author's heading, then the question's name and points, then the rest."""
    head, _, rest = source.lstrip().partition("\n")
    return f"{head}\n\n{_points_line(question)}\n" + (f"\n{rest.lstrip(chr(10))}" if rest else "")


def _points_under_heading(question, cells: list, following: list[Item]):
    """Put the question's name and points under the author's own heading: the question's
    first cell when it is a markdown heading (returns the question, to mark that cell), else
    the heading cell just before the question (changed here; returns None). Without an author
    heading, returns the question to get the generated heading cell."""
    nxt = following[0] if following else None
    if nxt is not None and nxt.kind == "cell" and not nxt.role and _is_heading(nxt.cell):
        return question
    if len(cells) > 1 and _is_heading(cells[-1]):
        cells[-1].source = _with_points(cells[-1].source, question)
        return None
    cells.append(v4.new_markdown_cell(f"### Question `{question.name}`"
                                      + (f" ({_fmt(question.points)} points)"
                                         if question.points is not None else "")))
    return None


def _render_item(item: Item, index: int, spec: AssignmentSpec, solutions: bool,
                 has_public: dict[str, bool]) -> list:
    if item.kind == "question-start":
        return []
    if item.kind == "question-end":
        if solutions or not has_public.get(item.question.name):
            return []
        return [v4.new_code_cell(f'check("{item.question.name}")')]
    cell = item.cell
    if item.role == "prompt" and solutions:
        return []
    if cell.cell_type == "code":
        where = f"{spec.path.name} cell {item.number or index + 1}"
        qname = item.question.name if item.question else None
        if solutions:
            return [v4.new_code_cell(strip_solution_markers(cell.source, where))]
        seed = spec.config.seed
        stub = make_stub(student_seed(cell.source, seed.variable, seed.student_value), qname, where)
        return [v4.new_code_cell(stub)]
    if item.role == "solution" and not solutions:
        return [v4.new_markdown_cell(MANUAL_PROMPT)] if _needs_placeholder(item, spec) else []
    if cell.cell_type == "markdown":
        return [v4.new_markdown_cell(cell.source)]
    return [v4.new_raw_cell(cell.source)]


def _needs_placeholder(item: Item, spec: AssignmentSpec) -> bool:
    """Otter: a manual question without a prompt gets one answer cell for its written solution."""
    q = item.question
    if q is None or not q.manual:
        return False
    mine = [i for i in spec.items if i.kind == "cell" and i.question is q]
    if any(i.role == "prompt" for i in mine):
        return False
    written = [i for i in mine if i.role == "solution" and i.cell.cell_type == "markdown"]
    return written[0] is item


def _fmt(points: float) -> str:
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def dumps(nb: nbformat.NotebookNode) -> str:
    """Deterministic notebook text (what `build --check` compares)."""
    return nbformat.writes(nb) + "\n"
