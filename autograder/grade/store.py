"""Content-addressed, resumable storage of grading results.

A result (the internal record, hidden tests' messages included) is keyed by what decides it: the submission's bytes (SHA-256) and the version of what
grades it (`grading_version`: the bundle's tests, reference and assignment.json, plus the kit's
grading code). Results live in OUT/.results/<version>/<sha256>.json, each written atomically as
soon as its submission is graded, so

- re-running a batch skips every submission whose result is current (seconds for a whole class);
- a changed notebook, a rebuilt bundle after a test fix, or a grader update is regraded;
- a batch killed mid-way loses nothing it finished: the next run grades only the rest;
- shards on a shared filesystem can write into one OUT concurrently (one file per result).

The per-student views OUT/<name>/{results.json,feedback.txt} are rendered from the store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from autograder.fsutil import atomic_write_json, atomic_write_text
from autograder.results import RECORD, SubmissionResult
from autograder.safetext import path_text

KIT = Path(__file__).resolve().parents[1]
# The kit's code that decides a score (a change here regrades everything).
GRADER_PARTS = ("adapter.py", "extract.py", "results.py", "testing", "grade", "sandbox",
                "runtime")
STORE_DIR = ".results"


def _hash_files(digest: hashlib._Hash, base: Path, paths: list[Path]) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")


def bundle_version(bundle: Path) -> str:
    """SHA-256 of the bundle's tests/, reference.py and assignment.json (examples excluded)."""
    digest = hashlib.sha256()
    files = [p for p in (bundle / "tests").rglob("*.py") if "__pycache__" not in p.parts]
    files += [bundle / "reference.py", bundle / "assignment.json"]
    _hash_files(digest, bundle, [p for p in files if p.exists()])
    return digest.hexdigest()


def kit_version() -> str:
    """SHA-256 of the grading code of the installed kit (see GRADER_PARTS)."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for part in GRADER_PARTS:
        path = KIT / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path, path.with_suffix(".py")]
    _hash_files(digest, KIT, [p for p in files if p.exists() and "__pycache__" not in p.parts])
    return digest.hexdigest()


def grading_version(bundle: Path, public_only: bool = False) -> str:
    """What a stored result must match to be current: bundle + grader + mode (16 hex digits)."""
    mode = "public" if public_only else "full"
    text = f"{bundle_version(bundle)}:{kit_version()}:{mode}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def submission_key(path: Path) -> str:
    """SHA-256 of the submission file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def result_key(content_key: str, questions: set[str] | None = None) -> str:
    """The store key: the content key, or for a grading limited to some questions (the proofs'
    variants) a hash of the content key and those questions."""
    if not questions:
        return content_key
    text = f"{content_key}:{','.join(sorted(questions))}"
    return hashlib.sha256(text.encode()).hexdigest()


class ResultStore:
    """Results of one grading version under OUT/.results/<version>/."""

    def __init__(self, out_dir: Path, version: str):
        self.out_dir = out_dir
        self.version = version
        self.root = out_dir / STORE_DIR / version

    @classmethod
    def for_bundle(cls, out_dir: Path, bundle: Path, public_only: bool = False) -> ResultStore:
        return cls(out_dir, grading_version(bundle, public_only))

    def path(self, key: str) -> Path:
        return self.root / f"{key}.json"

    def get(self, key: str) -> SubmissionResult | None:
        """The stored result, or None when absent or unreadable (then it is regraded)."""
        try:
            return SubmissionResult.from_record(
                json.loads(self.path(key).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, key: str, result: SubmissionResult) -> None:
        atomic_write_json(self.path(key), result.to_record())

    def scratch(self) -> Path:
        """A folder for in-flight grading output (never read as a result)."""
        path = self.root / "tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path


def write_view(result: SubmissionResult, submission: Path, folder: Path, *,
               hidden_details: bool = False) -> SubmissionResult:
    """OUT/<name>/results.json + feedback.txt (+ the internal record) for one student, each
    atomically; returns the result with `submission` naming this student's file (identical
    files share one stored result)."""
    mine = replace(result, submission=path_text(submission))
    atomic_write_json(folder / "results.json", mine.to_gradescope(hidden_details=hidden_details))
    atomic_write_text(folder / "feedback.txt", mine.feedback(show_hidden=hidden_details))
    atomic_write_json(folder / RECORD, mine.to_record())
    return mine


__all__ = ["ResultStore", "bundle_version", "grading_version", "kit_version", "result_key",
           "submission_key", "write_view"]
