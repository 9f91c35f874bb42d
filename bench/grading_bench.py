"""Benchmark: how fast coursekit grades, and how that compares with running notebooks (nbclient).

It builds the assignment into a temporary copy of the kit (the shared checkout is not touched),
then measures on this machine:

1. single-job grading time of the bundled reference notebook: `grade_submission` in this process
   (the Python API) and `python -m autograder.grade.one` as its own process (what a batch pays
   per submission, Python start-up and imports included);
2. class throughput: N copies of the bundled examples (reference, stub, every catalog bug and a
   "mixed" half-done notebook) graded with `grade_batch` on --jobs workers;
3. sandbox overhead: start a worker and answer one trivial request under bubblewrap, the rlimit
   backend and in-process (`InProcessTransport`), then the per-call round-trip latency;
4. nbclient: a kernel start alone, the reference reduced to its graded code, and the whole
   reference notebook (experiments such as training included), with the ratio
   coursekit-grade-time / nbclient-time.

    .venv/bin/python bench/grading_bench.py                       # nn_numpy if present, else toy
    .venv/bin/python bench/grading_bench.py --assignment toy --quick
    .venv/bin/python bench/grading_bench.py --n 100 --jobs 2 --json grading.json
    .venv/bin/python bench/grading_bench.py --isolation     # only what the hardening costs

--isolation measures the bubblewrap worker with and without each added layer (cgroup for the
whole sandbox, seccomp filter), the checked decoding of answers, and a grading process on the
reference (which now starts a second worker for the hidden tests).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np
from nbformat import v4

from autograder.adapter import Adapter, InProcessTransport
from autograder.build.builder import build_bundle
from autograder.extract import graded_code
from autograder.grade.batch import grade_batch
from autograder.grade.one import grade_submission, load_bundle
from autograder.sandbox import SandboxPolicy, SandboxTransport, bwrap_available

REPO = Path(__file__).resolve().parents[1]
TRIVIAL_SOURCE = "import numpy as np\n\nX = 1\n\n\ndef echo(x):\n    return x\n"
ECHO_SHAPE = (256, 256)  # float64, 512 KiB each way


# -- setup ---------------------------------------------------------------------------------
def default_assignment() -> str:
    return "nn_numpy" if (REPO / "solutions" / "nn_numpy" / "nn_numpy.ipynb").exists() else "toy"


def prepare_root(slug: str, tmp: Path) -> Path:
    """A private kit root holding only solutions/<slug> (the toy is generated when absent)."""
    root = tmp / "root"
    source = REPO / "solutions" / slug
    if (source / f"{slug}.ipynb").exists():
        shutil.copytree(source, root / "solutions" / slug)
    elif slug == "toy":
        spec = importlib.util.spec_from_file_location("toy", REPO / "tests/autograder/toy.py")
        toy = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(toy)
        toy.write_toy(root)
    else:
        known = sorted(p.name for p in (REPO / "solutions").glob("*/") if any(p.glob("*.ipynb")))
        raise SystemExit(f"no solution notebook solutions/{slug}/{slug}.ipynb; "
                         f"pass --assignment with one of: {', '.join(known + ['toy'])}")
    return root


def write_mixed(examples: Path, dest: Path) -> Path:
    """The reference with the stub's first half of stubbed cells appended: later definitions
    win, so those questions score zero and the others full marks (a half-done submission)."""
    ref = nbformat.read(str(examples / "reference.ipynb"), as_version=4)
    stub = nbformat.read(str(examples / "stub.ipynb"), as_version=4)
    ref_sources = {c.source for c in ref.cells if c.cell_type == "code"}
    stubbed = [c for c in stub.cells if c.cell_type == "code" and c.source not in ref_sources
               and graded_code(v4.new_notebook(cells=[c])).source.strip()]
    ref.cells += [v4.new_code_cell(c.source) for c in stubbed[: max(1, len(stubbed) // 2)]]
    for n, cell in enumerate(ref.cells):
        cell["id"] = f"mixed-{n:03d}"
    nbformat.write(ref, str(dest))
    return dest


def example_kinds(bundle: Path, tmp: Path) -> dict[str, Path]:
    examples = bundle / "examples"
    kinds = {"reference": examples / "reference.ipynb", "stub": examples / "stub.ipynb"}
    kinds.update({p.stem: p for p in sorted(examples.glob("bug-*.ipynb"))})
    kinds["mixed"] = write_mixed(examples, tmp / "mixed.ipynb")
    return kinds


def class_copies(kinds: dict[str, Path], n: int, folder: Path) -> list[tuple[str, Path]]:
    """n submissions cycling through the kinds, each its own file."""
    folder.mkdir(parents=True)
    names = list(kinds)
    subs = []
    for i in range(n):
        kind = names[i % len(names)]
        dest = folder / f"s{i:03d}-{kind}.ipynb"
        shutil.copy(kinds[kind], dest)
        subs.append((kind, dest))
    return subs


# -- measurements --------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def grade_in_process(bundle: Path, sub: Path, repeats: int) -> tuple[list[float], str]:
    times, score = [], ""
    for _ in range(repeats):
        seconds, result = timed(lambda: grade_submission(bundle, sub))
        times.append(seconds)
        score = f"{result.score:g}/{result.max_score:g}"
    return times, score


def grade_as_process(bundle: Path, sub: Path, repeats: int, tmp: Path) -> list[float]:
    times = []
    for i in range(repeats):
        cmd = [sys.executable, "-m", "autograder.grade.one", str(bundle), str(sub),
               str(tmp / f"one-{i}")]
        seconds, _ = timed(lambda c=cmd: subprocess.run(c, check=True, capture_output=True))
        times.append(seconds)
    return times


def import_time(repeats: int) -> list[float]:
    """A fresh interpreter importing the grading process's modules (its fixed start-up cost)."""
    cmd = [sys.executable, "-c", "import autograder.grade.one"]
    return [timed(lambda: subprocess.run(cmd, check=True))[0] for _ in range(repeats)]


