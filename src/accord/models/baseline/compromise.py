"""Compromise model: the capability x salience weighted mean of positions.

    x*_k = sum_i c_ik s_ik x_ik / sum_i c_ik s_ik

Achen (2006) and van den Bos (1991); the best simple model on the EU decision data
(Thomson, Stokman, Achen & Koenig, *The European Union Decides*, 2006).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.base import INVARIANTS, Model, Trajectory, static_trajectory
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays


def weighted_mean(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Compute the mean of ``position`` over the actor axis (-2) with ``weight``.

    Parameters
    ----------
    position : np.ndarray
        Positions, shape (..., A, I).
    weight : np.ndarray
        Weights, shape (..., A, I).

    Returns
    -------
    np.ndarray
        The means, shape (..., I); NaN where all weights are 0.
    """
    total = weight.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (weight * position).sum(axis=-2) / total


@register
@dataclass(frozen=True)
class Compromise(Model):
    """The capability x salience weighted mean of the stakeholders' positions.

    References
    ----------
    C. H. Achen, "Institutional realism and bargaining models", in Thomson et al. (eds.),
    *The European Union Decides*, Cambridge University Press, 2006.
    """

    name = "compromise"
    summary = "capability x salience weighted mean (Achen 2006)"
    invariants = INVARIANTS

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        return static_trajectory(arrays, weighted_mean(arrays.position, arrays.weight()))
