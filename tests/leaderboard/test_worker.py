"""The scoring worker on its own: it needs only a session factory and the loaded tasks."""

from __future__ import annotations

import time

from lb_helpers import csv_bytes, loaded_task, store_with_roster

from leaderboard.store.models import Score, Submission
from leaderboard.store.submissions import store_submission
from leaderboard.worker import ScoringWorker, score_submission


def test_score_once_fail_clearly_and_sweep(tmp_path):
    Session, people = store_with_roster(tmp_path)
    task = loaded_task(tmp_path)
    tasks = {"dna-splice": task}
    good = csv_bytes("id,label", task.solution.answers.items())
    with Session.begin() as session:
        ok = store_submission(session, "dna-splice", people["dave"].team_id, None, good,
                              "p.csv", "").id
        broken = store_submission(session, "dna-splice", people["dave"].team_id, None,
                                  b"id,label\n", "p.csv", "").id
    assert score_submission(Session, tasks, ok) == "scored"
    assert score_submission(Session, tasks, ok) == "scored"  # already done: left alone
    assert score_submission(Session, tasks, broken) == "failed"
    with Session() as session:
        assert session.query(Score).count() == 1
        assert "no longer validates" in session.get(Submission, broken).error
    with Session.begin() as session:
        late = store_submission(session, "dna-splice", people["carol"].team_id, None, good,
                                "p.csv", "").id
    worker = ScoringWorker(Session, tasks)
    worker.start()  # the start-up sweep finds the pending row
    try:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            with Session() as session:
                if session.get(Submission, late).status == "scored":
                    break
            time.sleep(0.1)
    finally:
        worker.stop()
    with Session() as session:
        assert session.get(Submission, late).public_score == 1.0