def grade_class(bundle: Path, subs: list[tuple[str, Path]], jobs: int, out: Path) -> dict:
    seconds, results = timed(lambda: grade_batch(bundle, [p for _, p in subs], out, jobs=jobs,
                                                 progress=False))
    by_kind: dict[str, list[float]] = {}
    for (kind, _), r in zip(subs, results, strict=True):
        by_kind.setdefault(kind, []).append(100 * r.score / r.max_score if r.max_score else 0)
    errors = sum(1 for r in results if r.error)
    return {"wall_s": seconds, "n": len(subs), "jobs": jobs, "errors": errors,
            "per_min": 60 * len(subs) / seconds,
            "mean_exec_s": statistics.mean(r.execution_time for r in results),
            "score_pct": {k: statistics.mean(v) for k, v in by_kind.items()}}


def transport_factory(backend: str, meta: dict) -> Callable[[], object]:
    if backend == "in-process":
        def make() -> InProcessTransport:
            namespace: dict = {"__name__": "submission"}
            exec(compile(TRIVIAL_SOURCE, "<bench>", "exec"), namespace)  # noqa: S102 - ours
            return InProcessTransport(namespace, TRIVIAL_SOURCE)
        return make
    policy = SandboxPolicy(backend=backend, memory_mb=int(meta.get("memory_mb", 2048)))
    preload = tuple(meta.get("requires", []))
    return lambda: SandboxTransport(TRIVIAL_SOURCE, policy, preload)


def sandbox_overhead(backend: str, meta: dict, starts: int, calls: int) -> dict:
    """Start-up + first trivial answer (fresh worker each time), then warm round trips."""
    make = transport_factory(backend, meta)
    startup = []
    for _ in range(starts):
        start = time.perf_counter()
        transport = make()
        try:
            assert Adapter(transport).get("X") == 1
            startup.append(time.perf_counter() - start)
        finally:
            transport.close()
    if not calls:
        return {"startup": startup, "trivial": [], "echo": []}
    transport = make()
    try:
        sub = Adapter(transport)
        sub.get("X")
        trivial = [timed(lambda: sub.get("X"))[0] for _ in range(calls)]
        array = np.random.default_rng(0).normal(size=ECHO_SHAPE)
        echo = [timed(lambda: sub.call("echo", array))[0] for _ in range(calls)]
    finally:
        transport.close()
    return {"startup": startup, "trivial": trivial, "echo": echo}


