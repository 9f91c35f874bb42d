"""Turn solution code into student stubs, with Otter Assign's in-code markers.

Student version of a code cell (docs/otter.md has the full table):

- `# BEGIN SOLUTION` ... `# END SOLUTION`: replaced, at the marker's indentation, by
  `raise NotImplementedError("q1.1: implement Linear.forward")` inside a function (the question
  and function are named) and by `...` elsewhere (Otter's prompt);
  `# BEGIN SOLUTION NO PROMPT` ... `# END SOLUTION`: removed;
- a line ending in `# SOLUTION`: `name = ...` when it is an assignment, else `...`;
  `# SOLUTION NO PROMPT` and `# SEED` lines: removed;
- a multi-line string opened by `# BEGIN PROMPT` and closed by `# END PROMPT`: its lines are
  the student's code;
- `# IGNORE` lines and `# BEGIN IGNORE` ... `# END IGNORE`: removed from both versions.

Any other marker-like comment (`# SOLUTION PROMPT`, `# HIDDEN` in a solution cell...) is a
`MarkupError`: no marker is ever silently left in a student notebook. (Otter's `# BEGIN PLUGIN`
blocks are taken out before, by markup.py with otter_plugins.py; one that reaches here is an
error too.)
"""

from __future__ import annotations

import ast
import re

COMMENT = re.compile(r"^(?P<code>.*?)#\s*(?P<tag>[A-Za-z][A-Za-z ]*?)\s*$")
QUOTE = re.compile(r"""^\s*(\"\"\"|''')\s*;?\s*$""")
DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)|^(\s*)class\s+(\w+)")
ASSIGN = re.compile(r"^(\s*)([^=#+\-*/%&|^<>!:@(\[]+?(?:\[[^\]]*\])?)\s*=(?!=)")
BLOCKS = {"BEGIN SOLUTION", "BEGIN SOLUTION NO PROMPT", "END SOLUTION", "BEGIN IGNORE",
          "END IGNORE"}
SUFFIXES = {"SOLUTION", "SOLUTION NO PROMPT", "SEED", "IGNORE"}
FAMILY = ("SOLUTION", "PROMPT", "IGNORE", "SEED", "PLUGIN")
OTTER_WORDS = {"TESTS", "TEST", "QUESTION", "HIDDEN", "ASSIGNMENT"}
# Where solutions are, for tools that locate them line by line (degenerate answers, mutation):
BEGIN = re.compile(r"^(\s*)#\s*BEGIN SOLUTION\b.*$", re.I)   # also BEGIN SOLUTION NO PROMPT
END = re.compile(r"^\s*#\s*END SOLUTION\s*$", re.I)
SUFFIX_ANY = re.compile(r"#\s*SOLUTION(\s+NO PROMPT)?\s*$", re.I)


class MarkupError(ValueError):
    """The solution notebook's markup is inconsistent; the message names the cell."""


def marker(line: str, where: str, number: int) -> tuple[str, str] | None:
    """(tag, code before the comment) when the line carries an Otter marker, else None."""
    match = COMMENT.match(line)
    if not match:
        return None
    tag, code = " ".join(match.group("tag").upper().split()), match.group("code")
    quoted = bool(QUOTE.match(code)) or code.strip() in {'"""', "'''", '""";', "''';"}
    if tag in {"BEGIN PROMPT", "END PROMPT"}:
        if not quoted:
            raise MarkupError(f"{where} line {number}: write prompts as '\"\"\" # {tag}' "
                              "(a multi-line string)")
        return tag, code
    if tag in BLOCKS and not code.strip():
        return tag, code
    if tag in SUFFIXES:
        return tag, code
    raw = match.group("tag").strip()
    words = tag.split()
    family = any(w in words for w in FAMILY)
    otter_block = words[0] in {"BEGIN", "END"} and words[1:2] and words[1] in OTTER_WORDS
    if family or (raw.isupper() and (otter_block or raw == "HIDDEN")):
        raise MarkupError(f"{where} line {number}: unknown or misplaced marker '# {raw}' "
                          "(see docs/otter.md for the markers coursekit supports)")
    return None


def enclosing_name(lines: list[str], index: int, indent: int) -> str | None:
    """Qualified name of the def (and class) enclosing line `index` at indentation `indent`."""
    names: list[str] = []
    limit = indent
    for line in reversed(lines[:index]):
        match = DEF.match(line)
        if not match:
            continue
        pad = len(match.group(1) if match.group(1) is not None else match.group(3))
        if pad < limit:
            names.append(match.group(2) or match.group(4))
            limit = pad
            if pad == 0:
                break
    return ".".join(reversed(names)) or None


