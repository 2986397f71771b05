"""Position-choice model: which stakeholder's position becomes the outcome, or the compromise.

The outcome of an issue is modelled as a mixture over candidates j: every stakeholder's
position x_j and the compromise point x_c = sum_i w_i x_i / sum_i w_i (w = capability x salience,
Achen 2006), each blurred by a Laplace kernel of scale b:

    p(y) = sum_j pi_j exp(-|y - x_j| / b) / (2b),   pi_j = softmax_j(u_j),
    u_j = beta . phi_j (stakeholders),   u_c = alpha (the compromise candidate).

phi_j holds features any scenario has: the weight share W_j and head-count share H_j of the
actors standing at x_j, its distance |x_j - x_c| from the compromise, whether x_j is an end of
the scale, whether a veto player stands there, and (where the issue has a status quo q)
|x_j - q| and [x_j = q]; without a status quo those two terms are 0. Optional pivot features
(:data:`PIVOT_FEATURES`, used when the coefficients file lists them): x_j is the weighted median
m (the median voter, Black 1948), x_j is held by an actor of the largest weight, and x_j is the
veto pivot clip(q, min veto position, max veto position) -- the point of the unanimity core
nearest the status quo (Tsebelis 2002, *Veto Players*), 0 without vetoes or status quo. It is a
conditional-logit ("who wins") reading of the observation that most EU outcomes coincide with some actor's
position (Thomson et al. 2006, *The European Union Decides*, ch. 10; Arregui 2016) and a
compromise reading of the rest (Achen 2006). The forecast is the mixture's median (the point
that minimises expected absolute error); ``ChoiceDetails.quantiles`` gives its 5/25/50/75/95%
quantiles. The feature set, ridge penalty and an optional shrinkage toward the compromise are
chosen by grouped CV and the coefficients fitted by maximum likelihood on the DEU III
development subset (``accord.evaluate.fit_choice``; scored by nested CV, ``docs/accuracy.md``)
and shipped in ``models/choice/data/choice.json``; the file's ``beta`` keys name the features
used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from accord.models.base import Details, Model, Trajectory, static_trajectory
from accord.models.baseline.median import weighted_median
from accord.models.registry import register
from accord.scenario.arrays import ScenarioArrays

FEATURES = (
    "support",
    "heads",
    "dist_compromise",
    "scale_end",
    "veto_there",
    "dist_status_quo",
    "at_status_quo",
)
PIVOT_FEATURES = ("at_weighted_median", "at_largest", "at_veto_pivot")
ALL_FEATURES = FEATURES + PIVOT_FEATURES
LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
#: positions closer than this many hundredths of the issue's span count as one point (1e-9 on a
#: 0..100 scale); shares closer than this count as equal
_EPS = 1e-9


@cache
def shipped_coefficients() -> dict[str, Any]:
    """Read the fitted coefficients shipped with accord (``models/choice/data/choice.json``).

    Returns
    -------
    dict[str, Any]
        ``beta`` (by feature name), ``alpha_compromise``, ``scale``, ``shrink`` and how they
        were fitted (``fitted_on``).
    """
    text = resources.files("accord.models.choice").joinpath("data/choice.json").read_text()
    return json.loads(text)


def _veto_pivot(arrays: ScenarioArrays) -> np.ndarray:
    """clip(q, min_v x_v, max_v x_v) over veto players v ``[..., I]``; NaN without vetoes or q."""
    v = arrays.veto & arrays.stake
    lo = np.where(v, arrays.position, np.inf).min(axis=-2)
    hi = np.where(v, arrays.position, -np.inf).max(axis=-2)
    with np.errstate(invalid="ignore"):
        return np.where(v.any(axis=0), np.clip(arrays.status_quo, lo, hi), np.nan)


def choice_features(
    arrays: ScenarioArrays, features: tuple[str, ...] = FEATURES
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the features of every stakeholder's position as a candidate outcome.

    Parameters
    ----------
    arrays : ScenarioArrays
        Checked scenario arrays (leading batch axes allowed).
    features : tuple[str, ...]
        Names from :data:`ALL_FEATURES`, in the order of the columns wanted.

    Returns
    -------
    phi : np.ndarray
        The features, shape (..., A, I, F).
    compromise : np.ndarray
        The compromise (the weighted mean of the positions), shape (..., I).
    """
    x, stake = arrays.position, arrays.stake
    span = arrays.upper - arrays.lower
    w = arrays.weight()
    total = w.sum(axis=-2, keepdims=True)
    uniform = np.broadcast_to(stake, x.shape).astype(float)
    share = np.where(
        total > 0, w / np.where(total > 0, total, 1.0), uniform / uniform.sum(axis=-2, keepdims=True)
    )
    compromise = (share * x).sum(axis=-2)
    eps = _EPS * span / 100  # relative to the scale, so a change of scale changes no feature
    same = (np.abs(x[..., :, None, :] - x[..., None, :, :]) < eps) & stake[None, :, :]  # [..., A, A, I]
    has_sq = ~np.isnan(arrays.status_quo)[..., None, :]  # the status quo may carry batch axes
    sq = np.where(has_sq, arrays.status_quo[..., None, :], 0.0)
    at = {  # [..., A, I] -> feature; lazily, only the named ones are computed
        "support": lambda: (same * share[..., None, :, :]).sum(axis=-2),
        "heads": lambda: np.broadcast_to(same.sum(axis=-2) / stake.sum(axis=0), x.shape),
        "dist_compromise": lambda: np.abs(x - compromise[..., None, :]) / span,
        "scale_end": lambda: (x <= arrays.lower + eps) | (x >= arrays.upper - eps),
        "veto_there": lambda: (same & arrays.veto).any(axis=-2),  # a veto player b stands at x_a
        "dist_status_quo": lambda: np.where(has_sq, np.abs(x - sq) / span, 0.0),
        "at_status_quo": lambda: has_sq & (np.abs(x - sq) < eps),
        "at_weighted_median": lambda: np.abs(x - weighted_median(x, w)[..., None, :]) < eps,
        "at_largest": lambda: (
            same & (share >= share.max(axis=-2, keepdims=True) - _EPS)[..., None, :, :]
        ).any(axis=-2),
        "at_veto_pivot": lambda: np.abs(x - _veto_pivot(arrays)[..., None, :]) < eps,
    }
    cols = [np.broadcast_to(at[f](), x.shape) for f in features]
    phi = np.stack(cols, axis=-1).astype(float) if cols else np.zeros((*x.shape, 0))
    return phi, compromise


