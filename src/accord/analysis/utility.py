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
    """Return the utility points per scale unit of each actor on each issue.

    The weight is ``100 s_ik / (max_k - min_k)``, zero where the actor has no stake.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).

    Returns
    -------
    np.ndarray
        Weights, shape (..., A, I).
    """
    return 100.0 * arrays.salience * arrays.stake / (arrays.upper - arrays.lower)


def utility(arrays: ScenarioArrays, x: np.ndarray) -> np.ndarray:
    """Compute every actor's utility ``u_i(x)`` of an outcome.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).
    x : np.ndarray
        The outcome, one point per issue, shape (..., I).

    Returns
    -------
    np.ndarray
        Utilities, shape (..., A).

    References
    ----------
    C. H. Achen, "Institutional realism and bargaining models", in R. Thomson, F. N. Stokman,
    C. H. Achen & T. Koenig (eds.), *The European Union Decides*, Cambridge University Press, 2006
    (and ch. 1 of that volume).
    """
    loss = issue_weights(arrays) * np.abs(x[..., None, :] - arrays.position)
    return -loss.sum(axis=-1)


def per_actor(arrays: ScenarioArrays, disagreement: np.ndarray) -> np.ndarray:
    """Return the disagreement point with one row per actor.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).
    disagreement : np.ndarray
        Either per actor already, shape (..., A, I) (one more axis than the arrays' batch and issue
        axes), or shared by every actor, shape (..., I).

    Returns
    -------
    np.ndarray
        The disagreement point, shape (..., A, I) (a broadcast view when it was shared).
    """
    d = np.asarray(disagreement, dtype=float)
    if d.ndim == len(arrays.batch_shape) + 2:
        return d
    d = np.broadcast_to(d, (*arrays.batch_shape, arrays.n_issues))
    return np.broadcast_to(d[..., None, :], (*arrays.batch_shape, arrays.n_actors, arrays.n_issues))


def issue_gains(arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray) -> np.ndarray:
    """Compute each actor's gain ``g_ik`` from the package on each issue.

    The gain is over the disagreement point; it is 0 where either the package or the
    disagreement point is NaN.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).
    package : np.ndarray
        The package, shape (..., I); NaN where it leaves the issue open.
    disagreement : np.ndarray
        The no-deal outcomes, per actor with shape (..., A, I), or shared with shape (..., I).

    Returns
    -------
    np.ndarray
        Gains in utility points, shape (..., A, I).
    """
    d = per_actor(arrays, disagreement)
    p = np.asarray(package, dtype=float)[..., None, :]
    compared = ~np.isnan(d) & ~np.isnan(p)
    d0, p0 = np.where(compared, d, 0.0), np.where(compared, p, 0.0)
    reach = np.abs(d0 - arrays.position) - np.abs(p0 - arrays.position)
    return np.where(compared, issue_weights(arrays) * reach, 0.0)
