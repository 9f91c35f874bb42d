"""Parse a solution notebook's Otter Assign markup into an `AssignmentSpec`.

Raw cells (or Markdown cells holding only an ```` ```otter ```` block) carry the structure:
`# ASSIGNMENT CONFIG`, `# BEGIN QUESTION` + YAML, `# END QUESTION`, `# BEGIN TESTS` /
`# END TESTS`, `# BEGIN TEST HELPERS` / `# END TEST HELPERS`, and `# BEGIN SOLUTION` /
`# END SOLUTION` and `# BEGIN PROMPT` / `# END PROMPT` around solution and prompt cells.
A cell whose first line is `# IGNORE` is in neither output. Otter's student-facing plugin
blocks in code cells are left out with a warning (otter_plugins.py). Any other marker is an
error.
See docs/authoring.md and docs/otter.md.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.build.otter_config import (
    AssignmentConfig,
    assignment_config,
    load_yaml,
    question_config,
)
from autograder.build.otter_plugins import plugin_warning, remove_plugins
from autograder.build.otter_tests import TestCell, parse_test_cell
from autograder.build.stub import MarkupError

__all__ = ["AssignmentConfig", "AssignmentSpec", "Item", "MarkupError", "Question", "TestCell",
           "parse_solution"]
FENCE = re.compile(r"^\s*```otter[ \t]*\n(.*?)\n```\s*$", re.S)
IGNORE = re.compile(r"^\s*#\s*ignore\s*$", re.I)
BLOCKS = ("tests", "helpers", "solution", "prompt")
CELL_MARKERS = {"# ASSIGNMENT CONFIG", "# BEGIN QUESTION", "# END QUESTION", "# BEGIN TESTS",
                "# END TESTS", "# BEGIN TEST HELPERS", "# END TEST HELPERS", "# BEGIN SOLUTION",
                "# END SOLUTION", "# BEGIN PROMPT", "# END PROMPT"}


@dataclass
class Question:
    name: str
    points: float | None = None       # the total (for lists and `each`: their sum)
    timeout: float | None = None
    tests: list[TestCell] = field(default_factory=list)
    spec: float | list | dict | None = None   # `points` as written (Otter's rules use it)
    manual: bool = False
    all_or_nothing: bool = False
    check_cell: bool = True


@dataclass
class Item:
    """One cell of the solution notebook, classified."""

    kind: str  # "cell" | "question-start" | "question-end"
    cell: nbformat.NotebookNode | None = None
    question: Question | None = None
    role: str = ""  # "" | "solution" (stubbed/removed for students) | "prompt" (students only)
    number: int = 0  # the cell's position in the solution notebook, from 1 (for messages)


@dataclass
class AssignmentSpec:
    config: AssignmentConfig
    questions: list[Question]           # the questions graded by tests
    helpers: list[str]
    items: list[Item]
    notebook: nbformat.NotebookNode
    path: Path
    notes: list[str] = field(default_factory=list)


def structure_text(cell) -> str | None:
    """The markup text of a raw cell, or of a Markdown cell holding only an ```otter block."""
    if cell.cell_type == "raw":
        return cell.source.strip()
    if cell.cell_type == "markdown":
        match = FENCE.match(cell.source)
        return match.group(1).strip() if match else None
    return None


def _header(cell) -> tuple[str, str]:
    text = structure_text(cell)
    if not text:
        return "", ""
    first, _, rest = text.partition("\n")
    return " ".join(first.strip().upper().split()), rest


class _Parser:
    def __init__(self, nb, path: Path):
        self.nb, self.path = nb, path
        self.config: AssignmentConfig | None = None
        self.questions: list[Question] = []
        self.helpers: list[str] = []
        self.items: list[Item] = []
        self.notes: list[str] = []
        self.question: Question | None = None
        self.mode = ""  # "", or one of BLOCKS

    def run(self) -> AssignmentSpec:
        for index, cell in enumerate(self.nb.cells):
            self.cell(index, cell)
        if self.question is not None:
            raise MarkupError(f"{self.path}: question {self.question.name} has no '# END QUESTION'")
        if self.mode:
            raise MarkupError(f"{self.path}: a '# BEGIN {self.mode.upper()}' block is not closed")
        self._cfg()  # Otter: without a config cell every key keeps its default
        self._decide_execution()
        graded = [q for q in self.questions if q.tests]
        return AssignmentSpec(self.config, graded, self.helpers, self.items, self.nb, self.path,
                              self.config.notes + self.notes)

    def cell(self, index: int, cell) -> None:
        where = f"{self.path.name} cell {index + 1}"
        if IGNORE.match(cell.source.split("\n", 1)[0]):
            return
        head, rest = _header(cell)
        handler = {
            "# ASSIGNMENT CONFIG": self._config, "# BEGIN QUESTION": self._begin_question,
            "# END QUESTION": self._end_question,
            **{f"# BEGIN {b.upper().replace('HELPERS', 'TEST HELPERS')}": self._begin(b)
               for b in BLOCKS},
            **{f"# END {b.upper().replace('HELPERS', 'TEST HELPERS')}": self._end(b)
               for b in BLOCKS},
        }.get(head)
        assert handler is None or head in CELL_MARKERS
        if handler:
            handler(rest, where)
        elif head.startswith("#") and _looks_like_marker(head):
            raise MarkupError(f"{where}: unknown marker cell '{head}' (see docs/otter.md for "
                              "the markers coursekit supports)")
        elif self.mode in ("tests", "helpers") and _has_plugin(cell, where):
            raise MarkupError(f"{where}: a '# BEGIN PLUGIN' block in a {self.mode} cell: Otter "
                              "runs student-facing plugins from the notebook, never from tests; "
                              "move it to a notebook cell (see docs/otter.md, Plugins)")
        elif self.mode == "tests":
            self._test(cell, where)
        elif self.mode == "helpers":
            self.helpers.append(cell.source) if cell.cell_type == "code" else None
        else:
            cell = self._without_plugins(cell, where)
            if cell is not None:
                self.items.append(Item("cell", cell, self.question, self.mode, index + 1))

    def _without_plugins(self, cell, where: str):
        """The cell without Otter's student-facing plugin blocks (left out with a warning);
        None when nothing else was in it."""
        if cell.cell_type != "code":
            return cell
        source, plugins = remove_plugins(cell.source, where)
        if not plugins:
            return cell
        self.notes.extend(plugin_warning(p, where) for p in plugins)
        if not source.strip():
            return None
        cell = copy.deepcopy(cell)
        cell.source = source
        return cell

    def _config(self, text: str, where: str) -> None:
        if self.config is not None:
            raise MarkupError(f"{where}: a second ASSIGNMENT CONFIG cell, or one after the "
                              "first question (put it first)")
        self.config = assignment_config(load_yaml(text, where), self.path, where)

    def _cfg(self) -> AssignmentConfig:
        if self.config is None:
            self.config = assignment_config({}, self.path, self.path.name)
        return self.config

    def _begin_question(self, text: str, where: str) -> None:
        if self.question is not None:
            raise MarkupError(f"{where}: question inside question {self.question.name}")
        self._cfg()
        cfg = question_config(load_yaml(text, where), where)
        if any(q.name == cfg.name for q in self.questions):
            raise MarkupError(f"{where}: duplicate question name {cfg.name}")
        total = cfg.points if isinstance(cfg.points, (int, float)) else None
        self.question = Question(cfg.name, total, cfg.timeout, spec=cfg.points,
                                 manual=cfg.manual, all_or_nothing=cfg.all_or_nothing,
                                 check_cell=bool(load_yaml(text, where).get("check_cell", True)))
        self.questions.append(self.question)
        self.notes.extend(cfg.notes)
        self.items.append(Item("question-start", question=self.question))

    def _end_question(self, text: str, where: str) -> None:
        q = self.question
        if q is None:
            raise MarkupError(f"{where}: END QUESTION without BEGIN QUESTION")
        if q.manual and q.tests:
            raise MarkupError(f"{where}: question {q.name} is manual (graded by hand) but has "
                              "tests: remove 'manual: true' or the tests")
        if q.manual:
            self.notes.append(f"question {q.name} is graded by hand (manual): not in the "
                              "autograder's score")
        elif not q.tests:
            self.notes.append(f"question {q.name} has no tests: nothing grades it")
        elif q.spec is not None and not isinstance(q.spec, (int, float)):
            from autograder.build.otter_config import resolve_points

            q.points = sum(resolve_points(q.name, q.spec, [t.points for t in q.tests]))
        if q.all_or_nothing:
            for t in q.tests:
                t.code += "".join(f"{f}.coursekit_all_or_nothing = True\n" for f in t.functions)
        self.items.append(Item("question-end", question=q))
        self.question = None

    def _begin(self, mode: str):
        def handler(text: str, where: str) -> None:
            if self.mode:
                raise MarkupError(f"{where}: BEGIN {mode.upper()} inside {self.mode.upper()}")
            if mode == "tests" and self.question is None:
                raise MarkupError(f"{where}: BEGIN TESTS outside a question")
            self.mode = mode
        return handler

    def _end(self, mode: str):
        def handler(text: str, where: str) -> None:
            if self.mode != mode:
                raise MarkupError(f"{where}: END {mode.upper()} without BEGIN {mode.upper()}")
            self.mode = ""
        return handler

    def _test(self, cell, where: str) -> None:
        if cell.cell_type != "code":
            return
        assert self.question is not None
        self.question.tests.append(parse_test_cell(
            cell, where, self.question.name, len(self.question.tests) + 1,
            self._cfg().ok_format))

    def _decide_execution(self) -> None:
        cfg = self.config
        otter = any(t.kind != "pytest" for q in self.questions for t in q.tests)
        if cfg.execution is None:
            cfg.execution = "notebook" if otter else "graded-code"
        seeded = cfg.seed.value is not None or cfg.seed.variable
        if seeded and cfg.execution != "notebook":
            raise MarkupError(f"{self.path.name}: Otter's intercell seeding ('seed' or "
                              "'generate: seed') needs 'execution: notebook'")


def _has_plugin(cell, where: str) -> bool:
    return cell.cell_type == "code" and bool(remove_plugins(cell.source, where)[1])


def _looks_like_marker(head: str) -> bool:
    words = head.lstrip("#").split()
    return bool(words) and (words[0] in {"BEGIN", "END", "ASSIGNMENT", "HIDDEN", "IGNORE"}
                            or "SOLUTION" in words or "PROMPT" in words)


def parse_solution(path: Path) -> AssignmentSpec:
    """Parse `solutions/<slug>/<slug>.ipynb`."""
    nb = nbformat.read(str(path), as_version=4)
    return _Parser(nb, Path(path)).run()
