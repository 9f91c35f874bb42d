"""Reference baselines pinned on every board: majority class and lead-3.

The majority-class baseline predicts the most frequent training label for every row; lead-3
uses the first three sentences of the source document as its summary, one sentence per line
(ROUGE-Lsum reads lines as sentences). Sentences are split by `leaderboard.scoring.sentences`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from leaderboard.scoring.sentences import lead, multi_news_source


def majority_class(labels: Iterable[str]) -> str:
    """The most frequent label (ties: the alphabetically first)."""
    counts = Counter(labels)
    if not counts:
        raise ValueError("cannot pick a majority class from no labels")
    best = max(counts.values())
    return min(label for label, count in counts.items() if count == best)


def lead_n(document: str, n: int = 3) -> str:
    """The first `n` sentences of `document`, one per line (`Passage i:` headers dropped)."""
    return lead(multi_news_source(document), n)
