"""Sentence-per-line text for ROUGE-Lsum: a rule-based sentence splitter and lead-N baselines.

rougeLsum (in rouge-score and rouge-score-rs) treats each ``\\n``-separated line
as a sentence, so predictions and references should be written one sentence per line. This
splitter needs no downloaded model (NLTK's punkt is not in the venv's data): a sentence ends at
``.``, ``!`` or ``?`` (plus closing quotes/brackets) followed by whitespace and an upper-case
letter, digit or opening quote, unless the word before is a known abbreviation or an initial.
Blank lines are paragraph breaks; single line breaks inside a paragraph are wrapping.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen gov sen rep lt col sgt capt cmdr adm rev hon "
    "inc ltd co corp bros no nos vs etc al fig figs sec secs art ch jan feb mar apr jun jul aug "
    "sep sept oct nov dec ave blvd rd ft u.s u.k u.n e.g i.e p.m a.m d.c"
    .split()
)
_BOUNDARY_RE = re.compile(r"[.!?]+['\"”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH_RE = re.compile(r"\n\s*\n")
_SPACES_RE = re.compile(r"\s+")
_PASSAGE_RE = re.compile(r"^Passage \d+:\s*$", re.MULTILINE)


def _is_abbreviation(chunk: str) -> bool:
    """True when ``chunk`` (text up to a period) ends in an abbreviation or an initial."""
    words = chunk.rstrip(".").rsplit(None, 1)
    if not words:
        return False
    last = words[-1].lstrip("(\"'“‘").lower()
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


def _split_paragraph(paragraph: str) -> list[str]:
    text = _SPACES_RE.sub(" ", paragraph).strip()
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        head = text[start : match.start() + 1]
        if text[match.start()] == "." and _is_abbreviation(head):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` in order, each stripped and on one line."""
    return [s for para in _PARAGRAPH_RE.split(text) for s in _split_paragraph(para)]


def one_sentence_per_line(text: str) -> str:
    """``text`` re-written with one sentence per line, the form rougeLsum expects."""
    return "\n".join(split_sentences(text))


def lead(text: str, n: int = 3) -> str:
    """The first ``n`` sentences of ``text``, one per line (the lead-N baseline)."""
    if n < 1:
        raise ValueError(f"lead needs n >= 1 sentences, got {n}")
    return "\n".join(split_sentences(text)[:n])


def multi_news_source(context: str) -> str:
    """Plain source text of a Multi-News ``context``: real newlines, no ``Passage i:`` headers."""
    text = context.replace("NEWLINE_CHAR", "\n")
    return _PASSAGE_RE.sub("\n\n", text)
