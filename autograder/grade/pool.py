"""Grade many variants of the reference (proof examples, mutants) in a pool of processes.

`grade_batch` starts one grading process per submission, so a crash costs only that student;
variants the kit generated itself do not need that isolation from each other, and paying
Python's and pytest's start-up once per variant dominates a proof or a mutation run. Here each
pool process grades variant after variant with `grade_submission` (every variant's code still
runs in its own sandboxed worker); one variant, or `jobs=1`, grades in this process. Pool
processes are spawned, not forked: the caller may itself be a pytest run.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from autograder.grade.one import grade_submission
from autograder.results import SubmissionResult

GRADER_ERROR = "grading error"


def grade_variants(bundle: Path, variants: list[tuple[Path, set[str] | None]], *,
                   jobs: int | None = None, out_dir: Path | None = None,
                   first_failure: bool = False, progress: bool = False) -> list[SubmissionResult]:
    """Grade each (notebook, questions or None) in order; with `out_dir`, also write
    `out_dir/<notebook stem>/results.json`. A failure of the grader itself comes back as a
    result whose error starts with `GRADER_ERROR`."""
    jobs = jobs or max(1, os.cpu_count() or 1)
    work = [(str(bundle), str(path), sorted(qs) if qs else None, first_failure,
             str(out_dir / path.stem) if out_dir else None) for path, qs in variants]
    if jobs == 1 or len(work) <= 1:
        return [_grade(*item) for item in work]
    columns = [TextColumn("grading variants"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    results: dict[int, SubmissionResult] = {}
    with Progress(*columns, disable=not progress, transient=True) as bar, \
            ProcessPoolExecutor(max_workers=min(jobs, len(work)),
                                mp_context=multiprocessing.get_context("spawn")) as pool:
        task = bar.add_task("variants", total=len(work))
        futures = {pool.submit(_grade, *item): i for i, item in enumerate(work)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            bar.advance(task)
    return [results[i] for i in range(len(work))]


def _grade(bundle: str, path: str, questions: list[str] | None, first_failure: bool,
           out: str | None) -> SubmissionResult:
    try:
        result = grade_submission(Path(bundle), Path(path),
                                  questions=set(questions) if questions else None,
                                  first_failure=first_failure)
    except Exception as err:  # noqa: BLE001 - reported as the grader's failure, not a score
        result = SubmissionResult(path, "", [], f"{GRADER_ERROR}: {type(err).__name__}: {err}")
    if out:
        result.write(Path(out))
    return result