def choice_mixture(
    arrays: ScenarioArrays, beta: np.ndarray, alpha: float, features: tuple[str, ...] = FEATURES
) -> tuple[np.ndarray, np.ndarray]:
    """Return the candidate outcomes and their probabilities pi = softmax(u).

    Parameters
    ----------
    arrays : ScenarioArrays
        Checked scenario arrays.
    beta : np.ndarray
        Coefficients of the features, in the order of ``features``.
    alpha : float
        The compromise's utility.
    features : tuple[str, ...]
        The features ``beta`` weights.

    Returns
    -------
    candidates : np.ndarray
        Shape (..., A+1, I): the positions, then the compromise.
    prob : np.ndarray
        Their probabilities, the same shape (0 for actors without a stake).
    """
    phi, compromise = choice_features(arrays, features)
    util = np.where(arrays.stake, phi @ beta, -np.inf)
    util = np.concatenate([util, np.full((*util.shape[:-2], 1, util.shape[-1]), alpha)], axis=-2)
    prob = np.exp(util - util.max(axis=-2, keepdims=True))
    prob /= prob.sum(axis=-2, keepdims=True)
    candidates = np.concatenate([arrays.position, compromise[..., None, :]], axis=-2)
    return candidates, prob


def laplace_mixture_cdf(
    y: np.ndarray, candidates: np.ndarray, prob: np.ndarray, scale: float | np.ndarray
) -> np.ndarray:
    """Compute F(y) = sum_j pi_j L(y; x_j, b), L the Laplace CDF.

    Parameters
    ----------
    y : np.ndarray
        Where to evaluate, shape (..., I).
    candidates : np.ndarray
        The mixture's centres, shape (..., C, I).
    prob : np.ndarray
        The mixture's weights, shape (..., C, I).
    scale : float or np.ndarray
        The Laplace scale b, a number or shape (I,).

    Returns
    -------
    np.ndarray
        F(y), shape (..., I).
    """
    d = y[..., None, :] - candidates
    tail = 0.5 * np.exp(-np.abs(d) / scale)  # one exponential per element, for either side
    return (prob * np.where(d < 0, tail, 1 - tail)).sum(axis=-2)


def mixture_quantiles(
    arrays: ScenarioArrays,
    candidates: np.ndarray,
    prob: np.ndarray,
    scale: float | np.ndarray,
    levels: tuple[float, ...] = LEVELS,
    iterations: int = 40,  # halves the scale's range 40 times: 1e-10 of a 0-100 scale
) -> np.ndarray:
    """Compute quantiles of the mixture censored to the scale, by bisection.

    The mass below ``lower`` (above ``upper``) sits on that end, so a quantile there is the end
    itself. Computed by :func:`accord.models.choice.compiled.quantiles`;
    :func:`numpy_mixture_quantiles` is the same in numpy (the same numbers, bit for bit).

    Parameters
    ----------
    arrays : ScenarioArrays
        For the scale.
    candidates : np.ndarray
        The mixture's centres (:func:`choice_mixture`), shape (..., C, I).
    prob : np.ndarray
        The mixture's weights, shape (..., C, I).
    scale : float or np.ndarray
        The Laplace scale, a number or shape (I,).
    levels : tuple[float, ...]
        The quantile levels.
    iterations : int
        Bisection steps.

    Returns
    -------
    np.ndarray
        The quantiles, shape (L, ..., I).
    """
    from accord.models.choice.compiled import quantiles

    n_c, n_i = candidates.shape[-2:]
    batch = candidates.shape[:-2]
    flat = lambda a: np.array(np.broadcast_to(a, candidates.shape).reshape(-1, n_c, n_i), dtype=float)  # noqa: E731
    out = np.empty((len(levels), flat(candidates).shape[0], n_i))
    quantiles(flat(candidates), flat(prob), np.array(np.broadcast_to(scale, (n_i,)), dtype=float),
              np.array(arrays.lower, dtype=float), np.array(arrays.upper, dtype=float),
              np.array(levels, dtype=float), iterations, n_i == 1, out)
    return out.reshape(len(levels), *batch, n_i)


