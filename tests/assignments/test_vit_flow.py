"""The vit student flow, end to end: the stub notebook -> Part 1 filled in -> everything filled
in; at each stage the notebook's own `check()` (public tests, in-process) and then
`coursekit grade` (sandboxed, hidden tests too) give the expected scores. No data needed:
the graded code never touches CIFAR-10 (Part 1 = patches and embeddings, q1-q3)."""

from __future__ import annotations

import pytest
from student_flow import assert_self_check_then_grade, assert_stubs_name_their_questions

SLUG = "vit"
PART1 = {"q1", "q2", "q3"}
POINTS = {"q1": 4, "q2": 4, "q3": 5, "q4": 5, "q5": 6, "q6": 4, "q7": 3, "q8": 5, "q9": 4, "q10": 4}


def test_every_stub_names_its_question_and_has_a_solution():
    assert_stubs_name_their_questions(SLUG, POINTS)


@pytest.mark.slow
def test_self_check_then_grade(tmp_path):
    assert_self_check_then_grade(SLUG, PART1, POINTS, tmp_path)
