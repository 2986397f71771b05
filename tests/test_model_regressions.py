"""Regressions for defects found by the property tests (tests/test_model_properties.py), each
with the failing example hypothesis found."""

from __future__ import annotations

import numpy as np

from accord.models import get_model
from accord.scenario import ScenarioArrays


def _arrays(position, salience, capability, lower, upper, status_quo=None) -> ScenarioArrays:
    position = np.array(position, dtype=float)
    n_a, n_i = position.shape
    sq = np.full(n_i, np.nan) if status_quo is None else np.array(status_quo, dtype=float)
    return ScenarioArrays(position, np.array(salience, dtype=float), np.array(capability, dtype=float),
                          np.ones((n_a, n_i), dtype=bool), np.array(lower, dtype=float),
                          np.array(upper, dtype=float), sq, np.zeros((n_a, n_i), dtype=bool))


def test_exchange_round_zero_is_the_input_exactly():
    """Round 0 went through the 0..100 normalisation and back, 0.7937063851470547 returning as
    0.7937063851470548; the interface promises round 0 = input."""
    arrays = _arrays([[0.0, 0.0], [0.0, 0.7937063851470547]], [[0.01, 0.01], [1.0, 1.0]],
                     [[1.0, 1.0], [1.0, 1.0]], [0.0, 0.0], [1.0, 1.0])
    traj = get_model("exchange", rounds=3).run(arrays, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(traj.positions[0], arrays.position)


def test_choice_is_equivariant_under_a_change_of_scale():
    """The Laplace scale b (5.8) was in absolute units, fitted on DEU's 0..100 scales: on a 0..1
    scale the mixture was almost flat and the forecast fell near the middle. The same issue on
    0..1 and on 0..100 must give forecasts 100 times apart, and on -5..7.5 the same point."""
    frac = np.array([[0.0], [0.125], [1.0]])
    sal, cap = [[0.3], [1.0], [0.55]], [[10.0], [1.0], [50.0]]
    hundred = get_model("choice").run(_arrays(frac * 100, sal, cap, [0.0], [100.0])).final
    one = get_model("choice").run(_arrays(frac, sal, cap, [0.0], [1.0])).final
    odd = get_model("choice").run(_arrays(-5 + 12.5 * frac, sal, cap, [-5.0], [7.5])).final
    np.testing.assert_allclose(one * 100, hundred, atol=1e-7)
    np.testing.assert_allclose((odd + 5) / 12.5 * 100, hundred, atol=1e-7)


def test_smp_ignores_an_actor_with_no_stake_and_names_its_players():
    from accord.models import get_model
    from accord.scenario import Scenario, compile_scenario

    def scenario(extra: bool) -> Scenario:
        actors = [{"id": "a", "name": "A", "capability": 40}, {"id": "b", "name": "B", "capability": 30},
                  {"id": "c", "name": "C", "capability": 30}]
        rows = [("a", "x", 10, 80), ("b", "x", 60, 50), ("c", "x", 90, 70), ("a", "y", 20, 30),
                ("c", "y", 70, 60)]
        issues = [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}]
        if extra:  # an actor listed but with no position anywhere: not a player
            actors.insert(1, {"id": "idle", "name": "Idle", "capability": 90})
            issues.append({"id": "z", "name": "Z"})
            rows.append(("a", "z", 50, 10))
        return Scenario.model_validate({
            "id": "t", "title": "t", "actors": actors, "issues": issues,
            "positions": [{"actor": a, "issue": i, "position": x, "salience": s} for a, i, x, s in rows]})

    with_idle = get_model("smp").run(compile_scenario(scenario(True)))
    without = get_model("smp").run(compile_scenario(scenario(False)))
    assert with_idle.details["players"].tolist() == [0, 2, 3]
    assert with_idle.positions[-1, 1, :2].tolist() == [50.0, 50.0]  # the idle actor keeps its input
    lines = get_model("smp").details_text(with_idle, ["a", "idle", "b", "c"], ["x", "y", "z"])
    assert not any("idle" in line for line in lines)
    assert len(without.outcome[-1]) == 2
