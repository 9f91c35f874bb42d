"""Checksums: good files pass; truncated, tampered and broken-gzip files fail with a clear message."""

from __future__ import annotations

import gzip
import hashlib

import pytest

from datasets_manifest.checksums import ChecksumError, verify_file
from datasets_manifest.manifest import FileEntry

DATA = b"hello dataset\n" * 1000


def entry_for(data: bytes) -> FileEntry:
    return FileEntry(
        name="f.txt", size=len(data), checksums={"sha256": hashlib.sha256(data).hexdigest()}
    )


def gz_entry(data: bytes) -> FileEntry:
    return FileEntry(
        name="f.gz",
        content={
            "compression": "gzip",
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        },
    )


def test_good_file_passes(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(DATA)
    assert verify_file(path, entry_for(DATA)) == "sha256 ok"


def test_truncated_file_is_caught(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(DATA[:100])
    with pytest.raises(ChecksumError, match=r"truncated: 100 of 14,000 bytes.*fetch it again"):
        verify_file(path, entry_for(DATA))


def test_tampered_file_is_caught(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(DATA.replace(b"hello", b"HELLO", 1))
    with pytest.raises(ChecksumError, match="sha256 mismatch.*corrupted or tampered"):
        verify_file(path, entry_for(DATA))


def test_md5_only_entry(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(DATA)
    entry = FileEntry(name="f.txt", checksums={"md5": hashlib.md5(DATA).hexdigest()})
    assert verify_file(path, entry) == "md5 ok"


def test_recompressed_gzip_passes_on_content(tmp_path):
    a, b = tmp_path / "a.gz", tmp_path / "b.gz"
    a.write_bytes(gzip.compress(DATA, compresslevel=1, mtime=0))
    b.write_bytes(gzip.compress(DATA, compresslevel=9, mtime=0))
    assert a.read_bytes() != b.read_bytes()
    assert verify_file(a, gz_entry(DATA)) == verify_file(b, gz_entry(DATA)) == "content sha256 ok"


def test_truncated_gzip_is_caught(tmp_path):
    path = tmp_path / "f.gz"
    path.write_bytes(gzip.compress(DATA)[:-20])
    with pytest.raises(ChecksumError, match="not a complete gzip file.*truncated or corrupted"):
        verify_file(path, gz_entry(DATA))


def test_tampered_gzip_content_is_caught(tmp_path):
    path = tmp_path / "f.gz"
    path.write_bytes(gzip.compress(DATA[:-1] + b"X"))
    with pytest.raises(ChecksumError, match="decompressed sha256 mismatch"):
        verify_file(path, gz_entry(DATA))


def test_missing_file(tmp_path):
    with pytest.raises(ChecksumError, match="missing"):
        verify_file(tmp_path / "nope", entry_for(DATA))
