"""Derived data in the cache: extract archives and keep decoded arrays, written atomically."""

from __future__ import annotations

import gzip
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import numpy as np


def extract_tar(archive: Path, dest: Path) -> Path:
    """Extract `archive` into `dest` once (atomically: a half-extracted tree is never reused)."""
    if dest.is_dir():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=dest.parent))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def gunzip(source: Path, dest: Path) -> Path:
    """Decompress a gzip file to `dest` once (via a temporary file)."""
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with gzip.open(source, "rb") as src, open(tmp, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)
    os.replace(tmp, dest)
    return dest


def save_array(path: Path, array: np.ndarray) -> None:
    """np.save through a temporary file so a crash never leaves a truncated .npy."""
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, array)
    os.replace(tmp, path)


def load_arrays(
    folder: Path, split: str, image_shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray] | None:
    """Cached (X, y) for `split` if both files exist and their shapes agree, else None."""
    x_path, y_path = folder / f"{split}-X.npy", folder / f"{split}-y.npy"
    if not (x_path.is_file() and y_path.is_file()):
        return None
    try:
        X, y = np.load(x_path), np.load(y_path)
    except (OSError, ValueError):
        return None
    if X.shape[1:] != image_shape or y.shape != (X.shape[0],) or X.dtype != np.uint8:
        return None
    return X, y.astype(np.int64)


def save_arrays(folder: Path, split: str, X: np.ndarray, y: np.ndarray) -> None:
    save_array(folder / f"{split}-X.npy", X)
    save_array(folder / f"{split}-y.npy", y)
