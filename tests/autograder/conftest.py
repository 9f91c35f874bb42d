"""Fixtures for the spine's tests: a toy assignment built in a temporary kit root."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from toy import write_toy  # noqa: E402

from autograder.build.builder import build_bundle  # noqa: E402


@pytest.fixture
def toy_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kit root holding only the toy assignment; the kit's commands use it."""
    write_toy(tmp_path)
    monkeypatch.setenv("COURSEKIT_ROOT", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def toy_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The toy assignment built once per session (bundle path)."""
    root = tmp_path_factory.mktemp("toykit")
    write_toy(root)
    return build_bundle(root, "toy", committed=True).bundle
