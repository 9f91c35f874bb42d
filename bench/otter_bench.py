"""Side by side with Otter: build and grade otter-grader's own master notebooks with both tools.

    python bench/otter_bench.py OTTER_CHECKOUT [--notebooks example,exception-example] [--json F]

OTTER_CHECKOUT is a working tree of https://github.com/ucbds-infra/otter-grader (the Python
master notebooks are in test/test_assign/files/). `pip install otter-grader` (the `dev` extra)
provides the `otter` command. For each master notebook:

1. coursekit builds it unchanged (`parse_solution` + `generate`, as `coursekit build` does;
   a refusal is reported as an error);
2. `otter assign --no-run-tests --no-pdfs` builds it;
3. the same two submissions, Otter's autograder (solution) notebook and Otter's student
   notebook, are graded by coursekit (`grade_batch`, sandboxed) and by `otter run`;
4. coursekit also grades its own student notebook (its build proof).

It prints per-question points for every pair, and the wall-clock and CPU seconds
(user + sys, children included) of each step.
Nothing here is part of CI; tests/autograder/test_otter_compat.py holds the fast checks.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.build.builder import generate, write_build
from autograder.build.markup import parse_solution
from autograder.grade.batch import grade_batch

DEFAULT = ["example", "exception-example", "generate-otter", "generate-gradescope",
           "generate-pdf", "master-skeleton", "lecture-notebook"]


def clock() -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + sys of this process and of the children it waited
    for, i.e. `otter` commands and coursekit's sandboxed workers). CPU seconds are what a step
    costs; wall seconds also count the waits for a loaded machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clock()
    return now[0] - start[0], now[1] - start[1]


def build_unchanged(work: Path, name: str) -> tuple[Path, object]:
    """Build the master notebook exactly as otter-grader ships it (`coursekit build`'s steps)."""
    spec = parse_solution(work / f"{name}.ipynb")
    output = generate(spec, work / "coursekit")
    return write_build(output, work / "coursekit", spec.config.name), spec


def coursekit_side(work: Path, name: str, otter_subs: list[Path]) -> dict:
    t0 = clock()
    try:
        bundle, spec = build_unchanged(work, name)
    except Exception as err:  # noqa: BLE001 - reported in the table
        return {"error": f"{type(err).__name__}: {err}"}
    (build_s, build_cpu), t0 = since(t0), clock()
    subs = [*otter_subs, bundle / "examples" / "stub.ipynb"]
    results = grade_batch(bundle, subs, work / "coursekit-out", jobs=1)
    grade_s, grade_cpu = since(t0)
    points = [{q: got for q, (got, _top) in r.by_question().items()} for r in results]
    tops = {q: top for q, (_got, top) in results[0].by_question().items()}
    return {"build_s": build_s, "build_cpu": build_cpu, "grade_s": grade_s,
            "per_submission_s": grade_s / len(subs), "per_submission_cpu": grade_cpu / len(subs),
            "points": points, "max": tops, "notes": spec.notes}


def otter_side(work: Path, name: str) -> dict:
    t0 = clock()
    dist = work / "otter-dist"
    run = subprocess.run(["otter", "assign", "--no-run-tests", "--no-pdfs", f"{name}.ipynb",
                          str(dist)],
                         cwd=work, capture_output=True, text=True)
    (build_s, build_cpu), t0 = since(t0), clock()
    zips = sorted((dist / "autograder").glob("*.zip"))
    if run.returncode or not zips:
        return {"error": (run.stderr or run.stdout or "no autograder zip (generate: false)")
                [-500:], "build_s": build_s}
    subs = [dist / "autograder" / f"{name}.ipynb", dist / "student" / f"{name}.ipynb"]
    points, tops = [], {}
    for sub in subs:
        out = work / f"otter-out-{sub.parent.name}"
        out.mkdir()
        subprocess.run(["otter", "run", "-a", str(zips[-1]), "-o", str(out), str(sub)],
                       cwd=work, capture_output=True, text=True)
        tests = json.loads((out / "results.json").read_text())["tests"]
        got = {t["name"]: float(t.get("score") or 0) for t in tests if t["name"] != "Public Tests"}
        tops.update({t["name"]: float(t.get("max_score") or 0) for t in tests
                     if t["name"] != "Public Tests"})
        points.append(got)
    grade_s, grade_cpu = since(t0)
    return {"build_s": build_s, "build_cpu": build_cpu, "grade_s": grade_s,
            "per_submission_s": grade_s / len(subs), "per_submission_cpu": grade_cpu / len(subs),
            "points": points, "max": tops, "subs": subs}


def compare(name: str, files: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"otter-bench-{name}-"))
    for path in files.iterdir():
        if path.is_file():
            shutil.copy(path, work / path.name)
    otter = otter_side(work, name)
    ck = coursekit_side(work, name, otter.get("subs", []))
    otter.pop("subs", None)
    return {"notebook": name, "otter": otter, "coursekit": ck, "work": str(work)}


def report(row: dict) -> list[str]:
    ck, ot = row["coursekit"], row["otter"]
    lines = [f"## {row['notebook']}"]
    if "error" in ck:
        lines.append(f"coursekit build: {ck['error']}")
    if "error" in ot:
        lines.append(f"otter: {ot['error']}")
    if "error" in ck or "error" in ot:
        return lines
    lines.extend(f"coursekit build note: {n}" for n in ck["notes"])
    lines.append("| question | max (otter / coursekit) | solution nb (otter / coursekit) | "
                 "student nb (otter / coursekit) | coursekit's own stub |")
    lines.append("|---|---|---|---|---|")
    same = True
    for q in sorted(set(ot["max"]) | set(ck["max"])):
        o_ref, o_stub = (p.get(q, "-") for p in ot["points"])
        c_ref, c_stub, c_own = (p.get(q, "-") for p in ck["points"])
        same &= o_ref == c_ref and o_stub == c_stub and ot["max"].get(q) == ck["max"].get(q)
        lines.append(f"| {q} | {ot['max'].get(q, '-')} / {ck['max'].get(q, '-')} | "
                     f"{o_ref} / {c_ref} | {o_stub} / {c_stub} | {c_own} |")
    lines.append(f"same points: {'yes' if same else 'NO'}")
    for what, key in (("build", "build"), ("grading per submission", "per_submission")):
        lines.append(f"{what}: otter {ot[key + '_s']:.1f} s wall / {ot[key + '_cpu']:.1f} s CPU, "
                     f"coursekit {ck[key + '_s']:.1f} s wall / {ck[key + '_cpu']:.1f} s CPU")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--notebooks", default=",".join(DEFAULT))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    files = args.checkout / "test" / "test_assign" / "files"
    if not files.is_dir():
        parser.error(f"{files} does not exist: pass a working tree of otter-grader")
    if shutil.which("otter") is None:
        parser.error("the `otter` command is missing: pip install otter-grader")
    rows = [compare(name, files) for name in args.notebooks.split(",")]
    for row in rows:
        print("\n".join(report(row)) + "\n")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
