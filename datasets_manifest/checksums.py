"""Checksums: hash files (or their decompressed content) and check them against a manifest entry."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

from datasets_manifest.manifest import FileEntry

CHUNK = 1 << 20


class ChecksumError(ValueError):
    """A file is truncated, corrupted or not the file the manifest describes."""


def hash_file(path: Path, algorithm: str = "sha256") -> tuple[str, int]:
    """Hex digest and byte count of a file's bytes."""
    digest = hashlib.new(algorithm)
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def hash_gzip_content(path: Path) -> tuple[str, int]:
    """sha256 and size of a gzip file's decompressed content; ChecksumError if the gzip is broken."""
    digest = hashlib.sha256()
    size = 0
    try:
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (OSError, EOFError, zlib.error) as err:
        raise ChecksumError(
            f"{path}: not a complete gzip file ({err}); the file is truncated or corrupted. "
            "Delete it and fetch it again: coursekit data fetch NAME"
        ) from err
    return digest.hexdigest(), size


def verify_file(path: Path, entry: FileEntry) -> str:
    """Check `path` against `entry`. Returns how it was checked; raises ChecksumError on mismatch.

    Content checksums win over byte checksums when both are given, because a mirror may have
    recompressed the file (same content, different gzip bytes).
    """
    if not path.is_file():
        raise ChecksumError(f"{path}: missing")
    if entry.content is not None:
        return _verify_content(path, entry)
    if not entry.checksums:
        return "unverified (the manifest has no published checksum for this file)"
    algorithm = "sha256" if "sha256" in entry.checksums else "md5"
    actual, size = hash_file(path, algorithm)
    expected = entry.checksums[algorithm]
    if actual != expected:
        raise ChecksumError(_mismatch(path, algorithm, expected, actual, entry.size, size))
    return f"{algorithm} ok"


def _verify_content(path: Path, entry: FileEntry) -> str:
    assert entry.content is not None
    actual, size = hash_gzip_content(path)
    expected = entry.content["sha256"]
    if actual != expected:
        raise ChecksumError(
            _mismatch(
                path, "decompressed sha256", expected, actual, entry.content.get("size"), size
            )
        )
    return "content sha256 ok"


def _mismatch(path: Path, what: str, expected: str, actual: str, want: int | None, got: int) -> str:
    if want is not None and got < want:
        state = f"truncated: {got:,} of {want:,} bytes"
    elif want is not None and got != want:
        state = f"wrong size: {got:,} bytes, expected {want:,}"
    else:
        state = "corrupted or tampered with"
    return (
        f"{path}: {what} mismatch ({state}); expected {expected}, got {actual}. "
        "Delete the file and fetch it again (coursekit data fetch NAME), or check the mirror."
    )
