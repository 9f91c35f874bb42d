"""Summarization datasets: BillSum and Multi-News, as records with id, document and summary.

Plain `json` reads the JSON-lines files: they are a few hundred records to a few thousand, and
the Hugging Face `datasets` JSON reader would add an Arrow cache copy without reading them better.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from datasets_manifest.locations import locate

PathLike = str | os.PathLike[str] | None
_NEWLINE = re.compile(r" ?NEWLINE_CHAR ?")
_PASSAGE = re.compile(r"(?m)^Passage \d+:\n")
STORY_SEPARATOR = "story_separator_special_tag"
BILLSUM_FILES = {
    "train": [["billsum_us_train_100.jsonl"], ["us_train_data_final_OFFICIAL.jsonl"]],
    "test": [["us_test_data_final_OFFICIAL.jsonl"]],
    "ca_test": [["ca_test_data_final_OFFICIAL.jsonl"]],
}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: not a JSON object ({err.msg})") from err
    return rows


def load_billsum(split: str = "train", root: PathLike = None) -> list[dict[str, Any]]:
    """BillSum bills: dicts with `id`, `document` (bill text), `summary`, `title` and the original fields."""
    if split not in BILLSUM_FILES:
        raise ValueError(f"split must be one of {tuple(BILLSUM_FILES)}, got {split!r}")
    _, found = locate("billsum", BILLSUM_FILES[split], root)
    path = next(iter(found.values()))
    records = []
    for row in _read_jsonl(path):
        missing = {"bill_id", "text", "summary"} - row.keys()
        if missing:
            raise ValueError(f"{path}: record without fields {sorted(missing)}")
        records.append(
            {**row, "id": str(row["bill_id"]), "document": row["text"], "summary": row["summary"]}
        )
    return records


def load_multi_news(split: str = "test", root: PathLike = None) -> list[dict[str, Any]]:
    """Multi-News clusters: dicts with `id`, `document` (all articles), `documents` (list) and `summary`.

    Reads the LongBench JSON-lines sample (test only) or the official `{split}.src`/`.tgt` pair.
    """
    if split not in ("train", "val", "test"):
        raise ValueError(f"split must be one of ('train', 'val', 'test'), got {split!r}")
    official = [f"{split}.src", f"{split}.tgt"]
    options = [["multi_news_test_200.jsonl"], official] if split == "test" else [official]
    _, found = locate("multi-news", options, root)
    if "multi_news_test_200.jsonl" in found:
        return _longbench(found["multi_news_test_200.jsonl"])
    return _src_tgt(found[official[0]], found[official[1]], split)


def _longbench(path: Path) -> list[dict[str, Any]]:
    records = []
    for row in _read_jsonl(path):
        document = _NEWLINE.sub("\n", row["context"]).strip()
        passages = [p.strip() for p in _PASSAGE.split(document) if p.strip()]
        records.append(
            {
                "id": str(row["_id"]),
                "document": document,
                "documents": passages,
                "summary": row["answers"][0].strip(),
            }
        )
    return records


def _src_tgt(src: Path, tgt: Path, split: str) -> list[dict[str, Any]]:
    sources = src.read_text("utf-8").rstrip("\n").split("\n")
    targets = tgt.read_text("utf-8").rstrip("\n").split("\n")
    if len(sources) != len(targets):
        raise ValueError(f"{src} has {len(sources)} lines but {tgt} has {len(targets)}: not a pair")
    records = []
    for index, (line, summary) in enumerate(zip(sources, targets, strict=True)):
        articles = [_NEWLINE.sub("\n", a).strip() for a in line.split(STORY_SEPARATOR)]
        articles = [a for a in articles if a]
        records.append(
            {
                "id": f"{split}-{index}",
                "document": "\n\n".join(articles),
                "documents": articles,
                "summary": _NEWLINE.sub("\n", summary).strip(),
            }
        )
    return records
