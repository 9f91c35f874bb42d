"""Grade many submissions in parallel, one grading process each, and write the gradebook.

Each submission is graded by `python -m autograder.grade.one` in its own process with an
overall time limit, so even a crash of the grading process costs only that submission. Results
are kept in OUT's content-addressed store as each finishes (`autograder.grade.store`: a rerun
grades only what changed, a killed batch resumes), each student gets OUT/<name>/results.json +
feedback.txt, and the class gets OUT/gradebook.csv (or, per shard, OUT/shards/I-of-N.json for
`coursekit gradebook merge`). Each worker's math libraries get its share of the cores.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from autograder.grade import privilege
from autograder.grade.one import load_bundle, zero_result
from autograder.grade.privilege import Unprivileged
from autograder.grade.shard import Shard, write_manifest
from autograder.grade.store import (
    ResultStore,
    grading_version,
    result_key,
    submission_key,
    write_view,
)
from autograder.grade.threads import available_cores, thread_env, threads_per_worker
from autograder.gradebook import write_gradebook
from autograder.results import RECORD, SubmissionResult, load_result
from autograder.safetext import clean, path_text


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


def run_grader(bundle: Path, submission: Path, out: Path, meta: dict, public_only: bool,
               threads: int, extra_args: tuple[str, ...] = (),
               questions: set[str] | None = None,
               unprivileged: Unprivileged | None = None) -> tuple[SubmissionResult, bool]:
    """Grade in a child process (as a plain user when the batch runs as root); returns the
    result and whether it is final (worth keeping). A grader that died (killed batch, node
    failure, instructor bug) gives a zero that is shown but not kept, so the next run grades
    that submission again."""
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
    cmd += extra_args
    env.update(thread_env(threads))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=overall_limit(meta),
                              env=env, cwd="/", errors="replace", **extra)
        if unprivileged is not None:
            unprivileged.collect(out, final_out)
            out = final_out
    except subprocess.TimeoutExpired:
        return zero_result(meta, path_text(submission), "grading took longer than the overall "
                           "limit; the submission was stopped", public_only), True
    if proc.returncode != 0 or not (out / RECORD).exists():
        detail = (proc.stderr or proc.stdout)[-2000:]
        print(f"coursekit: grading {path_text(submission)} failed (exit {proc.returncode}):\n"
              f"{clean(detail)}", file=sys.stderr)  # for the instructor, not the student
        return zero_result(meta, path_text(submission), "the grader failed on this "
                           f"submission (exit {proc.returncode}); tell your instructor.",
                           public_only), False
    try:
        return load_result(out), True
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise RuntimeError(f"unreadable result record: {err}") from None


@dataclass
class BatchRun:
    """What a batch did: results in the order given, and how many were graded or reused."""

    results: list[SubmissionResult]
    graded: int = 0
    reused: int = 0
    names: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def grade_class(bundle: Path, submissions: list[Path], out_dir: Path, *, jobs: int | None = None,
                public_only: bool = False, progress: bool = True, force: bool = False,
                names: list[str] | None = None,
                questions: list[set[str] | None] | None = None) -> BatchRun:
    """Grade what is not already current in OUT's result store (see `store`), each result kept
    as soon as it is done; then write every student's view. Identical files are graded once.
    `questions[i]`, when given, limits submission i to those questions (part of its key)."""
    meta = load_bundle(bundle)
    jobs = jobs or max(1, available_cores())
    threads = threads_per_worker(jobs)
    store = ResultStore.for_bundle(out_dir, bundle, public_only)
    names = names or out_names(submissions)
    only = questions or [None] * len(submissions)
    keys = [result_key(submission_key(s), q) for s, q in zip(submissions, only, strict=True)]
    todo: dict[str, tuple[Path, set[str] | None]] = {}
    for sub, key, qs in zip(submissions, keys, only, strict=True):
        if key not in todo and (force or store.get(key) is None):
            todo[key] = (sub, qs)
    run = BatchRun([], graded=len(todo), reused=len(set(keys)) - len(todo), names=names,
                   keys=keys)
    columns = [TextColumn("grading {task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    with Progress(*columns, disable=not progress, transient=True) as bar, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        task = bar.add_task(meta["name"], total=len(todo))
        unprivileged = privilege.for_batch(bundle) if todo else None
        try:
            futures = [pool.submit(_grade_and_keep, store, key, bundle, sub, meta, public_only,
                                   threads, qs, unprivileged) for key, (sub, qs) in todo.items()]
            failed: dict[str, SubmissionResult] = {}
            for future in as_completed(futures):
                key, result, final = future.result()
                if not final:
                    failed[key] = result
                bar.advance(task)
        finally:
            if unprivileged is not None:
                unprivileged.close()
    details = bool(meta.get("hidden_details"))
    for sub, name, key in zip(submissions, names, keys, strict=True):
        result = failed.get(key) or store.get(key)
        run.results.append(write_view(result, sub, out_dir / name, hidden_details=details))
    return run


def _grade_and_keep(store: ResultStore, key: str, bundle: Path, sub: Path, meta: dict,
                    public_only: bool, threads: int, questions: set[str] | None,
                    unprivileged: Unprivileged | None) -> tuple[str, SubmissionResult, bool]:
    scratch = Path(tempfile.mkdtemp(prefix=f"{key[:12]}-", dir=store.scratch()))
    try:
        result, final = run_grader(bundle, sub, scratch, meta, public_only, threads,
                                   questions=questions, unprivileged=unprivileged)
    except Exception as err:  # noqa: BLE001 - one submission never sinks the batch
        print(f"coursekit: grading {path_text(sub)} failed: {err!r}", file=sys.stderr)
        result, final = zero_result(meta, path_text(sub), "the grader failed on this "
                                    "submission; tell your instructor.", public_only), False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if final:
        store.put(key, result)
    return key, result, final


def grade_batch(bundle: Path, submissions: list[Path], out_dir: Path, *, jobs: int | None = None,
                public_only: bool = False, progress: bool = True, force: bool = False,
                questions: list[set[str] | None] | None = None) -> list[SubmissionResult]:
    """Grade every submission (resumably) and write OUT/gradebook.csv; results in the order
    given. `questions[i]`, when given, limits submission i to those questions (the proofs grade
    variants that way)."""
    run = grade_class(bundle, submissions, out_dir, jobs=jobs, public_only=public_only,
                      progress=progress, force=force, questions=questions)
    write_gradebook(run.results, out_dir / "gradebook.csv")
    return run.results


def grade_shard(bundle: Path, submissions: list[Path], out_dir: Path, shard: Shard, *,
                jobs: int | None = None, public_only: bool = False, progress: bool = True,
                force: bool = False) -> BatchRun:
    """Grade this shard's part of the class and record it in OUT/shards/ for the merge."""
    names = out_names(submissions)
    mine = shard.select(list(zip(submissions, names, strict=True)))
    run = grade_class(bundle, [s for s, _ in mine], out_dir, jobs=jobs, public_only=public_only,
                      progress=progress, force=force, names=[n for _, n in mine])
    graded = {n: (path_text(s), k) for (s, n), k in zip(mine, run.keys, strict=True)}
    write_manifest(shard, out_dir, assignment=load_bundle(bundle)["name"],
                   version=grading_version(bundle, public_only), names=names, graded=graded)
    return run
