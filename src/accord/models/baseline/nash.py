"""Asymmetric Nash bargaining solution on each issue.

With linear-loss utilities u_i(x) = -|x - x_i| and a disagreement point d, each actor's gain is
g_i(x) = r_i - |x - x_i| with r_i = |d - x_i|, and the solution maximises the weighted Nash
product (Nash 1950; asymmetric form, Kalai 1977; in the stakeholder literature, e.g.
Schneider, Finke & Bailer 2010 and Thomson et al. 2006)

    x*_k = argmax_x  sum_i w_ik log g_i(x)    subject to  g_i(x) > 0 for every stakeholder,

with weights w_ik = c_ik s_ik. The objective is concave, so its maximiser is found by bisection
on the sign of its derivative, vectorised over draws and issues.

* Status quo as disagreement point: the Nash solution needs unanimity, so when the status
  quo lies strictly between stakeholders' positions no move helps everyone and the forecast
  is the status quo itself (``NashDetails.deadlock`` marks those issues).
* Issue without a status quo: the disagreement point of each actor is the worst outcome on
  the scale for it, r_i = max(x_i - lower, upper - x_i), so every point is feasible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.base import INVARIANTS, Details, Model, Trajectory, static_trajectory
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays


@dataclass(frozen=True)
class NashDetails(Details):
    """What the Nash solution adds to its forecast.

    Parameters
    ----------
    deadlock : np.ndarray
        ``[..., I]``: the status quo splits the stakeholders, so it is the forecast.
    """

    deadlock: np.ndarray


def nash_bargaining(
    position: np.ndarray,
    weight: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    status_quo: np.ndarray,
    iterations: int = 80,
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the asymmetric Nash bargaining solution on each issue, by bisection.

    Parameters
    ----------
    position : np.ndarray
        Positions, shape (..., A, I).
    weight : np.ndarray
        Weights w = c s, shape (..., A, I) (0 where there is no stake).
    lower : np.ndarray
        The scale's lower ends, shape (I,).
    upper : np.ndarray
        The scale's upper ends, shape (I,).
    status_quo : np.ndarray
        The disagreement point, shape (I,) or (..., I), NaN for none.
    iterations : int
        Bisection steps (80 halve any span below 1e-24 of it).

    Returns
    -------
    solution : np.ndarray
        Shape (..., I), NaN without weight.
    deadlock : np.ndarray
        The deadlock mask, shape (..., I).
    """
    active = weight > 0
    has_sq = ~np.isnan(status_quo)  # [I], or [..., I] when the status quo was sampled
    sq = np.where(has_sq, status_quo, 0.0)[..., None, :]
    reach_sq = np.abs(sq - position)
    reach_worst = np.maximum(position - lower, upper - position)
    reach = np.where(has_sq[..., None, :], reach_sq, reach_worst)
    left = np.max(np.where(active, position - reach, -np.inf), axis=-2)
    right = np.min(np.where(active, position + reach, np.inf), axis=-2)
    left, right = np.maximum(left, lower), np.minimum(right, upper)
    deadlock = has_sq & ~(left < right)
    lo, hi = np.where(deadlock, status_quo, left), np.where(deadlock, status_quo, right)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        dist = mid[..., None, :] - position
        gain = reach - np.abs(dist)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(active, -weight * np.sign(dist) / gain, 0.0).sum(axis=-2)
        go_right = slope > 0
        lo, hi = np.where(go_right, mid, lo), np.where(go_right, hi, mid)
    outcome = np.where(active.any(axis=-2), (lo + hi) / 2, np.nan)
    return outcome, deadlock & active.any(axis=-2)


@register
@dataclass(frozen=True)
class Nash(Model):
    """The asymmetric Nash bargaining solution, weights c s, the status quo as disagreement point.

    References
    ----------
    J. Nash, "The bargaining problem", *Econometrica* 18(2), 1950; E. Kalai, "Nonsymmetric Nash
    solutions and replications of 2-person bargaining", *Int. J. Game Theory* 6(3), 1977;
    G. Schneider, D. Finke & S. Bailer, "Bargaining power in the European Union", *Political
    Studies* 58(1), 2010.
    """

    name = "nash"
    summary = "asymmetric Nash bargaining solution, status quo as disagreement point"
    invariants = INVARIANTS

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        outcome, deadlock = nash_bargaining(
            arrays.position, arrays.weight(), arrays.lower, arrays.upper, arrays.status_quo
        )
        return static_trajectory(arrays, outcome, NashDetails(deadlock))
