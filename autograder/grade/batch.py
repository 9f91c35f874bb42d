"""Grade many submissions in parallel, one grading process each, and write the gradebook.

Each submission is graded by `python -m autograder.grade.one` in its own process with an
overall time limit, so even a crash of the grading process costs only that submission. Results
go to OUT/<submission>/results.json + feedback.txt; the class gets OUT/gradebook.csv.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from autograder.grade import privilege
from autograder.grade.one import load_bundle, zero_result
from autograder.grade.privilege import Unprivileged
from autograder.results import RECORD, SubmissionResult, load_result
from autograder.safetext import clean, csv_cell, path_text


def expand_submissions(paths: list[Path]) -> list[Path]:
    """Notebook files from files and folders (folders are searched recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def out_names(submissions: list[Path]) -> list[str]:
    """Unique, filesystem-safe folder names for each submission."""
    names, seen = [], {}
    for sub in submissions:
        base = re.sub(r"[^\w.-]+", "_", sub.stem) or "submission"
        count = seen.get(base, 0)
        seen[base] = count + 1
        names.append(base if count == 0 else f"{base}-{count + 1}")
    return names


def overall_limit(meta: dict) -> float:
    """Backstop for one grading process: every test's limit plus start-up slack."""
    total = sum(t["timeout"] for q in meta["questions"] for t in q["tests"])
    return total + 120.0


def grader_command(bundle: Path, submission: Path, out: Path) -> list[str]:
    """`python -P -s -u -m autograder.grade.one ...` with absolute paths: -P keeps the working
    directory off `sys.path` (a student's numpy.py beside the submissions is never imported),
    -s the user's site-packages; the process also starts in a neutral directory."""
    return [sys.executable, "-P", "-s", "-u", "-m", "autograder.grade.one",
            str(Path(bundle).absolute()), str(Path(submission).absolute()),
            str(Path(out).absolute())]


def grade_one_process(bundle: Path, submission: Path, out: Path, meta: dict,
                      public_only: bool = False,
                      questions: set[str] | None = None,
                      unprivileged: Unprivileged | None = None) -> SubmissionResult:
    env, extra, final_out = os.environ.copy(), {}, out
    if unprivileged is not None:  # started as root: grade as a plain user
        staged, out = unprivileged.stage(submission)
        cmd = grader_command(unprivileged.bundle, staged, out) + ["--name", path_text(submission)]
        env, extra = unprivileged.environment(env), unprivileged.popen_args()
    else:
        cmd = grader_command(bundle, submission, out)
    if public_only:
        cmd.append("--public-only")
    for question in sorted(questions or ()):
        cmd += ["--question", question]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=overall_limit(meta),
                              env=env, cwd="/", errors="replace", **extra)
        if unprivileged is not None:
            unprivileged.collect(out, final_out)
            out = final_out
    except subprocess.TimeoutExpired:
        result = zero_result(meta, path_text(submission), "grading took longer than the overall "
                             "limit; the submission was stopped", public_only)
        result.write(final_out)
        return result
    if proc.returncode != 0 or not (out / RECORD).exists():
        detail = (proc.stderr or proc.stdout)[-2000:]
        print(f"coursekit: grading {path_text(submission)} failed (exit {proc.returncode}):\n"
              f"{clean(detail)}", file=sys.stderr)  # for the instructor, not the student
        result = zero_result(meta, path_text(submission), "the grader failed on this "
                             f"submission (exit {proc.returncode}); tell your instructor.",
                             public_only)
        result.write(out)
        return result
    try:
        return load_result(out)
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise RuntimeError(f"unreadable result record: {err}") from None


def grade_batch(bundle: Path, submissions: list[Path], out_dir: Path, *, jobs: int | None = None,
                public_only: bool = False, progress: bool = True,
                questions: list[set[str] | None] | None = None) -> list[SubmissionResult]:
    """Grade every submission; returns results in the order given. `questions[i]`, when
    given, limits submission i to those questions (the proofs grade variants that way)."""
    meta = load_bundle(bundle)
    jobs = jobs or max(1, os.cpu_count() or 1)
    names = out_names(submissions)
    results: dict[int, SubmissionResult] = {}
    unprivileged = privilege.for_batch(bundle)
    try:
        _grade_all(bundle, submissions, out_dir, names, meta, jobs, public_only, progress,
                   unprivileged, results, questions)
    finally:
        if unprivileged is not None:
            unprivileged.close()
    ordered = [results[i] for i in range(len(submissions))]
    write_gradebook(ordered, out_dir / "gradebook.csv")
    return ordered


def _grade_all(bundle: Path, submissions: list[Path], out_dir: Path, names: list[str],
               meta: dict, jobs: int, public_only: bool, progress: bool,
               unprivileged: Unprivileged | None, results: dict[int, SubmissionResult],
               questions: list[set[str] | None] | None = None) -> None:
    columns = [TextColumn("grading {task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    with Progress(*columns, disable=not progress, transient=True) as bar, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        task = bar.add_task(meta["name"], total=len(submissions))
        only = questions or [None] * len(submissions)
        futures = {pool.submit(grade_one_process, bundle, sub, out_dir / name, meta,
                               public_only, only[i], unprivileged): i
                   for i, (sub, name) in enumerate(zip(submissions, names, strict=True))}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as err:  # noqa: BLE001 - one submission never sinks the batch
                print(f"coursekit: grading {path_text(submissions[i])} failed: {err!r}",
                      file=sys.stderr)
                results[i] = zero_result(meta, path_text(submissions[i]), "the grader failed "
                                         "on this submission; tell your instructor.", public_only)
                with contextlib.suppress(OSError):
                    results[i].write(out_dir / names[i])
            bar.advance(task)


def write_gradebook(results: list[SubmissionResult], path: Path) -> None:
    """One row per submission: total, max, each question's score, and any error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    questions: list[str] = []
    for r in results:
        questions += [q for q in r.by_question() if q not in questions]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["submission", "assignment", "score", "max_score", *questions, "error"])
        for r in results:
            per_q = r.by_question()
            error = (r.error or "").splitlines()[0] if r.error else ""
            writer.writerow([csv_cell(r.submission), csv_cell(r.assignment), f"{r.score:g}",
                             f"{r.max_score:g}", *[f"{per_q.get(q, (0, 0))[0]:g}" for q in questions],
                             csv_cell(error)])
