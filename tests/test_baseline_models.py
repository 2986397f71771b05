"""Baseline models against values worked out by hand, and the invariants every model keeps."""

from __future__ import annotations

import numpy as np
import pytest

from accord.models import available_models, get_model
from accord.scenario import compile_scenario
from accord.scenario.io import load_scenario

from helpers import scenario

STATIC = ["compromise", "mean", "median", "weighted-median", "nash"]

# A (cap 2, sal 100) at 0, B (cap 1, sal 50) at 30, C (cap 1, sal 100) at 90:
# weights c*s = 2, 0.5, 1 (total 3.5).
THREE = [("a", 2.0), ("b", 1.0), ("c", 1.0)]
ROWS = [("a", "x", 0.0, 100.0), ("b", "x", 30.0, 50.0), ("c", "x", 90.0, 100.0)]


def run(name: str, arrays) -> np.ndarray:
    return get_model(name).run(arrays).final


def test_hand_values_on_three_actors():
    arrays = compile_scenario(scenario(THREE, ROWS))
    assert run("compromise", arrays) == pytest.approx([105 / 3.5])  # (0*2 + 30*.5 + 90*1)/3.5 = 30
    assert run("mean", arrays) == pytest.approx([40.0])
    assert run("median", arrays) == pytest.approx([30.0])
    # cumulative weights 2, 2.5, 3.5 in position order; half is 1.75, reached at position 0
    assert run("weighted-median", arrays) == pytest.approx([0.0])


def test_nash_with_status_quo_by_hand():
    # SQ = 100: gains 100-|x|, 70-|x-30|, 10-|x-90| are all positive only on (80, 100).
    # On (80, 90) the first-order condition 1/(x-80) = 2.5/(100-x) gives x = 300/3.5.
    issues = [{"id": "x", "name": "x", "status_quo": 100}]
    arrays = compile_scenario(scenario(THREE, ROWS, issues=issues))
    assert run("nash", arrays) == pytest.approx([300 / 3.5], abs=1e-9)


def test_nash_deadlock_when_status_quo_splits_the_actors():
    issues = [{"id": "x", "name": "x", "status_quo": 50}]
    arrays = compile_scenario(scenario(THREE, ROWS, issues=issues))
    traj = get_model("nash").run(arrays)
    assert traj.final == pytest.approx([50.0])
    assert traj.details.deadlock.tolist() == [True]


def test_nash_without_status_quo_matches_grid_search():
    # disagreement = each actor's worst point on the 0..100 scale: r = 100, 70, 90
    arrays = compile_scenario(scenario(THREE, ROWS))
    x = np.linspace(0, 100, 1_000_001)[1:-1]
    w, p, r = np.array([2, 0.5, 1.0]), np.array([0, 30, 90.0]), np.array([100, 70, 90.0])
    objective = (w[:, None] * np.log(r[:, None] - np.abs(x - p[:, None]))).sum(axis=0)
    assert run("nash", arrays) == pytest.approx([x[np.argmax(objective)]], abs=1e-3)


def test_weighted_median_tie_takes_midpoint_like_the_median():
    arrays = compile_scenario(scenario([("a", 1), ("b", 1)], [("a", "x", 20, 50), ("b", "x", 60, 50)]))
    assert run("weighted-median", arrays) == pytest.approx([40.0])
    assert run("median", arrays) == pytest.approx([40.0])


def test_compromise_on_example_actors(shared_dir):
    # the round-0 capability x salience weighted mean of the ExampleActors table
    for sub in ("BDM_DecisionModel_Replication", "bdm-scholz-expected-utility-model"):
        arrays = compile_scenario(load_scenario(shared_dir / "anchor-data" / sub / "ExampleActors.csv"))
        assert run("compromise", arrays) == pytest.approx([7.38996], abs=5e-6)


def test_actors_without_stake_are_ignored():
    rows = [*ROWS, ("d", "y", 10.0, 100.0), ("a", "y", 50.0, 100.0)]
    arrays = compile_scenario(scenario([*THREE, ("d", 1.0)], rows))
    for name in STATIC:
        alone = compile_scenario(scenario(THREE, ROWS))
        assert run(name, arrays)[0] == pytest.approx(run(name, alone)[0])


def _random_arrays(seed: int, n_actors: int = 7, n_issues: int = 4):
    rng = np.random.default_rng(seed)
    rows = [
        (f"a{i}", f"i{k}", float(rng.uniform(0, 100)), float(rng.uniform(1, 100)))
        for i in range(n_actors) for k in range(n_issues)
    ]
    actors = [(f"a{i}", float(rng.uniform(1, 100))) for i in range(n_actors)]
    issues = [{"id": f"i{k}", "name": f"i{k}", "status_quo": float(rng.uniform(0, 100))}
              for k in range(n_issues)]
    return compile_scenario(scenario(actors, rows, issues=issues))


@pytest.mark.parametrize("name", STATIC)
def test_invariants(name):
    arrays = _random_arrays(1)
    base = run(name, arrays)
    assert np.all((base >= arrays.lower) & (base <= arrays.upper))
    perm = np.random.default_rng(2).permutation(arrays.n_actors)
    relabelled = arrays.replace(
        position=arrays.position[perm], salience=arrays.salience[perm],
        capability=arrays.capability[perm], stake=arrays.stake[perm], veto=arrays.veto[perm],
    )
    np.testing.assert_allclose(run(name, relabelled), base, atol=1e-9)
    scaled = arrays.replace(capability=arrays.capability * 3.7)
    np.testing.assert_allclose(run(name, scaled), base, atol=1e-9)


@pytest.mark.parametrize("name", STATIC)
def test_batch_equals_loop(name):
    arrays = _random_arrays(3)
    rng = np.random.default_rng(4)
    batch = arrays.broadcast(5).replace(
        position=np.clip(arrays.position + rng.normal(0, 10, (5, *arrays.stake.shape)), 0, 100)
    )
    together = get_model(name).run(batch).final
    for b in range(5):
        single = arrays.replace(position=batch.position[b])
        np.testing.assert_allclose(together[b], run(name, single), atol=1e-12)


def test_registry_lists_baselines():
    assert set(STATIC) <= set(available_models())
