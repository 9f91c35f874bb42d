"""Pretrained models from an offline Hugging Face hub cache.

Assignments name models by hub id (e.g. `sentence-transformers/all-MiniLM-L6-v2`) and call plain
`from_pretrained(hub_id)`. Pointing `HF_HUB_CACHE` at a hub-layout cache folder and setting
`HF_HUB_OFFLINE=1` makes that work without network; `configure_hub_cache` does both.
"""

from __future__ import annotations

import os
from pathlib import Path

HUB_ENV = "HF_HUB_CACHE"
COURSE_MODELS = ("sentence-transformers/all-MiniLM-L6-v2",)


def configure_hub_cache(path: str | os.PathLike[str], offline: bool = True) -> Path:
    """Point Hugging Face libraries at the hub cache `path` (absolute) and optionally go offline.

    Call before importing/using transformers in a process (the hub library reads these at import).
    Returns the absolute cache path. Raises FileNotFoundError if the folder does not exist.
    """
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"hub cache {folder} does not exist; pass a folder holding models--<org>--<name>/ "
            "sub-folders (e.g. the mirror's hf-cache/hub)"
        )
    os.environ[HUB_ENV] = str(folder)
    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    return folder


def default_hub_cache() -> Path | None:
    """$HF_HUB_CACHE, else `hf-cache/hub` beside the data mirror ($COURSEKIT_MIRROR/../hf-cache/hub)."""
    if os.environ.get(HUB_ENV):
        return Path(os.environ[HUB_ENV]).expanduser().resolve()
    mirror = os.environ.get("COURSEKIT_MIRROR")
    if mirror:
        candidate = Path(mirror).expanduser().resolve().parent / "hf-cache" / "hub"
        if candidate.is_dir():
            return candidate
    return None


def cached_models(hub_cache: Path) -> dict[str, list[str]]:
    """{hub id: [snapshot revisions]} for every model in a hub-layout cache folder."""
    models = {}
    for folder in sorted(hub_cache.glob("models--*")):
        hub_id = folder.name.removeprefix("models--").replace("--", "/")
        snapshots = folder / "snapshots"
        models[hub_id] = sorted(p.name for p in snapshots.iterdir()) if snapshots.is_dir() else []
    return models


def models_report(hub_cache: str | None = None) -> tuple[str, bool]:
    """Text for `coursekit data models`, and whether every course model was found."""
    folder = Path(hub_cache).expanduser().resolve() if hub_cache else default_hub_cache()
    if folder is None or not folder.is_dir():
        return (
            "no hub cache: pass --hub-cache DIR or set HF_HUB_CACHE (absolute path); "
            "online, from_pretrained downloads into ~/.cache/huggingface/hub",
            False,
        )
    found = cached_models(folder)
    lines = [f"hub cache: {folder}"]
    lines += [
        f"  {hub_id}  (snapshots: {', '.join(revs) or 'none'})" for hub_id, revs in found.items()
    ]
    missing = [m for m in COURSE_MODELS if m not in found]
    lines += [f"  missing course model: {m}" for m in missing]
    lines.append(f"use: export HF_HUB_OFFLINE=1 HF_HUB_CACHE={folder}")
    return "\n".join(lines), not missing
