"""Each actor's utility of a package, and its gain over the disagreement point.

The models' salience-weighted linear loss (the utility behind the compromise, median and Nash
models; Achen 2006; Thomson et al. 2006, ch. 1), put on a common scale across issues:

    u_i(x) = -100 * sum_k s_ik |x_k - x_ik| / (max_k - min_k)

with ``s_ik`` in 0..1 (0 off-stake) and ``x_ik`` the actor's position. One utility point is one
percent of an issue's scale at full salience (on a 0-100 scale: one scale point). The gain of
a package ``p`` over the disagreement point ``d`` splits by issue:

    g_ik = 100 * s_ik (|d_k - x_ik| - |p_k - x_ik|) / (max_k - min_k),    g_i = sum_k g_ik.

Issues without a disagreement point (``d_k`` NaN) are not compared: ``g_ik = 0``.
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


def issue_gains(arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    """``g_ik`` of the package ``[..., I]`` over ``disagreement [..., I]``: ``[..., A, I]``.

    Both inputs broadcast against the arrays' batch axes; NaN in ``disagreement`` gives 0, and
    NaN in ``package`` (a point the package leaves open) stays at the disagreement point.
    """
    d = np.asarray(disagreement, dtype=float)
    p = np.where(np.isnan(package), d, package)
    compared = ~np.isnan(d)
    d0, p0 = np.where(compared, d, 0.0), np.where(compared, p, 0.0)
    reach = np.abs(d0[..., None, :] - arrays.position) - np.abs(p0[..., None, :] - arrays.position)
    return np.where(compared[..., None, :], issue_weights(arrays) * reach, 0.0)
