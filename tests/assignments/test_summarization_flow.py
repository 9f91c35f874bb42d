"""The summarization student flow, end to end: the stub notebook -> Part 1 filled in -> everything filled
in; at each stage the notebook's own `check()` (public tests, in-process) and then
`coursekit grade` (sandboxed, hidden tests too) give the expected scores. No data needed:
the graded code builds its own tiny BART models and tokenizers."""

from __future__ import annotations

import pytest
from student_flow import assert_self_check_then_grade, assert_stubs_name_their_questions

SLUG = "summarization"
PART1 = {"q1", "q2", "q3", "q4"}
POINTS = {"q1": 4, "q2": 6, "q3": 5, "q4": 4, "q5": 5, "q6": 12, "q7": 5, "q8": 8, "q9": 6, "q10": 3}


def test_every_stub_names_its_question_and_has_a_solution():
    assert_stubs_name_their_questions(SLUG, POINTS)


@pytest.mark.slow
def test_self_check_then_grade(tmp_path):
    assert_self_check_then_grade(SLUG, PART1, POINTS, tmp_path)
