"""A real Slurm job array grades a class into the same gradebook as a local run.

Needs a running single-node Slurm (`source .ci/slurm.sh`, which exports COURSEKIT_SLURM=1);
skipped with the reason otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from classroom import make_class

from autograder.cli import main

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy/slurm/grade-array.sbatch"

pytestmark = [
    pytest.mark.slurm,
    pytest.mark.skipif(not os.environ.get("COURSEKIT_SLURM"),
                       reason="no Slurm here: `source .ci/slurm.sh` starts one (as root, Debian)"),
    pytest.mark.skipif(shutil.which("sbatch") is None, reason="sbatch is not installed"),
]


def test_job_array_gradebook_equals_a_local_run(toy_bundle, tmp_path):
    subs = tmp_path / "subs"
    make_class(toy_bundle, subs, 3)
    assert main(["grade", "toy", str(subs), "--bundle", str(toy_bundle),
                 "--out", str(tmp_path / "local")]) == 0
    out = tmp_path / "slurm"
    env = {**os.environ, "COURSEKIT": str(Path(sys.executable).parent / "coursekit")}
    proc = subprocess.run(["sbatch", "--wait", "--array=0-1%2", str(TEMPLATE), "toy", str(subs),
                           str(out), str(toy_bundle)], cwd=tmp_path, env=env, text=True,
                          capture_output=True, timeout=300)
    logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("slurm-*.out")))
    assert proc.returncode == 0, f"{proc.stdout}{proc.stderr}\n{logs}"
    assert len(list(tmp_path.glob("slurm-*_[01].out"))) == 2  # two array tasks ran
    assert sorted(p.name for p in (out / "shards").iterdir()) == ["0-of-2.json", "1-of-2.json"]
    assert main(["gradebook", "merge", str(out)]) == 0
    assert (out / "gradebook.csv").read_bytes() == (tmp_path / "local/gradebook.csv").read_bytes()
