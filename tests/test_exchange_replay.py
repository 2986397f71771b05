"""Exchange model, replay mode: the reference values of docs/specs/exchange.md §12."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.cli.main import main
from accord.errors import AccordError
from accord.models import get_model
from accord.models.exchange.replay import replay
from accord.report.model_details import details_lines, details_to_dict
from accord.scenario import compile_scenario
from accord.scenario.io import load_scenario
from accord.scenario.io.decide import read_decide_exact

from exchange_reference import END as END_1
from exchange_reference import START
from exchange_reference import VOTING as VOTING_1
from helpers import scenario

DECIDE = "anchor-data/decide-exchange-model"


BRANCH = {1: "A", 3: "A", 4: "A", 7: "A", 8: "A", 9: "A", 2: "B", 5: "B", 6: "B", 10: "B"}
EXCHANGES_1 = {"A": 39, "B": 38}
# seed 1, 10 rounds
END_10 = [65.708633924212, 4.203730267542, 47.697418360846, 11.457878962220, 79.138353321911,
          47.607540545621]
VOTING_10 = [70.167869976838, 4.573637943948, 39.732445554670, 4.670069417022, 76.276122401911,
             46.216024380993]
EXCHANGES_SEED1 = [39, 37, 37, 42, 39, 40, 36, 36, 38, 28]
TIES_SEED1 = [1, 2, 4, 1, 5, 1, 1, 2, 0, 0]
# seeds 1-10: ranges of the end-of-round-10 outcomes, stated to 2 decimals
RANGES = [(65.66, 67.03), (4.12, 4.24), (46.38, 48.31), (11.33, 12.29), (79.08, 80.77), (47.42, 49.08)]


@pytest.fixture(scope="module")
def sample_path(shared_dir):
    return shared_dir / DECIDE / "sample_data.txt"


@pytest.fixture(scope="module")
def ten_rounds(sample_path):
    exact = read_decide_exact(sample_path)
    return {seed: replay(exact, rounds=10, seed=seed) for seed in range(1, 11)}


def test_seed_one_ten_rounds_matches_reference(ten_rounds):
    traj = ten_rounds[1]
    np.testing.assert_allclose(traj.outcome[0], START, rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.outcome[10], END_10, rtol=0, atol=1e-9)
    np.testing.assert_allclose(traj.details.voting_outcome[10], VOTING_10, rtol=0, atol=1e-9)
    assert traj.details.n_exchanges[1:].tolist() == EXCHANGES_SEED1
    assert traj.details.tie_events[1:].tolist() == TIES_SEED1
    assert [len(r) for r in traj.details.exchanges] == [0, *EXCHANGES_SEED1]


def test_round_one_branches_by_seed(ten_rounds):
    for seed, branch in BRANCH.items():
        traj = ten_rounds[seed]
        np.testing.assert_allclose(traj.details.voting_outcome[1], VOTING_1[branch], rtol=0, atol=1e-9)
        np.testing.assert_allclose(traj.outcome[1], END_1[branch], rtol=0, atol=1e-9)
        assert traj.details.n_exchanges[1] == EXCHANGES_1[branch]
        assert traj.details.tie_events[1] == 1


def test_seeds_one_to_ten_stay_in_reference_ranges(ten_rounds):
    ends = np.array([traj.outcome[10] for traj in ten_rounds.values()])
    lo, hi = np.array(RANGES).T
    assert np.all(ends >= lo - 0.005) and np.all(ends <= hi + 0.005)  # the ends are rounded to 0.01
    np.testing.assert_array_equal(np.round(ends.min(axis=0), 2), lo)
    np.testing.assert_array_equal(np.round(ends.max(axis=0), 2), hi)


def test_model_mode_replay_from_arrays_and_from_file(sample_path, ten_rounds):
    arrays = compile_scenario(load_scenario(sample_path))
    model = get_model("exchange", mode="replay", rounds=10)
    from_arrays = model.run(arrays, rng=np.random.default_rng(99))  # the numpy generator is ignored
    from_file = model.with_params(source_file=str(sample_path)).run(arrays)
    for traj in (from_arrays, from_file):
        np.testing.assert_array_equal(traj.outcome, ten_rounds[1].outcome)
        np.testing.assert_array_equal(traj.positions, ten_rounds[1].positions)
        np.testing.assert_array_equal(traj.details.voting_outcome, ten_rounds[1].details.voting_outcome)
        assert traj.positions.shape == (11, *arrays.stake.shape)
        assert traj.details.exchanges[1].dtype == ten_rounds[1].details.exchanges[1].dtype
    seed2 = model.with_params(replay_seed=2, rounds=1).run(arrays)
    np.testing.assert_allclose(seed2.outcome[1], END_1["B"], rtol=0, atol=1e-9)
    # same shapes and output helpers as the deterministic mode
    det = get_model("exchange", rounds=10).run(arrays, rng=np.random.default_rng(1))
    assert det.positions.shape == from_arrays.positions.shape
    assert type(det.details) is type(from_arrays.details)
    actors = [f"a{n}" for n in range(arrays.n_actors)]
    issues = [f"i{n}" for n in range(arrays.n_issues)]
    js = details_to_dict(from_arrays.details, actors, issues)
    assert js["n_exchanges"][1:] == EXCHANGES_SEED1 and js["tie_events"][1:] == TIES_SEED1
    assert details_lines(from_arrays.details, actors, issues)[0] == "Round 1: 39 exchanges, 1 tie broken by the seed"


def test_cli_forecast_replay(capsys, sample_path):
    code = main(["forecast", str(sample_path), "-m", "exchange", "-p", "mode=replay", "-p", "replay_seed=1",
                 "--rounds", "10", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    issues = json.loads(out)["models"]["exchange"]["issues"]
    np.testing.assert_allclose([entry["outcome"] for entry in issues.values()], END_10, rtol=0, atol=1e-9)


def test_hand_worked_trade_on_a_non_decide_scenario():
    """The trade worked by hand in test_exchange.py (spec §4, §8): A1 (I) moves q 100 -> 0, A2 (J)
    moves p 0 -> 100, gain 12 each; w = 0.1 + 0.4 (1 - 0.2) = 0.42, so A1 ends at 58 on q, A2
    at 42 on p; end outcomes 0.8*100 + 0.2*42 = 88.4 and 0.2*58 = 11.6. In decimal with the
    binary-float constants these differ from the round numbers by ~2e-15 only."""
    arrays = compile_scenario(scenario(
        [("a1", 1.0), ("a2", 1.0)],
        [("a1", "p", 100, 80), ("a1", "q", 100, 20), ("a2", "p", 0, 20), ("a2", "q", 0, 80)],
    ))
    traj = get_model("exchange", mode="replay", rounds=1).run(arrays)
    np.testing.assert_allclose(traj.details.voting_outcome[1], [100, 0], atol=1e-12)
    np.testing.assert_allclose(traj.outcome[1], [88.4, 11.6], atol=1e-12)
    np.testing.assert_allclose(traj.positions[1], [[100, 58], [42, 0]], atol=1e-12)
    (ex,) = traj.details.exchanges[1]
    assert (ex["actor_i"], ex["issue_i"], ex["actor_j"], ex["issue_j"]) == (0, 1, 1, 0)
    assert ex["gain_i"] == pytest.approx(12) and ex["gain_j"] == pytest.approx(12)


def test_replay_errors(sample_path, shared_dir, tmp_path):
    arrays = compile_scenario(load_scenario(sample_path))
    model = get_model("exchange", mode="replay", rounds=1)
    with pytest.raises(AccordError, match="p = 0"):
        model.with_params(p=0.5)
    with pytest.raises(AccordError, match="batch"):
        model.run(arrays.broadcast(2))
    thirds = arrays.replace(salience=np.where(arrays.stake, 1 / 3, 0.0))
    with pytest.raises(AccordError, match="Decide file"):
        model.run(thirds)
    other = shared_dir / DECIDE / "copenhagen.csv"
    with pytest.raises(AccordError, match="source_file"):
        model.with_params(source_file=str(other)).run(arrays)
    yaml_file = tmp_path / "talks.yaml"
    yaml_file.write_text("id: talks\ntitle: talks\n")
    with pytest.raises(AccordError, match="Decide file"):
        read_decide_exact(yaml_file)
    with pytest.raises(AccordError, match="faithful"):
        get_model("exchange", mode="faithful")
