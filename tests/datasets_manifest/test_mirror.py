"""The real mirror (../shared/datasets or $COURSEKIT_MIRROR): checksums and loader shapes/counts.

Skipped, with the reason shown, when the mirror is absent.
"""

from __future__ import annotations

import collections
import os
import shutil

import numpy as np
import pytest

import datasets_manifest as dm
from datasets_manifest.checksums import ChecksumError, verify_file
from datasets_manifest.fetch import verify_mirror
from datasets_manifest.locations import cache_root
from datasets_manifest.manifest import get_entry, load_manifest

pytestmark = pytest.mark.mirror


@pytest.fixture
def use_mirror(mirror_dir, monkeypatch):
    monkeypatch.setenv("COURSEKIT_MIRROR", str(mirror_dir))
    return mirror_dir


def test_manifest_checksums_match_the_mirror(mirror_dir):
    for entry in load_manifest().values():
        report = verify_mirror(entry, mirror_dir)
        assert report.ok, "\n".join(report.lines)


def test_tampered_copy_of_a_mirror_file_is_caught(mirror_dir, tmp_path):
    f = get_entry("fashion-mnist").file("t10k-labels-idx1-ubyte.gz")
    copy = tmp_path / f.name
    shutil.copyfile(mirror_dir / f.mirror_path, copy)
    data = bytearray(copy.read_bytes())
    copy.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ChecksumError, match="truncated or corrupted"):
        verify_file(copy, f)


def test_fashion_mnist(use_mirror):
    X, y = dm.load_fashion_mnist("train")
    assert X.shape == (60000, 28, 28) and X.dtype == np.uint8 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [6000] * 10
    X, y = dm.load_fashion_mnist("test")
    assert X.shape == (10000, 28, 28) and np.bincount(y).tolist() == [1000] * 10


def test_splice(use_mirror):
    rows = dm.load_splice()
    assert len(rows) == 3190
    assert collections.Counter(r.label for r in rows) == {"EI": 767, "IE": 768, "N": 1655}
    assert all(len(r.sequence) == 60 and set(r.sequence) <= set("ACGTDNSR") for r in rows)
    assert rows[0].id == "ATRINS-DONOR-521"
    assert len(dm.load_promoters()) == 106


def test_text_datasets(use_mirror):
    assert len(dm.load_tiny_shakespeare()) == 1_115_394
    assert len(dm.load_tinystories()) == 1230
    sizes = {s: len(dm.load_dakshina_hindi(s)) for s in ("train", "dev", "test")}
    assert sizes == {"train": 44204, "dev": 4358, "test": 4502}
    assert dm.load_dakshina_hindi("train")[0] == ("अं", "an", 3)
    assert [len(dm.load_sst2(s)) for s in ("train", "dev", "test")] == [6920, 872, 1821]
    sms = dm.load_sms_spam()
    assert len(sms) == 5574 and collections.Counter(label for label, _ in sms) == {
        "ham": 4827,
        "spam": 747,
    }
    assert len({text for _, text in sms}) == 5171


def test_summarization(use_mirror):
    bills = dm.load_billsum("train")
    assert len(bills) == 100 and all(b["id"] and b["document"] and b["summary"] for b in bills)
    news = dm.load_multi_news("test")
    assert len(news) == 200 and all("NEWLINE_CHAR" not in n["document"] for n in news)
    assert all(1 <= len(n["documents"]) <= 10 for n in news)  # 2 clusters keep only 1 passage


def test_dataset_path_points_into_the_mirror(use_mirror):
    assert dm.dataset_path("fashion-mnist") == use_mirror / "fashion-mnist"


@pytest.mark.slow
def test_cifar10_from_jpeg_tarball(use_mirror, monkeypatch):
    """First run decodes 60,000 JPEGs (~30 s on 2 cores); reruns read cached .npy (~1 s).

    Uses $COURSEKIT_TEST_CACHE, else the per-user default cache, so decoded arrays survive reruns.
    """
    monkeypatch.delenv("COURSEKIT_DATA_DIR")
    cache = os.environ.get("COURSEKIT_TEST_CACHE") or str(cache_root())
    monkeypatch.setenv("COURSEKIT_DATA_DIR", cache)
    for split, n in (("train", 50000), ("test", 10000)):
        X, y = dm.load_cifar10(split)
        assert X.shape == (n, 32, 32, 3) and X.dtype == np.uint8 and y.dtype == np.int64
        assert np.bincount(y).tolist() == [n // 10] * 10
