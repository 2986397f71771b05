"""Position-choice model: which stakeholder's position becomes the outcome, or the compromise.

The outcome of an issue is modelled as a mixture over candidates j: every stakeholder's
position x_j and the compromise point x_c = sum_i w_i x_i / sum_i w_i (w = capability x salience,
Achen 2006), each blurred by a Laplace kernel of scale b:

    p(y) = sum_j pi_j exp(-|y - x_j| / b) / (2b),   pi_j = softmax_j(u_j),
    u_j = beta . phi_j (stakeholders),   u_c = alpha (the compromise candidate).

phi_j holds features any scenario has: the weight share W_j and head-count share H_j of the
actors standing at x_j, its distance |x_j - x_c| from the compromise, whether x_j is an end of
the scale, whether a veto player stands there, and (where the issue has a status quo q)
|x_j - q| and [x_j = q]; without a status quo those two terms are 0. It is a conditional-logit
("who wins") reading of the observation that most EU outcomes coincide with some actor's
position (Thomson et al. 2006, *The European Union Decides*, ch. 10; Arregui 2016) and a
compromise reading of the rest (Achen 2006). The forecast is the mixture's median (the point
that minimises expected absolute error); ``details["quantiles"]`` gives its 5/25/50/75/95%
quantiles. Coefficients are fitted by maximum likelihood on the DEU III development subset
(``accord.evaluate.fit_choice``) and shipped in ``models/data/choice.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from accord.models.base import Model, Trajectory, register, static_trajectory
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
LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
_EPS = 1e-9


@cache
def shipped_coefficients() -> dict[str, Any]:
    """The fitted coefficients shipped with accord (``models/data/choice.json``)."""
    text = resources.files("accord.models").joinpath("data/choice.json").read_text()
    return json.loads(text)


def choice_features(arrays: ScenarioArrays) -> tuple[np.ndarray, np.ndarray]:
    """Candidate features ``phi [..., A, I, F]`` and the compromise ``[..., I]``."""
    x, stake = arrays.position, arrays.stake
    span = arrays.upper - arrays.lower
    w = arrays.weight()
    total = w.sum(axis=-2, keepdims=True)
    uniform = np.broadcast_to(stake, x.shape).astype(float)
    share = np.where(
        total > 0, w / np.where(total > 0, total, 1.0), uniform / uniform.sum(axis=-2, keepdims=True)
    )
    compromise = (share * x).sum(axis=-2)
    same = (np.abs(x[..., :, None, :] - x[..., None, :, :]) < _EPS) & stake[None, :, :]  # [..., A, A, I]
    support = (same * share[..., None, :, :]).sum(axis=-2)
    heads = same.sum(axis=-2) / stake.sum(axis=0)
    dist_c = np.abs(x - compromise[..., None, :]) / span
    end = (x <= arrays.lower + _EPS) | (x >= arrays.upper - _EPS)
    veto_there = (same & arrays.veto).any(axis=-2)  # a veto player b stands at x_a
    has_sq = ~np.isnan(arrays.status_quo)[..., None, :]  # the status quo may carry batch axes
    sq = np.where(has_sq, arrays.status_quo[..., None, :], 0.0)
    dist_sq = np.where(has_sq, np.abs(x - sq) / span, 0.0)
    at_sq = has_sq & (np.abs(x - sq) < _EPS)
    phi = np.stack([support, heads, dist_c, end, veto_there, dist_sq, at_sq], axis=-1).astype(float)
    return phi, compromise


def choice_mixture(arrays: ScenarioArrays, beta: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Candidates ``[..., A+1, I]`` (positions, then the compromise) and their probabilities."""
    phi, compromise = choice_features(arrays)
    util = np.where(arrays.stake, phi @ beta, -np.inf)
    util = np.concatenate([util, np.full((*util.shape[:-2], 1, util.shape[-1]), alpha)], axis=-2)
    prob = np.exp(util - util.max(axis=-2, keepdims=True))
    prob /= prob.sum(axis=-2, keepdims=True)
    candidates = np.concatenate([arrays.position, compromise[..., None, :]], axis=-2)
    return candidates, prob


def laplace_mixture_cdf(y: np.ndarray, candidates: np.ndarray, prob: np.ndarray, scale: float) -> np.ndarray:
    """F(y) = sum_j pi_j L(y; x_j, b), L the Laplace CDF; ``y [..., I]``."""
    d = y[..., None, :] - candidates
    cdf = np.where(d < 0, 0.5 * np.exp(np.minimum(d, 0) / scale), 1 - 0.5 * np.exp(-np.maximum(d, 0) / scale))
    return (prob * cdf).sum(axis=-2)


def mixture_quantiles(
    arrays: ScenarioArrays,
    candidates: np.ndarray,
    prob: np.ndarray,
    scale: float,
    levels: tuple[float, ...] = LEVELS,
    iterations: int = 50,
) -> np.ndarray:
    """Quantiles ``[L, ..., I]`` of the mixture censored to the scale: the mass below ``lower``
    (above ``upper``) sits on that end, so a quantile there is the end itself; else bisection."""
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


@register
@dataclass(frozen=True)
class PositionChoice(Model):
    name = "choice"
    summary = "which position wins: fitted mixture of positions and compromise (DEU III)"

    def run(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> Trajectory:
        coef = shipped_coefficients()
        beta = np.array([coef["beta"][f] for f in FEATURES])
        candidates, prob = choice_mixture(arrays, beta, coef["alpha_compromise"])
        quant = mixture_quantiles(arrays, candidates, prob, coef["scale"])
        return static_trajectory(
            arrays,
            quant[LEVELS.index(0.5)],
            quantiles=dict(zip(LEVELS, quant, strict=True)),
            compromise_weight=prob[..., -1, :],
        )

    def details_json(
        self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
    ) -> dict[str, Any]:
        q = trajectory.details.get("quantiles", {})
        if not q or np.ndim(q[0.5]) != 1:
            return {}
        return {
            "quantiles": {
                k: {str(lv): round(float(v[n]), 2) for lv, v in q.items()} for n, k in enumerate(issue_ids)
            }
        }

    def details_text(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]) -> list[str]:
        q = trajectory.details.get("quantiles", {})
        if not q or np.ndim(q[0.5]) != 1:
            return []
        return [
            f"{k}: median {q[0.5][n]:.1f}, 50% interval {q[0.25][n]:.1f}-{q[0.75][n]:.1f}, "
            f"90% interval {q[0.05][n]:.1f}-{q[0.95][n]:.1f}"
            for n, k in enumerate(issue_ids)
        ]
