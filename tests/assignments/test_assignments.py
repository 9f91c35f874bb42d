"""Every real assignment: committed files fresh, reference 100%, stub 0%, and every catalog
bug loses points on its question (and only on the questions it declares)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.build.builder import (
    generate,
    list_assignments,
    repo_root,
    solution_path,
    stale_files,
    write_build,
)
from autograder.build.markup import parse_solution
from autograder.build.prove import prove_bundle, verify_catalog
from autograder.catalog import load_catalog

ROOT = repo_root()
SLUGS = list_assignments(ROOT)
MIN_BUGS = {"nn_numpy": 12, "transformer": 12, "dna_classifier": 8, "anomaly": 12}


def _bundle(slug: str) -> Path:
    spec = parse_solution(solution_path(ROOT, slug))
    return write_build(generate(spec, ROOT), ROOT, slug, committed=False)


@pytest.mark.parametrize("slug", SLUGS)
def test_committed_student_files_are_fresh(slug):
    output = generate(parse_solution(solution_path(ROOT, slug)), ROOT)
    assert stale_files(output, ROOT, slug) == [], f"run `coursekit build {slug}` and commit"


@pytest.mark.parametrize("slug", SLUGS)
def test_catalog_is_large_enough(slug):
    assert len(load_catalog(ROOT / "solutions" / slug / "catalog.toml")) >= MIN_BUGS.get(slug, 1)


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_reference_full_marks_stub_zero(slug):
    assert prove_bundle(_bundle(slug)) == []


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_every_catalog_bug_loses_points_where_it_should(slug):
    outcomes = verify_catalog(ROOT, slug, _bundle(slug))
    bad = [f"{o.bug}: {o.reason}" for o in outcomes if not o.ok]
    assert not bad, "\n".join(bad)
