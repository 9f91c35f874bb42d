"""leaderboard.rouge equals rouge-score on tricky and random texts; API contract and errors."""

from __future__ import annotations

import itertools
import random

import pytest
from rouge_score import rouge_scorer, scoring

from leaderboard import rouge
from leaderboard.rouge import Score, clear_cache, corpus_mean, score_pairs

ALL_TYPES = ("rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum")

TRICKY = [
    "",
    " ",
    "\n",
    "\n\n\n \n",
    "...",
    "!!! ??? -- ,,,",
    "Hello",
    "hello hello hello hello",
    "The cat sat.\nThe cat sat.",
    "The cats were running; the runner runs and ran.\nRunning cats!",
    "Ünïcödé café naïve — “quotes” ‘and’ «guillemets»",
    "İstanbul \u212aelvin ΣΑΣ σας ﬁne straße",
    "3.14159 and 2,000 and 1e10 then 42nd 2024-01-01",
    "a\n\nb\n c \n\n",
    "the " * 60,
    "one single sentence without a newline but with many words in it",
    "tabs\tand\r\nwindows\r\nline endings",
    "emoji 🙂 between words 🙂 here",
    "Generalization generalizations generally generous",
    "a b a b a b\nb a b a\nb b a a",
]


def _reference(preds, refs, types, stem):
    scorer = rouge_scorer.RougeScorer(list(types), use_stemmer=stem)
    return [scorer.score(r, p) for p, r in zip(preds, refs, strict=True)]


def _assert_equal(preds, refs, types=ALL_TYPES, stem=True):
    fast = score_pairs(preds, refs, rouge_types=types, use_stemmer=stem)
    slow = _reference(preds, refs, types, stem)
    for k, (f, s) in enumerate(zip(fast, slow, strict=True)):
        assert list(f) == list(types)
        for name in types:
            diff = max(abs(a - b) for a, b in zip(f[name], s[name], strict=True))
            assert diff <= 1e-9, (name, preds[k], refs[k], f[name], s[name])


@pytest.mark.parametrize("stem", [True, False])
def test_tricky_texts_all_pairs(stem):
    pairs = list(itertools.product(TRICKY, repeat=2))
    _assert_equal([p for p, _ in pairs], [r for _, r in pairs], stem=stem)


def _random_text(rng: random.Random, vocab: list[str]) -> str:
    lines = []
    for _ in range(rng.randint(0, 5)):
        lines.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 14))))
    return "\n".join(lines)


@pytest.mark.parametrize("vocab_size", [3, 12])
def test_random_multiline_texts(vocab_size):
    # Small vocabularies make many equal-length LCS choices: this pins the backtrack tie rules.
    rng = random.Random(vocab_size)
    words = ["cat", "cats", "running", "run", "the", "a", "x1", "Dog.", "dogs,", "é", "42", "-"]
    vocab = words[:vocab_size]
    preds = [_random_text(rng, vocab) for _ in range(600)]
    refs = [_random_text(rng, vocab) for _ in range(600)]
    _assert_equal(preds, refs)


def test_lcs_indices_match_rouge_score_backtrack():
    rng = random.Random(7)
    for _ in range(3000):
        ref = [rng.randrange(4) for _ in range(rng.randint(1, 20))]
        cand = [rng.randrange(4) for _ in range(rng.randint(1, 20))]
        got = rouge._lcs_ref_indices(rouge._match_masks(ref), len(ref), cand)
        assert sorted(got) == rouge_scorer.lcs_ind(ref, cand)


def test_long_sentences_beyond_one_machine_word():
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(30)]
    preds = [" ".join(rng.choice(vocab) for _ in range(300)) for _ in range(5)]
    refs = [" ".join(rng.choice(vocab) for _ in range(250)) for _ in range(5)]
    _assert_equal(preds, refs, types=("rougeL", "rougeLsum"))


def test_scores_are_named_and_compare_equal_to_rouge_score():
    (got,) = score_pairs(["the cat sat"], ["the cat sat down"])
    assert set(got) == {"rouge1", "rouge2", "rougeLsum"}
    assert isinstance(got["rouge1"], Score)
    assert got["rouge1"].precision == 1.0 and got["rouge1"].recall == 0.75
    assert got["rouge1"] == scoring.Score(precision=1.0, recall=0.75, fmeasure=6 / 7)


def test_cache_clearing_does_not_change_scores():
    before = score_pairs(TRICKY, TRICKY[::-1])
    clear_cache()
    assert score_pairs(TRICKY, TRICKY[::-1]) == before


def test_length_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        score_pairs(["a", "b"], ["a"])


@pytest.mark.parametrize("bad", [("rouge0",), ("rougeX",), ("rouge12",), "rouge1"])
def test_unknown_rouge_type_is_rejected(bad):
    with pytest.raises(ValueError, match="rouge"):
        score_pairs(["a"], ["a"], rouge_types=bad)


def test_non_string_input_is_rejected():
    with pytest.raises(ValueError, match=r"references\[1\] is NoneType"):
        score_pairs(["a", "b"], ["a", None])


def test_empty_input_gives_empty_output():
    assert score_pairs([], []) == []


def test_corpus_mean():
    scores = score_pairs(["the cat sat", "a dog"], ["the cat sat down", "a dog"])
    means = corpus_mean(scores)
    assert means["rouge1"] == pytest.approx((6 / 7 + 1.0) / 2)
    assert corpus_mean(scores, key="recall")["rouge1"] == pytest.approx((0.75 + 1.0) / 2)
    with pytest.raises(ValueError, match="key must be one of"):
        corpus_mean(scores, key="f1")
    with pytest.raises(ValueError, match="no scores"):
        corpus_mean([])
