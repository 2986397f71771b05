"""Sampling from stated uncertainties: bounds respected, moments right, reproducible."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from accord.scenario import Scenario
from accord.scenario.sampling import sample_arrays


def _scenario(position_u, salience_u=None, capability_u=None, sq_u=None, position=50.0) -> Scenario:
    return Scenario.model_validate({
        "id": "t", "title": "t",
        "actors": [{"id": "a", "name": "A", "capability": 40, "capability_by_issue": {"y": 20},
                    **({"capability_uncertainty": capability_u} if capability_u else {})},
                   {"id": "b", "name": "B", "capability": 10}],
        "issues": [{"id": "x", "name": "X", "status_quo": 30,
                    **({"status_quo_uncertainty": sq_u} if sq_u else {})},
                   {"id": "y", "name": "Y"}],
        "positions": [
            {"actor": "a", "issue": "x", "position": position, "salience": 60,
             "position_uncertainty": position_u,
             **({"salience_uncertainty": salience_u} if salience_u else {})},
            {"actor": "b", "issue": "x", "position": 20, "salience": 50},
            {"actor": "a", "issue": "y", "position": 70, "salience": 50},
        ],
    })


def test_truncated_normal_moments_and_bounds():
    draws = sample_arrays(_scenario({"sd": 30}, position=90), 200_000, np.random.default_rng(0))
    x = draws.position[:, 0, 0]
    assert x.min() >= 0 and x.max() <= 100
    expected = stats.truncnorm((0 - 90) / 30, (100 - 90) / 30, loc=90, scale=30)
    assert x.mean() == pytest.approx(expected.mean(), abs=0.1)
    assert x.std() == pytest.approx(expected.std(), abs=0.1)
    # numbers without uncertainty do not move
    assert np.all(draws.position[:, 1, 0] == 20)


def test_uniform_and_triangular_ranges():
    uni = sample_arrays(_scenario({"low": 40, "high": 70}), 100_000, np.random.default_rng(1))
    x = uni.position[:, 0, 0]
    assert x.min() >= 40 and x.max() <= 70 and x.mean() == pytest.approx(55, abs=0.1)
    tri = sample_arrays(_scenario({"low": 40, "high": 70, "distribution": "triangular"}, position=45),
                        100_000, np.random.default_rng(1))
    t = tri.position[:, 0, 0]
    assert t.min() >= 40 and t.max() <= 70
    assert t.mean() == pytest.approx((40 + 70 + 45) / 3, abs=0.1)  # triangular mean


def test_salience_capability_and_status_quo():
    s = _scenario({"sd": 1}, salience_u={"sd": 10}, capability_u={"low": 20, "high": 60}, sq_u={"sd": 5})
    draws = sample_arrays(s, 50_000, np.random.default_rng(2))
    assert draws.salience[:, 0, 0].mean() == pytest.approx(0.6, abs=0.005)
    cap = draws.capability[:, 0]
    assert cap[:, 0].mean() == pytest.approx(40, abs=0.2)
    np.testing.assert_allclose(cap[:, 1], cap[:, 0] * 20 / 40)  # the override scales along
    assert draws.status_quo.shape == (50_000, 2) and draws.status_quo[:, 0].std() == pytest.approx(5, rel=0.05)


def test_same_seed_same_draws():
    s = _scenario({"sd": 10})
    a = sample_arrays(s, 100, np.random.default_rng(7)).position
    b = sample_arrays(s, 100, np.random.default_rng(7)).position
    np.testing.assert_array_equal(a, b)


def test_write_draws_puts_each_value_in_its_cell():
    """Values chosen by hand: a position, a salience (60 of 100 -> 0.6), a capability that scales
    the actor's per-issue capabilities (a: 40 -> 80 doubles its 20 on y to 40), a capability
    coded 0 that the draw replaces (c: 0 -> 30, except on y where its override 5 stays) and a
    status quo (which makes status_quo [B, I])."""
    from accord.scenario.sampling import uncertain_inputs, write_draws

    data = _scenario({"sd": 5}, salience_u={"sd": 10}, capability_u=[20, 60], sq_u={"sd": 5}).model_dump()
    data["actors"].append({"id": "c", "name": "C", "capability": 0, "capability_uncertainty": [0, 100],
                           "capability_by_issue": {"y": 5}})
    data["positions"].append({"actor": "c", "issue": "x", "position": 90, "salience": 10})
    s = Scenario.model_validate(data)
    inputs = uncertain_inputs(s)
    assert [i.label for i in inputs] == ["position[a, x]", "salience[a, x]", "capability[a]",
                                         "capability[c]", "status_quo[x]"]
    values = np.array([[55.0, 60.0, 80.0, 30.0, 35.0], [45.0, 20.0, 40.0, 0.0, 25.0]])
    arrays = write_draws(s, inputs, values)
    np.testing.assert_array_equal(arrays.position[:, 0, 0], [55, 45])
    np.testing.assert_array_equal(arrays.salience[:, 0, 0], [0.6, 0.2])
    np.testing.assert_array_equal(arrays.capability[:, 0], [[80, 40], [40, 20]])
    np.testing.assert_array_equal(arrays.capability[:, 2], [[30, 5], [0, 5]])
    np.testing.assert_array_equal(arrays.capability[:, 1], [[10, 10], [10, 10]])  # b: no uncertainty
    np.testing.assert_array_equal(arrays.status_quo, [[35, np.nan], [25, np.nan]])
