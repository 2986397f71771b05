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
    """Draw the clusters' multiplicities for each bootstrap draw.

    Parameters
    ----------
    groups : np.ndarray
        Each issue's cluster (proposal), shape (N,).
    n_boot : int
        The number of draws.
    rng : np.random.Generator
        The generator.

    Returns
    -------
    np.ndarray
        Multiplicities ``m_bg`` of the ``G`` distinct clusters, shape (n_boot, G), in the order of
        ``np.unique(groups)``.

    References
    ----------
    A. C. Cameron, J. B. Gelbach & D. L. Miller, "Bootstrap-based improvements for inference with
    clustered errors", *Review of Economics and Statistics* 90(3), 2008;
    C. A. Field & A. H. Welsh, "Bootstrapping clustered data", *J. Royal Statistical Society B*
    69(3), 2007.
    """
    n_groups = len(np.unique(groups))
    draws = rng.integers(0, n_groups, size=(n_boot, n_groups))
    offsets = (np.arange(n_boot) * n_groups)[:, None]
    counts = np.bincount((draws + offsets).ravel(), minlength=n_boot * n_groups)
    return counts.reshape(n_boot, n_groups).astype(float)


def bootstrap_means(values: np.ndarray, groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Compute the bootstrap means of values given cluster weights.

    Parameters
    ----------
    values : np.ndarray
        The values (e.g. absolute errors), shape (N, ...).
    groups : np.ndarray
        Each value's cluster, shape (N,).
    weights : np.ndarray
        The clusters' multiplicities, shape (n_boot, G) (:func:`cluster_weights`).

    Returns
    -------
    np.ndarray
        ``sum_g m_bg S_g / sum_g m_bg N_g`` per draw, shape (n_boot, ...).
    """
    _, index = np.unique(groups, return_inverse=True)
    n_groups = weights.shape[1]
    sums = np.zeros((n_groups, *values.shape[1:]))
    np.add.at(sums, index, values)
    sizes = np.bincount(index, minlength=n_groups).astype(float)
    total = weights @ sizes
    return np.tensordot(weights, sums, axes=1) / total.reshape(-1, *([1] * (values.ndim - 1)))


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Return the percentile interval of bootstrap draws along axis 0.

    Parameters
    ----------
    draws : np.ndarray
        The draws, shape (n_boot, ...).
    level : float
        The interval's coverage.

    Returns
    -------
    np.ndarray
        The lower and upper ends, shape (2, ...).
    """
    tail = (1 - level) / 2
    return np.quantile(draws, [tail, 1 - tail], axis=0)