ISOLATION_VARIANTS = {  # label -> environment switches
    "hardened (cgroup + seccomp + tmpfs)": {},
    "without cgroup": {"COURSEKIT_NO_CGROUPS": "1"},
    "without seccomp": {"COURSEKIT_NO_SECCOMP": "1"},
    "without cgroup and seccomp": {"COURSEKIT_NO_CGROUPS": "1", "COURSEKIT_NO_SECCOMP": "1"},
}


def isolation_cost(meta: dict, starts: int, calls: int) -> dict:
    """The bwrap worker under each variant; worker starts are interleaved round by round so
    that a shared machine's drifting load hits every variant alike."""
    out: dict[str, dict] = {label: {"startup": []} for label in ISOLATION_VARIANTS}
    for _ in range(starts):
        for label, switches in ISOLATION_VARIANTS.items():
            with _variant(switches):
                out[label]["startup"] += sandbox_overhead("bwrap", meta, 1, 0)["startup"]
    for label, switches in ISOLATION_VARIANTS.items():
        with _variant(switches):
            warm = sandbox_overhead("bwrap", meta, 0, calls)
        out[label].update(trivial=warm["trivial"], echo=warm["echo"])
    return out


@contextlib.contextmanager
def _variant(switches: dict[str, str]):
    """Environment switches for one variant, with a fresh cgroup manager."""
    from autograder.sandbox import transport as transport_module

    saved = {k: os.environ.get(k) for k in switches}
    os.environ.update(switches)
    transport_module.cgroups.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
        transport_module.cgroups.cache_clear()


def decode_cost(calls: int) -> dict:
    """Decoding one echo answer with and without the trusted side's caps (in-process)."""
    from autograder.runtime.limits import DecodeLimits
    from autograder.runtime.session import Codec, pack, unpack

    frame = pack({"ok": True, "value": np.ones(ECHO_SHAPE)}, Codec())
    return {"checked": [timed(lambda: unpack(frame, Codec(), DecodeLimits()))[0]
                        for _ in range(calls)],
            "unchecked": [timed(lambda: unpack(frame, Codec()))[0] for _ in range(calls)]}


def isolation_report(fig: dict) -> str:
    lines = [f"## coursekit isolation cost: `{fig['assignment']}` on {fig['machine']}", "",
             f"Load average (1 min) at start {fig['load'][0]:.1f}, at end {fig['load'][1]:.1f}.",
             "", "| measurement | mean / median / min |", "|---|---|"]
    for label, s in fig["variants"].items():
        lines += [row(f"bwrap {label}: start worker + 1st trivial answer", stats(s["startup"])),
                  row(f"bwrap {label}: round trip, trivial `get`", ms(s["trivial"])),
                  row(f"bwrap {label}: round trip, echo {ECHO_SHAPE} float64", ms(s["echo"]))]
    d = fig["decode"]
    lines += [row("decode one echo answer, with caps checked", ms(d["checked"])),
              row("decode one echo answer, unchecked", ms(d["unchecked"])),
              row("`python -m autograder.grade.one` process, reference (2 workers: public, "
                  "then hidden)", stats(fig["process"]))]
    return "\n".join(lines)


def run_isolation(args: argparse.Namespace, tmp: Path) -> dict:
    load_start = os.getloadavg()[0]
    root = prepare_root(args.assignment, tmp)
    os.environ["COURSEKIT_ROOT"] = str(root)
    bundle = build_bundle(root, args.assignment)
    meta = load_bundle(bundle)
    log("isolation variants")
    variants = isolation_cost(meta, args.repeats * 2, args.calls)
    process = grade_as_process(bundle, bundle / "examples" / "reference.ipynb", args.repeats, tmp)
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"
    return {"assignment": args.assignment, "machine": machine, "variants": variants,
            "decode": decode_cost(args.calls), "process": process,
            "load": [load_start, os.getloadavg()[0]]}


