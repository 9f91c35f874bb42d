"""Build an assignment: write the student notebook, public tests and the autograder bundle,
then prove it (the reference earns full marks, the untouched stub earns zero on every question).

Layout: `solutions/<slug>/<slug>.ipynb` (+ `catalog.toml`) -> `assignments/<slug>/<slug>.ipynb`,
`assignments/<slug>/tests/test_<q>.py` (committed) and `build/<slug>/` (not committed):
`tests/`, `reference.py`, `assignment.json`, `examples/{reference,stub,bug-*,alt-*}.ipynb`,
`degenerate/<question>-<kind>.ipynb` and `examples/index.json` (what the proofs grade).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.build.degenerate import RUNTIME as DEGENERATE_RUNTIME
from autograder.build.degenerate import degenerate_specs
from autograder.build.markup import AssignmentSpec, parse_solution
from autograder.build.otter_bundle import add_otter_outputs
from autograder.build.render import dumps, render
from autograder.build.testfiles import allocate_points, helpers_file, safe_name, test_file
from autograder.catalog import load_alternatives, load_catalog, patch_notebook
from autograder.extract import graded_code


def repo_root() -> Path:
    """The kit's checkout (where solutions/ and assignments/ live); `COURSEKIT_ROOT` overrides."""
    override = os.environ.get("COURSEKIT_ROOT")
    return Path(override).resolve() if override else Path(__file__).resolve().parents[2]


def list_assignments(root: Path) -> list[str]:
    """Slugs of every solution notebook, in course order."""
    slugs = [p.parent.name for p in sorted((root / "solutions").glob("*/*.ipynb"))
             if p.stem == p.parent.name]
    return sorted(slugs, key=lambda s: (parse_solution(solution_path(root, s)).config.order, s))


def solution_path(root: Path, slug: str) -> Path:
    path = root / "solutions" / slug / f"{slug}.ipynb"
    if not path.exists():
        known = ", ".join(p.name for p in sorted((root / "solutions").glob("*")) if p.is_dir())
        raise FileNotFoundError(f"no solution notebook at {path} (known assignments: {known})")
    return path


@dataclass
class BuildOutput:
    """Everything a build writes, as text keyed by path relative to the repo root."""

    committed: dict[str, str] = field(default_factory=dict)
    bundle: dict[str, str] = field(default_factory=dict)


def generate(spec: AssignmentSpec, root: Path, *, proofs: bool = True) -> BuildOutput:
    """Everything the build writes; `proofs=False` leaves out the proof examples (catalog,
    alternatives, degenerate answers), which `build --check` does not need."""
    slug = spec.config.name
    out = BuildOutput()
    student, reference = render(spec, solutions=False), render(spec, solutions=True)
    out.committed[f"assignments/{slug}/{slug}.ipynb"] = dumps(student)
    helpers = helpers_file(spec.helpers, spec.config)
    if helpers:
        out.committed[f"assignments/{slug}/tests/_helpers.py"] = helpers
        out.bundle["tests/_helpers.py"] = helpers
    for q in spec.questions:
        public = test_file(q, spec.config, spec.helpers, include_hidden=False)
        if public:
            out.committed[f"assignments/{slug}/tests/test_{safe_name(q.name)}.py"] = public
        out.bundle[f"tests/test_{safe_name(q.name)}.py"] = test_file(
            q, spec.config, spec.helpers, include_hidden=True)
    out.bundle["reference.py"] = graded_code(reference).source
    out.bundle["assignment.json"] = json.dumps(_metadata(spec), indent=2)
    out.bundle["examples/reference.ipynb"] = dumps(reference)
    out.bundle["examples/stub.ipynb"] = dumps(student)
    if proofs:
        _proof_examples(spec, root, reference, out)
    add_otter_outputs(spec, out)
    return out


