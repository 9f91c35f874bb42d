"""Parse a solution notebook's Otter-style markup into an `AssignmentSpec`.

Raw cells carry the structure (`# ASSIGNMENT CONFIG`, `# BEGIN QUESTION` + YAML, `# END QUESTION`,
`# BEGIN TESTS` / `# END TESTS`, `# BEGIN TEST HELPERS` / `# END TEST HELPERS`, and
`# BEGIN SOLUTION` / `# END SOLUTION` around solution-only cells). See docs/authoring.md.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograder.build.stub import MarkupError

TEST_CONFIG = re.compile(r'^\s*"""\s*# BEGIN TEST CONFIG\n(.*?)"""\s*# END TEST CONFIG[^\n]*\n?',
                         re.S)


@dataclass
class TestCell:
    code: str
    hidden: bool = False
    points: float | None = None
    timeout: float | None = None
    functions: list[str] = field(default_factory=list)


@dataclass
class Question:
    name: str
    points: float | None = None
    timeout: float | None = None
    tests: list[TestCell] = field(default_factory=list)


@dataclass
class AssignmentConfig:
    name: str
    title: str = ""
    order: int = 0
    requires: list[str] = field(default_factory=lambda: ["numpy"])
    timeout: float = 20.0
    memory_mb: int = 2048
    hidden_details: bool = False  # students see hidden tests' messages in results.json


@dataclass
class Item:
    """One cell of the solution notebook, classified."""

    kind: str  # "cell" | "question-start" | "question-end"
    cell: nbformat.NotebookNode | None = None
    question: Question | None = None
    solution_only: bool = False


@dataclass
class AssignmentSpec:
    config: AssignmentConfig
    questions: list[Question]
    helpers: list[str]
    items: list[Item]
    notebook: nbformat.NotebookNode
    path: Path


def _raw_header(cell) -> tuple[str, str]:
    if cell.cell_type != "raw":
        return "", ""
    text = cell.source.strip()
    first, _, rest = text.partition("\n")
    return first.strip().upper(), rest


def _yaml(text: str, where: str) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise MarkupError(f"{where}: invalid YAML: {err}") from None
    if not isinstance(data, dict):
        raise MarkupError(f"{where}: expected 'key: value' lines")
    return data


def parse_test_cell(source: str, where: str) -> TestCell:
    config = {}
    match = TEST_CONFIG.match(source)
    if match:
        config = _yaml(match.group(1), where)
        source = source[match.end():]
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise MarkupError(f"{where}: test cell is not valid Python: {err}") from None
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
             and n.name.startswith("test")]
    if not names:
        raise MarkupError(f"{where}: test cell defines no test_* function")
    return TestCell(source, bool(config.get("hidden", False)), config.get("points"),
                    config.get("timeout"), names)


class _Parser:
    def __init__(self, nb, path: Path):
        self.nb, self.path = nb, path
        self.config: AssignmentConfig | None = None
        self.questions: list[Question] = []
        self.helpers: list[str] = []
        self.items: list[Item] = []
        self.question: Question | None = None
        self.mode = ""  # "", "tests", "helpers", "solution"

    def run(self) -> AssignmentSpec:
        for index, cell in enumerate(self.nb.cells):
            self.cell(index, cell)
        if self.question is not None:
            raise MarkupError(f"{self.path}: question {self.question.name} has no '# END QUESTION'")
        if self.mode:
            raise MarkupError(f"{self.path}: a '# BEGIN {self.mode.upper()}' block is not closed")
        if self.config is None:
            raise MarkupError(f"{self.path}: the first raw cell must be '# ASSIGNMENT CONFIG'")
        return AssignmentSpec(self.config, self.questions, self.helpers, self.items, self.nb,
                              self.path)

    def cell(self, index: int, cell) -> None:
        where = f"{self.path.name} cell {index + 1}"
        head, rest = _raw_header(cell)
        handler = {
            "# ASSIGNMENT CONFIG": self._config, "# BEGIN QUESTION": self._begin_question,
            "# END QUESTION": self._end_question, "# BEGIN TESTS": self._begin("tests"),
            "# END TESTS": self._end("tests"), "# BEGIN TEST HELPERS": self._begin("helpers"),
            "# END TEST HELPERS": self._end("helpers"), "# BEGIN SOLUTION": self._begin("solution"),
            "# END SOLUTION": self._end("solution"),
        }.get(head)
        if handler:
            handler(rest, where)
        elif self.mode == "tests":
            self._test(cell, where)
        elif self.mode == "helpers":
            self.helpers.append(cell.source) if cell.cell_type == "code" else None
        else:
            self.items.append(Item("cell", cell, self.question, self.mode == "solution"))

    def _config(self, text: str, where: str) -> None:
        data = _yaml(text, where)
        if "name" not in data:
            raise MarkupError(f"{where}: ASSIGNMENT CONFIG needs a 'name'")
        known = AssignmentConfig.__dataclass_fields__
        self.config = AssignmentConfig(**{k: v for k, v in data.items() if k in known})

    def _begin_question(self, text: str, where: str) -> None:
        if self.question is not None:
            raise MarkupError(f"{where}: question inside question {self.question.name}")
        data = _yaml(text, where)
        if "name" not in data:
            raise MarkupError(f"{where}: BEGIN QUESTION needs a 'name'")
        if any(q.name == str(data["name"]) for q in self.questions):
            raise MarkupError(f"{where}: duplicate question name {data['name']}")
        self.question = Question(str(data["name"]), data.get("points"), data.get("timeout"))
        self.questions.append(self.question)
        self.items.append(Item("question-start", question=self.question))

    def _end_question(self, text: str, where: str) -> None:
        if self.question is None:
            raise MarkupError(f"{where}: END QUESTION without BEGIN QUESTION")
        if not self.question.tests:
            raise MarkupError(f"{where}: question {self.question.name} has no tests")
        self.items.append(Item("question-end", question=self.question))
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
        self.question.tests.append(parse_test_cell(cell.source, where))


def parse_solution(path: Path) -> AssignmentSpec:
    """Parse `solutions/<slug>/<slug>.ipynb`."""
    nb = nbformat.read(str(path), as_version=4)
    return _Parser(nb, Path(path)).run()
