"""What `run_autograder` runs inside Gradescope's container for one submission.

    python -m autograder.export.gradescope_run --root /autograder --bundle /autograder/source/bundle

Finds the student's notebook in ROOT/submission (the one named after the assignment, else the
only .ipynb), grades it exactly as `coursekit grade` does (its own process, per-test and overall
time limits, sandboxed student code) and writes ROOT/results/results.json. Every outcome,
including "no notebook" and a crashed grader, is a results.json with a message the student can
act on, so Gradescope never shows a bare "autograder failed".

The sandbox: bubblewrap needs namespaces that Docker's default seccomp profile and a container
root without CAP_SYS_ADMIN refuse, so it is probed first; when it cannot start, grading falls back
to the resource-limit backend (memory, processes, file size, CPU time) and says so in the
instructor-only stdout. Gradescope's per-submission container is then the isolation boundary.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.fsutil import atomic_write_json
from autograder.grade.batch import run_grader
from autograder.grade.one import load_bundle, zero_result
from autograder.results import SubmissionResult


def find_notebook(folder: Path, slug: str) -> tuple[Path | None, str]:
    """The submitted notebook, or None and a message saying what to submit."""
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    named = [p for p in found if p.name == f"{slug}.ipynb"]
    if named:
        return named[0], ""
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"no notebook was submitted: upload your {slug}.ipynb"
    names = ", ".join(p.name for p in found)
    return None, f"several notebooks were submitted ({names}): upload only {slug}.ipynb"


def bwrap_works() -> bool:
    """Whether bubblewrap can create its namespaces here (often not inside Docker)."""
    probe = ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
             "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def grade(root: Path, bundle: Path) -> SubmissionResult:
    """Grade the submitted notebook (or explain why not); prints what it uses to stdout."""
    meta = load_bundle(bundle)
    notebook, problem = find_notebook(root / "submission", meta["name"])
    if notebook is None:
        return zero_result(meta, "(none)", problem, public_only=False)
    backend = "bwrap" if bwrap_works() else "rlimit"
    kit = Path(__file__).resolve().parents[1]
    print(f"coursekit: grading {notebook} with the kit {kit} and the {backend} sandbox backend"
          + ("" if backend == "bwrap" else " (bubblewrap cannot start in this container: "
             "resource limits only; the container is the isolation boundary)"), flush=True)
    with tempfile.TemporaryDirectory(prefix="coursekit-") as tmp:
        result, _ = run_grader(bundle, notebook, Path(tmp), meta, False, 1,
                                extra_args=("--sandbox", backend))
    result.submission = notebook.name
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.export.gradescope_run")
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    parser.add_argument("--bundle", type=Path, default=Path("/autograder/source/bundle"))
    args = parser.parse_args(argv)
    start = time.monotonic()
    result = grade(args.root, args.bundle)
    details = bool(load_bundle(args.bundle).get("hidden_details"))
    data = result.to_gradescope(hidden_details=details)
    data["execution_time"] = round(time.monotonic() - start, 3)
    atomic_write_json(args.root / "results" / "results.json", data)
    print(f"coursekit: {result.score:g} / {result.max_score:g}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
