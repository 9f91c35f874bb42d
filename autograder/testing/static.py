"""Static checks of a student's graded source: uses of library functions an assignment asks
students to write themselves (the kit's only forbidden-call checker)."""

from __future__ import annotations

import ast
from collections.abc import Iterable


def _const_str(node: ast.AST) -> str | None:
    """The value of a string expression made only of constants ('a' + 'b', f'{"a"}',
    ''.join([...])), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _const_str(node.left), _const_str(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = [_const_str(v.value if isinstance(v, ast.FormattedValue) else v)
                 for v in node.values]
        return None if None in parts else "".join(parts)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join" and len(node.args) == 1
            and isinstance(node.args[0], (ast.List, ast.Tuple))):
        sep = _const_str(node.func.value)
        parts = [_const_str(e) for e in node.args[0].elts]
        return None if sep is None or None in parts else sep.join(parts)
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _defined_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def forbidden_uses(source: str, names: Iterable[str]) -> list[str]:
    """Every place where `source` reaches one of `names` (bare, "scaled_dot_product_attention",
    or dotted, "torch.nn.functional.scaled_dot_product_attention": the last part counts):

    - an attribute (`F.name`), whatever the object's alias;
    - an import (`from torch... import name as alias`; `from torch... import *`);
    - a bare name the source does not define itself (a student may write their own);
    - a string built from constants outside docstrings (`getattr(F, "scaled_" + "dot...")`).
    """
    wanted = {n.rsplit(".", 1)[-1] for n in names}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return []
    skip, own = _docstrings(tree), _defined_names(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Attribute) and node.attr in wanted:
            found.append(f"line {line}: .{node.attr}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            star_from_torch = (isinstance(node, ast.ImportFrom)
                               and (node.module or "").startswith("torch"))
            for alias in node.names:
                if alias.name.split(".")[-1] in wanted or (alias.name == "*" and star_from_torch):
                    found.append(f"line {line}: import of {alias.name}")
        elif isinstance(node, ast.Name) and node.id in wanted and node.id not in own:
            found.append(f"line {line}: {node.id}")
        elif id(node) not in skip and (text := _const_str(node)) is not None:
            if text.strip().split(".")[-1] in wanted:
                found.append(f"line {line}: string {text!r}")
    return sorted(set(found))


forbidden_calls = forbidden_uses  # the first name of this checker; same function


def assert_no_forbidden(sub, names: Iterable[str]) -> None:
    """Fail when the student's graded code (`sub.source()`) uses any of `names`."""
    names = set(names)
    uses = forbidden_uses(sub.source(), names)
    assert not uses, (f"your code uses {sorted(names)}, which this assignment asks you to "
                      f"implement yourself: {uses}. Write it with tensor operations instead.")
