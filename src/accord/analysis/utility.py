"""Each actor's utility of a package, and its gain over the disagreement point.

The models' salience-weighted linear loss (the utility behind the compromise, median and Nash
models; Achen 2006; Thomson et al. 2006, ch. 1), put on a common scale across issues:

    u_i(x) = -100 * sum_k s_ik |x_k - x_ik| / (max_k - min_k)

with ``s_ik`` in 0..1 (0 off-stake) and ``x_ik`` the actor's position. One utility point is one
percent of an issue's scale at full salience (on a 0-100 scale: one scale point). The gain of
a package ``p`` over the disagreement point ``d`` splits by issue:

    g_ik = 100 * s_ik (|d_k - x_ik| - |p_k - x_ik|) / (max_k - min_k),    g_i = sum_k g_ik.

Each actor compares with its own no-deal outcome ``d_ik`` (its outside option,
:mod:`accord.scenario.outside`; the status quo unless the scenario states otherwise). Issues
without one (``d_ik`` NaN) are not compared, and issues the package leaves open stay where they
would be without it: ``g_ik = 0`` on both.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.arrays import ScenarioArrays


def issue_weights(arrays: ScenarioArrays) -> np.ndarray:
    """``100 s_ik / range_k`` off-stake zero: utility points per scale unit ``[..., A, I]``."""
    return 100.0 * arrays.salience * arrays.stake / (arrays.upper - arrays.lower)


def utility(arrays: ScenarioArrays, x: np.ndarray) -> np.ndarray:
    """``u_i(x)`` of an outcome ``x [..., I]`` for every actor: ``[..., A]``."""
    loss = issue_weights(arrays) * np.abs(x[..., None, :] - arrays.position)
    return -loss.sum(axis=-1)


def per_actor(arrays: ScenarioArrays, disagreement: np.ndarray) -> np.ndarray:
    """The disagreement point as ``[..., A, I]``: given per actor already (one more axis than the
    arrays' batch and issue axes), or ``[..., I]`` the same for every actor.
    """
    d = np.asarray(disagreement, dtype=float)
    if d.ndim == len(arrays.batch_shape) + 2:
        return d
    d = np.broadcast_to(d, (*arrays.batch_shape, arrays.n_issues))
    return np.broadcast_to(d[..., None, :], (*arrays.batch_shape, arrays.n_actors, arrays.n_issues))


def issue_gains(arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    """``g_ik`` of the package ``[..., I]`` (NaN: left open) over ``disagreement`` (``[..., A, I]``
    per actor, or ``[..., I]`` shared): ``[..., A, I]``; 0 where either is NaN.
    """
    d = per_actor(arrays, disagreement)
    p = np.asarray(package, dtype=float)[..., None, :]
    compared = ~np.isnan(d) & ~np.isnan(p)
    d0, p0 = np.where(compared, d, 0.0), np.where(compared, p, 0.0)
    reach = np.abs(d0 - arrays.position) - np.abs(p0 - arrays.position)
    return np.where(compared, issue_weights(arrays) * reach, 0.0)
