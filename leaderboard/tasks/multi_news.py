"""Competition `multi-news`: summarize a cluster of news articles (the mirror's 200-cluster
LongBench sample of the test split, or the official test files)."""

from __future__ import annotations

from leaderboard.tasks.summarization import SummarizationTask


class MultiNews(SummarizationTask):
    """Multi-News multi-document summarization."""

    name = "multi-news"
    title = "Multi-News: summarize a cluster of news articles"
    datasets = ("multi-news",)

    def load_records(self) -> list[dict]:
        import datasets_manifest

        return datasets_manifest.load_multi_news(split="test")
