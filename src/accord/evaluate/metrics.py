"""Accuracy of point forecasts and calibration of interval forecasts on the 0-100 scale.

Absolute error e_k = |forecast_k - outcome_k|; MAE = mean_k e_k (the measure of Thomson et al.
2006, *The European Union Decides*, ch. 10, and Arregui 2016). Interval coverage is the share of
outcomes inside the central interval [q_(1-p)/2, q_(1+p)/2] of a model's predictive quantiles.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

INTERVALS = {"coverage_50": (0.25, 0.75), "coverage_90": (0.05, 0.95)}


def point_metrics(error: np.ndarray) -> dict[str, float | int]:
    """Summarise absolute errors.

    Parameters
    ----------
    error : np.ndarray
        Absolute errors ``e_k``.

    Returns
    -------
    dict
        ``n``, ``mae``, ``median_ae`` and ``within_10`` (the share with ``e_k <= 10``); NaN
        measures for no errors.

    References
    ----------
    R. Thomson, F. N. Stokman, C. H. Achen & T. Koenig (eds.), *The European Union Decides*,
    Cambridge University Press, 2006, ch. 10; J. Arregui (2016).
    """
    if error.size == 0:
        return {"n": 0, "mae": float("nan"), "median_ae": float("nan"), "within_10": float("nan")}
    return {
        "n": int(error.size),
        "mae": float(error.mean()),
        "median_ae": float(np.median(error)),
        "within_10": float((error <= 10.0).mean()),
    }


def find_quantile(quantiles: Mapping[float, np.ndarray], level: float) -> np.ndarray | None:
    """Find the quantile of a level, allowing for rounding of the level.

    Parameters
    ----------
    quantiles : mapping of float to np.ndarray
        Quantiles by level.
    level : float
        The level, e.g. 0.05.

    Returns
    -------
    np.ndarray or None
        That level's quantiles; None when not given.
    """
    for q, values in quantiles.items():
        if abs(float(q) - level) < 1e-9:
            return np.asarray(values, dtype=float)
    return None


def coverage(quantiles: Mapping[float, np.ndarray] | None, outcome: np.ndarray) -> dict[str, float | None]:
    """Compute the share of outcomes inside each central interval (:data:`INTERVALS`).

    Parameters
    ----------
    quantiles : mapping of float to np.ndarray or None
        A model's predictive quantiles by level, each of the outcomes' shape.
    outcome : np.ndarray
        The outcomes.

    Returns
    -------
    dict of str to float or None
        ``coverage_50`` and ``coverage_90``; None where the quantiles are not given.
    """
    result: dict[str, float | None] = dict.fromkeys(INTERVALS)
    if not quantiles:
        return result
    for key, (lo_q, hi_q) in INTERVALS.items():
        lo, hi = find_quantile(quantiles, lo_q), find_quantile(quantiles, hi_q)
        if lo is not None and hi is not None and outcome.size:
            result[key] = float(((outcome >= lo - 1e-9) & (outcome <= hi + 1e-9)).mean())
    return result
