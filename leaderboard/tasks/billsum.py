"""Competition `billsum`: summarize US congressional bills (the mirror's 100-bill sample,
or the official US training file)."""

from __future__ import annotations

from leaderboard.tasks.summarization import SummarizationTask


class BillSum(SummarizationTask):
    """BillSum summarization."""

    name = "billsum"
    title = "BillSum: summarize US congressional bills"
    datasets = ("billsum",)

    def load_records(self) -> list[dict]:
        import datasets_manifest

        return datasets_manifest.load_billsum(split="train")
