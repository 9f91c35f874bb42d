"""Bring one file into place safely: download over HTTP(S) with resume, or copy from a mirror.

Both write to `<dest>.part` first and rename onto `dest` only after the checksum passes, so an
interrupted or corrupted transfer never leaves a file that passes as good.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO

from tqdm import tqdm

from datasets_manifest.checksums import CHUNK, ChecksumError, verify_file
from datasets_manifest.manifest import FileEntry

TIMEOUT_S = 60


class FetchError(RuntimeError):
    """A file could not be fetched (offline, HTTP error, no source); the message says what to do."""


def partial_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def download(url: str, dest: Path, entry: FileEntry, progress: bool = True) -> str:
    """Download `url` to `dest`, resuming a previous `.part` with an HTTP Range request."""
    part = partial_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "coursekit"})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            resumed = offset > 0 and response.status == 206
            if not resumed:
                offset = 0  # the server ignored the Range: start again
            total = _total_size(response, offset, entry)
            with open(part, "ab" if resumed else "wb") as out:
                _copy(response, out, total, offset, entry.name, progress)
            if total is not None and part.stat().st_size < total:
                raise http.client.IncompleteRead(b"", total - part.stat().st_size)
    except urllib.error.HTTPError as err:
        if err.code != 416:  # 416: range past the end, i.e. the .part is already complete
            raise FetchError(f"{entry.name}: HTTP {err.code} from {url}: {err.reason}") from err
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        raise FetchError(
            f"{entry.name}: could not download {url} ({getattr(err, 'reason', None) or err!r}). "
            f"Partial data kept in {part} (a later fetch resumes it). Offline? Point the kit at a "
            "local mirror: `coursekit data fetch NAME --mirror DIR` or set $COURSEKIT_MIRROR."
        ) from err
    return _finish(part, dest, entry, source=url)


def copy_from_mirror(source: Path, dest: Path, entry: FileEntry, progress: bool = True) -> str:
    """Copy a mirror file into the cache through a `.part` file, verifying before the rename."""
    part = partial_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as src, open(part, "wb") as out:
        _copy(src, out, source.stat().st_size, 0, entry.name, progress)
    return _finish(part, dest, entry, source=str(source))


def _finish(part: Path, dest: Path, entry: FileEntry, source: str) -> str:
    try:
        how = verify_file(part, entry)
    except ChecksumError as err:
        part.unlink(missing_ok=True)  # a bad .part must not be resumed either
        raise ChecksumError(
            f"{entry.name} from {source} failed verification, discarded: {err}"
        ) from err
    os.replace(part, dest)
    return how


def _total_size(response: object, offset: int, entry: FileEntry) -> int | None:
    length = getattr(response, "headers", {}).get("Content-Length")
    if length is not None:
        return offset + int(length)
    return entry.size


def _copy(
    src: BinaryIO, out: BinaryIO, total: int | None, offset: int, label: str, progress: bool
) -> None:
    with tqdm(
        total=total,
        initial=offset,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=label,
        disable=not progress,
        leave=False,
    ) as bar:
        while chunk := src.read(CHUNK):
            out.write(chunk)
            bar.update(len(chunk))