def ensure_kernel() -> None:
    """Register the venv's python3 kernel for nbclient when Jupyter does not know one."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"],
                       check=True, capture_output=True)


def graded_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook reduced to its graded code cells (what the grader loads), same order."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = graded_code(v4.new_notebook(cells=[cell])).source.strip()
        if source:
            cells.append(v4.new_code_cell(source))
    return v4.new_notebook(cells=cells, metadata=nb.metadata)


def nbclient_run(nb: nbformat.NotebookNode, cwd: Path, timeout: int) -> tuple[float, str]:
    """Seconds to execute the notebook in a fresh kernel (start and shutdown included)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    client = NotebookClient(nbformat.from_dict(nb), timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except (CellExecutionError, CellTimeoutError) as err:
        status = f"failed: {str(err).strip().splitlines()[-1][:120]}"
    return time.perf_counter() - start, status


def nbclient_times(nb: nbformat.NotebookNode, cwd: Path, repeats: int, timeout: int) -> dict:
    runs = [nbclient_run(nb, cwd, timeout) for _ in range(repeats)]
    statuses = sorted({s for _, s in runs})
    return {"times": [t for t, _ in runs], "status": "; ".join(statuses)}


# -- report --------------------------------------------------------------------------------
def stats(times: list[float]) -> str:
    if not times:
        return "n/a"
    return (f"{statistics.mean(times):.3f} / {statistics.median(times):.3f} / "
            f"{min(times):.3f} s (n={len(times)})")


def ms(times: list[float]) -> str:
    return f"{1000 * statistics.mean(times):.2f} / {1000 * statistics.median(times):.2f} ms"


def row(label: str, value: str) -> str:
    return f"| {label} | {value} |"


def report(fig: dict) -> str:
    g, c, nb = fig["single"], fig["class"], fig["nbclient"]
    lines = [f"## coursekit grading bench: `{fig['assignment']}` ({fig['questions']} questions, "
             f"{fig['tests']} tests) on {fig['machine']}", "",
             f"Load average (1 min) at start {fig['load'][0]:.1f}, at end {fig['load'][1]:.1f}: "
             "wall times include whatever else ran on the machine.", "",
             "| measurement | mean / median / min |", "|---|---|",
             row(f"grade_submission, in-process API, reference ({g['score']}), 1st call",
                 f"{g['in_process'][0]:.3f} s"),
             row("grade_submission, in-process API, reference, later calls",
                 stats(g["in_process"][1:] or g["in_process"])),
             row("`python -m autograder.grade.one` process, reference", stats(g["process"])),
             row("  of which: fresh interpreter importing the grader", stats(g["imports"]))]
    for backend, s in fig["sandbox"].items():
        if "skipped" in s:
            lines.append(row(f"sandbox {backend}", s["skipped"]))
            continue
        lines += [row(f"sandbox {backend}: start worker + 1st trivial answer", stats(s["startup"])),
                  row(f"sandbox {backend}: round trip, trivial `get`", ms(s["trivial"])),
                  row(f"sandbox {backend}: round trip, echo {ECHO_SHAPE} float64", ms(s["echo"]))]
    for key, label in (("kernel", "nbclient: empty notebook (kernel start/stop)"),
                       ("graded", "nbclient: reference reduced to graded code cells"),
                       ("whole", "nbclient: whole reference notebook (experiments included)")):
        lines.append(row(label, stats(nb[key]["times"]) + f" [{nb[key]['status']}]"))
    pct = c["score_pct"]
    bugs = [v for k, v in pct.items() if k.startswith("bug-")]
    scores = ", ".join(f"{k} {v:.0f}%" for k, v in pct.items() if not k.startswith("bug-"))
    if bugs:
        scores += (f", {len(bugs)} catalog bugs {statistics.mean(bugs):.0f}% "
                   f"(min {min(bugs):.0f}%, max {max(bugs):.0f}%)")
    lines += ["", f"Class: {c['n']} submissions, grade_batch jobs={c['jobs']}: "
              f"**{c['wall_s']:.1f} s wall, {c['per_min']:.1f} submissions/minute** "
              f"(mean {c['mean_exec_s']:.2f} s per submission inside its grader; "
              f"{c['errors']} with a grading error).", f"Mean score by kind: {scores}.", ""]
    lines += ratio_lines(fig)
    return "\n".join(lines)


def ratio_lines(fig: dict) -> list[str]:
    g, nb = fig["single"], fig["nbclient"]
    api = statistics.median(g["in_process"][1:] or g["in_process"])
    proc = statistics.median(g["process"])
    out = []
    for key, label in (("graded", "graded-code notebook (like for like)"),
                       ("whole", "whole notebook")):
        if not nb[key]["times"]:
            out.append(f"Ratio coursekit / nbclient {label}: not measured (0 runs).")
            continue
        base = statistics.median(nb[key]["times"])
        out.append(f"Ratio coursekit / nbclient {label}: API {api / base:.3g}x, "
                   f"own process {proc / base:.3g}x (medians; nbclient runs no tests).")
    return out


# -- main ----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--assignment", default=None, help="slug (default: nn_numpy, else toy)")
    p.add_argument("--n", type=int, default=100, help="class size for the throughput run")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel graders")
    p.add_argument("--repeats", type=int, default=5, help="single-submission repetitions")
    p.add_argument("--calls", type=int, default=200, help="round trips per latency figure")
    p.add_argument("--nb-repeats", type=int, default=3, help="nbclient runs (kernel, graded code)")
    p.add_argument("--whole-repeats", type=int, default=1,
                   help="whole-notebook nbclient runs (0 skips them: minutes with training)")
    p.add_argument("--nb-timeout", type=int, default=1800, help="nbclient per-cell timeout (s)")
    p.add_argument("--quick", action="store_true", help="n=20, 2 repeats, 50 calls, 1 nb run")
    p.add_argument("--json", type=Path, help="also write the raw figures here")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--isolation", action="store_true",
                   help="only measure the sandbox's isolation layers (about a minute)")
    args = p.parse_args(argv)
    if args.quick:
        args.n, args.repeats, args.calls, args.nb_repeats = min(args.n, 30), 2, 50, 1
    args.assignment = args.assignment or default_assignment()
    return args


