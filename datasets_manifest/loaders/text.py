"""Text datasets: Tiny Shakespeare, TinyStories, Dakshina Hindi, SST-2 and SMS Spam."""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from pathlib import Path

from datasets_manifest.locations import locate

PathLike = str | os.PathLike[str] | None
END_OF_TEXT = "<|endoftext|>"
_SPLIT_ALIASES = {"validation": "dev", "valid": "dev", "val": "dev"}


def _split(split: str, allowed: tuple[str, ...] = ("train", "dev", "test")) -> str:
    name = _SPLIT_ALIASES.get(split, split)
    if name not in allowed:
        raise ValueError(f"split must be one of {allowed}, got {split!r}")
    return name


def _lines(path: Path) -> list[str]:
    """Lines split on \\n only (str.splitlines would also split inside texts on \\x85, \\u2028...)."""
    return [line.rstrip("\r") for line in path.read_text("utf-8").split("\n")]


def load_tiny_shakespeare(root: PathLike = None) -> str:
    """The whole Tiny Shakespeare text (1,115,394 characters)."""
    _, found = locate("tiny-shakespeare", [["tinyshakespeare.txt"]], root)
    return found["tinyshakespeare.txt"].read_text("utf-8")


def load_tinystories(root: PathLike = None) -> list[str]:
    """TinyStories texts: split on `<|endoftext|>` lines when present (official files), else on blank lines.

    The mirror's sample has no story separator, so each item there is one blank-line-separated block
    (a story or one paragraph of one; 1,230 blocks).
    """
    _, found = locate("tinystories", [["tinystories_1k.txt"], ["TinyStories-valid.txt"]], root)
    text = next(iter(found.values())).read_text("utf-8")
    if END_OF_TEXT in text:
        parts = text.split(END_OF_TEXT)
    else:
        parts = re.split(r"\n[ \t]*\n", text)
    return [p.strip() for p in parts if p.strip()]


def _is_devanagari(word: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in word)


def load_dakshina_hindi(split: str, root: PathLike = None) -> list[tuple[str, str, int]]:
    """(devanagari, romanized, attestation count) rows of one Dakshina Hindi lexicon split.

    The column order is detected per row from the script, so both the official order and the
    mirror's swapped one load the same way. Both words are NFC-normalised (one code-point
    sequence per spelling: a precomposed nukta letter such as U+0958 becomes U+0915 U+093C).
    """
    name = f"hi.translit.sampled.{_split(split)}.tsv"
    _, found = locate("dakshina-hindi", [[name]], root)
    path = found[name]
    rows = []
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[2].strip().isdigit():
            raise ValueError(f"{path}:{number}: expected word<TAB>word<TAB>count, got {line!r}")
        first, second = (unicodedata.normalize("NFC", f.strip()) for f in fields[:2])
        count = int(fields[2])
        if _is_devanagari(first) == _is_devanagari(second):
            raise ValueError(
                f"{path}:{number}: need one Devanagari and one Latin word, got {line!r}"
            )
        native, latin = (first, second) if _is_devanagari(first) else (second, first)
        rows.append((native, latin, count))
    return rows


def load_sst2(split: str, root: PathLike = None) -> list[tuple[str, int]]:
    """(sentence, label) pairs of one SST-2 split; label 1 positive, 0 negative.

    Reads the `<label> <sentence>` text files, or the official trainDevTestTrees_PTB.zip.
    """
    name = _split(split)
    option, found = locate("sst2", [[f"sst2.{name}.txt"], ["trainDevTestTrees_PTB.zip"]], root)
    if option == 1:
        return _sst2_from_trees(found["trainDevTestTrees_PTB.zip"], name)
    path = found[f"sst2.{name}.txt"]
    rows = []
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        label, _, sentence = line.partition(" ")
        if label not in ("0", "1") or not sentence.strip():
            raise ValueError(f"{path}:{number}: expected '<0 or 1> <sentence>', got {line!r}")
        rows.append((sentence.strip(), int(label)))
    return rows


_LEAF = re.compile(r"\(\d ([^()\s]+)\)")


def _sst2_from_trees(archive: Path, split: str) -> list[tuple[str, int]]:
    """Sentence-level binary SST from PTB trees: root label 0-1 negative, 3-4 positive, 2 dropped."""
    with zipfile.ZipFile(archive) as zf:
        lines = zf.read(f"trees/{split}.txt").decode("utf-8").splitlines()
    rows = []
    for line in lines:
        if not line.startswith("("):
            continue
        root_label = int(line[1])
        if root_label == 2:
            continue
        sentence = " ".join(_LEAF.findall(line)).lower()
        rows.append((sentence, int(root_label > 2)))
    return rows


def load_sms_spam(root: PathLike = None) -> list[tuple[str, str]]:
    """(label, text) rows of the SMS Spam Collection, label 'ham' or 'spam', in file order (5,574)."""
    _, found = locate("sms-spam", [["SMSSpamCollection.tsv"]], root)
    path = found["SMSSpamCollection.tsv"]
    rows = []
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        label, sep, text = line.partition("\t")
        if not sep or label not in ("ham", "spam"):
            raise ValueError(f"{path}:{number}: expected 'ham|spam<TAB>text', got {line!r}")
        rows.append((label, text))
    return rows
