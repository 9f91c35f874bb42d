"""No root needed to grade: a batch started as root grades as a plain user, or says loudly why
it cannot (and what one-time setup fixes it)."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
import pytest

from autograder.grade import privilege
from autograder.grade.batch import grade_batch
from autograder.sandbox.policy import reachable_by_others

WHO = "import os\n    raise ValueError(f'uid={os.getuid()}')"


def test_reachable_by_others_follows_every_parent():
    import shutil
    import tempfile

    if not reachable_by_others(tempfile.gettempdir()):
        pytest.skip("the temporary folder itself is private here")
    tmp_path = Path(tempfile.mkdtemp())
    try:
        _check_modes(tmp_path)
    finally:
        shutil.rmtree(tmp_path)


def _check_modes(tmp_path: Path) -> None:
    private = tmp_path / "private"
    (private / "python").mkdir(parents=True)
    tool = private / "python" / "tool"
    tool.write_text("x")
    for path, mode in ((tmp_path, 0o755), (private, 0o700), (private / "python", 0o755),
                       (tool, 0o644)):
        os.chmod(path, mode)
    assert not reachable_by_others(tool)  # like a pyenv under /root (0700)
    os.chmod(private, 0o711)
    assert reachable_by_others(tool)


@pytest.mark.skipif(os.geteuid() != 0, reason="only a batch started as root drops privileges")
def test_root_batch_grades_as_a_plain_user_or_says_why(toy_bundle: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture):
    reference = nbformat.read(str(toy_bundle / "examples/reference.ipynb"), as_version=4)
    nb = copy.deepcopy(reference)
    for cell in nb.cells:
        cell.source = cell.source.replace("return SCALE * np.asarray(x, dtype=float)", WHO)
    nbformat.write(nb, str(tmp_path / "who.ipynb"))
    (result,) = grade_batch(toy_bundle, [tmp_path / "who.ipynb"], tmp_path / "out",
                            progress=False)
    assert result.by_question()["q2"] == (1.0, 1.0)
    why = privilege.why_not_drop()
    if why is None:
        assert (tmp_path / "out" / "who" / "record.json").stat().st_uid == 0
        assert not list(tmp_path.glob("out/*/.*"))
    else:  # the one-time setup is missing here: the batch must have said so
        assert "WARNING: grading as root" in capsys.readouterr().err
        assert why in privilege.WARNING_AS_ROOT.format(why=why)
    message = next(t.message for t in result.tests if t.name == "test_double_small")
    assert "uid=0" not in message  # the student's code never runs as root either way
