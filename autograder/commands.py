"""`coursekit build | grade | check | catalog | demo`: the instructor's and student's commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.build.builder import (
    build_bundle,
    generate,
    list_assignments,
    repo_root,
    solution_path,
    stale_files,
)
from autograder.build.markup import parse_solution
from autograder.build.prove import examples, prove_bundle, verify_catalog
from autograder.build.stub import MarkupError
from autograder.grade.batch import expand_submissions, grade_batch
from autograder.results import SubmissionResult
from autograder.safetext import clean, markup
from autograder.sandbox import WARNING_NO_BWRAP, bwrap_available

console = Console(stderr=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("build", help="build student notebooks, public tests and bundles")
    p.add_argument("assignments", nargs="*", help="slugs (default: all)")
    p.add_argument("--check", action="store_true", help="fail if committed files are stale")
    p.add_argument("--no-prove", action="store_true",
                   help="skip the proof (reference, stub, alternatives, degenerate answers)")
    p.add_argument("--jobs", type=int, default=None, help="parallel graders for the proof")
    p.set_defaults(func=cmd_build)

    p = subparsers.add_parser("grade", help="grade submissions in a sandbox")
    p.add_argument("assignment")
    p.add_argument("submissions", nargs="+", type=Path, help="notebooks or folders of them")
    p.add_argument("--out", type=Path, default=Path("grades"), help="output folder")
    p.add_argument("--jobs", type=int, default=None, help="parallel graders (default: cores)")
    p.add_argument("--public-only", action="store_true")
    p.set_defaults(func=cmd_grade)

    p = subparsers.add_parser("check", help="run the public tests on a saved notebook")
    p.add_argument("notebook", type=Path)
    p.add_argument("--assignment", help="slug, when the notebook does not say")
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("catalog", help="grade the wrong-answer catalog of an assignment")
    p.add_argument("assignment")
    p.add_argument("--bug", action="append",
                   help="only this bug or alternative (repeatable)")
    p.set_defaults(func=cmd_catalog)

    p = subparsers.add_parser("demo", help="build everything, grade the bundled examples")
    p.add_argument("--out", type=Path, default=Path("build/demo-grades"))
    p.add_argument("--bugs", type=int, default=3, help="wrong answers per assignment")
    p.set_defaults(func=cmd_demo)


def _slugs(args_list: list[str]) -> list[str]:
    return args_list or list_assignments(repo_root())


def ensure_bundle(slug: str) -> Path:
    """Rebuild the assignment's bundle (not the committed student files; no proof)."""
    return build_bundle(repo_root(), slug).bundle


def cmd_build(args: argparse.Namespace) -> int:
    root, failed = repo_root(), False
    for slug in _slugs(args.assignments):
        try:
            if args.check:
                stale = stale_files(generate(parse_solution(solution_path(root, slug)), root,
                                             proofs=False),
                                    root, slug)
            else:
                built = build_bundle(root, slug, committed=True)
        except (MarkupError, FileNotFoundError, ValueError) as err:
            console.print(f"[red]✗ {slug}: {err}[/red]")
            failed = True
            continue
        if args.check:
            for rel in stale:
                console.print(f"[red]✗ stale: {rel}[/red] — run `coursekit build {slug}` and commit")
            failed |= bool(stale)
            continue
        problems = [] if args.no_prove else prove_bundle(built.bundle, jobs=args.jobs)
        for problem in problems:
            console.print(f"[red]✗ {slug}: {problem}[/red]")
        failed |= bool(problems)
        proof = "" if args.no_prove else (" — reference and alternatives 100%, stub 0%, "
                                          "degenerate answers ≤ 25% on every question")
        if not problems:
            console.print(f"[green]✓ {slug}[/green]: {len(built.spec.questions)} questions{proof}")
        for note in built.spec.notes:
            console.print(f"  note: {note}")
    if args.check and not failed:
        console.print("[green]✓ committed student notebooks and public tests are up to date[/green]")
    return 1 if failed else 0


def cmd_grade(args: argparse.Namespace) -> int:
    if not bwrap_available():
        console.print(f"[bold red]{WARNING_NO_BWRAP}[/bold red]")
    bundle = ensure_bundle(args.assignment)
    subs = expand_submissions(args.submissions)
    if not subs:
        console.print("[red]no notebooks found in the paths given[/red]")
        return 2
    results = grade_batch(bundle, subs, args.out, jobs=args.jobs, public_only=args.public_only)
    print_gradebook(results)
    console.print(f"results: {args.out}/<submission>/results.json, feedback.txt; "
                  f"class: {args.out}/gradebook.csv")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.check import summary
    from autograder.extract import NotebookError, read_notebook
    from autograder.grade.one import grade_submission

    try:
        nb = read_notebook(args.notebook)
    except NotebookError as err:
        console.print(f"[red]{markup(err)}[/red]")
        return 2
    slug = args.assignment or nb.metadata.get("coursekit", {}).get("assignment")
    if not slug:
        console.print("[red]this notebook does not say its assignment: pass --assignment[/red]")
        return 2
    bundle = ensure_bundle(slug)
    result = grade_submission(bundle, args.notebook, public_only=True,
                              tests_dir=repo_root() / "assignments" / slug / "tests")
    print(summary(result))
    for note in result.notes + ([result.error] if result.error else []):
        print(f"note: {note}")
    return 0 if result.score >= result.max_score else 1


def cmd_catalog(args: argparse.Namespace) -> int:
    bundle = ensure_bundle(args.assignment)
    outcomes = verify_catalog(repo_root(), args.assignment, bundle, names=args.bug,
                              progress=True)
    table = Table(title=f"wrong-answer catalog: {args.assignment}")
    for col in ("bug", "question", "points lost", "verdict"):
        table.add_column(col)
    for o in outcomes:
        lost = ", ".join(f"{q}: -{v:g}" for q, v in o.lost.items()) or "none"
        table.add_row(o.bug, o.question, lost, "[green]ok[/green]" if o.ok else f"[red]{o.reason}")
    Console().print(table)
    alt_problems = _catalog_alternatives(bundle, args.bug)
    return 0 if all(o.ok for o in outcomes) and not alt_problems else 1


def _catalog_alternatives(bundle: Path, names: list[str] | None) -> list[str]:
    """Grade the catalog's correct alternatives (each must score 100%) and print a table."""
    alts = [e["name"] for e in examples(bundle, ("alt",)) if not names or e["name"] in names]
    if not alts:
        return []
    problems = prove_bundle(bundle, names=alts, progress=True)
    table = Table(title="correct alternatives (must score 100%)")
    table.add_column("alternative")
    table.add_column("verdict")
    for name in alts:
        mine = [p for p in problems if p.startswith(f"alternative {name} ")]
        table.add_row(name, f"[red]{'; '.join(mine)[:300]}" if mine else "[green]100%[/green]")
    Console().print(table)
    return problems


def print_gradebook(results: list[SubmissionResult]) -> None:
    table = Table(title="gradebook")
    table.add_column("submission")
    table.add_column("score", justify="right")
    table.add_column("note")
    for r in results:
        pct = 100 * r.score / r.max_score if r.max_score else 0
        note = (r.error or "").splitlines()[0][:70] if r.error else ""
        table.add_row(Text(clean(Path(r.submission).name, 200)),
                      f"{_pts(r.score)}/{_pts(r.max_score)} ({pct:.0f}%)", Text(clean(note)))
    Console().print(table)


def _pts(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def cmd_demo(args: argparse.Namespace) -> int:
    from autograder.demo import run_demo

    return run_demo(args.out, args.bugs)

