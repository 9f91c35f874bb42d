"""The `coursekit` console command: a thin argparse front over each role's subcommands.

Each area registers its own subcommands through a `register(subparsers)` function:
`autograder.commands` (build, grade, check, catalog, demo), `autograder.mutation.cli` (mutate),
`datasets_manifest.cli` (data) and
`leaderboard.cli` (leaderboard). A handler returns an exit code (0 on success).
"""

from __future__ import annotations

import argparse
import importlib
import sys

REGISTRARS = ("autograder.commands", "autograder.mutation.cli", "datasets_manifest.cli",
              "leaderboard.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursekit", description="Autograded course kit: build, grade, data, leaderboard."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in REGISTRARS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
