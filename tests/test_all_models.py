"""Every registered model on the built-in scenario and on sampled draws of it: the shapes the
interface promises, outcomes inside each issue's scale, and the batch equal to single runs."""

from __future__ import annotations

import numpy as np
import pytest

from accord.models import available_models, get_model
from accord.scenario import compile_scenario
from accord.scenario.builtin import load_builtin
from accord.scenario.sampling import sample_arrays

SCENARIO = load_builtin()
ARRAYS = compile_scenario(SCENARIO)
DRAWS = sample_arrays(SCENARIO, 3, np.random.default_rng(11))


@pytest.mark.parametrize("name", available_models())
def test_model_on_builtin_scenario(name):
    model = get_model(name)
    traj = model.run(ARRAYS, rng=np.random.default_rng(0))
    n_a, n_i = ARRAYS.stake.shape
    assert traj.positions.shape == (traj.n_rounds, n_a, n_i)
    assert traj.outcome.shape == (traj.n_rounds, n_i)
    np.testing.assert_array_equal(traj.positions[0][ARRAYS.stake], ARRAYS.position[ARRAYS.stake])
    assert np.all(np.isfinite(traj.final))
    assert np.all((traj.final >= ARRAYS.lower - 1e-9) & (traj.final <= ARRAYS.upper + 1e-9))


@pytest.mark.parametrize("name", available_models())
def test_model_on_draws_with_sampled_status_quo(name):
    assert DRAWS.status_quo.shape == (3, ARRAYS.n_issues)  # the built-in status quos are uncertain
    final = get_model(name).run(DRAWS, rng=np.random.default_rng(0)).final
    assert final.shape == (3, ARRAYS.n_issues)
    assert np.all(np.isfinite(final))
    assert np.all((final >= ARRAYS.lower - 1e-9) & (final <= ARRAYS.upper + 1e-9))
