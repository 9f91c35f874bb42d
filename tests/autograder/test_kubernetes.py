"""The Kubernetes Indexed Job, its merge Job and the container recipe, checked without a cluster:
the manifests against the official batch/v1 Job schema (kubernetes-validate, strict: unknown
fields fail) and against coursekit's own command line; the Dockerfile structurally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from autograder.cli import build_parser
from autograder.grade.shard import parse_shard

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="pip install kubernetes-validate (a dev dependency)")

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S_VERSION = "1.33"  # backoffLimitPerIndex is GA from 1.33


def manifest(name: str) -> dict:
    return yaml.safe_load((DEPLOY / "kubernetes" / name).read_text())


@pytest.mark.parametrize("name", ["grade-job.yaml", "merge-job.yaml"])
def test_manifest_is_a_valid_batch_v1_job(name):
    kubernetes_validate.validate(manifest(name), K8S_VERSION, strict=True)


def test_a_mistyped_field_is_caught():
    job = manifest("grade-job.yaml")
    job["spec"]["completionsMode"] = job["spec"].pop("completionMode")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(job, K8S_VERSION, strict=True)


def container(job: dict) -> dict:
    (only,) = job["spec"]["template"]["spec"]["containers"]
    return only


def test_the_indexed_job_runs_one_shard_per_index():
    job = manifest("grade-job.yaml")
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["template"]["spec"]["restartPolicy"] == "Never"
    command = container(job)["command"]
    assert command[0] == "coursekit"
    args = build_parser().parse_args(command[1:])  # the kit accepts it
    assert args.func.__name__ == "cmd_grade" and args.bundle and args.out
    shard = parse_shard(args.shard, {"JOB_COMPLETION_INDEX": str(spec["completions"] - 1)})
    assert shard.count == spec["completions"]  # --shard N matches completions
    assert spec["parallelism"] <= spec["completions"]
    security = spec["template"]["spec"]["securityContext"]
    assert security["runAsNonRoot"] and security["runAsUser"] != 0


def test_the_merge_job_reads_what_the_shards_wrote():
    grade, merge = manifest("grade-job.yaml"), manifest("merge-job.yaml")
    grade_args = build_parser().parse_args(container(grade)["command"][1:])
    merge_args = build_parser().parse_args(container(merge)["command"][1:])
    assert merge_args.func.__name__ == "cmd_merge" and merge_args.out == grade_args.out
    assert container(merge)["image"] == container(grade)["image"]


def test_the_container_recipe_installs_the_kit_and_bubblewrap():
    text = (DEPLOY / "container/Dockerfile").read_text()
    lines = [ln.strip() for ln in re.sub(r"\\\n", " ", text).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert lines[0].startswith("FROM python:3.1")
    run = " ".join(ln for ln in lines if ln.startswith("RUN "))
    assert "apt-get install" in run and "bubblewrap" in run
    assert "pip install" in run and 'coursekit build "$ASSIGNMENT"' in run
    for line in (ln for ln in lines if ln.startswith("COPY ")):
        source = line.split()[1].replace("${ASSIGNMENT}", "nn_numpy")
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is missing"
    users = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    assert users and users[-1] not in {"0", "root"}  # bubblewrap gets its own user namespace
    job = manifest("grade-job.yaml")
    bundle = build_parser().parse_args(container(job)["command"][1:]).bundle
    assert str(bundle).startswith("/opt/coursekit/build/")  # where the recipe builds it
    ignored = (DEPLOY / "container/Dockerfile.dockerignore").read_text().split()
    assert ".venv" in ignored and "build" in ignored
