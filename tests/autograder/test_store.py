"""Resumable, content-addressed grading: reruns skip current results, changes are regraded,
a killed batch resumes with nothing lost or redone, and each worker's threads are pinned."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from classroom import SCORES, copy_bundle, make_class, stored

from autograder.grade import batch
from autograder.grade.batch import grade_batch, grade_class
from autograder.grade.store import ResultStore, bundle_version, grading_version, submission_key
from autograder.grade.threads import thread_env, threads_per_worker
from autograder.sandbox.policy import sandbox_env


def scores(out: Path) -> dict[str, str]:
    return {Path(r["submission"]).name: r["score"]
            for r in csv.DictReader((out / "gradebook.csv").open())}


def expected(subs: list[Path]) -> dict[str, str]:
    return {p.name: SCORES[p.stem.split("-", 1)[1]] for p in subs}


def test_rerun_reuses_current_results_and_regrades_what_changed(toy_bundle, tmp_path):
    bundle = copy_bundle(toy_bundle, tmp_path / "bundle")
    subs = make_class(bundle, tmp_path / "subs", 3)
    out = tmp_path / "out"
    first = grade_class(bundle, subs, out, jobs=2, progress=False)
    assert (first.graded, first.reused) == (3, 0)
    grade_batch(bundle, subs, out, jobs=2, progress=False)
    assert scores(out) == expected(subs)
    before = stored(out)

    again = grade_class(bundle, subs, out, jobs=2, progress=False)
    assert (again.graded, again.reused) == (0, 3)
    assert stored(out) == before  # nothing rewritten
    assert [r.score for r in again.results] == [r.score for r in first.results]

    subs[1].write_bytes(subs[0].read_bytes().replace(b"s00", b"s01"))  # stub -> full answer
    changed = grade_class(bundle, subs, out, jobs=2, progress=False)
    assert (changed.graded, changed.reused) == (1, 2)
    assert changed.results[1].score == 3

    test_file = bundle / "tests" / "test_q2.py"  # a test fix: a new bundle version
    test_file.write_text(test_file.read_text() + "\n# fixed\n")
    assert grade_class(bundle, subs, out, jobs=2, progress=False).graded == 3


def test_identical_files_are_graded_once_and_each_student_gets_a_view(toy_bundle, tmp_path):
    a, b = tmp_path / "alice.ipynb", tmp_path / "bob.ipynb"
    for path in (a, b):
        path.write_bytes((toy_bundle / "examples/reference.ipynb").read_bytes())
    run = grade_class(toy_bundle, [a, b], tmp_path / "out", progress=False)
    assert (run.graded, run.reused) == (1, 0)
    assert [r.submission for r in run.results] == [str(a), str(b)]
    assert (tmp_path / "out/bob/results.json").exists()


def test_keys_follow_content_and_bundle(toy_bundle, tmp_path):
    path = tmp_path / "x.ipynb"
    path.write_bytes(b"{}")
    assert submission_key(path) == submission_key(path)
    before = submission_key(path)
    path.write_bytes(b"{ }")
    assert submission_key(path) != before
    bundle = copy_bundle(toy_bundle, tmp_path / "bundle")
    version = bundle_version(bundle)
    (bundle / "examples/reference.ipynb").write_text("{}")  # examples are not part of it
    assert bundle_version(bundle) == version
    (bundle / "reference.py").write_text("# changed\n")
    assert bundle_version(bundle) != version
    assert grading_version(bundle) != grading_version(bundle, public_only=True)


def test_a_torn_or_foreign_store_file_is_regraded(toy_bundle, tmp_path):
    sub = make_class(toy_bundle, tmp_path / "subs", 1)[0]
    out = tmp_path / "out"
    grade_class(toy_bundle, [sub], out, progress=False)
    store = ResultStore.for_bundle(out, toy_bundle)
    store.path(submission_key(sub)).write_text('{"score": 3, "te')  # as if torn
    assert grade_class(toy_bundle, [sub], out, progress=False).graded == 1


def test_a_killed_batch_resumes_with_nothing_lost_or_redone(toy_bundle, tmp_path):
    subs = make_class(toy_bundle, tmp_path / "subs", 4)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "autograder.cli", "grade", "toy", str(tmp_path / "subs"),
           "--out", str(out), "--jobs", "1", "--bundle", str(toy_bundle)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(stored(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole batch, grader children included
    proc.wait()
    done = stored(out)
    assert 2 <= len(done) < 4, "the batch should have been killed mid-way"
    assert not (out / "gradebook.csv").exists()

    run = grade_class(toy_bundle, subs, out, jobs=1, progress=False)
    assert (run.graded, run.reused) == (4 - len(done), len(done))  # nothing redone
    after = stored(out)
    assert {k: after[k] for k in done} == done  # finished results untouched
    assert len(after) == 4  # nothing lost
    assert grade_batch(toy_bundle, subs, out, progress=False)
    assert scores(out) == expected(subs)


def test_a_grader_that_dies_is_shown_but_not_kept(toy_bundle, tmp_path, monkeypatch):
    sub = make_class(toy_bundle, tmp_path / "subs", 1)[0]
    real_run = subprocess.run

    def killed(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, -9, "", "Killed")

    monkeypatch.setattr(batch.subprocess, "run", killed)
    run = grade_class(toy_bundle, [sub], tmp_path / "out", progress=False)
    assert "grader failed" in run.results[0].error and not stored(tmp_path / "out")
    monkeypatch.setattr(batch.subprocess, "run", real_run)
    assert grade_class(toy_bundle, [sub], tmp_path / "out", progress=False).graded == 1


@pytest.mark.parametrize(("cores", "jobs", "threads"), [(2, 2, 1), (2, 8, 1), (8, 2, 4),
                                                        (16, 1, 16)])
def test_each_worker_gets_its_share_of_threads(monkeypatch, cores, jobs, threads):
    monkeypatch.setattr("autograder.grade.threads.available_cores", lambda: cores)
    assert threads_per_worker(jobs) == threads


def test_the_worker_environment_pins_math_libraries(toy_bundle, tmp_path, monkeypatch):
    seen = {}

    def capture(cmd, **kwargs):
        seen.update(kwargs["env"])
        return subprocess.CompletedProcess(cmd, 1, "", "stop")

    monkeypatch.setattr(batch.subprocess, "run", capture)
    monkeypatch.setattr(batch, "threads_per_worker", lambda jobs: 3)
    grade_class(toy_bundle, make_class(toy_bundle, tmp_path, 1), tmp_path / "o", progress=False)
    assert {k: seen[k] for k in thread_env(3)} == thread_env(3)
    monkeypatch.setenv("COURSEKIT_THREADS", "3")
    assert sandbox_env()["OMP_NUM_THREADS"] == "3"
    monkeypatch.delenv("COURSEKIT_THREADS")
    assert sandbox_env()["OMP_NUM_THREADS"] == "1"
