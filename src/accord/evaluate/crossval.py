"""Cross-validation grouped by proposal: a test fold never shares a proposal with its training set.

Issues of one proposal are negotiated together, so a model trained on some issues of a proposal
and tested on the others would be scored on information it has seen. Leave-one-proposal-out is
the default; ``k`` folds group whole proposals (assigned by a seeded shuffle).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

Fit = Callable[[np.ndarray], Any]  # training issue indices -> fitted model
Predict = Callable[[Any, np.ndarray], dict[str, np.ndarray]]  # (model, test indices) -> arrays [n_test, ...]


def grouped_folds(groups: np.ndarray, k: int | None = None, seed: int = 0) -> Iterator[np.ndarray]:
    """Yield the test folds, whole groups at a time.

    Parameters
    ----------
    groups : np.ndarray
        Each issue's group (proposal), shape (N,).
    k : int, optional
        The number of folds; None (or at least the number of groups): one fold per group.
    seed : int
        The seed of the shuffle that assigns groups to folds.

    Yields
    ------
    np.ndarray
        A boolean test mask, shape (N,).
    """
    labels = np.unique(groups)
    if k is None or k >= len(labels):
        for label in labels:
            yield groups == label
        return
    order = np.random.default_rng(seed).permutation(labels)
    for part in np.array_split(order, k):
        yield np.isin(groups, part)


def cross_validate(
    fit: Fit, predict: Predict, groups: np.ndarray, k: int | None = None, seed: int = 0
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Make out-of-fold predictions, grouped by proposal.

    Parameters
    ----------
    fit : callable
        Training issue indices -> fitted model.
    predict : callable
        (Fitted model, test indices) -> predictions by name, each of shape (n_test, ...).
    groups : np.ndarray
        Each issue's group (proposal), shape (N,).
    k : int, optional
        The number of folds; None: leave one group out.
    seed : int
        The seed of the fold assignment.

    Returns
    -------
    predictions : dict of str to np.ndarray
        Out-of-fold predictions by name, each of shape (N, ...).
    fold : np.ndarray
        The fold number of each issue, shape (N,).

    Raises
    ------
    AssertionError
        When a group is in both a training and a test fold (a bug, never expected).
    """
    fold = np.full(len(groups), -1)
    out: dict[str, np.ndarray] = {}
    for n, test in enumerate(grouped_folds(groups, k, seed)):
        train = np.flatnonzero(~test)
        if np.intersect1d(groups[train], groups[test]).size:
            raise AssertionError("a proposal is in both the training and the test fold")
        fold[test] = n
        for name, values in predict(fit(train), np.flatnonzero(test)).items():
            out.setdefault(name, np.full((len(groups), *values.shape[1:]), np.nan))[test] = values
    return out, fold
