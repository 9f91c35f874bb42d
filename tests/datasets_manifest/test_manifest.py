"""The manifest: every entry validates, names the required datasets, and bad entries are rejected."""

from __future__ import annotations

import copy

import pytest

from datasets_manifest.manifest import ManifestError, get_entry, load_manifest, parse_entry

REQUIRED = {
    "fashion-mnist",
    "cifar10",
    "splice",
    "tiny-shakespeare",
    "tinystories",
    "dakshina-hindi",
    "sst2",
    "sms-spam",
    "billsum",
    "multi-news",
}


def test_every_required_dataset_has_a_valid_entry():
    entries = load_manifest()
    assert REQUIRED <= set(entries)
    for entry in entries.values():
        assert entry.licence and entry.citation and entry.homepage
        for fmt in entry.formats:
            assert fmt.splits, f"{entry.name}/{fmt.name} lists no splits"


def test_every_file_is_reachable_and_checksummed_or_says_so():
    for entry in load_manifest().values():
        for fmt in entry.formats:
            for f in fmt.files:
                assert f.url or f.mirror_path or f.page, f"{entry.name}/{f.name} has no source"
                if f.mirror_path:
                    assert f.has_checksum, (
                        f"{entry.name}/{f.name}: mirror copies must be checksummed"
                    )


def test_recompressed_fashion_mnist_images_use_content_checksums():
    entry = get_entry("fashion-mnist")
    images = entry.file("train-images-idx3-ubyte.gz")
    assert images.content is not None and images.content["compression"] == "gzip"
    assert (
        images.checksums["md5"] == "8d4fb7e6c68d591d4c3dfef9ec88bf0d"
    )  # official gz md5, kept for reference


def test_cifar10_describes_both_formats():
    entry = get_entry("cifar10")
    python, jpeg = entry.format("python"), entry.format("jpeg")
    assert (
        python.files[0].url.endswith("cifar-10-python.tar.gz") and not python.files[0].mirror_path
    )
    assert jpeg.files[0].url is None and jpeg.files[0].mirror_path == "cifar10/cifar10-jpeg.tar.gz"


def test_schema_rejects_a_bad_entry():
    raw = {
        "name": "x",
        "title": "X",
        "description": "d",
        "homepage": "h",
        "licence": "l",
        "citation": "c",
        "holdout": [],
        "formats": [
            {
                "name": "f",
                "kind": "k",
                "description": "d",
                "splits": {"all": {"size": 1, "unit": "rows"}},
                "files": [{"name": "a"}],
            }
        ],
    }
    parse_entry(raw)
    bad = copy.deepcopy(raw)
    bad["formats"][0]["files"][0]["checksums"] = {"sha256": "not-hex"}
    with pytest.raises(ManifestError, match="formats/0/files/0/checksums/sha256"):
        parse_entry(bad)
    del bad["licence"]
    with pytest.raises(ManifestError, match="licence"):
        parse_entry(bad)


def test_unknown_dataset_lists_known_names():
    with pytest.raises(ManifestError, match="known: .*fashion-mnist"):
        get_entry("nope")
