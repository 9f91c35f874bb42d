"""Mutation score of each assignment's hidden tests, with the run's cost.

    .venv/bin/python bench/mutation_bench.py --jobs 2                       # every assignment
    .venv/bin/python bench/mutation_bench.py nn_numpy --question q2 --json out.json

For each assignment: mutants, killed, recorded equivalents, survivors, grading errors, the
mutation score over non-equivalent mutants (what `coursekit mutate` reports) and mutants graded
per minute on this machine. Not part of CI: a full run takes from minutes to hours.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from autograder.build.builder import list_assignments, repo_root
from autograder.build.markup import parse_solution
from autograder.mutation.run import load_equivalents, mutants_for, run_mutants, summarise


def measure(root: Path, slug: str, questions: set[str] | None, limit: int | None,
            jobs: int) -> dict:
    spec = parse_solution(root / "solutions" / slug / f"{slug}.ipynb")
    candidates = mutants_for(spec, questions)[:limit] if limit else mutants_for(spec, questions)
    start = time.monotonic()
    outcomes = run_mutants(root, slug, candidates, jobs=jobs, progress=False)
    seconds = time.monotonic() - start
    report = summarise(outcomes, load_equivalents(root / "solutions" / slug / "mutants.toml"))
    report.update(assignment=slug, seconds=round(seconds, 1),
                  mutants_per_minute=round(60 * len(outcomes) / seconds, 2) if seconds else None)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="slugs (default: all)")
    parser.add_argument("--question", action="append", help="only this question (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="first N mutants per assignment")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the reports here")
    args = parser.parse_args()
    root = repo_root()
    reports = []
    for slug in args.assignments or list_assignments(root):
        r = measure(root, slug, set(args.question) if args.question else None, args.limit,
                    args.jobs)
        reports.append(r)
        print(f"{slug}: {r['mutants']} mutants, {r['killed']} killed, {r['equivalent']} "
              f"equivalent, {r['survived']} survived, {r['errors']} errors; score "
              f"{r['score']:.1%}; {r['seconds']} s ({r['mutants_per_minute']} mutants/min)",
              flush=True)
    if args.json:
        machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "jobs": args.jobs}
        args.json.write_text(json.dumps({"machine": machine, "reports": reports}, indent=1))


if __name__ == "__main__":
    main()
