"""Sentence splitting and lead-N baselines in the one-sentence-per-line form of rougeLsum."""

from __future__ import annotations

import pytest

from leaderboard.scoring.sentences import (
    lead,
    multi_news_source,
    one_sentence_per_line,
    split_sentences,
)


def test_splits_on_sentence_ends_but_not_abbreviations_or_initials():
    text = 'Mr. Smith met Dr. J. Doe at 5 p.m. in the U.S. capital. "Wow!" he said. Did it work? Yes.'
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. Doe at 5 p.m. in the U.S. capital.",
        '"Wow!" he said.',
        "Did it work?",
        "Yes.",
    ]


def test_blank_lines_are_paragraph_breaks_and_wrapped_lines_are_joined():
    text = "First line wraps\n   here. Second one\n\nnew paragraph without a period"
    assert split_sentences(text) == [
        "First line wraps here.",
        "Second one",
        "new paragraph without a period",
    ]


def test_no_split_before_lower_case_or_inside_numbers():
    assert split_sentences("Pi is 3.14 today. it goes on.") == ["Pi is 3.14 today. it goes on."]


def test_lead_and_one_sentence_per_line():
    text = "One. Two. Three. Four."
    assert lead(text) == "One.\nTwo.\nThree."
    assert lead(text, 1) == "One."
    assert lead("") == ""
    assert one_sentence_per_line(text) == "One.\nTwo.\nThree.\nFour."
    with pytest.raises(ValueError, match="n >= 1"):
        lead(text, 0)


def test_multi_news_source_restores_newlines_and_drops_passage_headers():
    context = "Passage 1:\nA b. NEWLINE_CHAR NEWLINE_CHAR C d.\nPassage 2:\nE f."
    text = multi_news_source(context)
    assert "Passage" not in text and "NEWLINE_CHAR" not in text
    assert split_sentences(text) == ["A b.", "C d.", "E f."]
