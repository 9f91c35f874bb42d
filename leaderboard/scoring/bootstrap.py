"""Percentile-bootstrap confidence intervals over per-row scores.

Shown next to each public score so students can tell real gaps from noise. Rows are
resampled with replacement `n_resamples` times with a fixed seed, so the interval of a
submission never changes between page loads or rescoring runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BOOTSTRAP_SEED = 20240917
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_CONFIDENCE = 0.95


def bootstrap_ci(
    per_row: Sequence[float],
    *,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    confidence: float = BOOTSTRAP_CONFIDENCE,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """(low, high) percentile interval of the mean of `per_row`; (nan, nan) when empty."""
    values = np.asarray(per_row, dtype=np.float64)  # (N,)
    if values.size == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, values.size, size=(n_resamples, values.size))  # (B, N)
    means = values[indices].mean(axis=1)  # (B,)
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [alpha, 1.0 - alpha])
    return float(low), float(high)
