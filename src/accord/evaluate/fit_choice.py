"""Fit the position-choice model (:mod:`accord.models.choice`) by maximum likelihood.

    log L(beta, alpha, b) = sum_k log sum_j pi_kj exp(-|y_k - x_kj| / b) / (2b)

over issues k with outcome y_k, minimised as -log L with BFGS (b = exp(log b) keeps it
positive; a small ridge penalty 0.5 * ridge * |beta|^2 steadies the rarely active features).
``python -m accord.evaluate.fit_choice DATA OUT.json`` refits the shipped coefficients on a DEU file.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from accord.evaluate.crossval import cross_validate
from accord.evaluate.stack import stack_arrays
from accord.models.choice import FEATURES, LEVELS, choice_features, mixture_quantiles
from accord.scenario.arrays import ScenarioArrays, compile_scenario

RIDGE = 0.1


def issue_subset(arrays: ScenarioArrays, index: np.ndarray) -> ScenarioArrays:
    """The issues ``index`` of unbatched arrays."""
    return ScenarioArrays(
        *(
            getattr(arrays, f)[..., index]
            for f in ("position", "salience", "capability", "stake", "lower", "upper", "status_quo", "veto")
        )
    )


def _neg_log_lik(
    theta: np.ndarray, phi: np.ndarray, stake: np.ndarray, cand: np.ndarray, y: np.ndarray
) -> tuple[float, np.ndarray]:
    """-log L + ridge and its gradient. With pi = softmax(u), r = softmax(log pi + log kernel)
    (the posterior of the candidate): d/du = -(r - pi), d/dlog b = -sum r (|y - x| / b - 1)."""
    beta, alpha, log_b = theta[:-2], theta[-2], theta[-1]
    util = np.where(stake, phi @ beta, -np.inf)
    util = np.concatenate([util, np.full((1, util.shape[1]), alpha)])
    log_pi = util - logsumexp(util, axis=0)
    b = np.exp(log_b)
    dist = np.abs(y - cand)
    joint = np.where(np.isfinite(log_pi), log_pi + (-dist / b - np.log(2 * b)), -np.inf)
    log_lik = logsumexp(joint, axis=0)
    post, pi = np.exp(joint - log_lik), np.exp(log_pi)
    g_u = -(post - pi)
    grad = np.r_[
        np.einsum("ai,aif->f", g_u[:-1], phi) + RIDGE * beta, g_u[-1].sum(), -(post * (dist / b - 1)).sum()
    ]
    return float(-log_lik.sum() + 0.5 * RIDGE * (beta @ beta)), grad


def fit_choice(arrays: ScenarioArrays, outcome: np.ndarray) -> dict[str, Any]:
    """Maximum-likelihood coefficients on unbatched stacked ``arrays`` with ``outcome [I]``."""
    phi, compromise = choice_features(arrays)
    cand = np.concatenate([arrays.position, compromise[None]])
    theta0 = np.r_[np.zeros(len(FEATURES)), 0.0, np.log(5.0)]
    res = minimize(_neg_log_lik, theta0, args=(phi, arrays.stake, cand, outcome), method="BFGS", jac=True)
    theta = res.x
    return {
        "beta": dict(zip(FEATURES, map(float, theta[:-2]), strict=True)),
        "alpha_compromise": float(theta[-2]),
        "scale": float(np.exp(theta[-1])),
    }


def predict_choice(arrays: ScenarioArrays, coef: dict[str, Any]) -> np.ndarray:
    """Quantiles ``[L, I]`` (levels :data:`LEVELS`) of the fitted mixture."""
    from accord.models.choice import choice_mixture

    beta = np.array([coef["beta"][f] for f in FEATURES])
    cand, prob = choice_mixture(arrays, beta, coef["alpha_compromise"])
    return mixture_quantiles(arrays, cand, prob, coef["scale"])


def stacked_cases(cases: list[Any]) -> tuple[ScenarioArrays, np.ndarray, np.ndarray]:
    """Stacked arrays, outcomes and proposal ids of the scoreable cases."""
    cases = [c for c in cases if c.scoreable]
    arrays, _ = stack_arrays(
        [compile_scenario(c.scenario) for c in cases], [c.scenario.actor_ids for c in cases]
    )
    return arrays, np.array([c.outcome for c in cases], float), np.array([c.proposal_id for c in cases])


def cross_validate_choice(cases: list[Any], k: int | None = None, seed: int = 0) -> dict[str, np.ndarray]:
    """Out-of-fold median forecasts and quantiles, grouped by proposal (LOPO unless ``k``)."""
    arrays, y, groups = stacked_cases(cases)
    out, fold = cross_validate(
        lambda train: fit_choice(issue_subset(arrays, train), y[train]),
        lambda coef, test: {"quantiles": predict_choice(issue_subset(arrays, test), coef).T},
        groups,
        k,
        seed,
    )
    q = out["quantiles"]  # [N, L]
    return {"forecast": q[:, LEVELS.index(0.5)], "quantiles": q, "outcome": y, "groups": groups, "fold": fold}


def main(argv: list[str] | None = None) -> int:
    """Refit on a DEU file and write the coefficients JSON."""
    from accord.evaluate.deu import load_deu

    args = sys.argv[1:] if argv is None else argv
    data = load_deu(args[0])
    arrays, y, groups = stacked_cases(data.cases)
    coef = fit_choice(arrays, y)
    coef["fitted_on"] = {
        "data": Path(data.source).name,
        "issues": int(len(y)),
        "proposals": int(len(set(groups))),
        "date": dt.date.today().isoformat(),
        "ridge": RIDGE,
    }
    Path(args[1]).write_text(json.dumps(coef, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
