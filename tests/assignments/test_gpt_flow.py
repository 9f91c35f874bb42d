"""The gpt student flow, end to end: the stub notebook -> Part 1 (data) filled in -> everything
filled in; at each stage the notebook's own `check()` (public tests, in-process) and then
`coursekit grade` (sandboxed, hidden tests too) give the expected scores. No data needed: the
graded code never reads Tiny Shakespeare or TinyStories (only the experiment cells do)."""

from __future__ import annotations

import pytest
from student_flow import (
    assert_self_check_then_grade,
    assert_stubs_name_their_questions,
    student_notebook,
)

from autograder.extract import graded_code

SLUG = "gpt"
PART1 = {"q1", "q2", "q3"}
POINTS = {"q1": 3, "q2": 4, "q3": 4, "q4": 8, "q5": 4, "q6": 8, "q7": 4, "q8": 3, "q9": 6, "q10": 7, "q11": 7}


def test_every_stub_names_its_question_and_has_a_solution():
    assert_stubs_name_their_questions(SLUG, POINTS)


def test_graded_code_reads_no_data():
    source = graded_code(student_notebook(SLUG, None)).source
    assert "load_tiny_shakespeare" not in source and "datasets_manifest" not in source


@pytest.mark.slow
def test_self_check_then_grade(tmp_path):
    assert_self_check_then_grade(SLUG, PART1, POINTS, tmp_path)
