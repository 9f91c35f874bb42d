"""`coursekit mutate SLUG`: mutation score of an assignment's hidden tests, and its survivors."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from autograder.build.builder import repo_root, solution_path
from autograder.build.markup import parse_solution
from autograder.mutation.run import (
    MutantsFileError,
    load_equivalents,
    mutants_for,
    mutation_bundle,
    run_mutants,
    summarise,
    write_report,
)

console = Console(stderr=True, emoji=False, highlight=False)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("mutate", help="mutation-test an assignment's hidden tests")
    p.add_argument("assignment")
    p.add_argument("--question", action="append", help="only this question (repeatable)")
    p.add_argument("--limit", type=int, default=None, help="only the first N mutants")
    p.add_argument("--jobs", type=int, default=None, help="parallel graders (default: cores)")
    p.add_argument("--list", action="store_true", help="list the mutants' ids, grade nothing")
    p.set_defaults(func=cmd_mutate)


def cmd_mutate(args: argparse.Namespace) -> int:
    root = repo_root()
    spec = parse_solution(solution_path(root, args.assignment))
    candidates = mutants_for(spec, set(args.question) if args.question else None)
    candidates = candidates[:args.limit] if args.limit else candidates
    try:
        equivalents = load_equivalents(root / "solutions" / args.assignment / "mutants.toml")
    except MutantsFileError as err:
        console.print(f"[red]{err}[/red]")
        return 2
    if args.list:
        for c in candidates:
            note = "  (equivalent)" if c.id in equivalents else ""
            print(f"{c.id}\t{c.mutant.line}  ->  {c.mutant.mutated_line}{note}")
        return 0
    outcomes = run_mutants(root, args.assignment, candidates, jobs=args.jobs)
    report = summarise(outcomes, equivalents)
    path = write_report(mutation_bundle(root, args.assignment), report)
    table = Table(title=f"surviving mutants: {args.assignment} (neither killed nor recorded "
                        f"in solutions/{args.assignment}/mutants.toml)")
    for col in ("id", "line", "mutated"):
        table.add_column(col, overflow="fold")
    for s in report["survivors"]:
        table.add_row(s["id"], s["line"], s["mutated"])
    if report["survivors"]:
        console.print(table)
    for e in report["grading_errors"]:
        console.print(f"[red]grading error on {e['id']}: {e['error']}[/red]")
    console.print(f"{args.assignment}: {report['mutants']} mutants, {report['killed']} killed, "
                  f"{report['equivalent']} equivalent (recorded), {report['survived']} survived"
                  f", {report['errors']} grading errors — mutation score {report['score']:.1%} "
                  f"of non-equivalent mutants (report: {path})")
    return 1 if report["survivors"] or report["errors"] else 0
