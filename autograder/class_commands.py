"""`coursekit gradebook merge` and `coursekit export gradescope`: class-scale grading commands.

    coursekit grade SLUG subs/ --out grades --bundle build/SLUG --shard I/N   # one per job
    coursekit gradebook merge grades        # after every shard: grades/gradebook.csv
    coursekit export gradescope SLUG        # build/gradescope/SLUG-autograder.zip
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

console = Console(stderr=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gradebook", help="combine sharded grading runs")
    sub = p.add_subparsers(dest="gradebook_command", required=True, metavar="ACTION")
    m = sub.add_parser("merge", help="merge OUT/shards/* into OUT/gradebook.csv")
    m.add_argument("out", type=Path, help="the --out folder the shards graded into")
    m.add_argument("--quiet", action="store_true", help="do not print the gradebook")
    m.set_defaults(func=cmd_merge)

    p = subparsers.add_parser("export", help="package the grader for another platform")
    sub = p.add_subparsers(dest="export_target", required=True, metavar="TARGET")
    g = sub.add_parser("gradescope", help="write Gradescope's autograder zip")
    g.add_argument("assignment")
    g.add_argument("--out", type=Path, default=None,
                   help="zip path (default: build/gradescope/SLUG-autograder.zip)")
    g.add_argument("--bundle", type=Path, help="use this built bundle instead of rebuilding")
    g.set_defaults(func=cmd_export_gradescope)


def cmd_merge(args: argparse.Namespace) -> int:
    from autograder.gradebook import merge_shards, print_gradebook

    report = merge_shards(args.out)
    if report.results and not args.quiet:
        print_gradebook(report.results)
    for problem in report.problems:
        console.print(f"[red]✗ {problem}[/red]")
    if report.missing:
        console.print(f"[red]✗ {len(report.missing)} submissions have no result: "
                      f"{', '.join(report.missing[:20])}[/red] — rerun the shards that own them")
    if report.duplicated:
        console.print(f"[red]✗ graded by more than one shard: {', '.join(report.duplicated)}"
                      "[/red] — the shards were run with different --shard counts or lists")
    verdict = "[green]✓[/green]" if report.ok else "[red]incomplete:[/red]"
    console.print(f"{verdict} {len(report.results)} results in {args.out / 'gradebook.csv'}")
    return 0 if report.ok else 1


def cmd_export_gradescope(args: argparse.Namespace) -> int:
    from autograder.build.builder import repo_root
    from autograder.commands import ensure_bundle
    from autograder.export.gradescope import write_zip

    bundle = args.bundle or ensure_bundle(args.assignment)
    dest = args.out or repo_root() / "build" / "gradescope" / f"{args.assignment}-autograder.zip"
    write_zip(bundle, dest)
    console.print(f"[green]✓[/green] {dest}: upload it as the assignment's autograder "
                  "(Gradescope: Configure Autograder → Zip file upload; see docs/scale.md)")
    return 0
