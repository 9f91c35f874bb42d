"""`coursekit data ...`: list, describe, fetch, verify and locate datasets; list pretrained models."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from datasets_manifest.fetch import Report, fetch_dataset, verify_dataset, verify_mirror
from datasets_manifest.locations import (
    CACHE_ENV,
    MIRROR_ENV,
    DataNotFoundError,
    cache_root,
    dataset_path,
    mirror_root,
)
from datasets_manifest.manifest import DatasetEntry, ManifestError, get_entry, load_manifest
from datasets_manifest.models import models_report


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `data` command and its sub-commands to the `coursekit` parser."""
    data = subparsers.add_parser("data", help="list, fetch, verify and locate datasets")
    sub = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    sub.add_parser("list", help="list the datasets in the manifest").set_defaults(func=cmd_list)
    info = sub.add_parser("info", help="describe one dataset: source, licence, files, splits")
    info.add_argument("name")
    info.set_defaults(func=cmd_info)
    for action, handler, text in (
        ("fetch", cmd_fetch, "download (or copy from a mirror) and verify datasets"),
        ("verify", cmd_verify, "re-check the checksums of fetched datasets"),
    ):
        parser = sub.add_parser(action, help=text)
        parser.add_argument("names", nargs="*", metavar="NAME")
        parser.add_argument("--all", action="store_true", help="every dataset in the manifest")
        _location_options(parser)
        parser.set_defaults(func=handler)
    sub.choices["fetch"].add_argument(
        "--format", help="fetch this format instead of the first available"
    )
    sub.choices["fetch"].add_argument("--quiet", action="store_true", help="no progress bars")
    path = sub.add_parser("path", help="print the folder holding a dataset's files")
    path.add_argument("name")
    _location_options(path)
    path.set_defaults(func=cmd_path)
    models = sub.add_parser(
        "models", help="list pretrained models found in a Hugging Face hub cache"
    )
    models.add_argument(
        "--hub-cache", help="hub cache folder (default: $HF_HUB_CACHE or the mirror's)"
    )
    models.set_defaults(func=cmd_models)


def _location_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir",
        help="cache folder (default $COURSEKIT_DATA_DIR or ~/.cache/coursekit/datasets)",
    )
    parser.add_argument(
        "--mirror", help="local mirror folder to copy from (default $COURSEKIT_MIRROR)"
    )


def cmd_list(args: argparse.Namespace) -> int:
    for entry in load_manifest().values():
        formats = ", ".join(f.name for f in entry.formats)
        print(f"{entry.name:18} {entry.title}  [formats: {formats}]")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    entry = _entry_or_none(args.name)
    if entry is None:
        return 2
    print(f"{entry.title} ({entry.name})\n{entry.description}")
    print(f"homepage: {entry.homepage}\nlicence:  {entry.licence}\ncitation: {entry.citation}")
    if entry.official_splits:
        print("official splits: " + _splits(entry.official_splits))
    for item in entry.holdout:
        print(f"instructor holds back: {item['what']} ({item['why']})")
    for fmt in entry.formats:
        print(f"format {fmt.name} [{fmt.kind}]: {fmt.description}\n  splits: {_splits(fmt.splits)}")
        for f in fmt.files:
            check = (
                "content sha256" if f.content else ", ".join(f.checksums) or "no published checksum"
            )
            print(
                f"  {f.name}: {f.url or 'no direct URL'}; mirror: {f.mirror_path or '-'}; {check}"
            )
    for note in entry.notes:
        print(f"note: {note}")
    return 0


def _splits(splits: dict) -> str:
    return ", ".join(f"{k} {v['size']:,} {v['unit']}" for k, v in splits.items())


def _entry_or_none(name: str) -> DatasetEntry | None:
    try:
        return get_entry(name)
    except ManifestError as err:
        print(f"error: {err}", file=sys.stderr)
        return None


def _selected(args: argparse.Namespace) -> list[DatasetEntry] | None:
    if args.all == bool(args.names):
        print("error: name one or more datasets, or pass --all", file=sys.stderr)
        return None
    entries = (
        [_entry_or_none(n) for n in args.names] if args.names else list(load_manifest().values())
    )
    return None if any(e is None for e in entries) else entries  # type: ignore[return-value]


def _print_reports(reports: list[Report], verb: str) -> int:
    for report in reports:
        status = "ok" if report.ok else "FAILED"
        fmt = f" (format {report.format})" if report.format else ""
        print(f"{report.dataset}: {verb} {status}{fmt}")
        for line in report.lines:
            print(line)
    failed = [r.dataset for r in reports if not r.ok]
    if failed:
        print(f"{len(failed)} of {len(reports)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    entries = _selected(args)
    if entries is None:
        return 2
    cache, mirror = cache_root(args.cache_dir), mirror_root(args.mirror)
    if mirror is not None and not mirror.is_dir():
        print(f"error: mirror folder {mirror} does not exist", file=sys.stderr)
        return 2
    print(
        f"cache: {cache}"
        + (f"; mirror: {mirror}" if mirror else "; no mirror (official downloads)")
    )
    if args.format and len(entries) != 1:
        print("error: --format needs exactly one dataset name", file=sys.stderr)
        return 2
    try:
        reports = [
            fetch_dataset(e, cache, mirror, args.format, progress=not args.quiet) for e in entries
        ]
    except ManifestError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return _print_reports(reports, "fetch")


def cmd_verify(args: argparse.Namespace) -> int:
    entries = _selected(args)
    if entries is None:
        return 2
    if args.mirror:
        mirror = Path(args.mirror).expanduser().resolve()
        return _print_reports([verify_mirror(e, mirror) for e in entries], "verify (mirror)")
    cache = cache_root(args.cache_dir)
    return _print_reports([verify_dataset(e, cache / e.name) for e in entries], "verify")


def cmd_path(args: argparse.Namespace) -> int:
    if _entry_or_none(args.name) is None:
        return 2
    if args.cache_dir:  # dataset_path() reads these, like the loaders do
        os.environ[CACHE_ENV] = args.cache_dir
    if args.mirror:
        os.environ[MIRROR_ENV] = args.mirror
    try:
        print(dataset_path(args.name))
    except DataNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    text, ok = models_report(args.hub_cache)
    print(text)
    return 0 if ok else 1
