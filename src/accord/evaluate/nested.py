"""Nested cross-validation grouped by proposal: model selection inside, honest error outside.

Choosing among variants (features, penalties, shrinkage) by their cross-validated error and then
reporting that same error overstates accuracy: the minimum of several noisy estimates is biased
low (Varma & Simon 2006, *BMC Bioinformatics* 7:91; Cawley & Talbot 2010, *JMLR* 11:2079). Here
the selection is part of the procedure being evaluated:

    for each outer fold o (leave-one-proposal-out by default):
        T_o = issues of the other proposals
        for each variant v: e_v = MAE of the inner grouped k-fold CV of v on T_o only
        v*_o = argmin_v e_v (ties: the earlier variant)
        forecast the test proposal with v*_o refitted on all of T_o

Inner folds split T_o's proposals, so no inner fit ever sees the outer test proposal, and the
reported error is that of "select by inner CV, then fit", the procedure a shipped model follows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.evaluate.crossval import cross_validate, grouped_folds

VariantFit = Callable[[Any, np.ndarray], Any]  # (variant, training issue indices) -> fitted model
VariantPredict = Callable[[Any, np.ndarray], dict[str, np.ndarray]]  # (model, test indices) -> arrays


@dataclass(frozen=True)
class NestedResult:
    """The outcome of a nested cross-validation.

    Parameters
    ----------
    out : dict of str to np.ndarray
        Out-of-fold predictions of the selected variants by name, each of shape (N, ...).
    fold : np.ndarray
        The outer fold of each issue, shape (N,).
    chosen : np.ndarray
        The index of the variant selected in each outer fold, shape (n_outer,).
    inner_mae : np.ndarray
        The inner cross-validated MAE of every variant, shape (n_outer, V).
    """

    out: dict[str, np.ndarray]  # out-of-fold predictions [N, ...] of the selected variants
    fold: np.ndarray  # [N] outer fold of each issue
    chosen: np.ndarray  # [n_outer] index of the variant selected in each outer fold
    inner_mae: np.ndarray  # [n_outer, V] inner cross-validated MAE of every variant


def select_variant(
    variants: Sequence[Any],
    fit: VariantFit,
    predict: VariantPredict,
    index: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    k: int = 5,
    seed: int = 0,
) -> tuple[int, np.ndarray]:
    """Choose the variant with the lowest grouped k-fold CV MAE on some issues.

    Only ``index`` is ever passed to ``fit`` and ``predict``; ``y`` and ``groups`` are full-length.

    Parameters
    ----------
    variants : sequence
        The variants.
    fit : callable
        (Variant, training issue indices) -> fitted model.
    predict : callable
        (Fitted model, test indices) -> predictions by name; ``forecast`` is scored.
    index : np.ndarray
        The issues to select on.
    y : np.ndarray
        The outcomes, shape (N,).
    groups : np.ndarray
        Each issue's group (proposal), shape (N,).
    k : int
        The number of folds.
    seed : int
        The seed of the fold assignment.

    Returns
    -------
    best : int
        The chosen variant's index (ties: the earlier variant).
    mae : np.ndarray
        Every variant's MAE, shape (V,).
    """
    sub = groups[index]
    mae = np.empty(len(variants))
    for n, variant in enumerate(variants):

        def fit_on(tr: np.ndarray, v: Any = variant) -> Any:
            return fit(v, index[tr])

        out, _ = cross_validate(
            fit_on,
            lambda model, te: predict(model, index[te]),
            sub,
            k,
            seed,
        )
        mae[n] = np.mean(np.abs(out["forecast"] - y[index]))
    return int(np.argmin(mae)), mae


def nested_cross_validate(
    variants: Sequence[Any],
    fit: VariantFit,
    predict: VariantPredict,
    y: np.ndarray,
    groups: np.ndarray,
    outer_k: int | None = None,
    inner_k: int = 5,
    seed: int = 0,
) -> NestedResult:
    """Run the outer grouped CV around the inner grouped selection (see the module docstring).

    Parameters
    ----------
    variants : sequence
        The variants.
    fit : callable
        (Variant, training issue indices) -> fitted model.
    predict : callable
        (Fitted model, test indices) -> predictions by name, each of shape (n_test, ...).
    y : np.ndarray
        The outcomes, shape (N,).
    groups : np.ndarray
        Each issue's group (proposal), shape (N,).
    outer_k : int, optional
        The number of outer folds; None: leave one proposal out.
    inner_k : int
        The number of inner folds.
    seed : int
        The seed of the fold assignments.

    Returns
    -------
    NestedResult
        The out-of-fold predictions, folds, choices and inner errors.

    Raises
    ------
    AssertionError
        When a proposal is in both a training and a test fold (a bug, never expected).

    References
    ----------
    S. Varma & R. Simon, "Bias in error estimation when using cross-validation for model
    selection", *BMC Bioinformatics* 7:91, 2006; G. C. Cawley & N. L. C. Talbot, "On over-fitting
    in model selection and subsequent selection bias in performance evaluation", *JMLR* 11:2079,
    2010.
    """
    fold = np.full(len(groups), -1)
    out: dict[str, np.ndarray] = {}
    chosen, inner = [], []
    for n, test in enumerate(grouped_folds(groups, outer_k, seed)):
        train = np.flatnonzero(~test)
        if np.intersect1d(groups[train], groups[test]).size:
            raise AssertionError("a proposal is in both the training and the test fold")
        best, mae = select_variant(variants, fit, predict, train, y, groups, inner_k, seed)
        chosen.append(best)
        inner.append(mae)
        fold[test] = n
        for name, values in predict(fit(variants[best], train), np.flatnonzero(test)).items():
            out.setdefault(name, np.full((len(groups), *values.shape[1:]), np.nan))[test] = values
    return NestedResult(out, fold, np.array(chosen), np.array(inner))
