"""The position-choice model's compiled quantiles equal the numpy bisection bit for bit (issue 15).

On sampled draws of the built-in scenario (11 actors: 12 candidates per issue) with all its
issues, where numpy sums the candidates left to right, and with one issue, where numpy's array
layout makes it sum them pairwise; and the model's forecast is the 0.5 quantile of either.
"""

from __future__ import annotations

import numpy as np

from accord.experiments.uncertainty import draw_arrays
from accord.models import get_model
from accord.models.choice.model import (
    choice_mixture,
    mixture_quantiles,
    numpy_mixture_quantiles,
    shipped_coefficients,
)
from accord.scenario.builtin import load_builtin


def _one_issue(arrays, k):
    return arrays.replace(position=arrays.position[..., k:k + 1], salience=arrays.salience[..., k:k + 1],
                          capability=arrays.capability[..., k:k + 1], stake=arrays.stake[:, k:k + 1],
                          lower=arrays.lower[k:k + 1], upper=arrays.upper[k:k + 1],
                          status_quo=arrays.status_quo[..., k:k + 1], veto=arrays.veto[:, k:k + 1])


def test_compiled_quantiles_equal_the_numpy_bisection():
    coef = shipped_coefficients()
    features = tuple(coef["beta"])
    beta = np.array([coef["beta"][f] for f in features])
    draws = draw_arrays(load_builtin(), 200, 3)
    for arrays in (draws, _one_issue(draws, 0), _one_issue(draws, 3)):
        candidates, prob = choice_mixture(arrays, beta, coef["alpha_compromise"], features)
        scale = coef["scale"] * (arrays.upper - arrays.lower) / 100.0
        got = mixture_quantiles(arrays, candidates, prob, scale)
        np.testing.assert_array_equal(got, numpy_mixture_quantiles(arrays, candidates, prob, scale))
        assert candidates.shape[-2] == 12 and got.shape == (5, 200, arrays.n_issues)
    forecast = get_model("choice").run(draws).final
    candidates, prob = choice_mixture(draws, beta, coef["alpha_compromise"], features)
    median = numpy_mixture_quantiles(draws, candidates, prob, coef["scale"] * (draws.upper - draws.lower) / 100.0)[2]
    lam = float(coef.get("shrink", 1.0))
    np.testing.assert_array_equal(forecast, candidates[..., -1, :] + lam * (median - candidates[..., -1, :]))
