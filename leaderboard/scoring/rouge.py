"""ROUGE from a library: `rouge-score-rs` when installed, else Google's `rouge-score`.

`rouge-score-rs` is an independent Rust implementation of `rouge-score`'s API that returns
the same numbers (the parity tests in tests/leaderboard/scoring/test_rouge.py hold it to
1e-9 against `rouge-score` on synthetic texts and on the Multi-News and BillSum mirror
samples) and scores a batch on all cores without the GIL. Where its wheel cannot be
installed, the pure-Python `rouge-score` gives the same scores, only slower.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from typing import Any

ROUGE_TYPES: tuple[str, ...] = ("rouge1", "rouge2", "rougeLsum")


def backend() -> str:
    """Name and version of the ROUGE package in use, e.g. `rouge-score-rs 0.2.1`."""
    name = "rouge-score-rs" if _fast_scorer_class() is not None else "rouge-score"
    return f"{name} {importlib.metadata.version(name)}"


def _fast_scorer_class() -> Any:
    try:
        from rouge_score_rs import RougeScorer
    except ImportError:
        return None
    return RougeScorer


def make_scorer(rouge_types: Sequence[str] = ROUGE_TYPES, *, use_stemmer: bool = True,
                fast: bool = True) -> Any:
    """A `RougeScorer` (rouge-score API); `fast=False` forces the pure-Python package."""
    scorer_class = _fast_scorer_class() if fast else None
    if scorer_class is None:
        from rouge_score.rouge_scorer import RougeScorer as scorer_class
    return scorer_class(list(rouge_types), use_stemmer=use_stemmer)


def score_pairs(predictions: Sequence[str], references: Sequence[str], *,
                rouge_types: Sequence[str] = ROUGE_TYPES, use_stemmer: bool = True,
                fast: bool = True) -> list[dict[str, float]]:
    """F1 of each ROUGE type for each (prediction, reference) pair, in order."""
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} references")
    scorer = make_scorer(rouge_types, use_stemmer=use_stemmer, fast=fast)
    if hasattr(scorer, "score_batch"):
        scores = scorer.score_batch(list(references), list(predictions))
    else:
        scores = [scorer.score(ref, pred) for ref, pred in zip(references, predictions,
                                                                strict=True)]
    return [{t: float(s[t].fmeasure) for t in rouge_types} for s in scores]
