"""Typed grading results and their two renderings: Gradescope's results.json and student feedback.

Gradescope's schema: {"score", "execution_time", "output", "tests": [{"name", "number", "score",
"max_score", "visibility", "output", "extra_data"}]}. Hidden tests use visibility
"after_published", public ones "visible"; their assertion details stay out of results.json unless
the instructor opts in (`hidden_details=True`): students see them once grades are published.
Everything a submission controls is cleaned and capped (`autograder.safetext`) when rendered.
The grader itself reads the internal record (`record.json`, `to_record`/`from_record`), never
names parsed back from the display strings.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder.safetext import FEEDBACK_CHARS, MESSAGE_CHARS, cap_notes, clean

RECORD = "record.json"
HIDDEN_FAILED = "a hidden test failed"


@dataclass
class TestResult:
    question: str
    name: str
    score: float
    max_score: float
    hidden: bool
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.score >= self.max_score


@dataclass
class SubmissionResult:
    submission: str
    assignment: str
    tests: list[TestResult] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    execution_time: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    def by_question(self) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for t in self.tests:  # round the sums, not each step (3 x 1/3 is 1, not 0.999999)
            got, top = out.get(t.question, (0.0, 0.0))
            out[t.question] = (got + t.score, top + t.max_score)
        return {q: (round(got, 6), round(top, 6)) for q, (got, top) in out.items()}

    def to_gradescope(self, *, hidden_details: bool = False) -> dict:
        """Gradescope's results.json (hidden tests' messages only with `hidden_details`)."""
        tests = [{
            "name": f"{t.question} · {clean(t.name, 200)}", "number": t.question,
            "score": t.score, "max_score": t.max_score,
            "visibility": "after_published" if t.hidden else "visible",
            "output": _shown_message(t, hidden_details),
            "extra_data": {"question": t.question, "hidden": t.hidden},
        } for t in self.tests]
        output = clean("\n".join(filter(None, [self.error, *cap_notes(self.notes)])),
                       FEEDBACK_CHARS)
        return {"score": self.score, "execution_time": round(self.execution_time, 3),
                "output": output, "stdout_visibility": "hidden", "tests": tests,
                "extra_data": {"submission": clean(self.submission, 1000),
                               "assignment": clean(self.assignment, 200),
                               "error": clean(self.error) if self.error else None}}

    def to_record(self) -> dict:
        """The internal record (everything, hidden messages included) the grader reads back."""
        return {"kind": "coursekit-result", "version": 1, **asdict(self)}

    @classmethod
    def from_record(cls, data: dict) -> SubmissionResult:
        fields = {k: v for k, v in data.items() if k not in {"kind", "version", "tests"}}
        return cls(**fields, tests=[TestResult(**t) for t in data.get("tests", [])])

    @classmethod
    def from_gradescope(cls, data: dict) -> SubmissionResult:
        """Best effort from a results.json (display strings; hidden messages are not there).
        The grader reads `from_record` instead."""
        extra = data.get("extra_data", {})
        tests = [TestResult(t["extra_data"]["question"], t["name"].split(" · ", 1)[-1],
                            t["score"], t["max_score"], t["extra_data"]["hidden"], t["output"])
                 for t in data.get("tests", [])]
        notes = [] if extra.get("error") else [n for n in data.get("output", "").splitlines() if n]
        return cls(extra.get("submission", ""), extra.get("assignment", ""), tests,
                   extra.get("error"), notes, data.get("execution_time", 0.0))

    def feedback(self, *, show_hidden: bool = False) -> str:
        """Text a student can act on: per question, what failed and why (cleaned, capped)."""
        lines = [f"{clean(self.assignment, 200)}: {clean(self.submission, 1000)}",
                 f"Score: {self.score:g} / {self.max_score:g}"]
        if self.error:
            lines += ["", f"PROBLEM: {clean(self.error)}"]
        lines += [f"note: {n}" for n in cap_notes(self.notes)]
        for question, (got, top) in self.by_question().items():
            mark = "ok" if got >= top else "  "
            lines += ["", f"[{mark}] {question}: {got:g} / {top:g}"]
            for t in self.tests:
                if t.question != question or t.passed:
                    continue
                if t.hidden and not show_hidden:
                    lines.append(f"   - a hidden test failed ({t.max_score:g} pt)")
                    continue
                lines.append(f"   - {clean(t.name, 200)} ({t.max_score:g} pt): "
                             f"{_indent(clean(t.message))}")
        return clean("\n".join(lines), FEEDBACK_CHARS) + "\n"

    def write(self, out_dir: Path, *, hidden_details: bool = False) -> None:
        """results.json and feedback.txt for the student, record.json for the grader."""
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(
            json.dumps(self.to_gradescope(hidden_details=hidden_details), indent=2),
            encoding="utf-8")
        (out_dir / "feedback.txt").write_text(self.feedback(show_hidden=hidden_details),
                                              encoding="utf-8")
        (out_dir / RECORD).write_text(json.dumps(self.to_record()), encoding="utf-8")


def _shown_message(test: TestResult, hidden_details: bool) -> str:
    if test.hidden and not hidden_details:
        return "" if test.passed else HIDDEN_FAILED
    return clean(test.message, MESSAGE_CHARS)


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n       ")


def load_result(out_dir: Path) -> SubmissionResult:
    """The internal record a grading process wrote (not its display strings)."""
    return SubmissionResult.from_record(json.loads((out_dir / RECORD).read_text(encoding="utf-8")))


__all__ = ["SubmissionResult", "TestResult", "load_result"]
