"""Where dataset files live: explicit root, the per-user cache, or a read-only mirror.

Loaders look in that order: an explicit `root=` folder, else the fetched cache
(`--cache-dir` / `$COURSEKIT_DATA_DIR`, default `~/.cache/coursekit/datasets/<name>/`),
else the mirror named by `$COURSEKIT_MIRROR` (read in place, checked against the manifest).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from datasets_manifest.checksums import verify_file
from datasets_manifest.manifest import DatasetEntry, get_entry

CACHE_ENV = "COURSEKIT_DATA_DIR"
MIRROR_ENV = "COURSEKIT_MIRROR"
_VERIFIED: set[tuple[str, int, int]] = set()


class DataNotFoundError(FileNotFoundError):
    """The files a loader needs are in none of the places it looks."""


def cache_root(override: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder that holds one sub-folder per dataset."""
    if override:
        return Path(override).expanduser().resolve()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser().resolve() / "coursekit" / "datasets"


def mirror_root(override: str | os.PathLike[str] | None = None) -> Path | None:
    """The mirror folder (`--mirror` or `$COURSEKIT_MIRROR`), or None when none is set."""
    value = override or os.environ.get(MIRROR_ENV)
    return Path(value).expanduser().resolve() if value else None


def dataset_cache_dir(name: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    return cache_root(cache_dir) / name


def _find_in(folder: Path, names: Sequence[str]) -> Path | None:
    for candidate in names:
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def _mirror_file(entry: DatasetEntry, name: str, mirror: Path) -> Path | None:
    file_entry = entry.file(name)
    if not file_entry.mirror_path:
        return None
    path = mirror / file_entry.mirror_path
    if not path.is_file():
        return None
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _VERIFIED:  # check a mirror file once per process
        verify_file(path, file_entry)
        _VERIFIED.add(key)
    return path


def _try_folder(entry: DatasetEntry, folder: Path, wanted: Sequence[str]) -> dict[str, Path] | None:
    found = {}
    for name in wanted:
        names = entry.file(name).names if _known(entry, name) else (name,)
        path = _find_in(folder, names)
        if path is None:
            return None
        found[name] = path
    return found


def _known(entry: DatasetEntry, name: str) -> bool:
    return any(name in f.names for fmt in entry.formats for f in fmt.files)


def _try_mirror(entry: DatasetEntry, mirror: Path, wanted: Sequence[str]) -> dict[str, Path] | None:
    found = {}
    for name in wanted:
        path = _mirror_file(entry, name, mirror) if _known(entry, name) else None
        if path is None:
            return None
        found[name] = path
    return found


def locate(
    dataset: str, options: Sequence[Sequence[str]], root: str | os.PathLike[str] | None = None
) -> tuple[int, dict[str, Path]]:
    """Find the files of the first satisfiable option (a list of file names, one per format).

    Returns (index of the option, {file name: path}). Raises DataNotFoundError naming what is missing.
    """
    entry = get_entry(dataset)
    if root is not None:
        folder = Path(root).expanduser()
        for index, wanted in enumerate(options):
            if (found := _try_folder(entry, folder, wanted)) is not None:
                return index, found
        raise DataNotFoundError(_missing_message(dataset, options, f"root folder {folder}"))
    cached = dataset_cache_dir(dataset)
    for index, wanted in enumerate(options):
        if (found := _try_folder(entry, cached, wanted)) is not None:
            return index, found
    mirror = mirror_root()
    if mirror is not None:
        for index, wanted in enumerate(options):
            if (found := _try_mirror(entry, mirror, wanted)) is not None:
                return index, found
    where = f"the cache {cached}" + (
        f" or the mirror {mirror}" if mirror else f" (no ${MIRROR_ENV} set)"
    )
    raise DataNotFoundError(_missing_message(dataset, options, where))


def _missing_message(dataset: str, options: Sequence[Sequence[str]], where: str) -> str:
    wanted = " or ".join("[" + ", ".join(o) + "]" for o in options)
    return (
        f"dataset {dataset!r}: needs {wanted}, not found in {where}. "
        f"Run `coursekit data fetch {dataset}` (add `--mirror DIR` or set ${MIRROR_ENV} when offline), "
        "or pass root= a folder that holds the files."
    )


def dataset_path(name: str, root: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the dataset's files: root if given, else the cache, else the mirror folder."""
    entry = get_entry(name)
    if root is not None:
        return Path(root).expanduser()
    options = [[f.name for f in fmt.files] for fmt in entry.formats]
    _, found = locate(name, options)
    return next(iter(found.values())).parent


def derived_dir(dataset: str, sources: Sequence[Path], tag: str) -> Path:
    """A cache folder for data derived from `sources` (extracted archives, decoded arrays).

    Keyed by the sources' paths, sizes and mtimes, so a changed source never reuses stale output.
    """
    digest = hashlib.sha256(tag.encode())
    for path in sources:
        stat = Path(path).stat()
        digest.update(f"{Path(path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    folder = dataset_cache_dir(dataset) / "derived" / f"{tag}-{digest.hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
