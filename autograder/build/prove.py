"""Prove an assignment: grade its reference, its stub and its catalog of wrong answers.

- the reference must earn full marks on every question;
- the untouched stub must earn zero on every question;
- each catalog bug must lose points on its question, and on nothing outside its question and
  the questions it declares in `affects`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.catalog import load_catalog
from autograder.grade.batch import grade_batch
from autograder.results import SubmissionResult


def prove_bundle(bundle: Path, *, jobs: int | None = None, progress: bool = False) -> list[str]:
    """Problems found grading the reference and the stub (empty when the build is sound)."""
    examples = bundle / "examples"
    ref, stub = grade_batch(bundle, [examples / "reference.ipynb", examples / "stub.ipynb"],
                            bundle / "proof", jobs=jobs, progress=progress)
    problems = []
    for question, (got, top) in ref.by_question().items():
        if got < top:
            failing = [f"{t.name}: {t.message[:300]}" for t in ref.tests
                       if t.question == question and not t.passed]
            problems.append(f"reference scores {got:g}/{top:g} on {question}: "
                            + "; ".join(failing))
    for question, (got, _top) in stub.by_question().items():
        if got > 0:
            passing = [t.name for t in stub.tests if t.question == question and t.score > 0]
            problems.append(f"the untouched stub earns {got:g} on {question} "
                            f"(tests that cannot fail on it: {', '.join(passing)})")
    if ref.error or stub.error:
        problems.append(f"grading failed: {ref.error or stub.error}")
    return problems


@dataclass
class CatalogOutcome:
    bug: str
    question: str
    lost: dict[str, float]  # question -> points lost
    ok: bool
    reason: str


def judge(bug, result: SubmissionResult, full: dict[str, tuple[float, float]]) -> CatalogOutcome:
    lost = {q: round(top - result.by_question().get(q, (0.0, top))[0], 6)
            for q, (_got, top) in full.items()}
    lost = {q: v for q, v in lost.items() if v > 1e-9}
    allowed = {bug.question, *bug.affects}
    if result.error:
        return CatalogOutcome(bug.name, bug.question, lost, False, f"error: {result.error}")
    if bug.question not in lost:
        return CatalogOutcome(bug.name, bug.question, lost, False,
                              f"loses nothing on {bug.question}: no test catches this bug")
    outside = sorted(set(lost) - allowed)
    if outside:
        return CatalogOutcome(bug.name, bug.question, lost, False,
                              f"also loses points on {outside} (not declared in affects)")
    return CatalogOutcome(bug.name, bug.question, lost, True, "")


def verify_catalog(root: Path, slug: str, bundle: Path, *, names: list[str] | None = None,
                   jobs: int | None = None, progress: bool = False) -> list[CatalogOutcome]:
    """Grade each catalog bug (or those named) and judge where it loses points."""
    bugs = [b for b in load_catalog(root / "solutions" / slug / "catalog.toml")
            if not names or b.name in names]
    examples = bundle / "examples"
    paths = [examples / "reference.ipynb"] + [examples / f"bug-{b.name}.ipynb" for b in bugs]
    results = grade_batch(bundle, paths, bundle / "catalog", jobs=jobs, progress=progress)
    full = results[0].by_question()
    return [judge(bug, res, full) for bug, res in zip(bugs, results[1:], strict=True)]