def _proof_examples(spec: AssignmentSpec, root: Path, reference: nbformat.NotebookNode,
                    out: BuildOutput) -> None:
    """The examples the proofs grade, and `examples/index.json` naming them."""
    catalog = root / "solutions" / spec.config.name / "catalog.toml"
    index = [{"name": "reference", "kind": "reference", "file": "examples/reference.ipynb"},
             {"name": "stub", "kind": "stub", "file": "examples/stub.ipynb"}]
    for entry in [*load_catalog(catalog), *load_alternatives(catalog)]:
        rel = f"examples/{entry.kind}-{entry.name}.ipynb"
        out.bundle[rel] = dumps(patch_notebook(reference, entry))
        index.append({"name": entry.name, "kind": entry.kind, "file": rel,
                      "question": getattr(entry, "question", None)})
    for (question, kind), variant in degenerate_specs(spec).items():
        rel = f"degenerate/{safe_name(question)}-{kind}.ipynb"
        out.bundle[rel] = dumps(degenerate_notebook(variant, question, kind))
        index.append({"name": f"{question}-{kind}", "kind": "degenerate", "file": rel,
                      "question": question})
    out.bundle["examples/index.json"] = json.dumps(index, indent=1)


def degenerate_notebook(variant: AssignmentSpec, question: str,
                        kind: str) -> nbformat.NotebookNode:
    """A degenerate variant's reference notebook, with the runtime helper as its first cell."""
    nb = render(variant, solutions=True)
    nb.cells.insert(0, nbformat.v4.new_code_cell(DEGENERATE_RUNTIME))
    nb.metadata["coursekit"]["kind"] = f"degenerate:{question}-{kind}"
    return nb


def _metadata(spec: AssignmentSpec) -> dict:
    cfg = spec.config
    questions = []
    for q in spec.questions:
        tests = []
        for cell, pts in zip(q.tests, allocate_points(q), strict=True):
            timeout = float(cell.timeout or q.timeout or cfg.timeout)
            tests += [{"name": f, "points": pts, "hidden": cell.hidden, "timeout": timeout}
                      for f in cell.functions]
        questions.append({"name": q.name, "points": sum(t["points"] for t in tests),
                          "tests": tests})
    digest = hashlib.sha256(spec.path.read_bytes()).hexdigest()
    return {"name": cfg.name, "title": cfg.title, "order": cfg.order, "requires": cfg.requires,
            "timeout": cfg.timeout, "memory_mb": cfg.memory_mb,
            "hidden_details": bool(cfg.hidden_details), "questions": questions,
            "solution_sha256": digest}


@dataclass
class Built:
    """What `build_bundle` made: the parsed spec, the generated text and the bundle folder."""

    spec: AssignmentSpec
    output: BuildOutput
    bundle: Path


def build_bundle(root: Path, slug: str, *, committed: bool = False,
                 bundle: Path | None = None) -> Built:
    """Parse, generate and write one assignment: the single entry point the CLI, the demo, the
    tests and the benchmarks use. The bundle goes to `bundle` (default `build/<slug>`); the
    committed student files are written only when `committed`. Proving is `prove_bundle`'s job.
    """
    spec = parse_solution(solution_path(root, slug))
    output = generate(spec, root)
    return Built(spec, output, write_build(output, root, slug, committed=committed,
                                           bundle=bundle))


def write_build(output: BuildOutput, root: Path, slug: str, *, committed: bool = True,
                bundle: Path | None = None) -> Path:
    """Write a fresh bundle (to `bundle`, default `build/<slug>`) and, unless
    `committed=False`, the committed student files."""
    tests_dir = root / "assignments" / slug / "tests"
    if committed and tests_dir.exists():
        for stale in [*tests_dir.glob("test_*.py"), *tests_dir.glob("_helpers.py")]:
            stale.unlink()
    for rel, text in output.committed.items() if committed else ():
        _write(root / rel, text)
    bundle = bundle or root / "build" / slug
    shutil.rmtree(bundle, ignore_errors=True)
    for rel, text in output.bundle.items():
        _write(bundle / rel, text)
    return bundle


def stale_files(output: BuildOutput, root: Path, slug: str) -> list[str]:
    """Committed files that differ from what the build would write (for `build --check`)."""
    stale = [rel for rel, text in output.committed.items()
             if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]
    tests_dir = root / "assignments" / slug / "tests"
    extra = [str(p.relative_to(root)) for p in [*tests_dir.glob("test_*.py"),
                                                *tests_dir.glob("_helpers.py")]
             if str(p.relative_to(root)) not in output.committed] if tests_dir.exists() else []
    return sorted(stale + extra)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def load_reference_notebook(bundle: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(bundle / "examples" / "reference.ipynb"), as_version=4)
