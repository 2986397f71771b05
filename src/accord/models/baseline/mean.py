"""Mean model: the unweighted mean of the positions of the actors with a stake.

    x*_k = (1/n_k) sum_{i in stake_k} x_ik

the naive benchmark of the EU decision-making studies (Thomson et al. 2006).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.base import Model, Trajectory, static_trajectory
from accord.models.baseline.compromise import weighted_mean
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays


@register
@dataclass(frozen=True)
class Mean(Model):
    """The unweighted mean of the stakeholders' positions (capabilities and saliences ignored).

    References
    ----------
    R. Thomson, F. N. Stokman, C. H. Achen & T. Koenig (eds.), *The European Union Decides*,
    Cambridge University Press, 2006.
    """

    name = "mean"
    summary = "unweighted mean of stakeholders' positions"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        weight = np.broadcast_to(arrays.stake, arrays.position.shape).astype(float)
        return static_trajectory(arrays, weighted_mean(arrays.position, weight))
