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

Which variant ships (:data:`VARIANTS`: feature set x ridge x shrinkage toward the compromise,
and the plain compromise) is chosen by grouped 5-fold CV, and the whole procedure is scored by
nested CV (:mod:`.nested`). ``python -m accord.evaluate.fit_choice DATA OUT.json`` reruns the
selection on a DEU file and writes the chosen variant's coefficients fitted on all of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from accord.evaluate.nested import NestedResult, nested_cross_validate, select_variant
from accord.evaluate.stack import stack_arrays
from accord.models.choice import ALL_FEATURES, FEATURES, LEVELS, choice_features, choice_quantiles
from accord.scenario.arrays import ScenarioArrays, compile_scenario

RIDGE = 0.1
INNER_K = 5


@dataclass(frozen=True)
class ChoiceVariant:
    """One candidate specification: the features, the ridge penalty, the shrinkage lambda
    (forecast c + lambda (Y - c)); ``shrink == 0`` is the compromise model itself."""

    features: tuple[str, ...]
    ridge: float
    shrink: float

    @property
    def label(self) -> str:
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


def issue_subset(arrays: ScenarioArrays, index: np.ndarray) -> ScenarioArrays:
    """The issues ``index`` of unbatched arrays."""
    return ScenarioArrays(
        *(
            getattr(arrays, f)[..., index]
            for f in ("position", "salience", "capability", "stake", "lower", "upper", "status_quo", "veto")
        )
    )


def _neg_log_lik(
    theta: np.ndarray, phi: np.ndarray, stake: np.ndarray, dist: np.ndarray, ridge: float
) -> tuple[float, np.ndarray]:
    """-log L + ridge and its gradient, ``dist`` the distances d ``[A+1, I]`` per 100 scale units.
    With pi = softmax(u), r = softmax(log pi + log kernel) (the posterior of the candidate):
    d/du = -(r - pi), d/dlog b = -sum r (d / b - 1)."""
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
    """Maximum-likelihood coefficients on unbatched stacked ``arrays`` with ``outcome [I]``;
    ``scale`` is per 100 units of each issue's scale (module docstring)."""
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
    """Coefficients of ``variant``; the compromise variant has nothing to fit."""
    if variant.shrink == 0:
        return {"beta": {}, "alpha_compromise": 0.0, "scale": 1.0, "shrink": 0.0}
    coef = fit_choice(arrays, outcome, variant.features, variant.ridge)
    return {**coef, "shrink": variant.shrink}


def predict_choice(arrays: ScenarioArrays, coef: dict[str, Any]) -> np.ndarray:
    """Quantiles ``[L, I]`` (levels :data:`LEVELS`) of the fitted forecast distribution."""
    return choice_quantiles(arrays, coef)[0]


def stacked_cases(cases: list[Any]) -> tuple[ScenarioArrays, np.ndarray, np.ndarray]:
    """Stacked arrays, outcomes and proposal ids of the scoreable cases."""
    cases = [c for c in cases if c.scoreable]
    arrays, _ = stack_arrays(
        [compile_scenario(c.scenario) for c in cases], [c.scenario.actor_ids for c in cases]
    )
    return arrays, np.array([c.outcome for c in cases], float), np.array([c.proposal_id for c in cases])


def _fitter(arrays: ScenarioArrays, y: np.ndarray) -> Any:
    """``fit(variant, index)`` with a cache: variants differing only in shrinkage share a fit."""
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}

    def fit(variant: ChoiceVariant, index: np.ndarray) -> dict[str, Any]:
        key = (variant.features, variant.ridge, variant.shrink == 0, index.tobytes())
        if key not in cache:
            cache[key] = fit_variant(variant, issue_subset(arrays, index), y[index])
        return {**cache[key], "shrink": variant.shrink}

    return fit


def cross_validate_choice(
    cases: list[Any],
    k: int | None = None,
    seed: int = 0,
    variants: tuple[ChoiceVariant, ...] = VARIANTS,
    inner_k: int = INNER_K,
) -> dict[str, Any]:
    """Nested CV: out-of-fold quantiles of the variant chosen by inner grouped CV on each outer
    training set; outer folds by proposal (LOPO unless ``k``)."""
    arrays, y, groups = stacked_cases(cases)

    def predict(coef: dict[str, Any], test: np.ndarray) -> dict[str, np.ndarray]:
        q = predict_choice(issue_subset(arrays, test), coef).T
        return {"forecast": q[:, LEVELS.index(0.5)], "quantiles": q}

    fit = _fitter(arrays, y)
    res: NestedResult = nested_cross_validate(variants, fit, predict, y, groups, k, inner_k, seed)
    return {
        **res.out,
        "outcome": y,
        "groups": groups,
        "fold": res.fold,
        "chosen": res.chosen,
        "inner_mae": res.inner_mae,
        "variants": variants,
    }


def select_and_fit(
    arrays: ScenarioArrays, y: np.ndarray, groups: np.ndarray, seed: int = 0
) -> tuple[dict[str, Any], np.ndarray]:
    """The shipped procedure on all data: choose a variant by grouped CV, fit it on everything."""
    fit = _fitter(arrays, y)

    def predict(coef: dict[str, Any], test: np.ndarray) -> dict[str, np.ndarray]:
        return {"forecast": predict_choice(issue_subset(arrays, test), coef)[LEVELS.index(0.5)]}

    best, mae = select_variant(VARIANTS, fit, predict, np.arange(len(y)), y, groups, INNER_K, seed)
    return fit(VARIANTS[best], np.arange(len(y))), mae


def main(argv: list[str] | None = None) -> int:
    """Refit on a DEU file and write the coefficients JSON."""
    from accord.evaluate.deu import load_deu

    args = sys.argv[1:] if argv is None else argv
    data = load_deu(args[0])
    arrays, y, groups = stacked_cases(data.cases)
    coef, mae = select_and_fit(arrays, y, groups)
    coef["fitted_on"] = {
        "data": Path(data.source).name,
        "issues": int(len(y)),
        "proposals": int(len(set(groups))),
        "date": dt.date.today().isoformat(),
        "selected_by": f"grouped {INNER_K}-fold CV MAE over the variants of fit_choice.VARIANTS",
        "cv_mae": {v.label: round(float(m), 3) for v, m in zip(VARIANTS, mae, strict=True)},
    }
    Path(args[1]).write_text(json.dumps(coef, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
