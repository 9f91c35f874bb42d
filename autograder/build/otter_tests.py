"""Read one test cell of a solution notebook in any of the three formats, as pytest code.

- **pytest** (coursekit's own): `def test_*(sub, ref, ...)` functions using fixtures;
- **OK** (Otter's default): the cell's code and its saved output form a doctest, run against
  the student's variables by `autograder.otter_runtime.run_ok_test`;
- **exception** (Otter's `tests: ok_format: false`): one `def` (and optionally a call to it);
  its parameters are the student's variables (`env` is the whole environment), run by
  `autograder.otter_runtime.run_exception_test`.

Otter's `tests.ok_format` decides between OK and exception; without it a cell whose test
functions take only fixtures is pytest and any other cell is OK, as in Otter.
The first line `# HIDDEN` (any case, Otter's rule) hides the cell, as `hidden: true` does.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from autograder.build.otter_config import load_yaml, test_config
from autograder.build.stub import MarkupError

TEST_CONFIG = re.compile(r'^\s*("""|\'\'\')\s*# BEGIN TEST CONFIG\s*\n(.*?)\n?\s*("""|\'\'\')\s*'
                         r'# END TEST CONFIG[^\n]*\n?', re.S | re.I)
HIDDEN = re.compile(r"\bhidden\b", re.I)
FIXTURES = {"sub", "ref", "tmp_path", "monkeypatch", "capsys", "request"}
RUNTIME = "from autograder.otter_runtime import run_exception_test, run_ok_test\n"


@dataclass
class TestCell:
    code: str
    hidden: bool = False
    points: float | None = None
    timeout: float | None = None
    functions: list[str] = field(default_factory=list)
    kind: str = "pytest"  # "pytest" | "ok" | "exception"
    name: str = ""
    success_message: str | None = None
    failure_message: str | None = None


def cell_output(cell) -> str:
    """The saved output text of a code cell, as Otter reads it (streams and text/plain)."""
    text = ""
    for out in cell.get("outputs", []):
        text += "".join(out.get("text", ""))
        plain = out.get("data", {}).get("text/plain")
        if plain:
            text += plain if isinstance(plain, str) else plain[0]
    return text


def _split(source: str, where: str) -> tuple[dict, bool, str]:
    """(test config, hidden by a '# HIDDEN' first line, code without both)."""
    hidden = False
    first = source.lstrip("\n").split("\n", 1)[0]
    if first.lstrip().startswith("#") and HIDDEN.search(first):
        hidden = True
        source = source.lstrip("\n").split("\n", 1)[1] if "\n" in source.strip() else ""
    match = TEST_CONFIG.match(source)
    config = {}
    if match:
        config = test_config(load_yaml(match.group(2), where), where)
        source = source[match.end():]
    return config, bool(config.get("hidden", hidden)), source


def _tree(source: str, where: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as err:
        raise MarkupError(f"{where}: test cell is not valid Python: {err}") from None


def _is_pytest(tree: ast.Module) -> bool:
    tests = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]
    return bool(tests) and all(a.arg in FIXTURES for t in tests for a in t.args.args)


def parse_test_cell(cell, where: str, question: str, index: int,
                    ok_format: bool | None = None) -> TestCell:
    """One test cell as pytest code (`index`: the cell's position in its question, from 1)."""
    source = cell.source if hasattr(cell, "source") else str(cell)
    config, hidden, code = _split(source, where)
    tree = _tree(code, where)
    kind = {True: "ok", False: "exception"}.get(ok_format) if ok_format is not None else (
        "pytest" if _is_pytest(tree) else "ok")
    test = TestCell(code, hidden, config.get("points"), config.get("timeout"), kind=kind,
                    name=str(config.get("name") or f"{question} - {index}"),
                    success_message=config.get("success_message"),
                    failure_message=config.get("failure_message"))
    fn = f"test_{re.sub(r'[^0-9a-zA-Z]+', '_', question).strip('_').lower()}_{index}"
    if kind == "pytest":
        test.functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
                          and n.name.startswith("test")]
        if not test.functions:
            raise MarkupError(f"{where}: test cell defines no test_* function")
    elif kind == "ok":
        test.code, test.functions = _ok_code(tree, cell_output(cell), test.name, fn), [fn]
    else:
        test.code, test.functions = _exception_code(tree, test.name, fn, where), [fn]
    test.code = _with_messages(test)
    return test


def doctest_text(tree: ast.Module, output: str) -> str:
    """The cell as a doctest: each statement an example, the saved output after the last."""
    lines = []
    for node in tree.body:
        first, *rest = ast.unparse(node).split("\n")
        lines += [">>> " + first] + ["... " + line for line in rest]
    return "\n".join(lines) + "\n" + output


def _ok_code(tree: ast.Module, output: str, name: str, fn: str) -> str:
    if not tree.body:
        return f"{RUNTIME}\ndef {fn}(sub):\n    pass  # an empty OK test always passes\n"
    text = doctest_text(tree, output)
    return (f"{RUNTIME}\ndef {fn}(sub):\n"
            f"    run_ok_test(sub, {text!r}, {name!r}, __file__)\n")


def _exception_code(tree: ast.Module, name: str, fn: str, where: str) -> str:
    body = tree.body
    defs = [n for n in body if isinstance(n, ast.FunctionDef)]
    calls_only = all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Call) for n in body[1:])
    if len(body) > 2 or not defs or body[0] is not defs[0] or not calls_only:
        raise MarkupError(f"{where}: an exception-based test cell holds one 'def' and at most "
                          "a call to it (Otter's rule)")
    func = defs[0]
    inner = f"_otter_{func.name}"
    func.name = inner
    return (f"{RUNTIME}\n{ast.unparse(func)}\n\n\ndef {fn}(sub):\n"
            f"    run_exception_test(sub, {inner}, {name!r}, __file__)\n")


def _with_messages(test: TestCell) -> str:
    extra = []
    for fn in test.functions:
        if test.success_message:
            extra.append(f"{fn}.coursekit_success = {test.success_message!r}")
        if test.failure_message:
            extra.append(f"{fn}.coursekit_failure = {test.failure_message!r}")
    return test.code.rstrip() + ("\n\n" + "\n".join(extra) if extra else "") + "\n"
