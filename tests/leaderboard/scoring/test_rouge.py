"""ROUGE parity: the scorer the leaderboard uses (`rouge-score-rs`) equals Google's
`rouge-score` to 1e-9, on synthetic texts committed here (always run) and on real Multi-News
and BillSum samples from the data mirror (marked `mirror`)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from leaderboard.scoring import rouge
from leaderboard.scoring.baselines import lead_n
from leaderboard.scoring.sentences import one_sentence_per_line

TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
TOL = 1e-9
MIRROR = Path(os.environ.get("COURSEKIT_MIRROR", Path(__file__).parents[4] / "shared/datasets"))

TRICKY = [  # (prediction, reference)
    ("", ""),
    ("", "The cat sat on the mat."),
    ("The cat sat on the mat.", ""),
    ("the the the the", "the"),
    ("Running runners ran; they were running quickly.", "The runner runs and ran quick."),
    ("Costs rose 3.5% in 2023 (vs. 2.1%)!", "In 2023 costs rose by 3.5 percent."),
    ("Café naïve résumé — über 東京 2024", "cafe naive resume uber 2024"),
    ("A b c d e f.\nG h i j.\n\nK l m.", "a c e g i k m\nb d f h j l"),
    ("Line one.\nLine two is longer.\nLine three.", "Line three.\nLine one.\nLine two."),
    ("x y x y x y x y", "y x y x y x"),
    ("Senate passes the bill.\nHouse votes no.", "The House voted no.\nThe Senate passed it."),
    ("generously generalization generates general", "general generation generously"),
    ("  spaces   and\ttabs\n\n\nand blank lines  ", "spaces and tabs and blank lines"),
]
WORDS = ("the a cat cats dog dogs run running ran runs bill bills senate house vote voted "
         "votes tax taxes 2024 3 percent new york city report reported reporting of and "
         "to in on is was were be been being").split()


def _random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 25))]
        lines.append(" ".join(words).capitalize() + rng.choice([".", "!", "", ","]))
    return "\n".join(lines)


def _synthetic_pairs() -> list[tuple[str, str]]:
    rng = random.Random(20240917)
    return TRICKY + [(_random_text(rng), _random_text(rng)) for _ in range(150)]


def _assert_parity(pairs: list[tuple[str, str]], types=TYPES) -> None:
    oracle = rouge_scorer.RougeScorer(list(types), use_stemmer=True)
    got = rouge.score_pairs([p for p, _ in pairs], [r for _, r in pairs], rouge_types=types)
    for (pred, ref), ours in zip(pairs, got, strict=True):
        want = oracle.score(ref, pred)
        for t in types:
            assert abs(ours[t] - want[t].fmeasure) <= TOL, (t, pred[:60], ref[:60])


def test_leaderboard_uses_rouge_score_rs():
    pytest.importorskip("rouge_score_rs", reason="rouge-score-rs is not installed here")
    assert rouge.backend().startswith("rouge-score-rs ")


def test_parity_on_synthetic_texts():
    _assert_parity(_synthetic_pairs())


def test_precision_and_recall_match_too():
    oracle = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=True)
    scorer = rouge.make_scorer(TYPES)
    for pred, ref in TRICKY:
        ours, want = scorer.score(ref, pred), oracle.score(ref, pred)
        for t in TYPES:
            assert abs(ours[t].precision - want[t].precision) <= TOL
            assert abs(ours[t].recall - want[t].recall) <= TOL


def test_fallback_without_the_fast_package(monkeypatch):
    monkeypatch.setattr(rouge, "_fast_scorer_class", lambda: None)
    assert rouge.backend().startswith("rouge-score ")
    assert type(rouge.make_scorer()).__module__.startswith("rouge_score.")
    _assert_parity(TRICKY)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        rouge.score_pairs(["a", "b"], ["a"])


def _mirror_pairs(loader, n: int) -> list[tuple[str, str]]:
    records = loader(root=None)[:n]
    refs = [one_sentence_per_line(r["summary"]) for r in records]
    leads = [lead_n(r["document"], 3) for r in records]
    shifted = leads[1:] + leads[:1]  # unrelated pairs too: low overlap, long LCS tables
    raw = [r["summary"] for r in records]  # unsplit references as predictions
    return (list(zip(leads, refs, strict=True)) + list(zip(shifted, refs, strict=True))
            + list(zip(raw, refs, strict=True)))


@pytest.mark.mirror
@pytest.mark.skipif(not (MIRROR / "summarization").is_dir(),
                    reason=f"no data mirror at {MIRROR}; set COURSEKIT_MIRROR")
@pytest.mark.parametrize("dataset", ["multi-news", "billsum"])
def test_parity_on_mirror_samples(dataset, monkeypatch):
    import datasets_manifest

    monkeypatch.setenv("COURSEKIT_MIRROR", str(MIRROR))
    loader = (datasets_manifest.load_multi_news if dataset == "multi-news"
              else datasets_manifest.load_billsum)
    _assert_parity(_mirror_pairs(loader, 25), types=("rouge1", "rouge2", "rougeLsum"))
