"""Cross-validation of the position-choice model: choose its variant, score the choice honestly.

The shipped variant is the one of :data:`.fit_choice.VARIANTS` with the lowest grouped
:data:`INNER_K`-fold CV error on all the data (:func:`select_and_fit`). Scoring that procedure
on the data it chose on would flatter it, so the backtest scores it by nested CV
(:func:`cross_validate_choice`, :mod:`.nested`): outer folds by proposal (leave one proposal
out), the variant chosen again inside each outer training set.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from accord.evaluate.fit_choice import VARIANTS, ChoiceVariant, fit_variant, predict_choice
from accord.evaluate.nested import NestedResult, nested_cross_validate, select_variant
from accord.evaluate.stack import issue_subset, stacked_cases
from accord.models.choice import LEVELS
from accord.scenario.arrays import ScenarioArrays

INNER_K = 5


def _fitter(arrays: ScenarioArrays, y: np.ndarray) -> Any:
    """Return ``fit(variant, index)`` with a cache: variants differing only in shrinkage share a fit."""
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
    """Score the choice model's variant selection by nested CV.

    The out-of-fold quantiles are those of the variant chosen by inner grouped CV on each outer
    training set.

    Parameters
    ----------
    cases : list
        The DEU cases (the scoreable ones are used).
    k : int, optional
        The number of outer folds; None: leave one proposal out.
    seed : int
        The seed of the fold assignments.
    variants : tuple of ChoiceVariant
        The variants to choose among.
    inner_k : int
        The number of inner folds.

    Returns
    -------
    dict
        ``forecast`` (N,) and ``quantiles`` (N, levels) out of fold, ``outcome``, ``groups``,
        ``fold``, ``chosen``, ``inner_mae`` and ``variants``.
    """
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
    """Run the shipped procedure on all data: choose a variant by grouped CV, fit it on everything.

    Parameters
    ----------
    arrays : ScenarioArrays
        The stacked cases.
    y : np.ndarray
        The outcomes, shape (N,).
    groups : np.ndarray
        Each issue's proposal, shape (N,).
    seed : int
        The seed of the fold assignment.

    Returns
    -------
    coef : dict
        The chosen variant's fit.
    mae : np.ndarray
        Every variant's CV MAE, in the order of :data:`.fit_choice.VARIANTS`.
    """
    fit = _fitter(arrays, y)

    def predict(coef: dict[str, Any], test: np.ndarray) -> dict[str, np.ndarray]:
        return {"forecast": predict_choice(issue_subset(arrays, test), coef)[LEVELS.index(0.5)]}

    best, mae = select_variant(VARIANTS, fit, predict, np.arange(len(y)), y, groups, INNER_K, seed)
    return fit(VARIANTS[best], np.arange(len(y))), mae


def main(argv: list[str] | None = None) -> int:
    """Refit on a DEU file and write the coefficients JSON.

    Parameters
    ----------
    argv : list of str, optional
        ``DEU-DATA OUT.json``; default the command line's arguments.

    Returns
    -------
    int
        The exit status: 0, or 2 on a usage error.
    """
    from accord.scenario.io.deu import load_deu

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m accord.evaluate.fit_choice DEU-DATA OUT.json", file=sys.stderr)
        return 2
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
