"""Mutation operators on Python's `ast`, applied to the solution lines of one notebook cell.

Each operator looks at one node and yields replacement nodes; `cell_mutants` applies them, one
at a time, to nodes lying wholly inside the cell's solution lines (`# BEGIN SOLUTION` blocks and
`# SOLUTION` lines), and returns the whole cell's mutated source with a stable description.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass, field

from autograder.build.stub import BEGIN, END, SUFFIX_ANY, enclosing_name

BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.MatMult: ast.Mult, ast.Mod: ast.Div}
COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
                 ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
                 ast.In: ast.NotIn, ast.NotIn: ast.In}
NONCOMMUTATIVE = (ast.Sub, ast.Div, ast.FloorDiv, ast.MatMult, ast.Pow, ast.Mod)
METHOD_SWAPS = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "argmax": "argmin",
                "argmin": "argmax", "maximum": "minimum", "minimum": "maximum", "exp": "log",
                "log": "exp", "zeros": "ones", "ones": "zeros", "zeros_like": "ones_like",
                "ones_like": "zeros_like", "tril": "triu", "triu": "tril"}
AXIS_KEYWORDS = ("axis", "dim")
COPY_CALLS = ("copy", "clone", "detach")


@dataclass(frozen=True)
class Mutant:
    """One mutation of a cell: where it is, what it does; `source()` gives the whole cell."""

    function: str  # qualified name of the enclosing def ("" at module level)
    operator: str
    line: str  # the original line, stripped
    mutated_line: str  # the mutated statement (its first line), unparsed
    tree: ast.Module = field(repr=False, compare=False)
    path: tuple = field(repr=False, compare=False)
    new: object = field(repr=False, compare=False)

    def source(self) -> str:
        """The whole cell with this mutation (markers removed)."""
        return ast.unparse(_replace(self.tree, self.path, self.new))


def solution_lines(marked_source: str) -> tuple[str, set[int], dict[int, str]]:
    """The cell without markers, the 1-based line numbers of its solution code there, and the
    enclosing def of each such line."""
    lines = marked_source.splitlines()
    kept, solution, owner = [], set(), {}
    inside = False
    for i, line in enumerate(lines):
        if BEGIN.match(line):
            inside = True
            continue
        if END.match(line):
            inside = False
            continue
        if SUFFIX_ANY.search(line):
            line = SUFFIX_ANY.sub("", line).rstrip()
            mark = True
        else:
            mark = inside
        kept.append(line)
        if mark and line.strip():
            solution.add(len(kept))
            indent = len(line) - len(line.lstrip())
            owner[len(kept)] = enclosing_name(lines, i, indent) or ""
    return "\n".join(kept), solution, owner


def _const_mutations(node: ast.Constant) -> Iterator[tuple[str, ast.AST]]:
    if isinstance(node.value, bool):
        yield "constant-flip", ast.Constant(not node.value)
    elif isinstance(node.value, (int, float)):
        yield "constant+1", ast.Constant(node.value + 1)
        yield "constant-1", ast.Constant(node.value - 1)


def _call_mutations(node: ast.Call) -> Iterator[tuple[str, ast.AST]]:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in METHOD_SWAPS:
        new = copy.deepcopy(node)
        if isinstance(new.func, ast.Attribute):
            new.func.attr = METHOD_SWAPS[name]
        else:
            new.func.id = METHOD_SWAPS[name]
        yield f"{name}->{METHOD_SWAPS[name]}", new
    for i, kw in enumerate(node.keywords):
        if kw.arg in (*AXIS_KEYWORDS, "keepdims"):
            new = copy.deepcopy(node)
            del new.keywords[i]
            yield f"drop-{kw.arg}", new
    if len(node.args) == 2 and not any(isinstance(a, ast.Starred) for a in node.args):
        new = copy.deepcopy(node)
        new.args.reverse()
        yield "swap-args", new
    if isinstance(func, ast.Attribute) and name in COPY_CALLS and not node.args:
        yield f"no-{name}", copy.deepcopy(func.value)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id in ("np", "torch") and name == "copy" and len(node.args) == 1:
        yield "no-copy", copy.deepcopy(node.args[0])


def node_mutations(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(operator name, replacement) pairs for one expression node."""
    if isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
        new = copy.deepcopy(node)
        new.op = BINOP_SWAPS[type(node.op)]()
        yield f"{type(node.op).__name__}->{type(new.op).__name__}", new
        if isinstance(node.op, NONCOMMUTATIVE):
            yield "swap-operands", ast.BinOp(copy.deepcopy(node.right), node.op,
                                             copy.deepcopy(node.left))
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 \
            and type(node.ops[0]) in COMPARE_SWAPS:
        new = copy.deepcopy(node)
        new.ops = [COMPARE_SWAPS[type(node.ops[0])]()]
        yield f"{type(node.ops[0]).__name__}->{type(new.ops[0]).__name__}", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield f"drop-{type(node.op).__name__}", copy.deepcopy(node.operand)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield f"{type(node.op).__name__}->{type(other).__name__}", ast.BoolOp(
            other, copy.deepcopy(node.values))
    elif isinstance(node, ast.Constant):
        yield from _const_mutations(node)
    elif isinstance(node, ast.Attribute) and node.attr in ("T", "mT"):
        yield "drop-transpose", copy.deepcopy(node.value)
    elif isinstance(node, ast.Call):
        yield from _call_mutations(node)


