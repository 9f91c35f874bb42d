"""Mutation testing of an assignment's hidden tests: mutate the reference's solution code, grade
each mutant on the tests of the question that owns the mutated block, report the survivors.

A mutant's id is stable across runs and unrelated edits:
`<question>:<function>:<operator>:<8 hex of the original and mutated line>` (with `#2`, `#3`...
when the same change occurs more than once). Survivors that cannot be killed because they
behave exactly like the reference are recorded in `solutions/<slug>/mutants.toml`:

    [[equivalent]]
    id = "q2:ReLU.forward:Gt->GtE:1a2b3c4d"
    reason = "x >= 0 and x > 0 give the same output: the value at 0 is 0 either way"
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from autograder.build.builder import build_bundle
from autograder.build.markup import AssignmentSpec, parse_solution
from autograder.build.render import dumps, render
from autograder.build.testfiles import safe_name
from autograder.grade.one import grade_submission
from autograder.grade.pool import GRADER_ERROR, grade_variants
from autograder.mutation.operators import Mutant, cell_mutants
from autograder.results import SubmissionResult


class MutantsFileError(ValueError):
    """`mutants.toml` is malformed or names mutants that do not exist."""


@dataclass
class Candidate:
    id: str
    question: str
    mutant: Mutant
    item_index: int  # which spec item (cell) it mutates


@dataclass
class Outcome:
    candidate: Candidate
    killed: bool
    detail: str  # the failing test (killed), the grading error, or "" (survived)
    error: bool = False  # the grader itself failed: neither killed nor survived


def mutants_for(spec: AssignmentSpec, questions: set[str] | None = None) -> list[Candidate]:
    """Every mutant of the spec's solution code (only in those questions when given)."""
    found: list[Candidate] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(spec.items):
        if item.kind != "cell" or item.question is None or item.cell.cell_type != "code":
            continue
        q = item.question.name
        if questions and q not in questions:
            continue
        for mutant in cell_mutants(item.cell.source):
            digest = hashlib.sha1(f"{mutant.line}\n{mutant.mutated_line}".encode()).hexdigest()
            base = f"{q}:{mutant.function or '<module>'}:{mutant.operator}:{digest[:8]}"
            seen[base] = seen.get(base, 0) + 1
            ident = base if seen[base] == 1 else f"{base}#{seen[base]}"
            found.append(Candidate(ident, q, mutant, index))
    return found


def mutant_notebook(spec: AssignmentSpec, candidate: Candidate) -> str:
    """The reference notebook with one mutant applied, as notebook text."""
    items = list(spec.items)
    item = copy.copy(items[candidate.item_index])
    item.cell = copy.deepcopy(item.cell)
    item.cell.source = candidate.mutant.source()
    items[candidate.item_index] = item
    variant = copy.copy(spec)
    variant.items = items
    nb = render(variant, solutions=True)
    nb.metadata["coursekit"]["kind"] = f"mutant:{candidate.id}"
    return dumps(nb)


def load_equivalents(path: Path) -> dict[str, str]:
    """id -> reason from `mutants.toml` (empty when the file does not exist)."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise MutantsFileError(f"{path}: not valid TOML: {err}") from None
    out: dict[str, str] = {}
    for entry in data.get("equivalent", []):
        ident, reason = entry.get("id"), str(entry.get("reason", "")).strip()
        if not ident or not reason:
            raise MutantsFileError(f"{path}: every [[equivalent]] needs an id and a one-line "
                                   f"reason (got {entry})")
        if ident in out:
            raise MutantsFileError(f"{path}: mutant {ident} is listed twice")
        out[ident] = reason
    return out


def check_equivalents(root: Path, slug: str) -> list[str]:
    """Problems with `solutions/<slug>/mutants.toml`: ids that name no mutant of the reference."""
    spec = parse_solution(root / "solutions" / slug / f"{slug}.ipynb")
    known = {c.id for c in mutants_for(spec)}
    path = root / "solutions" / slug / "mutants.toml"
    return [f"{path}: {ident} is not a mutant of the current reference (remove it, or run "
            f"`coursekit mutate {slug} --list` to see the ids)"
            for ident in load_equivalents(path) if ident not in known]


def run_mutants(root: Path, slug: str, candidates: list[Candidate], *, jobs: int | None = None,
                progress: bool = True) -> list[Outcome]:
    """Grade each mutant on its own question's tests (hidden included), stopping at the first
    failing test. `jobs` grading processes each take mutants one after another with the
    grader's own `grade_submission` (every mutant in its own sandboxed worker), so pytest and
    the kit are imported once per process, not once per mutant. The unmutated reference is
    graded first on the same questions: if it does not pass, nothing is judged."""
    spec = parse_solution(root / "solutions" / slug / f"{slug}.ipynb")
    bundle = build_bundle(root, slug, bundle=mutation_bundle(root, slug)).bundle
    folder = bundle / "mutants"
    folder.mkdir(parents=True, exist_ok=True)
    questions = sorted({c.question for c in candidates})
    baseline = grade_submission(bundle, bundle / "examples" / "reference.ipynb",
                                questions=set(questions))
    failing = [t.name for t in baseline.tests if not t.passed]
    if baseline.error or failing:
        raise RuntimeError(f"the unmutated reference does not pass {questions}: "
                           f"{baseline.error or failing}")
    work = []
    for n, candidate in enumerate(candidates):
        path = folder / f"{n:04d}-{safe_name(candidate.question)}.ipynb"
        path.write_text(mutant_notebook(spec, candidate), encoding="utf-8")
        work.append((path, {candidate.question}))
    results = grade_variants(bundle, work, jobs=jobs, first_failure=True, progress=progress)
    return [_outcome(c, r) for c, r in zip(candidates, results, strict=True)]


def _outcome(candidate: Candidate, result: SubmissionResult) -> Outcome:
    if result.error and result.error.startswith(GRADER_ERROR):
        return Outcome(candidate, False, result.error[:200], error=True)
    failing = [t.name for t in result.tests if t.question == candidate.question
               and not t.passed]
    killed = bool(result.error) or bool(failing) or not result.tests
    detail = (result.error or "").splitlines()[0][:80] if result.error else ", ".join(failing[:3])
    return Outcome(candidate, killed, detail)


def summarise(outcomes: list[Outcome], equivalents: dict[str, str]) -> dict:
    """Counts, the mutation score over non-equivalent mutants, and unexplained survivors."""
    errors = [o for o in outcomes if o.error]
    survivors = [o for o in outcomes if not o.killed and not o.error]
    unexplained = [o for o in survivors if o.candidate.id not in equivalents]
    killed = sum(o.killed for o in outcomes)
    equivalent = len(survivors) - len(unexplained)
    scored = killed + len(unexplained)
    return {"mutants": len(outcomes), "killed": killed, "equivalent": equivalent,
            "survived": len(unexplained), "errors": len(errors),
            "score": killed / scored if scored else 1.0,
            "survivors": [{"id": o.candidate.id, "line": o.candidate.mutant.line,
                           "mutated": o.candidate.mutant.mutated_line} for o in unexplained],
            "grading_errors": [{"id": o.candidate.id, "error": o.detail} for o in errors]}


def mutation_bundle(root: Path, slug: str) -> Path:
    """Mutation runs build their own bundle, so a build or test meanwhile cannot wipe it."""
    return root / "build" / f"{slug}.mutate"


def write_report(bundle: Path, report: dict) -> Path:
    path = bundle / "mutants" / "report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return path
