"""Tests for scoring, the bootstrap interval, the salted split and Gradescope entries."""

from __future__ import annotations

import numpy as np
import pytest
from lb_helpers import fake_splice, fake_summaries, init_dna_splice, init_summaries
from rouge_score import rouge_scorer
from sklearn.metrics import accuracy_score, f1_score

from leaderboard.scoring.bootstrap import bootstrap_ci
from leaderboard.scoring.metrics import SCORER_VERSION, classification_metrics
from leaderboard.tasks import get_task
from leaderboard.tasks.gradescope import gradescope_leaderboard, leaderboard_entries
from leaderboard.tasks.solution import load_solution, new_solution, save_solution


def test_salted_split_is_stable_and_secret(tmp_path):
    answers = {f"id{i}": "N" for i in range(400)}
    one, two = new_solution("dna-splice", answers), new_solution("dna-splice", answers)
    assert one.salt != two.salt and one.public_ids() != two.public_ids()
    assert 150 < len(one.public_ids()) < 250
    digest = save_solution(one, tmp_path / "s.json")
    loaded = load_solution(tmp_path / "s.json")
    assert loaded.public_ids() == one.public_ids() and loaded.sha256 == digest
    assert set(loaded.public_ids()) | set(loaded.private_ids()) == set(answers)


def test_classification_matches_sklearn(tmp_path):
    folder = init_dna_splice(fake_splice((30, 30, 60)), tmp_path / "dna")
    solution = load_solution(folder / "private" / "solution.json")
    rng = np.random.default_rng(0)
    rows = {i: str(rng.choice(["EI", "IE", "N"])) for i in solution.ids}
    result = get_task("dna-splice").score(rows, solution)
    for part, ids in (("public", solution.public_ids()), ("private", solution.private_ids())):
        truth, pred = [solution.answers[i] for i in ids], [rows[i] for i in ids]
        assert result.__dict__[part]["accuracy"] == pytest.approx(accuracy_score(truth, pred))
        assert result.__dict__[part]["macro_f1"] == pytest.approx(
            f1_score(truth, pred, average="macro", labels=["EI", "IE", "N"], zero_division=0))
    assert result.scorer_version == SCORER_VERSION
    assert result.solution_hash == solution.sha256
    assert len(result.per_row["public"]) + len(result.per_row["private"]) == len(solution.ids)
    assert result.per_row["public"] == sorted(result.per_row["public"])  # no row order kept
    low, high = result.public_ci
    assert low <= result.public["accuracy"] <= high


def test_rouge_matches_rouge_score(tmp_path):
    folder = init_summaries("billsum", fake_summaries(10), tmp_path / "bs")
    solution = load_solution(folder / "private" / "solution.json")
    preds = {i: f"The cat sat.\nDogs ran far {k}." for k, i in enumerate(solution.ids)}
    result = get_task("billsum").score(preds, solution)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    ids = solution.public_ids()
    expected = [scorer.score(solution.answers[i], preds[i]) for i in ids]
    for key in ("rouge1", "rouge2", "rougeLsum"):
        mean = np.mean([e[key].fmeasure for e in expected])
        assert abs(result.public[key] - mean) < 1e-9
    assert result.settings["rouge"]["use_stemmer"] is True
    assert result.public["rouge_mean"] == pytest.approx(
        np.mean([result.public[k] for k in ("rouge1", "rouge2", "rougeLsum")]))


def test_bootstrap_is_deterministic_and_sensible():
    values = np.r_[np.ones(70), np.zeros(30)]
    low, high = bootstrap_ci(values)
    assert (low, high) == bootstrap_ci(values)
    assert low < 0.7 < high and 0.05 < high - low < 0.3
    assert bootstrap_ci(np.ones(50)) == (1.0, 1.0)
    assert all(np.isnan(bootstrap_ci([])))


def test_score_rows_refuses_incomplete_rows(tmp_path):
    folder = init_dna_splice(fake_splice(), tmp_path / "dna")
    solution = load_solution(folder / "private" / "solution.json")
    with pytest.raises(ValueError, match="validate"):
        get_task("dna-splice").score({}, solution)


def test_gradescope_entries(tmp_path):
    folder = init_dna_splice(fake_splice(), tmp_path / "dna")
    entries = gradescope_leaderboard("dna-splice", folder / "public" / "sample_submission.csv",
                                     folder / "private" / "solution.json")
    assert [e["name"] for e in entries] == ["Accuracy", "Macro-F1"]
    assert all(e["order"] == "desc" and isinstance(e["value"], float) for e in entries)
    assert leaderboard_entries("billsum", {"rouge_mean": 0.123456, "rouge1": 0.2}) == [
        {"name": "ROUGE mean", "value": 0.1235, "order": "desc"},
        {"name": "ROUGE-1 F1", "value": 0.2, "order": "desc"}]
    with pytest.raises(ValueError, match="INVALID"):
        gradescope_leaderboard("dna-splice", b"id,label\n", folder / "private" / "solution.json")


def test_macro_f1_ignores_a_class_absent_from_truth_and_predictions():
    from sklearn.metrics import f1_score


    truth, preds = ["EI", "IE", "EI"], ["EI", "IE", "EI"]
    metrics = classification_metrics(truth, preds, ("EI", "IE", "N"))
    assert metrics["macro_f1"] == 1.0 == f1_score(truth, preds, average="macro")
    wrong = classification_metrics(["EI", "IE"], ["EI", "N"], ("EI", "IE", "N"))
    assert wrong["macro_f1"] == f1_score(["EI", "IE"], ["EI", "N"], average="macro")
