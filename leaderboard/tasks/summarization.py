"""Task kind: abstractive summarization scored with ROUGE.

Submissions are `id,summary` CSV or JSON lines. Each document scores the mean of its
ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (Porter stemming); the board ranks by `rouge_mean`.
Reference summaries are stored one sentence per line (the form ROUGE-Lsum expects);
predictions are scored as submitted, so students should do the same. The sample submission,
which is also the pinned baseline, is lead-3 of each document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from leaderboard.scoring.baselines import lead_n
from leaderboard.scoring.metrics import rouge_metrics, rouge_rows
from leaderboard.scoring.rouge import ROUGE_TYPES, backend
from leaderboard.scoring.sentences import one_sentence_per_line
from leaderboard.tasks.base import Task
from leaderboard.tasks.files import (
    public_dir,
    sample_submission_path,
    solution_path,
    write_csv,
    write_jsonl,
)
from leaderboard.tasks.solution import Solution, new_solution, save_solution

README = (
    "{task}: summarize every document in test.jsonl (or test.csv) and submit a CSV with the\n"
    "header `id,summary` or a JSONL file with objects {{\"id\": ..., \"summary\": ...}},\n"
    "one per test id (see sample_submission.*, the lead-3 baseline). Scored with ROUGE-1,\n"
    "ROUGE-2 and ROUGE-Lsum F1 (Porter stemming); put one sentence per line.\n"
)


class SummarizationTask(Task):
    """A task whose records are {id, document, summary} dicts."""

    kind = "summarization"
    value_column = "summary"
    formats = ("csv", "jsonl")
    metrics = ("rouge_mean", "rouge1", "rouge2", "rougeLsum")
    baseline_name = "baseline: lead-3"

    def build(self, records: Sequence[dict], out_dir: Path, public_fraction: float = 0.5
              ) -> Path:
        out, pub = Path(out_dir), public_dir(out_dir)
        ids = [str(r["id"]) for r in records]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.name}: the records have duplicate ids; fix the data first")
        docs = [{"id": i, "document": r["document"]} for i, r in zip(ids, records, strict=True)]
        write_jsonl(pub / "test.jsonl", docs)
        write_csv(pub / "test.csv", ["id", "document"], [[d["id"], d["document"]] for d in docs])
        leads = [[d["id"], lead_n(d["document"], 3)] for d in docs]
        write_csv(sample_submission_path(out), ["id", "summary"], leads)
        write_jsonl(pub / "sample_submission.jsonl", [{"id": i, "summary": s} for i, s in leads])
        (pub / "README.txt").write_text(README.format(task=self.name), encoding="utf-8")
        answers = {i: one_sentence_per_line(r["summary"])
                   for i, r in zip(ids, records, strict=True)}
        save_solution(new_solution(self.name, answers, public_fraction), solution_path(out))
        return out

    def row_scores(self, rows: dict[str, str], solution: Solution, ids: list[str]
                   ) -> tuple[list[float], dict[str, float]]:
        scored = rouge_rows([rows[i] for i in ids], [solution.answers[i] for i in ids])
        return [r["score"] for r in scored], rouge_metrics(scored)

    def settings(self) -> dict[str, Any]:
        return {"rouge": {"rouge_types": list(ROUGE_TYPES), "use_stemmer": True,
                          "aggregate": "mean of per-document F1", "package": backend()}}
