"""The dataset manifest: load the per-dataset JSON entries, validate them, expose them as objects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

PACKAGE_DIR = Path(__file__).resolve().parent


class ManifestError(ValueError):
    """A manifest entry is missing or does not match the schema."""


@dataclass(frozen=True)
class FileEntry:
    """One file of one format of a dataset."""

    name: str
    url: str | None = None
    page: str | None = None
    mirror_path: str | None = None
    size: int | None = None
    checksums: dict[str, str] = field(default_factory=dict)
    checksum_source: str | None = None
    content: dict[str, Any] | None = None
    aliases: tuple[str, ...] = ()

    @property
    def has_checksum(self) -> bool:
        return bool(self.checksums) or self.content is not None

    @property
    def names(self) -> tuple[str, ...]:
        """The cache name first, then other names the same file goes by (e.g. the official one)."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class FormatEntry:
    """One on-disk format a dataset comes in (e.g. CIFAR-10 python batches or JPEG tree)."""

    name: str
    kind: str
    description: str
    splits: dict[str, dict[str, Any]]
    files: tuple[FileEntry, ...]
    reader: str = ""


@dataclass(frozen=True)
class DatasetEntry:
    """Everything the kit knows about one dataset."""

    name: str
    title: str
    description: str
    homepage: str
    licence: str
    citation: str
    formats: tuple[FormatEntry, ...]
    holdout: tuple[dict[str, str], ...]
    official_splits: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def format(self, name: str) -> FormatEntry:
        for fmt in self.formats:
            if fmt.name == name:
                return fmt
        known = ", ".join(f.name for f in self.formats)
        raise ManifestError(f"dataset {self.name!r} has no format {name!r}; known: {known}")

    def file(self, name: str) -> FileEntry:
        for fmt in self.formats:
            for entry in fmt.files:
                if name in entry.names:
                    return entry
        raise ManifestError(f"dataset {self.name!r} has no file {name!r}")


@cache
def schema() -> dict[str, Any]:
    """The JSON schema every manifest entry must satisfy."""
    return json.loads((PACKAGE_DIR / "schema.json").read_text("utf-8"))


def parse_entry(raw: dict[str, Any]) -> DatasetEntry:
    """Validate one raw JSON entry and turn it into a DatasetEntry."""
    try:
        jsonschema.validate(raw, schema())
    except jsonschema.ValidationError as err:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ManifestError(
            f"manifest entry {raw.get('name', '?')!r} invalid at {where}: {err.message}"
        ) from err
    formats = tuple(
        FormatEntry(
            name=f["name"],
            kind=f["kind"],
            description=f["description"],
            splits=f["splits"],
            reader=f.get("reader", ""),
            files=tuple(_file_entry(x) for x in f["files"]),
        )
        for f in raw["formats"]
    )
    return DatasetEntry(
        name=raw["name"],
        title=raw["title"],
        description=raw["description"],
        homepage=raw["homepage"],
        licence=raw["licence"],
        citation=raw["citation"],
        formats=formats,
        holdout=tuple(raw["holdout"]),
        official_splits=raw.get("official_splits", {}),
        notes=tuple(raw.get("notes", ())),
    )


def _file_entry(raw: dict[str, Any]) -> FileEntry:
    values = dict(raw)
    values["aliases"] = tuple(values.get("aliases", ()))
    values["checksums"] = dict(values.get("checksums", {}))
    return FileEntry(**values)


@cache
def load_manifest() -> dict[str, DatasetEntry]:
    """All dataset entries shipped in datasets_manifest/manifests/, keyed by name."""
    folder = PACKAGE_DIR / "manifests"
    entries: dict[str, DatasetEntry] = {}
    for item in sorted(folder.iterdir()):
        if not item.name.endswith(".json"):
            continue
        entry = parse_entry(json.loads(item.read_text("utf-8")))
        if item.name != f"{entry.name}.json":
            raise ManifestError(f"{item.name}: file name must be {entry.name}.json")
        entries[entry.name] = entry
    return entries


def get_entry(name: str) -> DatasetEntry:
    """The entry for one dataset, or a ManifestError listing the known names."""
    entries = load_manifest()
    if name not in entries:
        raise ManifestError(f"unknown dataset {name!r}; known: {', '.join(entries)}")
    return entries[name]
