"""Typed grading results and their two renderings: Gradescope's results.json and student feedback.

Gradescope's schema: {"score", "execution_time", "output", "tests": [{"name", "number", "score",
"max_score", "visibility", "output", "extra_data"}]}. Hidden tests use visibility
"after_published", public ones "visible".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


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

    def to_gradescope(self) -> dict:
        tests = [{
            "name": f"{t.question} · {t.name}", "number": t.question, "score": t.score,
            "max_score": t.max_score, "visibility": "after_published" if t.hidden else "visible",
            "output": t.message, "extra_data": {"question": t.question, "hidden": t.hidden},
        } for t in self.tests]
        output = "\n".join(filter(None, [self.error, *self.notes]))
        return {"score": self.score, "execution_time": round(self.execution_time, 3),
                "output": output, "stdout_visibility": "hidden", "tests": tests,
                "extra_data": {"submission": self.submission, "assignment": self.assignment,
                               "error": self.error}}

    @classmethod
    def from_gradescope(cls, data: dict) -> SubmissionResult:
        extra = data.get("extra_data", {})
        tests = [TestResult(t["extra_data"]["question"], t["name"].split(" · ", 1)[-1],
                            t["score"], t["max_score"], t["extra_data"]["hidden"], t["output"])
                 for t in data.get("tests", [])]
        notes = [] if extra.get("error") else [n for n in data.get("output", "").splitlines() if n]
        return cls(extra.get("submission", ""), extra.get("assignment", ""), tests,
                   extra.get("error"), notes, data.get("execution_time", 0.0))

    def feedback(self, *, show_hidden: bool = False) -> str:
        """Text a student can act on: per question, what failed and why."""
        lines = [f"{self.assignment}: {self.submission}",
                 f"Score: {self.score:g} / {self.max_score:g}"]
        if self.error:
            lines += ["", f"PROBLEM: {self.error}"]
        lines += [f"note: {n}" for n in self.notes]
        for question, (got, top) in self.by_question().items():
            mark = "ok" if got >= top else "  "
            lines += ["", f"[{mark}] {question}: {got:g} / {top:g}"]
            for t in self.tests:
                if t.question != question or t.passed:
                    continue
                if t.hidden and not show_hidden:
                    lines.append(f"   - a hidden test failed ({t.max_score:g} pt)")
                    continue
                lines.append(f"   - {t.name} ({t.max_score:g} pt): {_indent(t.message)}")
        return "\n".join(lines) + "\n"

    def write(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(self.to_gradescope(), indent=2))
        (out_dir / "feedback.txt").write_text(self.feedback())


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n       ")


def load_result(out_dir: Path) -> SubmissionResult:
    return SubmissionResult.from_gradescope(json.loads((out_dir / "results.json").read_text()))


__all__ = ["SubmissionResult", "TestResult", "load_result"]
