"""The position-choice model: forecast and quantiles on a change of scale, and its details."""

from __future__ import annotations

import numpy as np

from accord.models import get_model
from accord.models.choice import LEVELS, ChoiceDetails
from accord.scenario import ScenarioArrays


def _arrays(position, salience, capability, lower, upper) -> ScenarioArrays:
    position = np.array(position, dtype=float)
    n_a, n_i = position.shape
    return ScenarioArrays(position, np.array(salience, dtype=float), np.array(capability, dtype=float),
                          np.ones((n_a, n_i), dtype=bool), np.array(lower, dtype=float),
                          np.array(upper, dtype=float), np.full(n_i, np.nan), np.zeros((n_a, n_i), dtype=bool))


def test_equivariant_under_a_change_of_scale():
    """The Laplace scale b (5.8) was in absolute units, fitted on DEU's 0..100 scales: on a 0..1
    scale the mixture was almost flat and the forecast fell near the middle (found by the
    property tests). The same issue on 0..1 and on 0..100 must give forecasts 100 times apart,
    and on -5..7.5 the same point."""
    frac = np.array([[0.0], [0.125], [1.0]])
    sal, cap = [[0.3], [1.0], [0.55]], [[10.0], [1.0], [50.0]]
    hundred = get_model("choice").run(_arrays(frac * 100, sal, cap, [0.0], [100.0])).final
    one = get_model("choice").run(_arrays(frac, sal, cap, [0.0], [1.0])).final
    odd = get_model("choice").run(_arrays(-5 + 12.5 * frac, sal, cap, [-5.0], [7.5])).final
    np.testing.assert_allclose(one * 100, hundred, atol=1e-7)
    np.testing.assert_allclose((odd + 5) / 12.5 * 100, hundred, atol=1e-7)


def test_details_are_the_forecast_quantiles():
    """The forecast is the 0.5 quantile; the quantiles rise with the level and lie on the scale."""
    arrays = _arrays([[0.0, 10.0], [40.0, 80.0], [100.0, 90.0]], [[0.3, 1.0], [1.0, 0.5], [0.55, 0.2]],
                     [[10.0, 10.0], [1.0, 1.0], [50.0, 50.0]], [0.0, 0.0], [100.0, 100.0])
    traj = get_model("choice").run(arrays)
    assert isinstance(traj.details, ChoiceDetails)
    assert tuple(traj.details.quantiles) == LEVELS
    np.testing.assert_array_equal(traj.final, traj.details.quantiles[0.5])
    q = np.array([traj.details.quantiles[level] for level in LEVELS])
    assert np.all(np.diff(q, axis=0) >= 0) and np.all((q >= 0) & (q <= 100))
    assert np.all((traj.details.compromise_weight > 0) & (traj.details.compromise_weight < 1))
