"""Packaging the grader for other platforms (Gradescope's autograder zip)."""
