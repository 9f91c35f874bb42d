"""The transliteration student flow, end to end: the stub notebook -> Parts 1 and 4 filled in
(text to tensors; the metrics) -> everything filled in; at each stage the notebook's own
`check()` (public tests, in-process) and then `coursekit grade` (sandboxed, hidden tests too) give the expected scores. No data needed:
the graded code never touches Dakshina."""

from __future__ import annotations

import pytest
from student_flow import assert_self_check_then_grade, assert_stubs_name_their_questions

SLUG = "transliteration"
PART1 = {"q1", "q2", "q8", "q9", "q10"}
POINTS = {"q1": 6, "q2": 8, "q3": 10, "q4": 6, "q5": 8, "q6": 5, "q7": 8, "q8": 4, "q9": 6, "q10": 3}


def test_every_stub_names_its_question_and_has_a_solution():
    assert_stubs_name_their_questions(SLUG, POINTS)


@pytest.mark.slow
def test_self_check_then_grade(tmp_path):
    assert_self_check_then_grade(SLUG, PART1, POINTS, tmp_path)
