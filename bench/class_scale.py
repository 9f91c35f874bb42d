"""Class-scale grading figures for `grading_bench.py --class-run` (default: the transformer,
the slowest assignment to grade).

On a class of N distinct submissions (the bundle's examples, each copy stamped with its own
student id so that no two files share a content key):

1. one batch: `grade_class` with --jobs workers -> submissions per minute, and per core;
2. two local shards: `coursekit grade --shard 0/2` and `--shard 1/2` run at once (jobs/2 each),
   then `coursekit gradebook merge` -> wall time, and whether the gradebook equals the batch's;
3. resume: the same batch again on the unchanged class -> seconds (every result is current).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from autograder.grade.batch import grade_class
from autograder.grade.threads import available_cores, threads_per_worker
from autograder.gradebook import merge_shards, write_gradebook


def unique_class(kinds: dict[str, Path], n: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    names = list(kinds)
    subs = []
    for i in range(n):
        kind = names[i % len(names)]
        nb = nbformat.read(str(kinds[kind]), as_version=4)
        nb.metadata["student"] = f"s{i:04d}"
        dest = folder / f"s{i:04d}-{kind}.ipynb"
        nbformat.write(nb, str(dest))
        subs.append(dest)
    return subs


def rates(n: int, seconds: float) -> dict:
    per_min = 60 * n / seconds if seconds else 0.0
    cores = available_cores()
    return {"seconds": seconds, "per_min": per_min, "per_min_per_core": per_min / cores,
            "cores": cores}


def one_batch(bundle: Path, subs: list[Path], jobs: int, out: Path) -> dict:
    start = time.perf_counter()
    run = grade_class(bundle, subs, out, jobs=jobs, progress=False)
    seconds = time.perf_counter() - start
    write_gradebook(run.results, out / "gradebook.csv")
    errors = sum(1 for r in run.results if r.error)
    return {**rates(len(subs), seconds), "graded": run.graded, "errors": errors}


def two_shards(slug: str, bundle: Path, folder: Path, n: int, jobs: int, out: Path) -> dict:
    per_shard = max(1, jobs // 2)
    base = [sys.executable, "-m", "autograder.cli", "grade", slug, str(folder), "--out", str(out),
            "--bundle", str(bundle), "--jobs", str(per_shard)]
    start = time.perf_counter()
    procs = [subprocess.Popen([*base, "--shard", f"{i}/2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    failures = [p.stderr.read()[-500:] for p in procs if p.wait() != 0]
    report = merge_shards(out)
    seconds = time.perf_counter() - start
    return {**rates(n, seconds), "jobs_per_shard": per_shard, "merge_ok": report.ok,
            "failures": failures}


def gradebook_differences(a: Path, b: Path) -> list[str]:
    """Rows that differ between two gradebooks (submission: a's cells vs b's cells)."""
    rows_a = {r["submission"]: r for r in csv.DictReader(a.open(encoding="utf-8"))}
    rows_b = {r["submission"]: r for r in csv.DictReader(b.open(encoding="utf-8"))}
    out = []
    for name in sorted(set(rows_a) | set(rows_b)):
        ra, rb = rows_a.get(name, {}), rows_b.get(name, {})
        changed = {k: (ra.get(k), rb.get(k)) for k in set(ra) | set(rb) if ra.get(k) != rb.get(k)}
        if changed:
            out.append(f"{Path(name).name}: {changed}")
    return out


def class_run(slug: str, n: int, jobs: int, tmp: Path) -> dict:
    from grading_bench import build_bundle, example_kinds, log, prepare_root  # noqa: PLC0415

    load_start = os.getloadavg()
    root = prepare_root(slug, tmp)
    os.environ["COURSEKIT_ROOT"] = str(root)
    bundle = build_bundle(root, slug)
    subs = unique_class(example_kinds(bundle, tmp), n, tmp / "class")
    log(f"class run: {n} {slug} submissions, one batch with {jobs} jobs")
    batch = one_batch(bundle, subs, jobs, tmp / "batch")
    log("class run: two local shards")
    shards = two_shards(slug, bundle, tmp / "class", n, jobs, tmp / "shards")
    shards["differences"] = gradebook_differences(tmp / "batch/gradebook.csv",
                                                  tmp / "shards/gradebook.csv")
    shards["same_gradebook"] = not shards["differences"]
    log("class run: resume on the unchanged class")
    resume = one_batch(bundle, subs, jobs, tmp / "batch")
    return {"assignment": slug, "n": n, "jobs": jobs, "threads": threads_per_worker(jobs),
            "batch": batch, "shards": shards, "resume": resume,
            "load": [load_start, os.getloadavg()]}


def report_class(fig: dict) -> str:
    b, s, r = fig["batch"], fig["shards"], fig["resume"]
    load = " → ".join(", ".join(f"{x:.1f}" for x in la) for la in fig["load"])
    return "\n".join([
        f"Class run: {fig['n']} {fig['assignment']} submissions, {b['cores']} cores, "
        f"jobs={fig['jobs']}, {fig['threads']} math thread(s) per worker; load average {load}",
        "",
        "| run | wall | submissions/min | per core |",
        "|---|---|---|---|",
        f"| one batch (jobs={fig['jobs']}) | {b['seconds']:.1f} s | {b['per_min']:.2f} | "
        f"{b['per_min_per_core']:.2f} |",
        f"| 2 local shards (jobs={s['jobs_per_shard']} each) + merge | {s['seconds']:.1f} s | "
        f"{s['per_min']:.2f} | {s['per_min_per_core']:.2f} |",
        f"| resume, unchanged class ({r['graded']} regraded) | {r['seconds']:.2f} s | — | — |",
        "",
        f"Shards' merged gradebook identical to the batch's: {s['same_gradebook']} "
        f"(merge ok: {s['merge_ok']}); grading errors in the batch: {b['errors']}.",
        *[f"- differs: {d[:300]}" for d in s.get("differences", [])],
    ])
