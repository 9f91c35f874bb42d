"""`coursekit export gradescope SLUG`: the autograder zip Gradescope builds its image from.

Zip layout (files at the root, as Gradescope requires):

    setup.sh          run once, as root, when Gradescope builds the image: bubblewrap, a venv
                      with the pinned requirements (Python >= 3.11; uv fetches one if needed)
    run_autograder    run per submission: grades /autograder/submission/*.ipynb and writes
                      /autograder/results/results.json (Gradescope's format)
    requirements.txt  exact versions of what grading imports, from the machine that exported
    kit/autograder/   the grading code (this kit), put on PYTHONPATH by run_autograder
    bundle/           the built assignment: tests/ (public + hidden), reference.py,
                      assignment.json (no example notebooks: they hold the solutions)

`run_autograder` reads `COURSEKIT_GS_ROOT` (default /autograder) and `COURSEKIT_GS_PYTHON`
(default the venv setup.sh made), so the zip can be tested against a simulated tree.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import json
import sys
import zipfile
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
# Imported by the grading path itself (besides what the bundle imports).
GRADER_DISTRIBUTIONS = ("numpy", "nbformat", "pytest", "PyYAML", "rich")
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, while building the autograder image (Ubuntu base image).
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq bubblewrap python3 python3-venv curl ca-certificates >/dev/null
if python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  python3 -m venv /autograder/venv
else  # Ubuntu 22.04 ships 3.10: let uv fetch a standalone Python 3.11
  curl -LsSf https://astral.sh/uv/install.sh | env UV_INSTALL_DIR=/usr/local/bin sh
  uv venv --seed --python 3.11 /autograder/venv
fi
/autograder/venv/bin/python -m pip install -q --upgrade pip
/autograder/venv/bin/python -m pip install -q -r requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (working directory /autograder, as root).
set -uo pipefail
root="${COURSEKIT_GS_ROOT:-/autograder}"
python="${COURSEKIT_GS_PYTHON:-$root/venv/bin/python}"
mkdir -p "$root/results"
PYTHONPATH="$root/source/kit${PYTHONPATH:+:$PYTHONPATH}" exec "$python" \\
  -m autograder.export.gradescope_run --root "$root" --bundle "$root/source/bundle"
"""


def imported_modules(bundle: Path) -> set[str]:
    """Top-level modules the bundle's reference and tests import."""
    names: set[str] = set()
    files = [bundle / "reference.py", *sorted((bundle / "tests").rglob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def requirements(bundle: Path) -> list[str]:
    """Pinned distributions for grading this bundle (versions of the exporting machine)."""
    meta = json.loads((bundle / "assignment.json").read_text())
    modules = imported_modules(bundle) | set(meta.get("requires", []))
    mapping = md.packages_distributions()
    dists = set(GRADER_DISTRIBUTIONS)
    for module in modules:
        if module in sys.stdlib_module_names or module in {"autograder", "_helpers"}:
            continue
        dists.update(mapping.get(module, []))
    pins = sorted(f"{d}=={md.version(d)}" for d in dists)
    if any(p.lower().startswith("torch==") for p in pins):
        pins.insert(0, f"--extra-index-url {TORCH_INDEX}")
    return pins


def _add(zf: zipfile.ZipFile, arcname: str, text: str, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def _tree(base: Path, include) -> list[Path]:
    return sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and include(p.relative_to(base)))


def write_zip(bundle: Path, dest: Path) -> Path:
    """Write the autograder zip for `bundle` to `dest` (byte-identical for the same input)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w") as zf:
        _add(zf, "setup.sh", SETUP_SH, 0o755)
        _add(zf, "run_autograder", RUN_AUTOGRADER, 0o755)
        _add(zf, "requirements.txt", "\n".join(requirements(bundle)) + "\n")
        for path in _tree(KIT, lambda rel: rel.suffix in {".py", ".json", ".toml"}):
            _add(zf, f"kit/autograder/{path.relative_to(KIT)}", path.read_text(encoding="utf-8"))
        for path in _tree(bundle, lambda rel: rel.parts[0] in {"tests", "reference.py",
                                                               "assignment.json"}):
            _add(zf, f"bundle/{path.relative_to(bundle)}", path.read_text(encoding="utf-8"))
    return dest


__all__ = ["imported_modules", "requirements", "write_zip"]
