"""`coursekit leaderboard ...`: init, validate, serve, submit, board, rescore, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_DATA_DIR = "leaderboard-data"


def register(subparsers) -> None:
    """Add the `leaderboard` command and its subcommands to the coursekit CLI."""
    parser = subparsers.add_parser("leaderboard", help="run or use a class leaderboard",
                                   description="Self-hosted leaderboard for prediction CSVs "
                                               "and ROUGE-scored summaries.")
    sub = parser.add_subparsers(dest="leaderboard_command", required=True, metavar="ACTION")
    from leaderboard.tasks import TASKS

    tasks = sorted(TASKS)

    p = sub.add_parser("init", help="build a task's student files and hidden solution")
    p.add_argument("task", choices=tasks)
    p.add_argument("--out", help=f"task folder (default {DEFAULT_DATA_DIR}/tasks/TASK)")
    p.add_argument("--mirror", help="dataset folder (default: $COURSEKIT_MIRROR / data cache)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("validate", help="check a submission file locally (no server needed)")
    p.add_argument("task", choices=tasks)
    p.add_argument("file", type=Path)
    p.add_argument("--test", type=Path, help="public test file with the ids (test.csv/.jsonl)")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("serve", help="run the leaderboard server (SQLite by default)")
    _data_args(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--roster", help="roster CSV (default DATA_DIR/roster.csv, else the demo)")
    p.add_argument("--mirror", help="dataset folder used to build missing tasks")
    p.add_argument("--scorers", type=int, default=1, help="scoring threads (default 1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("submit", help="upload a submission to a server")
    p.add_argument("task", choices=tasks)
    p.add_argument("file", type=Path)
    p.add_argument("--server", help="URL (default $COURSEKIT_LEADERBOARD_URL or :8000)")
    p.add_argument("--token", help="your token (default $COURSEKIT_LEADERBOARD_TOKEN)")
    p.add_argument("--description", "-m", default="")
    p.add_argument("--no-wait", action="store_true", help="do not wait for the score")
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("board", help="print a task's board from a server")
    p.add_argument("task", choices=tasks)
    p.add_argument("--server")
    p.set_defaults(func=cmd_board)

    p = sub.add_parser("rescore", help="rescore stored submissions (offline, on the database)")
    _data_args(p)
    p.add_argument("--task", choices=tasks)
    p.add_argument("--id", type=int, action="append", dest="ids", help="submission id (repeat)")
    p.set_defaults(func=cmd_rescore)

    p = sub.add_parser("export", help="write the final standings of a task as CSV")
    _data_args(p)
    p.add_argument("task", choices=tasks)
    p.add_argument("--out", type=Path, help="CSV file (default: standard output)")
    p.set_defaults(func=cmd_export)


def _round(value: float | None, digits: int = 4) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def score_with_ci(score: float | None, low: float | None, high: float | None) -> str:
    """`0.5529 ± 0.0291 (0.4949–0.6109)`: the half-width of the 95% bootstrap interval,
    then its (possibly asymmetric) bounds; just the score when there is no interval."""
    if score is None:
        return "—"
    if low is None or high is None:
        return _round(score)
    return f"{_round(score)} ± {_round((high - low) / 2)} ({_round(low)}–{_round(high)})"


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="default ./leaderboard-data")
    p.add_argument("--database-url", help="SQLAlchemy URL (default SQLite in the data dir; "
                                          "or postgresql+psycopg://user:pw@host/db)")


def cmd_init(args: argparse.Namespace) -> int:
    from leaderboard.tasks.data import TaskDataMissing, prepare_task

    out = Path(args.out or Path(DEFAULT_DATA_DIR) / "tasks" / args.task)
    try:
        prepare_task(args.task, out, args.mirror)
    except (OSError, ValueError, TaskDataMissing) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{args.task}: student files in {out / 'public'}; hidden solution in "
          f"{out / 'private' / 'solution.json'} (do not share)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from leaderboard.tasks import get_task
    from leaderboard.tasks.files import read_test_ids, test_file

    try:
        test = args.test or test_file(args.task, Path(args.data_dir) / "tasks" / args.task)
        ids = read_test_ids(test)
        report = get_task(args.task).validate(args.file, ids)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from leaderboard.service import LeaderboardService
    from leaderboard.web.app import create_app

    service = LeaderboardService.open(args.data_dir, database_url=args.database_url,
                                      roster=args.roster, mirror=args.mirror,
                                      worker_threads=args.scorers)
    if not service.tasks:
        print("error: no task could be loaded:", file=sys.stderr)
        for name, why in service.missing.items():
            print(f"  {name}: {why}", file=sys.stderr)
        return 1
    print(f"leaderboard on http://{args.host}:{args.port}/  tasks: {', '.join(service.tasks)}; "
          f"instructor token in {Path(args.data_dir) / 'instructor_token'}", flush=True)
    uvicorn.run(create_app(service), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from leaderboard import client

    server = client.server_url(args.server)
    try:
        answer = client.submit_file(server, client.resolve_token(args.token), args.task,
                                    args.file, args.description)
        for note in answer.get("notes", []):
            print(f"note: {note}")
        print(f"accepted as your team's submission #{answer['number']} "
          f"({answer['remaining_today']} left today)")
        if args.no_wait:
            return 0
        result = client.wait_scored(server, client.resolve_token(args.token), answer["id"])
    except (client.ClientError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"status: {result['status']}")
    if result["status"] == "scored":
        score = score_with_ci(result["public_score"], result["ci_low"], result["ci_high"])
        print(f"public score: {score}")
        metrics = result.get("public_metrics") or {}
        print("metrics: " + ", ".join(f"{k} {_round(v)}" for k, v in metrics.items()))
    return 0 if result["status"] == "scored" else 1


def cmd_board(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from leaderboard import client

    try:
        board = client.fetch_board(client.server_url(args.server), args.task)
    except (client.ClientError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    table = Table(title=f"{args.task} ({'final' if board['final'] else 'public'} board)")
    for column in ("#", "team", "score ± 95% CI", "entries"):
        table.add_column(column)
    for row in board["rows"]:
        table.add_row(str(row["rank"] or "—"), row["team"],
                      score_with_ci(row["score"], row["ci_low"], row["ci_high"]),
                      str(row["entries"]))
    Console().print(table)
    return 0


def cmd_rescore(args: argparse.Namespace) -> int:
    from leaderboard.rescore import rescore
    from leaderboard.service import LeaderboardService

    service = LeaderboardService.open(args.data_dir, database_url=args.database_url,
                                      auto_init=False)
    counts = rescore(service.Session, service.tasks, task=args.task, ids=args.ids)
    print(", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "nothing to do")
    service.engine.dispose()
    return 0 if not counts.get("failed") else 1


def cmd_export(args: argparse.Namespace) -> int:
    from leaderboard.service import LeaderboardService
    from leaderboard.store.standings import final_board, standings_csv

    service = LeaderboardService.open(args.data_dir, database_url=args.database_url,
                                      auto_init=False)
    task = service.task(args.task)
    if task is None:
        print(f"error: task {args.task} is not set up in {args.data_dir}", file=sys.stderr)
        return 1
    with service.Session() as session:
        text = standings_csv(final_board(session, task), task.spec.metrics)
    service.engine.dispose()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
