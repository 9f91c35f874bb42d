"""Scoring building blocks: parsing and validation of uploads, metrics, ROUGE, bootstrap
intervals, sentence splitting and baselines. Nothing here knows which tasks exist."""
