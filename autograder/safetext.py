"""Text a submission controls, made safe to show: feedback, results.json, the gradebook, the CLI.

Everything a student's code or notebook can put in a message (file names, metadata, exception
text, printed output) may hold any encoding, lone surrogates, terminal escape sequences, control
characters, rich markup or spreadsheet formulas, and may be huge. `clean` turns it into plain,
printable UTF-8 of bounded size that says what was cut; `csv_cell` also defuses formula prefixes;
`markup` escapes rich markup for the console.
"""

from __future__ import annotations

import re

MESSAGE_CHARS = 2000  # one test's message
NOTE_CHARS = 500  # one note
MAX_NOTES = 20  # notes kept per submission (the rest are counted)
FEEDBACK_CHARS = 64_000  # a whole feedback.txt / results.json "output"

# ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), other two-byte ESC sequences, and
# the 8-bit C1 forms.
_ESCAPES = re.compile(r"(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(\x1b\]|\x9d).*?(\x07|\x1b\\|\x9c)"
                      r"|\x1b[@-_]?", re.DOTALL)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean(text: object, limit: int | None = MESSAGE_CHARS) -> str:
    """Printable text: no lone surrogates, escape sequences or control characters (newlines and
    tabs kept), at most `limit` characters with a note saying how much was cut."""
    if not isinstance(text, str):
        text = _to_str(text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n")
    text = _CONTROLS.sub("\ufffd", _ESCAPES.sub("", text))
    if limit is not None and len(text) > limit:
        cut = len(text) - limit
        text = text[:limit] + f"\n[... {cut} more characters cut]"
    return text


def _to_str(value: object) -> str:
    for render in (str, repr):
        try:
            out = render(value)
            if isinstance(out, str):
                return out
        except Exception:  # noqa: BLE001, S112 - any failure: try the next rendering
            continue
    return f"<unprintable {type(value).__name__}>"


def path_text(path: object) -> str:
    """A file name as text, whatever bytes the file system gave (undecodable bytes as \\xNN)."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return clean(text, 1000)


def csv_cell(value: object, limit: int = 500) -> str:
    """A gradebook cell: cleaned, one line, and never read as a formula by a spreadsheet."""
    text = clean(value, limit).replace("\n", " ")
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def markup(text: object) -> str:
    """Text to embed in a rich console string: cleaned, markup escaped."""
    from rich.markup import escape

    return escape(clean(text, None))


def cap_notes(notes: list[str]) -> list[str]:
    """At most MAX_NOTES notes, each cleaned and capped, then one line counting the rest."""
    kept = [clean(n, NOTE_CHARS) for n in notes[:MAX_NOTES]]
    if len(notes) > MAX_NOTES:
        kept.append(f"... and {len(notes) - MAX_NOTES} more notes like these (not shown)")
    return kept
