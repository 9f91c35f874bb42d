"""Prove an assignment: grade its reference, stub, correct alternatives, degenerate answers and
its catalog of wrong answers, and judge each against its rule.

| example | rule |
|---|---|
| reference | full marks on every question |
| stub (untouched) | zero on every question |
| `[[alternative]]` | full marks on every question (a correct answer written differently) |
| degenerate answer | at most `MAX_SHARE` (25%) of its own question (graded on that question only) |
| `[[bug]]` | see `judge`: loses points on its own question, and nowhere outside it + `affects` |

The build writes every example and `examples/index.json` (name, kind, file, question); the
proofs grade any subset of them by name, so tests can run one example per test. Proof examples
are the kit's own variants of the reference, graded in a process pool (`grade_variants`);
catalog bugs go through `grade_batch` like students' submissions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from autograder.build.degenerate import MAX_SHARE
from autograder.catalog import Bug, load_catalog
from autograder.grade.batch import grade_batch
from autograder.grade.pool import grade_variants
from autograder.grade.one import load_bundle
from autograder.results import SubmissionResult

PROOF_KINDS = ("reference", "stub", "alt", "degenerate")


def examples(bundle: Path, kinds: tuple[str, ...] = PROOF_KINDS) -> list[dict]:
    """The bundle's examples of those kinds, from `examples/index.json`, in build order."""
    index = json.loads((bundle / "examples" / "index.json").read_text(encoding="utf-8"))
    return [e for e in index if e["kind"] in kinds]


def full_marks(bundle: Path) -> dict[str, float]:
    """Each question's points, from the bundle's `assignment.json`."""
    return {q["name"]: float(q["points"]) for q in load_bundle(bundle)["questions"]}


def prove_bundle(bundle: Path, *, names: list[str] | None = None, jobs: int | None = None,
                 progress: bool = False, kinds: tuple[str, ...] = PROOF_KINDS) -> list[str]:
    """Problems found grading the reference, the stub, the alternatives and the degenerate
    answers (or only the examples of those kinds / names); empty when the build is sound."""
    chosen = [e for e in examples(bundle, kinds) if names is None or e["name"] in names]
    variants = [(bundle / e["file"], {e["question"]} if e["kind"] == "degenerate" else None)
                for e in chosen]
    results = grade_variants(bundle, variants, jobs=jobs, out_dir=bundle / "proof",
                             progress=progress)
    top = full_marks(bundle)
    problems = []
    for example, result in zip(chosen, results, strict=True):
        problems += judge_example(example, result, top)
    return problems


def judge_example(example: dict, result: SubmissionResult, top: dict[str, float]) -> list[str]:
    """What is wrong with one graded example under its kind's rule (empty when it holds)."""
    kind, name = example["kind"], example["name"]
    if result.error:
        return [f"{kind} {name}: grading failed: {result.error[:500]}"]
    scores = result.by_question()
    if kind in ("reference", "alt"):
        who = "reference" if kind == "reference" else f"alternative {name}"
        return [f"{who} scores {got:g}/{most:g} on {q}: " + "; ".join(
                    f"{t.name}: {t.message[:300]}" for t in result.tests
                    if t.question == q and not t.passed)
                for q, (got, most) in scores.items() if got < most]
    if kind == "stub":
        return [f"the untouched stub earns {got:g} on {q} (tests that cannot fail on it: "
                + ", ".join(t.name for t in result.tests if t.question == q and t.score > 0)
                + ")" for q, (got, _most) in scores.items() if got > 0]
    question = example["question"]
    got, most = scores.get(question, (0.0, top[question]))
    if got > MAX_SHARE * most + 1e-9:
        passing = [t.name for t in result.tests if t.question == question and t.score > 0]
        return [f"degenerate answer {name} earns {got:g}/{most:g} on {question} (more than "
                f"{MAX_SHARE:.0%}; tests it passes: {', '.join(passing)})"]
    return []


@dataclass
class CatalogOutcome:
    bug: str
    question: str
    lost: dict[str, float]  # question -> points lost
    ok: bool
    reason: str


def judge(bug: Bug, result: SubmissionResult, top: dict[str, float]) -> CatalogOutcome:
    """A catalog bug's verdict. The rules, in order:

    1. the bug's notebook must grade (an error is a failed proof, not a caught bug);
    2. points land where the bug is: it must lose points on its OWN `question` — a loss only in
       later questions (`affects`) does not count, however large;
    3. it may lose points elsewhere only on the questions it declares in `affects`.
    """
    scores = result.by_question()
    lost = {q: round(most - scores.get(q, (0.0, most))[0], 6) for q, most in top.items()}
    lost = {q: v for q, v in lost.items() if v > 1e-9}
    if result.error:
        return CatalogOutcome(bug.name, bug.question, lost, False, f"error: {result.error}")
    if bug.question not in lost:
        where = f" (it only loses on {sorted(lost)})" if lost else ""
        return CatalogOutcome(bug.name, bug.question, lost, False,
                              f"loses nothing on its own question {bug.question}{where}: "
                              "no test of that question catches this bug")
    outside = sorted(set(lost) - {bug.question, *bug.affects})
    if outside:
        return CatalogOutcome(bug.name, bug.question, lost, False,
                              f"also loses points on {outside} (not declared in affects)")
    return CatalogOutcome(bug.name, bug.question, lost, True, "")


def verify_catalog(root: Path, slug: str, bundle: Path, *, names: list[str] | None = None,
                   jobs: int | None = None, progress: bool = False) -> list[CatalogOutcome]:
    """Grade each catalog bug (or those named) and judge where it loses points. Full marks come
    from `assignment.json` (the reference's 100% is `prove_bundle`'s job)."""
    bugs = [b for b in load_catalog(root / "solutions" / slug / "catalog.toml")
            if not names or b.name in names]
    paths = [bundle / "examples" / f"bug-{b.name}.ipynb" for b in bugs]
    results = grade_batch(bundle, paths, bundle / "catalog", jobs=jobs, progress=progress)
    top = full_marks(bundle)
    return [judge(bug, res, top) for bug, res in zip(bugs, results, strict=True)]
