"""Every loader on tiny generated files in the real on-disk formats (no mirror needed)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import datasets_manifest as dm
from datasets_manifest.loaders.dna import parse_splice


def test_fashion_mnist_from_gz(tiny_root, make):
    X, y = dm.load_fashion_mnist("train", root=tiny_root)
    want_X, want_y = make.fashion_arrays(12, seed=12)
    assert X.dtype == np.uint8 and X.shape == (12, 28, 28) and y.dtype == np.int64
    np.testing.assert_array_equal(X, want_X)
    np.testing.assert_array_equal(y, want_y)
    assert dm.load_fashion_mnist("test", root=tiny_root)[0].shape == (5, 28, 28)
    assert len(dm.FASHION_MNIST_CLASSES) == 10


def test_fashion_mnist_from_uncompressed_idx(tmp_path, make):
    X, y = make.fashion_arrays(3, seed=1)
    make.write_idx(tmp_path / "t10k-images-idx3-ubyte", X)
    make.write_idx(tmp_path / "t10k-labels-idx1-ubyte", y)
    got_X, got_y = dm.load_fashion_mnist("test", root=tmp_path)
    np.testing.assert_array_equal(got_X, X)
    np.testing.assert_array_equal(got_y, y)


def test_fashion_mnist_rejects_bad_split(tiny_root):
    with pytest.raises(ValueError, match="split must be one of"):
        dm.load_fashion_mnist("dev", root=tiny_root)


def test_cifar10_python_batches_folder_and_tarball(tmp_path, make):
    splits = make.write_cifar_python(tmp_path / "extracted")
    for split in ("train", "test"):
        X, y = dm.load_cifar10(split, root=tmp_path / "extracted")
        assert X.dtype == np.uint8 and y.dtype == np.int64
        np.testing.assert_array_equal(X, splits[split][0])
        np.testing.assert_array_equal(y, splits[split][1])
    make.tar_gz(
        tmp_path / "extracted", tmp_path / "cifar-10-python.tar.gz", ["cifar-10-batches-py"]
    )
    (tmp_path / "tarball").mkdir()
    shutil.move(tmp_path / "cifar-10-python.tar.gz", tmp_path / "tarball")
    X, y = dm.load_cifar10("train", root=tmp_path / "tarball")
    assert X.shape == (20, 32, 32, 3)
    np.testing.assert_array_equal(X, splits["train"][0])


def test_cifar10_jpeg_tree_and_tarball(tmp_path, make):
    labels = make.write_jpeg_tree(tmp_path / "tree")
    X, y = dm.load_cifar10("train", root=tmp_path / "tree")
    assert X.shape == (6, 32, 32, 3) and X.dtype == np.uint8
    assert sorted(y.tolist()) == sorted(labels["train"])  # CIFAR indices, not ImageFolder's
    bird = X[y == 2][0]
    assert np.abs(bird.astype(int) - [50, 100, 200]).max() <= 3  # JPEG of a flat colour
    make.tar_gz(tmp_path / "tree", tmp_path / "tarball.tar.gz", ["train", "test"])
    (tmp_path / "t").mkdir()
    shutil.move(tmp_path / "tarball.tar.gz", tmp_path / "t" / "cifar10-jpeg.tar.gz")
    X2, y2 = dm.load_cifar10("test", root=tmp_path / "t")
    assert X2.shape == (3, 32, 32, 3) and sorted(y2.tolist()) == [0, 2, 9]
    X3, y3 = dm.load_cifar10("test", root=tmp_path / "t")  # second call: cached .npy arrays
    np.testing.assert_array_equal(X2, X3)
    np.testing.assert_array_equal(y2, y3)


def test_cifar_fixture_helper_is_deterministic(make):
    np.testing.assert_array_equal(make.cifar_arrays(2, 5)[0], make.cifar_arrays(2, 5)[0])


def test_splice_csv_and_data(tiny_root, tmp_path, make):
    rows = dm.load_splice(root=tiny_root)
    assert [r.label for r in rows] == ["EI", "IE", "N"]
    assert rows[0].id == "ATRINS-DONOR-521" and all(len(r.sequence) == 60 for r in rows)
    assert rows[2].sequence.startswith("ACGTDNSR")
    (tmp_path / "splice.data").write_text(make.SPLICE_DATA)
    official = dm.load_splice(root=tmp_path)
    assert official[0] == rows[0]  # lower-case official sequence is upper-cased
    assert official[1].id == "HUMGLUT4B-NEG-1"
    with pytest.raises(dataclasses_frozen_error()):
        rows[0].label = "N"


def dataclasses_frozen_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


def test_splice_rejects_bad_rows():
    with pytest.raises(ValueError, match="expected 60"):
        parse_splice(["EI, X, ACGT"])
    with pytest.raises(ValueError, match="label 'XX'"):
        parse_splice(["XX, X, " + "A" * 60])


def test_promoters(tiny_root):
    rows = dm.load_promoters(root=tiny_root)
    assert [r.label for r in rows] == ["+", "-"] and rows[0].sequence.startswith("TACTAG")


def test_text_loaders(tiny_root):
    assert dm.load_tiny_shakespeare(root=tiny_root).startswith("First Citizen:")
    assert dm.load_tinystories(root=tiny_root) == [
        "Once upon a time.",
        "The end.",
        "One day, a cat.",
    ]
    assert dm.load_dakshina_hindi("train", root=tiny_root) == [
        ("अं", "an", 3),
        ("अंकगणित", "ankganit", 3),
    ]
    assert dm.load_sst2("dev", root=tiny_root) == [
        ("a stirring , funny film", 1),
        ("one long string of cliches .", 0),
    ]
    assert dm.load_sst2("validation", root=tiny_root)[0][1] == 1
    assert dm.load_sms_spam(root=tiny_root) == [
        ("ham", "Ok lar... Joking wif u oni..."),
        ("spam", "Free entry\tin 2 a wkly comp"),
    ]


def test_dakshina_either_column_order_and_nfc(tmp_path):
    # official order (Devanagari first) and the mirror's (romanized first); NFD and precomposed
    # nukta letters come back NFC
    (tmp_path / "hi.translit.sampled.dev.tsv").write_text(
        "\u0958\u093f\u0932\u093e\tqila\t2\n ka\u0301\t\u0915\t1\n", encoding="utf-8")
    assert dm.load_dakshina_hindi("dev", root=tmp_path) == [
        ("\u0915\u093c\u093f\u0932\u093e", "qila", 2), ("\u0915", "k\u00e1", 1)]


def test_tinystories_official_separator(tmp_path):
    (tmp_path / "TinyStories-valid.txt").write_text("One.\n\nStill one.\n<|endoftext|>\nTwo.\n")
    assert dm.load_tinystories(root=tmp_path) == ["One.\n\nStill one.", "Two."]


def test_sst2_from_official_trees(tmp_path):
    import zipfile

    trees = "(3 (2 (2 a) (2 film)) (3 (3 good) (2 .)))\n(2 (2 so) (2 so))\n(0 (1 Bad) (2 .))\n"
    with zipfile.ZipFile(tmp_path / "trainDevTestTrees_PTB.zip", "w") as zf:
        zf.writestr("trees/test.txt", trees)
    assert dm.load_sst2("test", root=tmp_path) == [("a film good .", 1), ("bad .", 0)]


def test_summarization_loaders(tiny_root):
    bills = dm.load_billsum("train", root=tiny_root)
    assert (
        bills[0]["id"] == "107_hr2256"
        and bills[0]["document"] == "SECTION 1.\n"
        and bills[0]["summary"] == "Sum."
    )
    news = dm.load_multi_news("test", root=tiny_root)
    assert news[0]["id"] == "abc123" and news[0]["summary"] == "– The summary."
    assert news[0]["document"] == "Passage 1:\nA b.\n\nC d.\nPassage 2:\nE f."
    assert news[0]["documents"] == ["A b.\n\nC d.", "E f."]
    val = dm.load_multi_news("val", root=tiny_root)
    assert (
        val[0]["documents"] == ["A b.\nC d.", "E f."] and val[1]["summary"] == "– Second summary."
    )
    assert val[0]["id"] == "val-0"


def test_missing_files_name_what_to_do(tmp_path):
    with pytest.raises(dm.DataNotFoundError, match=r"splice\.csv.*coursekit data fetch splice"):
        dm.load_splice(root=tmp_path)
    with pytest.raises(dm.DataNotFoundError, match=r"no \$COURSEKIT_MIRROR set"):
        dm.load_splice()


def test_loaders_read_the_cache_then_the_mirror(tiny_root, tmp_path, monkeypatch, isolated_env):
    cached = isolated_env / "tiny-shakespeare"
    cached.mkdir(parents=True)
    (cached / "input.txt").write_text("from the cache")  # official name accepted as an alias
    assert dm.load_tiny_shakespeare() == "from the cache"
    assert dm.dataset_path("tiny-shakespeare") == cached
    assert dm.dataset_path("splice", root=tiny_root) == tiny_root
