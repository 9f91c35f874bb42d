"""Fetch and verify whole datasets: choose a format, bring each file into the cache, report.

A dataset is fetched when one of its formats is complete in the cache. Formats are tried in
manifest order: first one already cached, then one the mirror can fully supply, then one whose
missing files all have an official URL (downloaded). `fetch --all` therefore means: every dataset,
each in its first satisfiable format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from datasets_manifest.checksums import ChecksumError, verify_file
from datasets_manifest.download import FetchError, copy_from_mirror, download
from datasets_manifest.manifest import DatasetEntry, FileEntry, FormatEntry


@dataclass
class Report:
    """Outcome of fetching or verifying one dataset."""

    dataset: str
    ok: bool
    format: str | None = None
    lines: list[str] = field(default_factory=list)


def _cached(folder: Path, entry: FileEntry) -> Path | None:
    for name in entry.names:
        if (folder / name).is_file():
            return folder / name
    return None


def _in_mirror(mirror: Path | None, entry: FileEntry) -> Path | None:
    if mirror is None or not entry.mirror_path:
        return None
    path = mirror / entry.mirror_path
    return path if path.is_file() else None


def _plan(folder: Path, mirror: Path | None, formats: list[FormatEntry]) -> FormatEntry | None:
    """The first format fully available from cache+mirror, else the first reachable with URLs."""

    def sources(fmt: FormatEntry, allow_url: bool) -> bool:
        return all(
            _cached(folder, f) or _in_mirror(mirror, f) or (allow_url and f.url) for f in fmt.files
        )

    for allow_url in (False, True):
        for fmt in formats:
            if sources(fmt, allow_url):
                return fmt
    return None


def _unavailable(fmt: FormatEntry, folder: Path, mirror: Path | None) -> list[str]:
    lines = []
    for f in fmt.files:
        if _cached(folder, f) or _in_mirror(mirror, f) or f.url:
            continue
        where = f.page or "the dataset's homepage"
        in_mirror = " (not in the mirror)" if mirror else ""
        lines.append(
            f"  {f.name}{in_mirror}: no direct download; get it from {where} and put it in {folder}/"
        )
    return lines


def fetch_dataset(
    dataset: DatasetEntry,
    cache: Path,
    mirror: Path | None,
    fmt_name: str | None = None,
    progress: bool = True,
) -> Report:
    """Bring one complete format of `dataset` into `cache/<name>/`, verified."""
    folder = cache / dataset.name
    formats = [dataset.format(fmt_name)] if fmt_name else list(dataset.formats)
    fmt = _plan(folder, mirror, formats)
    report = Report(dataset.name, ok=False)
    if fmt is None:
        report.lines.append(f"{dataset.name}: no format can be fetched:")
        for other in formats:
            report.lines.append(f" format {other.name!r}:")
            report.lines.extend(_unavailable(other, folder, mirror))
        return report
    report.format = fmt.name
    for other in formats:
        if other is not fmt:
            report.lines.append(_skipped_note(other, folder, mirror))
    try:
        for f in fmt.files:
            report.lines.append(_fetch_file(f, folder, mirror, progress))
    except (FetchError, ChecksumError) as err:
        report.lines.append(f"  FAILED: {err}")
        return report
    report.ok = True
    return report


def _skipped_note(fmt: FormatEntry, folder: Path, mirror: Path | None) -> str:
    missing = [f for f in fmt.files if not (_cached(folder, f) or _in_mirror(mirror, f))]
    if not missing:
        return f"  (format {fmt.name!r} also available; fetch it with --format {fmt.name})"
    urls = [f.url for f in missing if f.url]
    how = f"needs the official download ({', '.join(urls)})" if urls else "must be obtained by hand"
    return f"  (format {fmt.name!r} not fetched: {how}; use --format {fmt.name} to fetch it)"


def _fetch_file(f: FileEntry, folder: Path, mirror: Path | None, progress: bool) -> str:
    if (existing := _cached(folder, f)) is not None:
        try:
            return f"  {f.name}: already in cache, {verify_file(existing, f)}"
        except ChecksumError:
            existing.unlink()  # a bad cached copy is replaced below
    dest = folder / f.name
    if (source := _in_mirror(mirror, f)) is not None:
        return f"  {f.name}: copied from mirror, {copy_from_mirror(source, dest, f, progress)}"
    if f.url:
        return f"  {f.name}: downloaded, {download(f.url, dest, f, progress)}"
    raise FetchError(
        f"{f.name}: not in the cache or the mirror and has no direct URL; get it from {f.page}"
    )


def _check_into(report: Report, fmt_name: str, entry, path: Path) -> None:
    """Verify one file and add its line to `report` (a bad file makes the report fail)."""
    try:
        report.lines.append(f"  {fmt_name}/{entry.name}: {verify_file(path, entry)}")
    except ChecksumError as err:
        report.ok = False
        report.lines.append(f"  {fmt_name}/{entry.name}: BAD: {err}")


def verify_dataset(dataset: DatasetEntry, folder: Path, label: str = "cache") -> Report:
    """Check every present file of `dataset` in `folder`; ok when one format is complete and none is bad."""
    report = Report(dataset.name, ok=True)
    complete = []
    for fmt in dataset.formats:
        present = 0
        for f in fmt.files:
            path = _cached(folder, f)
            if path is None:
                continue
            present += 1
            _check_into(report, fmt.name, f, path)
        if present == len(fmt.files):
            complete.append(fmt.name)
    if not complete:
        report.ok = False
        report.lines.append(
            f"  no complete format in the {label} {folder}: run `coursekit data fetch {dataset.name}`"
        )
    report.format = ", ".join(complete) or None
    return report


def verify_mirror(dataset: DatasetEntry, mirror: Path) -> Report:
    """Check the mirror's copies of `dataset` (files laid out by their mirror_path)."""
    report = Report(dataset.name, ok=True)
    found = 0
    for fmt in dataset.formats:
        for f in fmt.files:
            path = _in_mirror(mirror, f)
            if path is None:
                continue
            found += 1
            _check_into(report, fmt.name, f, path)
    if not found:
        report.ok = False
        report.lines.append(f"  the mirror {mirror} holds no file of this dataset")
    return report
