"""Fit the position-choice model (:mod:`accord.models.choice`) by maximum likelihood.

    log L(beta, alpha, b) = sum_k log sum_j pi_kj exp(-d_kj / b) / (2b),
    d_kj = 100 |y_k - x_kj| / S_k

over issues k with outcome y_k and scale span S_k = upper_k - lower_k, minimised as -log L with
BFGS (b = exp(log b) keeps it positive; a ridge penalty 0.5 * ridge * |beta|^2 steadies the
rarely active features). As in the model (:func:`accord.models.choice.choice_quantiles`), b is
the Laplace scale per 100 units of each issue's scale: issue k's kernel has scale b S_k / 100,
whose log-likelihood differs from the above by the constant -sum_k log(S_k / 100), dropped. So a
dataset on any scales (or rescaled affinely) gives the same coefficients; on 0-100 scales (DEU)
d_kj = |y_k - x_kj| exactly.

The candidate variants (:data:`VARIANTS`: feature set x ridge x shrinkage toward the
compromise, and the plain compromise) are defined here; which one ships is chosen by grouped
5-fold CV and the whole procedure is scored by nested CV (:mod:`.choice_cv`).
``python -m accord.evaluate.fit_choice DATA OUT.json`` reruns the selection on a DEU file and
writes the chosen variant's coefficients fitted on all of it (:func:`.choice_cv.main`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from accord.models.choice import ALL_FEATURES, FEATURES, choice_features, choice_quantiles
from accord.scenario.arrays import ScenarioArrays

RIDGE = 0.1


@dataclass(frozen=True)
class ChoiceVariant:
    """One candidate specification of the choice model.

    Parameters
    ----------
    features : tuple of str
        The features.
    ridge : float
        The ridge penalty.
    shrink : float
        The shrinkage ``lambda`` toward the compromise: forecast ``c + lambda (Y - c)``;
        ``shrink == 0`` is the compromise model itself.
    """

    features: tuple[str, ...]
    ridge: float
    shrink: float

    @property
    def label(self) -> str:
        """The variant in words, e.g. ``base, ridge 1, shrink 0.5`` or ``compromise``."""
        if self.shrink == 0:
            return "compromise"
        kind = "base" if self.features == FEATURES else "pivots"
        return f"{kind}, ridge {self.ridge:g}, shrink {self.shrink:g}"


#: the variants the inner CV chooses among, fixed before any nested-CV run
VARIANTS: tuple[ChoiceVariant, ...] = (
    ChoiceVariant((), 0.0, 0.0),
    *(
        ChoiceVariant(f, r, lam)
        for f, r, lam in itertools.product((FEATURES, ALL_FEATURES), (0.1, 1.0, 10.0), (1.0, 0.5))
    ),
)


def _neg_log_lik(
    theta: np.ndarray, phi: np.ndarray, stake: np.ndarray, dist: np.ndarray, ridge: float
) -> tuple[float, np.ndarray]:
    """Return -log L + ridge and its gradient.

    ``dist`` holds the distances d ``[A+1, I]`` per 100 scale units. With pi = softmax(u),
    r = softmax(log pi + log kernel) (the posterior of the candidate):
    d/du = -(r - pi), d/dlog b = -sum r (d / b - 1).
    """
    beta, alpha, log_b = theta[:-2], theta[-2], theta[-1]
    util = np.where(stake, phi @ beta, -np.inf)
    util = np.concatenate([util, np.full((1, util.shape[1]), alpha)])
    log_pi = util - logsumexp(util, axis=0)
    b = np.exp(log_b)
    joint = np.where(np.isfinite(log_pi), log_pi + (-dist / b - np.log(2 * b)), -np.inf)
    log_lik = logsumexp(joint, axis=0)
    post, pi = np.exp(joint - log_lik), np.exp(log_pi)
    g_u = -(post - pi)
    grad = np.r_[
        np.einsum("ai,aif->f", g_u[:-1], phi) + ridge * beta, g_u[-1].sum(), -(post * (dist / b - 1)).sum()
    ]
    return float(-log_lik.sum() + 0.5 * ridge * (beta @ beta)), grad


def fit_choice(
    arrays: ScenarioArrays,
    outcome: np.ndarray,
    features: tuple[str, ...] = FEATURES,
    ridge: float = RIDGE,
) -> dict[str, Any]:
    """Fit the choice model's coefficients by maximum likelihood (see the module docstring).

    Parameters
    ----------
    arrays : ScenarioArrays
        The stacked cases, unbatched.
    outcome : np.ndarray
        The outcomes, shape (I,).
    features : tuple of str
        The features.
    ridge : float
        The ridge penalty on ``beta``.

    Returns
    -------
    dict
        ``beta`` (by feature), ``alpha_compromise`` and ``scale`` (per 100 units of each issue's
        scale).
    """
    phi, compromise = choice_features(arrays, features)
    cand = np.concatenate([arrays.position, compromise[None]])
    dist = np.abs(outcome - cand) * (100.0 / (arrays.upper - arrays.lower))  # x 1.0 on 0-100 scales
    theta0 = np.r_[np.zeros(len(features)), 0.0, np.log(5.0)]
    res = minimize(_neg_log_lik, theta0, args=(phi, arrays.stake, dist, ridge), method="BFGS", jac=True)
    theta = res.x
    return {
        "beta": dict(zip(features, map(float, theta[:-2]), strict=True)),
        "alpha_compromise": float(theta[-2]),
        "scale": float(np.exp(theta[-1])),
    }


def fit_variant(variant: ChoiceVariant, arrays: ScenarioArrays, outcome: np.ndarray) -> dict[str, Any]:
    """Fit a variant's coefficients; the compromise variant has nothing to fit.

    Parameters
    ----------
    variant : ChoiceVariant
        The variant.
    arrays : ScenarioArrays
        The stacked cases, unbatched.
    outcome : np.ndarray
        The outcomes, shape (I,).

    Returns
    -------
    dict
        The coefficients of :func:`fit_choice`, with ``shrink``.
    """
    if variant.shrink == 0:
        return {"beta": {}, "alpha_compromise": 0.0, "scale": 1.0, "shrink": 0.0}
    coef = fit_choice(arrays, outcome, variant.features, variant.ridge)
    return {**coef, "shrink": variant.shrink}


def predict_choice(arrays: ScenarioArrays, coef: dict[str, Any]) -> np.ndarray:
    """Return the quantiles of the fitted forecast distribution.

    Parameters
    ----------
    arrays : ScenarioArrays
        The cases, unbatched.
    coef : dict
        The coefficients (:func:`fit_variant`).

    Returns
    -------
    np.ndarray
        Quantiles at the levels :data:`accord.models.choice.LEVELS`, shape (L, I).
    """
    return choice_quantiles(arrays, coef)[0]


if __name__ == "__main__":  # the refit command of docs/accuracy.md
    import sys

    from accord.evaluate.choice_cv import main

    sys.exit(main())