def numpy_mixture_quantiles(
    arrays: ScenarioArrays,
    candidates: np.ndarray,
    prob: np.ndarray,
    scale: float | np.ndarray,
    levels: tuple[float, ...] = LEVELS,
    iterations: int = 40,
) -> np.ndarray:
    """Compute :func:`mixture_quantiles` in numpy: every (level, draw, issue) bisected at once.

    Parameters
    ----------
    arrays : ScenarioArrays
        For the scale.
    candidates : np.ndarray
        The mixture's centres, shape (..., C, I).
    prob : np.ndarray
        The mixture's weights, shape (..., C, I).
    scale : float or np.ndarray
        The Laplace scale, a number or shape (I,).
    levels : tuple[float, ...]
        The quantile levels.
    iterations : int
        Bisection steps.

    Returns
    -------
    np.ndarray
        The quantiles, shape (L, ..., I).
    """
    shape = (len(levels), *candidates.shape[:-2], candidates.shape[-1])
    lo = np.broadcast_to(arrays.lower, shape).copy()
    hi = np.broadcast_to(arrays.upper, shape).copy()
    q = np.asarray(levels).reshape(-1, *([1] * (len(shape) - 1)))
    for _ in range(iterations):
        mid = (lo + hi) / 2
        below = laplace_mixture_cdf(mid, candidates[None], prob[None], scale) < q
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    at_lower = laplace_mixture_cdf(np.broadcast_to(arrays.lower, shape[1:]), candidates, prob, scale) >= q
    at_upper = laplace_mixture_cdf(np.broadcast_to(arrays.upper, shape[1:]), candidates, prob, scale) < q
    return np.where(at_lower, arrays.lower, np.where(at_upper, arrays.upper, (lo + hi) / 2))


def choice_quantiles(
    arrays: ScenarioArrays, coef: dict[str, Any], levels: tuple[float, ...] = LEVELS
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the forecast's quantiles and the compromise candidate's probability.

    The forecast variable is c + lambda (Y - c), with Y the mixture and c the compromise, so
    every quantile is c + lambda (Q_Y - c) (a monotone map); lambda = 1 (the default) is the
    mixture itself.

    Parameters
    ----------
    arrays : ScenarioArrays
        Checked scenario arrays.
    coef : dict[str, Any]
        ``beta`` (by feature name; its keys choose the features), ``alpha_compromise``,
        ``scale`` (the Laplace scale b on a 0..100 scale, as fitted on DEU; an issue of span S
        uses b S / 100, so the forecast moves with an affine change of scale) and optionally
        ``shrink`` = lambda in (0, 1].
    levels : tuple[float, ...]
        The quantile levels.

    Returns
    -------
    quantiles : np.ndarray
        Shape (L, ..., I).
    compromise_weight : np.ndarray
        The compromise candidate's probability, shape (..., I).
    """
    features = tuple(coef["beta"])
    beta = np.array([coef["beta"][f] for f in features])
    candidates, prob = choice_mixture(arrays, beta, coef["alpha_compromise"], features)
    scale = coef["scale"] * (arrays.upper - arrays.lower) / 100.0  # b per 100 scale units
    quant = mixture_quantiles(arrays, candidates, prob, scale, levels)
    lam = float(coef.get("shrink", 1.0))
    compromise = candidates[..., -1, :]
    return compromise + lam * (quant - compromise), prob[..., -1, :]


@dataclass(frozen=True)
class ChoiceDetails(Details):
    """The forecast distribution of the position-choice model.

    Parameters
    ----------
    quantiles : Mapping[float, np.ndarray]
        ``{level: [..., I]}`` for the levels of :data:`LEVELS` (the 0.5 quantile is the forecast).
    compromise_weight : np.ndarray
        ``[..., I]``: the probability of the compromise candidate.
    """

    quantiles: Mapping[float, np.ndarray]
    compromise_weight: np.ndarray


@register
@dataclass(frozen=True)
class PositionChoice(Model):
    """Which position wins: a fitted mixture over the stakeholders' positions and the compromise.

    References
    ----------
    R. Thomson et al. (eds.), *The European Union Decides*, Cambridge University Press, 2006,
    ch. 10; J. Arregui (2016); C. H. Achen, "Institutional realism and bargaining models", in
    Thomson et al. (2006).
    """

    name = "choice"
    summary = "which position wins: fitted mixture of positions and compromise (DEU III)"

    def _run(self, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
        quant, compromise_weight = choice_quantiles(arrays, shipped_coefficients())
        details = ChoiceDetails(dict(zip(LEVELS, quant, strict=True)), compromise_weight)
        return static_trajectory(arrays, quant[LEVELS.index(0.5)], details)