def _placeholder(question: str | None, lines: list[str], index: int, indent: str) -> str:
    if not _in_def(lines, index, indent):
        return f"{indent}..."
    what = f"implement {enclosing_name(lines, index, len(indent))}"
    message = f"{question}: {what}" if question else what
    return f"{indent}raise NotImplementedError({message!r})"


def _in_def(lines: list[str], index: int, indent: str) -> bool:
    """Whether the nearest enclosing block of line `index` is inside a def (not a class body)."""
    limit = len(indent)
    for line in reversed(lines[:index]):
        match = DEF.match(line)
        if match and len(match.group(1) if match.group(1) is not None else match.group(3)) < limit:
            return match.group(2) is not None
    return False


def _blocks(lines: list[str], where: str) -> list[tuple[str, str] | None]:
    tags = [marker(line, where, n + 1) for n, line in enumerate(lines)]
    stack: list[tuple[str, int]] = []
    for n, found in enumerate(tags):
        if not found or found[0] in SUFFIXES:
            continue
        kind, word = found[0].split()[0], found[0].split()[1]
        if kind == "BEGIN":
            if stack:
                raise MarkupError(f"{where} line {n + 1}: '# {found[0]}' inside "
                                  f"'# BEGIN {stack[-1][0]}' (blocks do not nest)")
            stack.append((word, n))
        elif not stack or stack[-1][0] != word:
            raise MarkupError(f"{where}: '# END {word}' on line {n + 1} without a BEGIN")
        else:
            stack.pop()
    if stack:
        raise MarkupError(f"{where}: '# BEGIN {stack[-1][0]}' on line {stack[-1][1] + 1} has no "
                          f"'# END {stack[-1][0]}' after it")
    return tags


def make_stub(source: str, question: str | None, where: str) -> str:
    """Student version of a solution code cell."""
    lines = source.splitlines()
    tags = _blocks(lines, where)
    out: list[str] = []
    block = ""
    for i, line in enumerate(lines):
        tag = tags[i][0] if tags[i] else ""
        if tag.startswith("BEGIN"):
            block = tag
            if tag == "BEGIN SOLUTION":
                indent = re.match(r"\s*", line).group(0)
                out.append(_placeholder(question, lines, i, indent))
            continue
        if tag.startswith("END"):
            block = ""
            continue
        if block == "BEGIN PROMPT":
            out.append(line)
        elif block or tag in {"SOLUTION NO PROMPT", "SEED", "IGNORE"}:
            continue
        elif tag == "SOLUTION":
            out.append(_suffix_stub(line))
        else:
            out.append(line)
    stub = "\n".join(out)
    _check_still_python(source, stub, where)
    return stub


def _suffix_stub(line: str) -> str:
    code = COMMENT.match(line).group("code").rstrip()
    match = ASSIGN.match(code)
    if match and not code.lstrip().startswith(("return ", "yield ", "assert ", "print(")):
        return f"{match.group(1)}{match.group(2).strip()} = ..."
    return re.match(r"\s*", line).group(0) + "..."


def _check_still_python(source: str, stub: str, where: str) -> None:
    from autograder.extract import strip_magics

    try:
        ast.parse(strip_magics(source))
    except SyntaxError:
        return
    try:
        ast.parse(strip_magics(stub))
    except SyntaxError as err:
        raise MarkupError(f"{where}: the student version of this cell is not valid Python "
                          f"({err.msg}, line {err.lineno}): a block left empty? Use '# SOLUTION' "
                          "(prompted) or add a '\"\"\" # BEGIN PROMPT' block") from None


def strip_solution_markers(source: str, where: str = "cell") -> str:
    """Reference version of a cell: the solution kept, prompts, ignored lines and markers gone."""
    lines = source.splitlines()
    tags = _blocks(lines, where)
    keep = []
    block = ""
    for line, found in zip(lines, tags, strict=True):
        tag = found[0] if found else ""
        if tag.startswith(("BEGIN", "END")):
            block = tag if tag.startswith("BEGIN") else ""
            continue
        if block in {"BEGIN PROMPT", "BEGIN IGNORE"} or tag == "IGNORE":
            continue
        keep.append(found[1].rstrip() if tag in SUFFIXES else line)
    return "\n".join(keep)


def student_seed(source: str, variable: str | None, student_value) -> str:
    """Otter's seed variable: its top-level definition gets the student's value."""
    if not variable or student_value is None:
        return source
    pattern = re.compile(rf"^{re.escape(variable)}\s*=\s*[^\n#]*", re.M)
    return pattern.sub(f"{variable} = {student_value!r}", source)
