"""Every real assignment, one test per proof example so progress is visible and pytest-xdist can
spread them: committed files fresh; the reference and every correct alternative at 100%; the
stub at 0; every generated degenerate answer at most 25% of its question; every catalog bug
loses points on its own question (and only there + `affects`); `mutants.toml` names real mutants.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.build.builder import (
    build_bundle,
    generate,
    list_assignments,
    repo_root,
    solution_path,
    stale_files,
)
from autograder.build.degenerate import degenerate_specs
from autograder.build.markup import parse_solution
from autograder.build.prove import prove_bundle, verify_catalog
from autograder.catalog import load_alternatives, load_catalog
from autograder.mutation.run import check_equivalents

ROOT = repo_root()
SLUGS = list_assignments(ROOT)
MIN_BUGS = {"nn_numpy": 20, "cnn": 12, "transformer": 20, "dna_classifier": 20, "anomaly": 12}
# Degenerate answers that today's tests still reward with more than 25% of their question.
# Strengthen the question's tests, then delete the entry (strict: a fixed one fails until then).
WEAK_DEGENERATE: dict[str, set[str]] = {
}


def _catalog(slug: str) -> Path:
    return ROOT / "solutions" / slug / "catalog.toml"


def _proof_params() -> list:
    params = []
    for slug in SLUGS:
        names = ["reference", "stub", *(a.name for a in load_alternatives(_catalog(slug)))]
        degenerate = [f"{q}-{k}" for q, k in
                      degenerate_specs(parse_solution(solution_path(ROOT, slug)))]
        for name in names + degenerate:
            weak = name in WEAK_DEGENERATE.get(slug, set())
            marks = [pytest.mark.xfail(strict=True, reason="known weak tests")] if weak else []
            params.append(pytest.param(slug, name, id=f"{slug}-{name}", marks=marks))
    return params


def _bug_params() -> list:
    return [pytest.param(slug, bug.name, id=f"{slug}-{bug.name}")
            for slug in SLUGS for bug in load_catalog(_catalog(slug))]


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """slug -> a bundle built in this session's (this xdist worker's) own folder."""
    return {}


def _bundle(bundles: dict[str, Path], tmp_path_factory, slug: str) -> Path:
    if slug not in bundles:
        bundles[slug] = build_bundle(ROOT, slug, bundle=tmp_path_factory.mktemp(slug)).bundle
    return bundles[slug]


@pytest.mark.parametrize("slug", SLUGS)
def test_committed_student_files_are_fresh(slug):
    output = generate(parse_solution(solution_path(ROOT, slug)), ROOT, proofs=False)
    assert stale_files(output, ROOT, slug) == [], f"run `coursekit build {slug}` and commit"


@pytest.mark.parametrize("slug", SLUGS)
def test_catalog_is_large_enough(slug):
    assert len(load_catalog(_catalog(slug))) >= MIN_BUGS.get(slug, 1)


@pytest.mark.parametrize("slug", SLUGS)
def test_mutants_file_names_existing_mutants(slug):
    assert check_equivalents(ROOT, slug) == []


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "name"), _proof_params())
def test_proof(slug, name, bundles, tmp_path_factory):
    assert prove_bundle(_bundle(bundles, tmp_path_factory, slug), names=[name], jobs=1) == []


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "bug"), _bug_params())
def test_catalog_bug_loses_points_where_it_should(slug, bug, bundles, tmp_path_factory):
    (outcome,) = verify_catalog(ROOT, slug, _bundle(bundles, tmp_path_factory, slug),
                                names=[bug], jobs=1)
    assert outcome.ok, outcome.reason
