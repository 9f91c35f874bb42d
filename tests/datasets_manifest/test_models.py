"""Pretrained models from an offline hub cache: configure_hub_cache and `coursekit data models`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from datasets_manifest.models import cached_models, configure_hub_cache

REPO = Path(__file__).resolve().parents[2]
SHARED_HUB = REPO.parent / "shared" / "hf-cache" / "hub"
MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def fake_hub(root: Path) -> Path:
    snap = root / "models--org--tiny" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    (snap / "config.json").write_text("{}")
    return root


def test_configure_hub_cache_sets_offline_env(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    folder = configure_hub_cache(fake_hub(tmp_path))
    assert os.environ["HF_HUB_CACHE"] == str(folder) and os.environ["HF_HUB_OFFLINE"] == "1"
    assert cached_models(folder) == {"org/tiny": ["abc123"]}
    with pytest.raises(FileNotFoundError, match="hub cache"):
        configure_hub_cache(tmp_path / "nope")


def test_models_command_reports_missing_course_model(tmp_path, capsys):
    assert main(["data", "models", "--hub-cache", str(fake_hub(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "org/tiny" in out and f"missing course model: {MODEL}" in out


@pytest.mark.mirror
def test_tokenizer_loads_offline_from_the_shared_cache():
    hub = Path(os.environ.get("HF_HUB_CACHE_TEST", SHARED_HUB))
    if not (hub / "models--sentence-transformers--all-MiniLM-L6-v2").is_dir():
        pytest.skip(f"no shared hub cache at {hub}: skipping offline tokenizer test")
    code = (
        "from datasets_manifest.models import configure_hub_cache\n"
        f"configure_hub_cache({str(hub)!r})\n"
        "from transformers import AutoTokenizer\n"
        f"tok = AutoTokenizer.from_pretrained({MODEL!r})\n"
        "print(tok.vocab_size, tok('hello world')['input_ids'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[0] == "30522"
    assert "[101, 7592, 2088, 102]" in done.stdout
