"""The package layout: no import cycles (found with `ast`, counting every import, also those
inside functions and `if TYPE_CHECKING:`), subpackages that keep to their layer, small files."""

from __future__ import annotations

import ast
from pathlib import Path

import leaderboard

ROOT = Path(leaderboard.__file__).parent
# Lower layers never import higher ones: scoring < tasks < store < worker/service < web/cli.
FORBIDDEN = {
    "leaderboard.scoring": ("leaderboard.tasks", "leaderboard.store", "leaderboard.web",
                            "leaderboard.service", "leaderboard.worker"),
    "leaderboard.tasks": ("leaderboard.store", "leaderboard.web", "leaderboard.service",
                          "leaderboard.worker"),
    "leaderboard.store": ("leaderboard.web", "leaderboard.service", "leaderboard.worker"),
    "leaderboard.worker": ("leaderboard.web", "leaderboard.service"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in ROOT.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `path` imports anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in known:
            for alias in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(path, set(mods)) - {name} for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles():
    edges = graph()
    assert len(edges) > 25 and "leaderboard.store.submissions" in edges
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_layers_do_not_import_upwards():
    bad = [(mod, dep) for mod, deps in graph().items() for dep in deps
           for layer, banned in FORBIDDEN.items()
           if (mod == layer or mod.startswith(layer + ".")) and dep.startswith(banned)]
    assert bad == []


def test_subpackages_and_small_files():
    for package in ("web", "scoring", "store", "tasks"):
        assert (ROOT / package / "__init__.py").exists()
    flat = sorted(p.name for p in ROOT.glob("*.py"))
    assert flat == ["__init__.py", "cli.py", "client.py", "config.py", "localserver.py",
                    "rescore.py", "service.py", "validate.py",  # validate: notebooks' API
                    "worker.py"]
    long = {str(p.relative_to(ROOT)): n for p in ROOT.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_one_file_per_competition():
    from leaderboard.tasks import TASKS

    for task in TASKS.values():
        assert type(task).__module__ == "leaderboard.tasks." + task.name.replace("-", "_")
