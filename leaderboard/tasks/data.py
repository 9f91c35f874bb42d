"""Building a task folder from the datasets, fetching what is missing first.

`init_task(name, out_dir, mirror)` loads the task's records through `datasets_manifest`
(data cache, then the mirror) and writes the task folder. `prepare_task` is what
`coursekit leaderboard serve` (and `init`) runs for a task without a folder: it fetches the
task's datasets into the data cache first (what `coursekit data fetch` does, with progress
bars: copied from the mirror when one is known, else downloaded where the dataset has an
official URL) and, when that is impossible (offline, no mirror), raises `TaskDataMissing`
whose message is the exact command to run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from leaderboard.tasks import get_task

MIRROR_ENV = "COURSEKIT_MIRROR"  # same variable as datasets_manifest.locations


class TaskDataMissing(RuntimeError):
    """A task's datasets are neither cached nor fetchable; the message says what to run."""


def default_mirror() -> Path | None:
    """$COURSEKIT_MIRROR, else `../shared/datasets` next to a source checkout, else None."""
    if os.environ.get(MIRROR_ENV):
        return Path(os.environ[MIRROR_ENV])
    candidate = Path(__file__).resolve().parents[3] / "shared" / "datasets"
    return candidate if candidate.is_dir() else None


@contextlib.contextmanager
def _mirror_env(mirror: str | Path | None) -> Iterator[None]:
    saved = os.environ.get(MIRROR_ENV)
    if mirror is not None:
        os.environ[MIRROR_ENV] = str(Path(mirror).resolve())
    try:
        yield
    finally:
        if mirror is not None:
            if saved is None:
                os.environ.pop(MIRROR_ENV, None)
            else:
                os.environ[MIRROR_ENV] = saved


def init_task(task_name: str, out_dir: str | Path, mirror: str | Path | None = None) -> Path:
    """Build `task_name` in `out_dir` from its datasets (cache, then `mirror`)."""
    task = get_task(task_name)
    with _mirror_env(mirror if mirror is not None else default_mirror()):
        records = task.load_records()
    return task.build(records, Path(out_dir))


def fetch_command(task_name: str, mirror: str | Path | None = None) -> str:
    """The shell command that brings a task's datasets into the data cache."""
    names = " ".join(get_task(task_name).datasets)
    where = f" --mirror {mirror}" if mirror else " --mirror /path/to/datasets-mirror"
    return f"coursekit data fetch {names}{where}"


def fetch_task_data(task_name: str, mirror: str | Path | None = None,
                    log: Callable[[str], None] = print) -> None:
    """Fetch (with progress) every dataset of the task into the cache, or raise
    `TaskDataMissing` naming the command to run."""
    from datasets_manifest.fetch import fetch_dataset
    from datasets_manifest.locations import cache_root, mirror_root
    from datasets_manifest.manifest import get_entry

    mirror_path = mirror_root(mirror) if mirror is not None else default_mirror()
    cache = cache_root()
    for name in get_task(task_name).datasets:
        log(f"{task_name}: fetching dataset {name} into {cache}"
            + (f" from the mirror {mirror_path}" if mirror_path else " (official download)"))
        report = fetch_dataset(get_entry(name), cache, mirror_path, progress=True)
        for line in report.lines:
            log(line)
        if not report.ok:
            raise TaskDataMissing(
                f"task {task_name} needs the dataset {name}, which is not in the data cache "
                f"{cache} and could not be fetched. Run `{fetch_command(task_name)}` "
                f"(the folder that holds {_mirror_files(name)}, e.g. the course's shared "
                f"datasets folder), then start the server again.")


def _mirror_files(dataset: str) -> str:
    from datasets_manifest.manifest import get_entry

    paths = [f.mirror_path for fmt in get_entry(dataset).formats for f in fmt.files
             if getattr(f, "mirror_path", None)]
    return " or ".join(paths[:2]) or "the dataset's files"


def prepare_task(task_name: str, out_dir: Path, mirror: str | Path | None = None,
                 log: Callable[[str], None] = print) -> Path:
    """Fetch the task's datasets into the data cache (a checksum check when they are there
    already), then `init_task` from the cache."""
    fetch_task_data(task_name, mirror, log)
    return init_task(task_name, out_dir, mirror)
