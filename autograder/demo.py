"""The kit's main job on bundled material: build every assignment (proving each one: reference
and alternatives 100%, stub 0%; `coursekit build` also proves the degenerate answers), then
grade its bundled example submissions (reference, untouched stub, a few wrong answers)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from autograder.build.builder import build_bundle, list_assignments, repo_root
from autograder.build.prove import prove_bundle
from autograder.catalog import load_catalog
from autograder.grade.batch import grade_batch
from autograder.sandbox import WARNING_NO_BWRAP, bwrap_available

console = Console()


def run_demo(out: Path, bugs_per_assignment: int = 3) -> int:
    from autograder.commands import print_gradebook  # commands imports this module

    root, failed = repo_root(), False
    if not bwrap_available():
        console.print(f"[bold red]{WARNING_NO_BWRAP}[/bold red]")
    for slug in list_assignments(root):
        bundle = build_bundle(root, slug).bundle
        problems = prove_bundle(bundle, kinds=("reference", "stub", "alt"))
        for problem in problems:
            console.print(f"[red]✗ {slug}: {problem}[/red]")
        failed |= bool(problems)
        examples = bundle / "examples"
        bugs = load_catalog(root / "solutions" / slug / "catalog.toml")[:bugs_per_assignment]
        subs = [examples / "reference.ipynb", examples / "stub.ipynb",
                *[examples / f"bug-{b.name}.ipynb" for b in bugs]]
        results = grade_batch(bundle, subs, out / slug)
        console.rule(f"{slug}: gradebook ({out / slug / 'gradebook.csv'})")
        print_gradebook(results)
    console.print("[red]demo found problems[/red]" if failed else
                  "[green]demo done: every assignment built and proven[/green]")
    return 1 if failed else 0
