"""Tests for the REST API and web pages (in-process FastAPI TestClient, SQLite)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from lb_helpers import INSTRUCTOR, answers, auth, csv_bytes, public_file, wait_status
from sqlalchemy import func, select

from leaderboard.store.models import Score, Submission
from leaderboard.store.submissions import day_window


def dna_rows(data_dir, n_wrong: int = 0, flip_ids=()):
    """All answers right except the first `n_wrong` ids (and `flip_ids`)."""
    truth = answers(data_dir, "dna-splice")
    out = []
    for k, (row_id, label) in enumerate(truth.items()):
        wrong = k < n_wrong or row_id in flip_ids
        out.append((row_id, {"EI": "IE", "IE": "N", "N": "EI"}[label] if wrong else label))
    return out


def post(client, token, data, task="dna-splice", name="sub.csv", description=""):
    return client.post(f"/api/tasks/{task}/submissions", headers=auth(token),
                       files={"file": (name, data)}, data={"description": description})


def test_writes_need_a_valid_token(client):
    data = csv_bytes("id,label", dna_rows(client.service.config.data_dir))
    assert client.post("/api/tasks/dna-splice/submissions",
                       files={"file": ("a.csv", data)}).status_code == 401
    assert post(client, "wrong-token", data).status_code == 401
    assert client.put("/api/tasks/dna-splice/final", json={"submission_ids": []}).status_code == 401


def test_submit_score_and_remaining(client, data_dir):
    answer = post(client, "tok-carol", csv_bytes("id,label", dna_rows(data_dir)), description="hi")
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["remaining_today"] == 4 and body["status"] == "pending"
    assert body["number"] == 1  # numbered within the team, not globally
    scored = wait_status(client, "tok-carol", body["id"])
    assert scored["status"] == "scored" and scored["public_score"] == 1.0
    assert scored["public_metrics"]["macro_f1"] == 1.0
    assert "private_score" not in scored and "private_metrics" not in scored
    mine = client.get("/api/tasks/dna-splice/submissions", headers=auth("tok-carol")).json()
    assert mine["remaining_today"] == 4 and mine["submissions"][0]["description"] == "hi"
    with client.service.Session() as session:
        score = session.scalar(select(Score))
        assert score.solution_hash == client.service.tasks["dna-splice"].solution.sha256
        assert score.settings["bootstrap"]["seed"] and score.scorer_version


def test_invalid_upload_is_explained_and_counted_apart(client, data_dir):
    answer = post(client, "tok-carol", b"ID,Label\ns0000,maybe\n")
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "not scored" in detail["message"] and len(detail["problems"]) >= 3
    assert "20 invalid uploads a day: 19 left" in detail["message"]
    me = client.get("/api/me", headers=auth("tok-carol")).json()
    assert me["tasks"]["dna-splice"]["remaining_today"] == 5
    mine = client.get("/api/tasks/dna-splice/submissions", headers=auth("tok-carol")).json()
    assert mine["invalid_left_today"] == 19 and mine["remaining_today"] == 5
    with client.service.Session() as session:
        assert session.scalar(select(func.count(Submission.id)).where(
            Submission.team_id != 1, Submission.participant_id.is_not(None))) == 0


def test_daily_limit_is_per_team(data_dir):
    from lb_helpers import open_client, write_config

    write_config(data_dir, daily_limit=2)
    test_client, _ = open_client(data_dir)
    data = csv_bytes("id,label", dna_rows(data_dir))
    with test_client as client:
        assert post(client, "tok-alice", data).status_code == 202
        assert post(client, "tok-bob", data).json()["remaining_today"] == 0  # same team
        refused = post(client, "tok-alice", data)
        assert refused.status_code == 429 and "midnight UTC" in refused.json()["detail"]["message"]
        assert post(client, "tok-carol", data).status_code == 202


def test_day_window_uses_instructor_time_zone():
    tz = ZoneInfo("America/New_York")
    start, end = day_window(tz, dt.datetime(2026, 3, 10, 3, 0))  # 23:00 on 9 March in New York
    assert start == dt.datetime(2026, 3, 9, 4, 0) and end == dt.datetime(2026, 3, 10, 4, 0)
    start, _ = day_window(ZoneInfo("Asia/Tokyo"), dt.datetime(2026, 3, 10, 16, 0))
    assert start == dt.datetime(2026, 3, 10, 15, 0)


def test_students_see_only_their_team(client, data_dir):
    sub_id = post(client, "tok-alice", csv_bytes("id,label", dna_rows(data_dir))).json()["id"]
    assert client.get(f"/api/submissions/{sub_id}", headers=auth("tok-bob")).status_code == 200
    assert client.get(f"/api/submissions/{sub_id}", headers=auth("tok-carol")).status_code == 404
    theirs = client.get("/api/tasks/dna-splice/submissions", headers=auth("tok-carol")).json()
    assert theirs["submissions"] == []
    picked = client.put("/api/tasks/dna-splice/final", headers=auth("tok-carol"),
                        json={"submission_ids": [sub_id]})
    assert picked.status_code == 404


def test_instructor_endpoints_need_instructor_token(client, data_dir):
    for path in ("/api/admin/tasks/dna-splice/board", "/api/admin/tasks/dna-splice/standings.csv"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=auth("tok-alice")).status_code == 403
        assert client.get(path, headers=auth(INSTRUCTOR)).status_code == 200
    assert client.post("/api/admin/rescore", json={}, headers=auth("tok-alice")).status_code == 403


def test_board_ranks_ties_baselines_and_hides_private(client, data_dir):
    # One wrong row, public under lb_helpers.TEST_SALT: the score drops but stays above the baseline.
    data = csv_bytes("id,label", dna_rows(data_dir, n_wrong=1))
    first = post(client, "tok-dave", data).json()["id"]
    wait_status(client, "tok-dave", first)
    second = post(client, "tok-carol", data).json()["id"]
    wait_status(client, "tok-carol", second)
    board = client.get("/api/tasks/dna-splice/board").json()
    assert board["final"] is False
    teams = [(r["rank"], r["team"]) for r in board["rows"]]
    assert teams[:2] == [(1, "dave"), (2, "carol")]  # same score: earlier submission first
    assert (None, "baseline: majority class") in teams
    assert all(r["private_score"] is None for r in board["rows"])
    row = board["rows"][0]
    assert row["score"] < 1.0, "the wrong row should be on the public part"
    assert row["ci_low"] <= row["score"] <= row["ci_high"]
    page = client.get("/tasks/dna-splice")
    assert page.status_code == 200 and "baseline: majority class" in page.text
    assert 'id="upload"' in page.text


def test_final_picks_and_deadline(client, data_dir):
    service = client.service
    good = post(client, "tok-alice", csv_bytes("id,label", dna_rows(data_dir))).json()["id"]
    worse = post(client, "tok-alice", csv_bytes("id,label", dna_rows(data_dir, 6))).json()["id"]
    wait_status(client, "tok-alice", good), wait_status(client, "tok-alice", worse)
    too_many = client.put("/api/tasks/dna-splice/final", headers=auth("tok-alice"),
                          json={"submission_ids": [good, worse, 1]})
    assert too_many.status_code == 422
    ok = client.put("/api/tasks/dna-splice/final", headers=auth("tok-bob"),
                    json={"submission_ids": [worse]})
    assert ok.json() == {"selected": [worse]}
    service.tasks["dna-splice"].rules.deadline = dt.datetime.now(dt.UTC) - dt.timedelta(1)
    assert post(client, "tok-alice", b"id,label\n").status_code == 403
    board = client.get("/api/tasks/dna-splice/board").json()
    assert board["final"] is True
    team_row = next(r for r in board["rows"] if r["team"] == "team-a")
    assert team_row["submission_id"] == worse and team_row["private_score"] is not None
    mine = client.get(f"/api/submissions/{worse}", headers=auth("tok-alice")).json()
    assert "private_score" in mine
    csv_text = client.get("/api/admin/tasks/dna-splice/standings.csv",
                          headers=auth(INSTRUCTOR)).text
    assert csv_text.splitlines()[0].startswith("rank,team,members")
    assert f",{worse}," in csv_text


def test_rescore_adds_history_with_same_numbers(client, data_dir):
    sub_id = post(client, "tok-dave", csv_bytes("id,label", dna_rows(data_dir, 2))).json()["id"]
    before = wait_status(client, "tok-dave", sub_id)
    answer = client.post("/api/admin/rescore", headers=auth(INSTRUCTOR),
                         json={"submission_ids": [sub_id]})
    assert answer.json()["statuses"] == {"scored": 1}
    after = client.get(f"/api/submissions/{sub_id}", headers=auth("tok-dave")).json()
    assert after["public_score"] == before["public_score"]
    with client.service.Session() as session:
        assert session.scalar(select(func.count(Score.id)).where(
            Score.submission_id == sub_id)) == 2


def test_summary_task_accepts_jsonl(client, data_dir):
    sample = public_file(data_dir, "billsum", "sample_submission.jsonl").read_bytes()
    answer = post(client, "tok-dave", sample, task="billsum", name="lead3.jsonl")
    assert answer.status_code == 202, answer.text
    scored = wait_status(client, "tok-dave", answer.json()["id"])
    assert scored["status"] == "scored" and 0 < scored["public_score"] <= 1
    assert set(scored["public_metrics"]) == {"rouge1", "rouge2", "rougeLsum", "rouge_mean"}


def test_openapi_schema_lists_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/tasks/{task_name}/submissions" in paths
    assert "/api/admin/tasks/{task_name}/standings.csv" in paths
