"""Turn solution code into student stubs (Otter Assign's `# BEGIN SOLUTION` / `# SOLUTION` rules).

- Lines between `# BEGIN SOLUTION` and `# END SOLUTION` become one
  `raise NotImplementedError("q1.1: implement Linear.forward")` at the marker's indentation.
- A line ending in `# SOLUTION` becomes `name = ...  # TODO` when it is an assignment, and is
  dropped otherwise.
"""

from __future__ import annotations

import re

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\b.*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
SUFFIX = re.compile(r"^(\s*)([^=#+\-*/%&|^<>!:@]+?)\s*=(?!=)\s*.*#\s*SOLUTION\s*$")
SUFFIX_ANY = re.compile(r"#\s*SOLUTION\s*$")
DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)|^(\s*)class\s+(\w+)")


class MarkupError(ValueError):
    """The solution notebook's markup is inconsistent; the message names the cell."""


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


def stub_message(question: str | None, lines: list[str], index: int, indent: int) -> str:
    target = enclosing_name(lines, index, indent)
    what = f"implement {target}" if target else "write this part"
    return f"{question}: {what}" if question else what


def make_stub(source: str, question: str | None, where: str) -> str:
    """Student version of a solution code cell."""
    lines = source.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        begin = BEGIN.match(line)
        if begin:
            end = next((j for j in range(i + 1, len(lines)) if END.match(lines[j])), None)
            if end is None:
                raise MarkupError(f"{where}: '# BEGIN SOLUTION' on line {i + 1} has no "
                                  "'# END SOLUTION' after it")
            indent = begin.group(1)
            message = stub_message(question, lines, i, len(indent))
            out.append(f"{indent}raise NotImplementedError({message!r})")
            i = end + 1
            continue
        if END.match(line):
            raise MarkupError(f"{where}: '# END SOLUTION' on line {i + 1} without a BEGIN")
        if SUFFIX_ANY.search(line):
            suffix = SUFFIX.match(line)
            if suffix:
                out.append(f"{suffix.group(1)}{suffix.group(2).strip()} = ...  # TODO")
            i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def strip_solution_markers(source: str) -> str:
    """Reference version of a cell: the solution kept, the markers removed."""
    keep = []
    for line in source.splitlines():
        if BEGIN.match(line) or END.match(line):
            continue
        keep.append(SUFFIX_ANY.sub("", line).rstrip() if SUFFIX_ANY.search(line) else line)
    return "\n".join(keep)
