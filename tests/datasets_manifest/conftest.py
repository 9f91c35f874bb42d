"""Fixtures for the datasets_manifest tests: an isolated cache, tiny files in every on-disk format.

Every fixture file is generated here, deterministically, in the same format as the real data.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import struct
import tarfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
_MIRROR_ENV = os.environ.get("COURSEKIT_MIRROR")  # read before isolated_env clears it
CIFAR_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


def real_mirror() -> Path | None:
    """The real data mirror ($COURSEKIT_MIRROR or ../shared/datasets), if present."""
    candidate = Path(_MIRROR_ENV or REPO.parent / "shared" / "datasets")
    return candidate if (candidate / "README.md").is_file() else None


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Each test gets its own empty cache and no mirror unless it sets one."""
    monkeypatch.setenv("COURSEKIT_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COURSEKIT_MIRROR", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def mirror_dir() -> Path:
    found = real_mirror()
    if found is None:
        pytest.skip(
            "real data mirror not present (../shared/datasets or $COURSEKIT_MIRROR): skipping real-data test"
        )
    return found


def write_idx(path: Path, array: np.ndarray) -> None:
    """IDX (ubyte) file, gzip-compressed when the name ends in .gz."""
    header = struct.pack(">I", 0x0800 + array.ndim) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    data = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def fashion_arrays(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(
        np.uint8
    )


def cifar_arrays(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8), np.arange(n) % 10


def write_cifar_python(folder: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """cifar-10-batches-py/ with 5 train batches of 4 images and a test batch of 6, pickled here."""
    batches = folder / "cifar-10-batches-py"
    batches.mkdir(parents=True)
    parts, splits = [], {}
    for i in range(1, 6):
        X, y = cifar_arrays(4, seed=i)
        parts.append((X, y))
        _pickle_batch(batches / f"data_batch_{i}", X, y)
    X, y = cifar_arrays(6, seed=99)
    _pickle_batch(batches / "test_batch", X, y)
    (batches / "batches.meta").write_bytes(pickle.dumps({"label_names": list(CIFAR_CLASSES)}))
    splits["train"] = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
    splits["test"] = (X, y)
    return splits


def _pickle_batch(path: Path, X: np.ndarray, y: np.ndarray) -> None:
    rows = X.transpose(0, 3, 1, 2).reshape(len(X), 3072)  # (N, 3*32*32), channel-major like CIFAR
    path.write_bytes(pickle.dumps({"data": rows, "labels": [int(v) for v in y]}))


def write_jpeg_tree(folder: Path) -> dict[str, list[int]]:
    """train/<class>/NNNN.jpg and test/<class>/NNNN.jpg: flat-colour 32x32 images, 3 classes."""
    from PIL import Image

    labels: dict[str, list[int]] = {}
    for split, per_class in (("train", 2), ("test", 1)):
        labels[split] = []
        for cls in ("bird", "airplane", "truck"):
            (folder / split / cls).mkdir(parents=True)
            for i in range(per_class):
                colour = (CIFAR_CLASSES.index(cls) * 25, 100, 200)
                Image.new("RGB", (32, 32), colour).save(
                    folder / split / cls / f"{i:04d}.jpg", quality=95
                )
                labels[split].append(CIFAR_CLASSES.index(cls))
    return labels


def tar_gz(source_dir: Path, archive: Path, members: list[str]) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        for name in members:
            tar.add(source_dir / name, arcname=name)
    return archive


SPLICE_CSV = (
    "Class, Donor,                          Sequence\n"
    "EI,    ATRINS-DONOR-521,               "
    + "CCAGCTGCATCACAGGAGGCCAGCGAGCAGGTCTGTTCCAAGGGCCTTCGAGCCAGTCTG"
    + "\n"
    "IE,    ATRINS-ACCEPTOR-701,            "
    + "ctctgcctcgcctccttctcttttctaaagtcctgctgggcaggtaaggacctccctaag".upper()
    + "\n"
    "N,     HUMGLUT4B-NEG-1,                "
    + "ACGTDNSRACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT"
    + "\n"
)
SPLICE_DATA = (
    "EI,ATRINS-DONOR-521,        ccagctgcatcacaggaggccagcgagcaggtctgttccaagggccttcgagccagtctg\n"
    "N,  HUMGLUT4B-NEG-1,  ACGTDNSRACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n"
)


def write_text_fixtures(root: Path) -> None:
    """Tiny copies of every text format the loaders read."""
    (root / "splice.csv").write_text(SPLICE_CSV)
    (root / "promoters.data").write_text(
        "+,S10,\t\ttactagcaatacgcttgcgttcggtggttaagtatgtataatgcgcgg\n-,867,\t\tatatgaacgttgagactgccgctgagttatcagctgtgaacgacattc\n"
    )
    (root / "tinyshakespeare.txt").write_text(
        "First Citizen:\nBefore we proceed any further, hear me speak.\n"
    )
    (root / "tinystories_1k.txt").write_text("Once upon a time.\n\nThe end.\n\nOne day, a cat.\n")
    (root / "hi.translit.sampled.train.tsv").write_text(
        "an\tअं\t3\nअंकगणित\tankganit\t3\n", encoding="utf-8"
    )
    (root / "sst2.dev.txt").write_text(
        "1 a stirring , funny film\n0 one long string of cliches .\n"
    )
    (root / "SMSSpamCollection.tsv").write_text(
        "ham\tOk lar... Joking wif u oni...\nspam\tFree entry\tin 2 a wkly comp\n"
    )
    billsum = {
        "bill_id": "107_hr2256",
        "text": "SECTION 1.\n",
        "summary": "Sum.",
        "title": "T",
        "text_len": 11,
        "sum_len": 4,
    }
    (root / "billsum_us_train_100.jsonl").write_text(json.dumps(billsum) + "\n")
    longbench = {
        "input": "",
        "context": "Passage 1:\nA b. NEWLINE_CHAR NEWLINE_CHAR C d.\nPassage 2:\nE f.",
        "answers": ["– The summary."],
        "length": 5,
        "dataset": "multi_news",
        "_id": "abc123",
    }
    (root / "multi_news_test_200.jsonl").write_text(json.dumps(longbench) + "\n")
    (root / "val.src").write_text("A b. NEWLINE_CHAR C d. story_separator_special_tag E f.\nG h.\n")
    (root / "val.tgt").write_text("– First summary.\n– Second summary.\n")


@pytest.fixture(scope="session")
def make() -> SimpleNamespace:
    """The fixture writers, for tests that build their own folders."""
    return SimpleNamespace(
        write_idx=write_idx,
        fashion_arrays=fashion_arrays,
        cifar_arrays=cifar_arrays,
        write_cifar_python=write_cifar_python,
        write_jpeg_tree=write_jpeg_tree,
        tar_gz=tar_gz,
        SPLICE_DATA=SPLICE_DATA,
    )


@pytest.fixture(scope="session")
def tiny_root(tmp_path_factory) -> Path:
    """One folder holding a tiny copy of every dataset file, in the real formats."""
    root = tmp_path_factory.mktemp("tiny")
    for prefix, n in (("train", 12), ("t10k", 5)):
        X, y = fashion_arrays(n, seed=n)
        write_idx(root / f"{prefix}-images-idx3-ubyte.gz", X)
        write_idx(root / f"{prefix}-labels-idx1-ubyte.gz", y)
    write_text_fixtures(root)
    return root