def run(args: argparse.Namespace, tmp: Path) -> dict:
    load_start = os.getloadavg()[0]
    root = prepare_root(args.assignment, tmp)
    os.environ["COURSEKIT_ROOT"] = str(root)
    mirror = REPO.parent / "shared" / "datasets"
    if "COURSEKIT_MIRROR" not in os.environ and mirror.is_dir():
        os.environ["COURSEKIT_MIRROR"] = str(mirror)  # for notebooks run from the temp copy
    bundle = build_bundle(root, args.assignment).bundle
    meta = load_bundle(bundle)
    reference = bundle / "examples" / "reference.ipynb"
    log(f"bundle built at {bundle}; grading the reference {args.repeats}x")
    in_proc, score = grade_in_process(bundle, reference, args.repeats)
    single = {"in_process": in_proc, "score": score, "imports": import_time(args.repeats),
              "process": grade_as_process(bundle, reference, args.repeats, tmp)}
    log(f"grading a class of {args.n} with {args.jobs} jobs")
    subs = class_copies(example_kinds(bundle, tmp), args.n, tmp / "class")
    klass = grade_class(bundle, subs, args.jobs, tmp / "grades")
    log("sandbox overhead")
    sandbox = {}
    for backend in ("bwrap", "rlimit", "in-process"):
        if backend == "bwrap" and not bwrap_available():
            sandbox[backend] = {"skipped": "skipped: bubblewrap is not installed"}
            continue
        sandbox[backend] = sandbox_overhead(backend, meta, args.repeats * 2, args.calls)
    log("nbclient")
    ensure_kernel()
    nb = nbformat.read(str(reference), as_version=4)
    cwd = root / "solutions" / args.assignment
    empty = v4.new_notebook(cells=[v4.new_code_cell("pass")])
    nbc = {"kernel": nbclient_times(empty, cwd, args.nb_repeats, args.nb_timeout),
           "graded": nbclient_times(graded_only(nb), cwd, args.nb_repeats, args.nb_timeout),
           "whole": nbclient_times(nb, cwd, args.whole_repeats, args.nb_timeout)}
    tests = sum(len(q["tests"]) for q in meta["questions"])
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"
    return {"assignment": args.assignment, "questions": len(meta["questions"]), "tests": tests,
            "machine": machine, "load": [load_start, os.getloadavg()[0]], "single": single, "class": klass, "sandbox": sandbox,
            "nbclient": nbc}


def log(message: str) -> None:
    print(f"[grading_bench] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="coursekit-grading-bench-"))
    try:
        figures = run_isolation(args, tmp) if args.isolation else run(args, tmp)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(isolation_report(figures) if args.isolation else report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
