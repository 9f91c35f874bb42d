"""Grading: the pytest plugin, one submission in a sandbox, and batches of them."""
