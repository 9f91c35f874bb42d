"""What Otter's configuration adds to a build's outputs.

- `assignment.json` gains `execution` (`graded-code` or `notebook`), `seed` and `notes`;
- in `notebook` mode the bundle's `reference.py` is the whole reference notebook (so the `ref`
  fixture sees the same variables the student's run produces);
- `files` are copied into the bundle's `files/` (the grader copies them into each sandbox and
  runs tests next to them) and next to the student notebook (`assignments/<slug>/`);
  `student_files` only next to the student notebook: as in Otter, the grader does not have them.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from autograder.build.markup import AssignmentSpec
from autograder.build.stub import MarkupError
from autograder.notebook_mode import notebook_code


def add_otter_outputs(spec: AssignmentSpec, out) -> None:
    """Update a `builder.BuildOutput` in place (see the module docstring)."""
    cfg = spec.config
    meta = json.loads(out.bundle["assignment.json"])
    seed = cfg.seed
    meta.update({"execution": cfg.execution, "notes": spec.notes,
                 "seed": {"value": seed.value, "variable": seed.variable,
                          "autograder_value": seed.autograder_value}})
    out.bundle["assignment.json"] = json.dumps(meta, indent=2)
    if cfg.execution == "notebook":
        reference = nbformat.reads(out.bundle["examples/reference.ipynb"], as_version=4)
        out.bundle["reference.py"] = notebook_code(reference, meta, time_limits=False).source
    for rel in cfg.files:
        out.bundle[f"files/{_target(spec.path, rel)}"] = _read(spec.path, rel)
    for rel in cfg.files + cfg.student_files:
        out.committed[f"assignments/{cfg.name}/{_target(spec.path, rel)}"] = _read(spec.path, rel)


def _target(notebook: Path, rel: str) -> str:
    """Where a listed file goes: its path under the notebook's folder, else its name."""
    path = (notebook.parent / rel).resolve()
    try:
        return path.relative_to(notebook.parent.resolve()).as_posix()
    except ValueError:
        return path.name


def _read(notebook: Path, rel: str) -> str:
    path = notebook.parent / rel
    if not path.is_file():
        raise MarkupError(f"{notebook.name}: listed file {rel} does not exist at {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MarkupError(f"{notebook.name}: {rel} is not a text file; binary assignment files "
                          "are not supported yet (load them from datasets_manifest)") from None
