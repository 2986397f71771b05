"""Median models: the (weighted) median voter position on each issue.

The weighted median is the smallest position m with  sum_{x_i <= m} w_i >= W/2,  W = sum_i w_i;
where the cumulative weight reaches exactly W/2 between two positions, their midpoint is
taken, so equal weights give the ordinary median (Black 1948's median voter; weights
c_ik s_ik as in the EU decision-making literature, Thomson et al. 2006).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.base import INVARIANTS, Model, Trajectory, static_trajectory
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays


def weighted_median(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Compute the weighted median over the actor axis (-2), the midpoint of two positions on an exact tie.

    Parameters
    ----------
    position : np.ndarray
        Positions, shape (..., A, I).
    weight : np.ndarray
        Weights, broadcast to ``position``.

    Returns
    -------
    np.ndarray
        The medians, shape (..., I); NaN where the total weight W is 0.
    """
    order = np.argsort(position, axis=-2, kind="stable")
    x = np.take_along_axis(position, order, axis=-2)
    w = np.take_along_axis(np.broadcast_to(weight, position.shape), order, axis=-2)
    cum = np.cumsum(w, axis=-2)
    total = cum[..., -1:, :]
    half = total / 2
    # tolerance so that sums of equal weights hitting W/2 exactly count as a tie
    tol = 1e-12 * np.maximum(total, 1.0)
    first = np.argmax(cum >= half - tol, axis=-2)[..., None, :]
    at_first = np.take_along_axis(x, first, axis=-2)
    exact = np.abs(np.take_along_axis(cum, first, axis=-2) - half) <= tol
    # next position with positive weight after `first`, for the exact-half tie
    later = (np.arange(x.shape[-2])[:, None] > first) & (w > 0)
    nxt = np.where(later.any(axis=-2, keepdims=True), np.argmax(later, axis=-2)[..., None, :], first)
    at_next = np.take_along_axis(x, nxt, axis=-2)
    result = np.where(exact, (at_first + at_next) / 2, at_first)[..., 0, :]
    return np.where(total[..., 0, :] > 0, result, np.nan)


@register
@dataclass(frozen=True)
class Median(Model):
    """The unweighted median of the stakeholders' positions (the median voter, Black 1948).

    References
    ----------
    D. Black, "On the rationale of group decision-making", *J. Political Economy* 56(1), 1948.
    """

    name = "median"
    summary = "unweighted median of stakeholders' positions"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        weight = np.broadcast_to(arrays.stake, arrays.position.shape).astype(float)
        return static_trajectory(arrays, weighted_median(arrays.position, weight))


@register
@dataclass(frozen=True)
class WeightedMedian(Model):
    """The capability x salience weighted median of the stakeholders' positions.

    References
    ----------
    D. Black, "On the rationale of group decision-making", *J. Political Economy* 56(1), 1948;
    R. Thomson et al. (eds.), *The European Union Decides*, Cambridge University Press, 2006.
    """

    name = "weighted-median"
    summary = "capability x salience weighted median (median voter)"
    invariants = INVARIANTS

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        return static_trajectory(arrays, weighted_median(arrays.position, arrays.weight()))
