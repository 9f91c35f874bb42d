"""No root needed to grade: a batch started as root grades every submission as a plain user.

The grading processes (`python -m autograder.grade.one`) read notebooks, run the tests and
start the sandboxed workers; none of that needs root. When the batch runs as root it stages a
read-only copy of the bundle and of each notebook where that user can read them, gives it the
output folder and a delegated cgroup base (`autograder.sandbox.cgroup.delegate`), and starts
each grading process as that user (its workers then use bubblewrap's unprivileged mode, with
`--disable-userns`).

The user: `$COURSEKIT_GRADER_USER`, else `coursekit` when it exists, else `nobody`.
One-time setup: `useradd --system --no-create-home coursekit` (optional: `nobody` works), and a
Python installation and kit that other users can read: a pyenv under /root is not (`chmod o+x
/root`, or a system-wide Python). Without it the batch warns loudly and grades as root.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from autograder.extract import MAX_NOTEBOOK_BYTES
from autograder.sandbox.cgroup import MOUNT, CgroupManager, delegate, join_grader_leaf
from autograder.sandbox.policy import python_paths, reachable_by_others

WARNING_AS_ROOT = (
    "WARNING: grading as root: {why}. Grading processes will read submissions with root rights "
    "(the student code itself still runs sandboxed). One-time setup: make the Python "
    "installation and the kit readable by other users (e.g. `chmod o+x /root` for a pyenv under "
    "/root, or a system-wide Python); optionally `useradd --system coursekit`."
)


def grader_user() -> pwd.struct_passwd:
    for name in (os.environ.get("COURSEKIT_GRADER_USER"), "coursekit", "nobody"):
        if name:
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
    raise LookupError("no unprivileged user to grade as: set COURSEKIT_GRADER_USER")


def why_not_drop() -> str | None:
    """None when a batch started as root can grade as the plain user; else the reason."""
    kit = Path(__file__).resolve().parents[1]
    for path in (sys.executable, *python_paths(), kit / "grade" / "one.py"):
        if not reachable_by_others(path):
            return f"{path} is not readable by other users"
    try:
        grader_user()
    except LookupError as err:
        return str(err)
    return None


class Unprivileged:
    """For one batch started as root: stage files and start grading processes as the user."""

    def __init__(self, bundle: Path):
        user = grader_user()
        self.uid, self.gid = user.pw_uid, user.pw_gid
        self.root = Path(tempfile.mkdtemp(prefix="coursekit-batch-"))
        os.chmod(self.root, 0o755)
        self.bundle = self.root / "bundle"
        shutil.copytree(bundle, self.bundle, ignore=shutil.ignore_patterns("examples"))
        _readable(self.bundle)
        self.home = self.root / "home"
        self.home.mkdir()
        os.chown(self.home, self.uid, self.gid)
        self.env, self.cgroups = delegate(self.uid, self.gid)
        self._ids = itertools.count(1)
        self.home_cgroup = _v2_own_cgroup()
        if self.home_cgroup is not None:  # v2: grading processes must start inside the base
            join_grader_leaf(self.env)

    def stage(self, submission: Path) -> tuple[Path, Path]:
        """A copy of the notebook the user can read, and an output folder of the user's."""
        n = next(self._ids)
        copy = self.root / f"submission-{n}.ipynb"
        try:  # a plain file only: a link in the submissions must not expose a root-only file
            fd = os.open(submission, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as src:
                if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
                    raise OSError("not a regular file")
                with open(copy, "xb") as dst:  # one byte over the cap: "too large" later
                    dst.write(src.read(MAX_NOTEBOOK_BYTES + 1))
            os.chown(copy, self.uid, self.gid)
            os.chmod(copy, 0o400)
        except OSError:
            copy = self.root / f"unreadable-{n}.ipynb"  # the grading process says it is missing
        out = self.root / f"out-{n}"
        out.mkdir()
        os.chown(out, self.uid, self.gid)
        return copy, out

    @staticmethod
    def collect(staged_out: Path, out: Path) -> None:
        """Copy the grading process's files (plain files only, no links) to the real folder."""
        out.mkdir(parents=True, exist_ok=True)
        for name in ("results.json", "feedback.txt", "record.json"):
            source = staged_out / name
            if source.is_file() and not source.is_symlink():
                shutil.copyfile(source, out / name, follow_symlinks=False)

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        return {**base, **self.env, "HOME": str(self.home), "USER": "coursekit-grader"}

    def popen_args(self) -> dict:
        """subprocess arguments that start the grading process as the user."""
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        if self.home_cgroup is not None:
            try:
                (self.home_cgroup / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:
                pass
        if isinstance(self.cgroups, CgroupManager):
            for base in self.cgroups.bases:  # grading processes' worker cgroups are gone
                try:
                    (base / "grader").rmdir()
                except OSError:
                    pass
            self.cgroups.close()


def _v2_own_cgroup() -> Path | None:
    if not (MOUNT / "cgroup.controllers").exists():
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        if line.startswith("0::"):
            return MOUNT / line[3:].lstrip("/")
    return None


def _readable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def for_batch(bundle: Path) -> Unprivileged | None:
    """An `Unprivileged` when started as root and possible; None otherwise (warns when root)."""
    if os.geteuid() != 0:
        return None
    why = why_not_drop()
    if why:
        print(WARNING_AS_ROOT.format(why=why), file=sys.stderr)
        return None
    return Unprivileged(bundle)
