"""leaderboard.rouge equals rouge-score on the mirror's real Multi-News and BillSum texts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from leaderboard.rouge import score_pairs
from leaderboard.rouge_text import lead, multi_news_source, one_sentence_per_line

REPO = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", REPO.parent / "shared" / "datasets"))
FOLDER = MIRROR / "summarization"
TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")

pytestmark = [
    pytest.mark.mirror,
    pytest.mark.skipif(
        not FOLDER.is_dir(), reason=f"no data mirror at {FOLDER} (set COURSEKIT_MIRROR)"
    ),
]


def _rows(name: str) -> list[dict]:
    path = FOLDER / name
    if not path.is_file():
        pytest.skip(f"mirror file {path} is missing")
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def _max_diff(preds: list[str], refs: list[str]) -> float:
    scorer = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=True)
    fast = score_pairs(preds, refs, rouge_types=TYPES)
    return max(
        abs(a - b)
        for p, r, f in zip(preds, refs, fast, strict=True)
        for name, s in scorer.score(r, p).items()
        for a, b in zip(f[name], s, strict=True)
    )


def test_multi_news_lead3_matches_rouge_score():
    rows = _rows("multi_news_test_200.jsonl")
    preds = [lead(multi_news_source(r["context"])) for r in rows]
    refs = [one_sentence_per_line(r["answers"][0]) for r in rows]
    assert all(p.count("\n") == 2 for p in preds)
    assert _max_diff(preds, refs) <= 1e-9


def test_billsum_lead3_matches_rouge_score():
    rows = _rows("billsum_us_train_100.jsonl")
    preds = [lead(r["text"]) for r in rows]
    refs = [one_sentence_per_line(r["summary"]) for r in rows]
    assert _max_diff(preds, refs) <= 1e-9


def test_raw_unsplit_texts_match_rouge_score():
    # Texts as they come (raw newlines, wrapped lines, NEWLINE_CHAR markers): still identical.
    bills = _rows("billsum_us_train_100.jsonl")[:20]
    assert _max_diff([b["text"][:3000] for b in bills], [b["summary"] for b in bills]) <= 1e-9
