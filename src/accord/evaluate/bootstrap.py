"""Cluster bootstrap of mean absolute error, resampling whole proposals.

Issues of one legislative proposal are decided together, so their errors are not independent;
resampling proposals (clusters) with replacement keeps that dependence (Cameron, Gelbach & Miller
2008; Field & Welsh 2007). For draw b with multiplicities m_bg of cluster g,

    MAE_b = sum_g m_bg S_g / sum_g m_bg N_g,   S_g = sum of errors in g, N_g = issues in g,

and the 95% interval is the 2.5th and 97.5th percentile of MAE_b. All models use the same draws,
so differences between models get paired intervals.
"""

from __future__ import annotations

import numpy as np


def cluster_weights(groups: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Multiplicities ``[n_boot, G]`` of the ``G`` distinct clusters in ``groups``."""
    n_groups = len(np.unique(groups))
    draws = rng.integers(0, n_groups, size=(n_boot, n_groups))
    offsets = (np.arange(n_boot) * n_groups)[:, None]
    counts = np.bincount((draws + offsets).ravel(), minlength=n_boot * n_groups)
    return counts.reshape(n_boot, n_groups).astype(float)


def bootstrap_means(values: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Bootstrap means ``[n_boot, ...]`` of ``values [N, ...]`` given cluster ``weights``."""
    _, index = np.unique(groups, return_inverse=True)
    n_groups = weights.shape[1]
    sums = np.zeros((n_groups, *values.shape[1:]))
    np.add.at(sums, index, values)
    sizes = np.bincount(index, minlength=n_groups).astype(float)
    total = weights @ sizes
    return np.tensordot(weights, sums, axes=1) / total.reshape(-1, *([1] * (values.ndim - 1)))


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Percentile interval ``[2, ...]`` of bootstrap draws along axis 0."""
    tail = (1 - level) / 2
    return np.quantile(draws, [tail, 1 - tail], axis=0)
