"""Fixtures for leaderboard tests (helpers live in lb_helpers.py, put on sys.path here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from lb_helpers import INSTRUCTOR, make_data_dir, open_client  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "lb")


@pytest.fixture(autouse=True)
def _instructor_token(monkeypatch):
    monkeypatch.setenv("COURSEKIT_INSTRUCTOR_TOKEN", INSTRUCTOR)
    monkeypatch.delenv("COURSEKIT_LEADERBOARD_DB", raising=False)
    monkeypatch.delenv("COURSEKIT_LEADERBOARD_TEST_SCORE_DELAY", raising=False)


@pytest.fixture
def client(data_dir: Path):
    test_client, service = open_client(data_dir)
    with test_client:
        test_client.service = service
        yield test_client