def statement_mutations(node: ast.stmt) -> Iterator[tuple[str, list[ast.stmt]]]:
    """(operator name, replacement statements) for one statement."""
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return, ast.AnnAssign)):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            yield "remove-statement", [ast.Pass()]
    if isinstance(node, ast.AugAssign) and isinstance(node.target, (ast.Name, ast.Attribute,
                                                                     ast.Subscript)):
        load = copy.deepcopy(node.target)
        load.ctx = ast.Load()
        yield "inplace->copy", [ast.Assign([copy.deepcopy(node.target)],
                                           ast.BinOp(load, node.op, copy.deepcopy(node.value)))]
    if isinstance(node, ast.Break):
        yield "break->continue", [ast.Continue()]
    if isinstance(node, ast.Continue):
        yield "continue->break", [ast.Break()]


def cell_mutants(marked_source: str) -> list[Mutant]:
    """Every mutant of a cell's solution code, in source order."""
    source, solution, owner = solution_lines(marked_source)
    if not solution:
        return []
    tree = ast.parse(source)
    lines = source.splitlines()
    out: list[Mutant] = []
    for path, node in _walk(tree):
        first, last = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
        if not first or not all(n in solution or not lines[n - 1].strip()
                                for n in range(first, last + 1)):
            continue
        replacements = (statement_mutations(node) if isinstance(node, ast.stmt)
                        else ((op, new) for op, new in node_mutations(node)))
        for operator, new in replacements:
            statement = ("<removed>" if operator == "remove-statement"
                         else _mutated_statement(tree, path, new))
            out.append(Mutant(owner.get(first, ""), operator, lines[first - 1].strip(),
                              statement, tree, path, new))
    return out


def _walk(tree: ast.AST, path: tuple = ()) -> Iterator[tuple[tuple, ast.AST]]:
    """(path, node) for every node; a path is a tuple of (field, index-or-None) steps."""
    for name, value in ast.iter_fields(tree):
        items = value if isinstance(value, list) else [value]
        for i, child in enumerate(items):
            if isinstance(child, ast.AST) and not isinstance(child, (ast.expr_context,
                                                                     ast.operator, ast.cmpop,
                                                                     ast.unaryop, ast.boolop)):
                step = path + ((name, i if isinstance(value, list) else None),)
                if not isinstance(child, (ast.keyword, ast.arguments, ast.arg, ast.alias)):
                    yield step, child
                yield from _walk(child, step)


def _replace(tree: ast.Module, path: tuple, new) -> ast.Module:
    mutated = copy.deepcopy(tree)
    parent = mutated
    for name, index in path[:-1]:
        parent = getattr(parent, name) if index is None else getattr(parent, name)[index]
    name, index = path[-1]
    if index is None:
        setattr(parent, name, new)
    elif isinstance(new, list):
        getattr(parent, name)[index:index + 1] = new
    else:
        getattr(parent, name)[index] = new
    return ast.fix_missing_locations(mutated)


def _mutated_statement(tree: ast.Module, path: tuple, new) -> str:
    """First line of the innermost statement holding the mutation, mutated (copies only it)."""
    if isinstance(new, list):  # a statement replaced by statements
        return "; ".join(ast.unparse(ast.fix_missing_locations(n)) for n in new)
    node, stmt_at = tree, 0
    for depth, (field_name, index) in enumerate(path):
        node = getattr(node, field_name) if index is None else getattr(node, field_name)[index]
        if isinstance(node, ast.stmt) and depth < len(path) - 1:
            stmt_at = depth + 1
    holder = tree
    for field_name, index in path[:stmt_at]:
        holder = getattr(holder, field_name) if index is None else getattr(holder, field_name)[index]
    wrapper = ast.Module(body=[holder], type_ignores=[])
    mutated = _replace(wrapper, (("body", 0), *path[stmt_at:]), new)
    return ast.unparse(mutated.body[0]).splitlines()[0]
