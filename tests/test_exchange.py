"""Exchange model: reference values of the spec (§12), a hand-worked trade, determinism, batch."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import AccordError
from accord.models import get_model
from accord.models.exchange import kernel as kern
from accord.models.exchange.candidates import build_candidates
from accord.report.model_details import details_lines, details_to_dict
from accord.scenario import ScenarioArrays, compile_scenario
from accord.scenario.io import load_scenario

from exchange_reference import END, START, VOTING
from helpers import scenario

DECIDE = "anchor-data/decide-exchange-model"


EXCHANGES = {"A": 39, "B": 38}  # "the reference realises 38 or 39 exchanges"


@pytest.fixture(scope="module")
def sample(shared_dir):
    return compile_scenario(load_scenario(shared_dir / DECIDE / "sample_data.txt"))


def _branch(traj) -> str:
    vote, end = traj.details.voting_outcome[1], traj.outcome[1]
    for name in ("A", "B"):
        if np.allclose(vote, VOTING[name], atol=1e-9) and np.allclose(end, END[name], atol=1e-9):
            return name
    raise AssertionError(f"round 1 matches neither reference branch: {vote}, {end}")


def test_start_outcome_matches_reference(sample):
    traj = get_model("exchange", rounds=1).run(sample, rng=np.random.default_rng(0))
    np.testing.assert_allclose(traj.outcome[0], START, rtol=0, atol=1e-12)


def test_round_one_matches_reference_branches(sample):
    model = get_model("exchange", rounds=1)
    seen = set()
    for seed in range(1, 11):
        traj = model.run(sample, rng=np.random.default_rng(seed))
        branch = _branch(traj)
        seen.add(branch)
        assert traj.details.n_exchanges[1] == EXCHANGES[branch]
        assert traj.details.tie_events[1] == 1  # "round 1 has exactly one tie event"
    assert seen == {"A", "B"}  # the seeded tie-break reaches both branches


def test_first_tie_break_needs_no_randomness(sample):
    model = get_model("exchange", rounds=3, tie_break="first")
    one = model.run(sample, rng=np.random.default_rng(1))
    two = model.run(sample, rng=np.random.default_rng(2))
    _branch(one)
    np.testing.assert_array_equal(one.positions, two.positions)


def test_same_seed_identical_different_seeds_differ_only_through_ties(sample):
    model = get_model("exchange", rounds=10)
    a = model.run(sample, rng=np.random.default_rng(7))
    b = model.run(sample, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.positions, b.positions)
    np.testing.assert_array_equal(a.details.voting_outcome[1:], b.details.voting_outcome[1:])
    for ra, rb in zip(a.details.exchanges, b.details.exchanges, strict=True):
        np.testing.assert_array_equal(ra, rb)
    # break every tie of sample_data by making all saliences distinct: seeds no longer matter
    jitter = 1 - 1e-3 * np.arange(sample.salience.size).reshape(sample.salience.shape) / sample.salience.size
    untied = sample.replace(salience=sample.salience * jitter)
    runs = [model.run(untied, rng=np.random.default_rng(seed)) for seed in (1, 2, 3)]
    assert all(r.details.tie_events.sum() == 0 for r in runs)
    for r in runs[1:]:
        np.testing.assert_array_equal(r.positions, runs[0].positions)
    # with ties: the tie choice is all that differs, so seeds taking the same branch of round 1's
    # single tie give identical round-1 results (and §12 shows which branches exist)
    one = get_model("exchange", rounds=1)
    by_branch: dict[str, np.ndarray] = {}
    for seed in range(1, 9):
        traj = one.run(sample, rng=np.random.default_rng(seed))
        first = by_branch.setdefault(_branch(traj), traj.positions)
        np.testing.assert_array_equal(traj.positions, first)


def _two_actor_case():
    # A1 right of the outcome on both issues, A2 left on both; they care in opposite proportions
    return compile_scenario(scenario(
        [("a1", 1.0), ("a2", 1.0)],
        [("a1", "p", 100, 80), ("a1", "q", 100, 20), ("a2", "p", 0, 20), ("a2", "q", 0, 80)],
    ))


def test_hand_worked_equal_gain_trade():
    """By hand (spec §4): W_p = W_q = 1, o_p = 80, o_q = 20. A1 is I (0.8/0.2 >= 0.2/0.8),
    demands p, supplies q. J = A2 moves all the way on p (m_J = 100): dP = 100*0.2 = 20,
    dQ = ((0.2+0.8)/(0.8+0.2))*20 = 20, m_I = 20/0.2 = 100 (not past A2's 0, so no step 2).
    G = |20*0.2 - 20*0.8| = 12. No overshoot (outcomes land exactly on 0 and 100).
    Voting outcomes: p = 100, q = 0. Next preference: w = 0.1 + 0.4*(1-0.2) = 0.42 for both:
    A1 on q: 100 - 42 = 58, A2 on p: 42. End outcomes: p = 0.8*100 + 0.2*42 = 88.4,
    q = 0.2*58 + 0.8*0 = 11.6."""
    arrays = _two_actor_case()
    model = get_model("exchange", rounds=1)
    traj = model.run(arrays, rng=np.random.default_rng(0))
    np.testing.assert_allclose(traj.details.voting_outcome[1], [100, 0], atol=1e-12)
    np.testing.assert_allclose(traj.outcome[1], [88.4, 11.6], atol=1e-12)
    np.testing.assert_allclose(traj.positions[1], [[100, 58], [42, 0]], atol=1e-12)
    (ex,) = traj.details.exchanges[1]
    assert (ex["actor_i"], ex["issue_i"], ex["actor_j"], ex["issue_j"]) == (0, 1, 1, 0)
    assert (ex["from_i"], ex["to_i"], ex["from_j"], ex["to_j"]) == (100, 0, 0, 100)
    assert ex["gain_i"] == pytest.approx(12) and ex["gain_j"] == pytest.approx(12)
    js = details_to_dict(traj.details, ["a1", "a2"], ["p", "q"])
    assert js["rounds"][0] == {}
    assert js["rounds"][1] == {"p": {"voting_outcome": pytest.approx(100)},
                               "q": {"voting_outcome": pytest.approx(0)}}
    assert js["exchanges"][1][0]["actor_i"] == "a1" and js["exchanges"][1][0]["issue_j"] == "p"
    text = details_lines(traj.details, ["a1", "a2"], ["p", "q"])
    assert text[:2] == ["Round 1: 1 exchanges", "  a1 ⇄ a2: a1 moves q 100.0 → 0.0, a2 moves p 0.0 → 100.0 (gain 12.00 each)"]


def test_batch_equals_loop(sample):
    rng = np.random.default_rng(3)
    draws = 3
    batched = sample.broadcast(draws)
    noise = rng.uniform(-5, 5, batched.position.shape)
    lo, hi = sample.lower[:, None].T, sample.upper[:, None].T
    batched = batched.replace(position=np.clip(batched.position + noise * (hi - lo) / 100, lo, hi))
    model = get_model("exchange", rounds=4)
    traj = model.run(batched, rng=np.random.default_rng(11))
    children = np.random.default_rng(11).spawn(draws)
    for b in range(draws):
        one = model.run(sample.replace(position=batched.position[b]), rng=children[b])
        np.testing.assert_array_equal(traj.positions[:, b], one.positions)
        np.testing.assert_array_equal(traj.outcome[:, b], one.outcome)
        np.testing.assert_array_equal(traj.details.voting_outcome[:, b], one.details.voting_outcome)
        assert len(traj.details.exchanges[b][1]) == len(one.details.exchanges[1])
    actors = [f"a{n}" for n in range(sample.n_actors)]
    issues = [f"i{n}" for n in range(sample.n_issues)]
    assert len(details_to_dict(traj.details, actors, issues)["draws"]) == draws


def test_decide_files_run_and_stay_on_scale(shared_dir):
    for name in ("copenhagen.csv", "cop21.csv"):
        arrays = compile_scenario(load_scenario(shared_dir / DECIDE / name))
        traj = get_model("exchange", rounds=10).run(arrays, rng=np.random.default_rng(1))
        assert traj.positions.shape == (11, *arrays.stake.shape)
        assert np.all(traj.details.n_exchanges[1:] > 0)
        assert np.all((traj.positions >= arrays.lower) & (traj.positions <= arrays.upper))


def test_exchange_random(sample):
    plain = get_model("exchange", rounds=2).run(sample, rng=np.random.default_rng(5))
    zero = get_model("exchange-random", rounds=2, p=0.0).run(sample, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(plain.positions, zero.positions)
    model = get_model("exchange-random", rounds=2, p=0.5)
    one = model.run(sample, rng=np.random.default_rng(5))
    again = model.run(sample, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(one.positions, again.positions)
    assert not np.allclose(one.positions, plain.positions)
    assert np.all((one.positions >= sample.lower) & (one.positions <= sample.upper))


def test_parameters_and_errors():
    model = get_model("exchange").with_params(rounds=2)
    assert model.rounds == 2 and model.min_issues == 2
    with pytest.raises(AccordError, match=r"exchange: no parameter 'seed' \(its parameters: rounds, mode"):
        model.with_params(seed=3)  # a seed is the run's, not the model's
    with pytest.raises(AccordError, match="mode must be one of deterministic, replay"):
        get_model("exchange", mode="faithful")  # not implemented: a clear error
    with pytest.raises(AccordError, match="tie_break must be one of random, first"):
        get_model("exchange", tie_break="coin")
    with pytest.raises(AccordError, match="fixed_weight \\+ salience_weight must be at most 1"):
        get_model("exchange", fixed_weight=0.7)  # 0.7 + 0.4: an actor would move past its trade
    assert get_model("exchange", fixed_weight=0.6).fixed_weight == 0.6


def test_candidates_by_hand_compiled_and_numpy():
    """Spec §3 by hand. Normalised positions, w = s (capabilities 1): o_p = (100*0.8)/(0.8+0.2+0.5
    +0.5) = 40, o_q = (100*0.2)/0.2 = 20 (a3 has no salience on q, a4 no stake on q). a1 is right
    of both outcomes (group A), a2 and a3 left of both (D), a4 in no group (no stake on q).
    Pairs (A, D): (a1, a2) and (a1, a3); (a1, a3) is skipped (s[a3, q] = 0). For (a1, a2):
    s_ap/s_aq = 4 >= s_bp/s_bq = 0.25, so a1 is side I (demands p, supplies q) and a2 side J."""
    x = np.array([[100.0, 100.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8], [0.5, 0.0], [0.5, 0.0]])
    c = np.ones((4, 2))
    stake = np.array([[True, True], [True, True], [True, True], [True, False]])
    for F, K, skipped in (kern.candidates(x, s, c, stake), build_candidates(x, s, c, stake)):
        assert F.shape == (1, kern.NF) and skipped == 1
        assert K[0, kern.ACT:kern.ACT + 2].tolist() == [0, 1] and K[0, kern.SUP:kern.SUP + 2].tolist() == [1, 0]
        assert F[0, [kern.XS, kern.XS + 1, kern.XD, kern.XD + 1]].tolist() == [100, 0, 100, 0]
        assert F[0, [kern.SS, kern.SD, kern.SS + 1, kern.SD + 1]].tolist() == [0.2, 0.8, 0.2, 0.8]


def test_compiled_candidates_keep_the_creation_order(sample):
    """The compiled candidate list is the vectorised one, row for row (the order decides ties)."""
    x = (sample.position - sample.lower) * 100 / (sample.upper - sample.lower)
    args = (np.ascontiguousarray(sample.salience), np.ascontiguousarray(sample.capability), sample.stake)
    for xx in (x, np.clip(x + np.random.default_rng(0).normal(0, 10, x.shape), 0, 100)):
        F, K, skipped = kern.candidates(xx, *args)
        F0, K0, skipped0 = build_candidates(xx, *args)
        assert F.shape[0] > 100 and skipped == skipped0
        np.testing.assert_array_equal(F, F0)
        np.testing.assert_array_equal(K, K0)


@pytest.mark.parametrize("name", ["exchange", "exchange-random"])
def test_threads_do_not_change_results(sample, name):
    batched = sample.broadcast(6)
    noise = np.random.default_rng(4).uniform(-3, 3, batched.position.shape)
    batched = batched.replace(position=np.clip(batched.position + noise, sample.lower, sample.upper))
    one = get_model(name, rounds=3).run(batched, rng=np.random.default_rng(9))
    two = get_model(name, rounds=3, threads=2).run(batched, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(one.positions, two.positions)
    np.testing.assert_array_equal(one.details.tie_events, two.details.tie_events)
    for da, db in zip(one.details.exchanges, two.details.exchanges, strict=True):
        for ra, rb in zip(da, db, strict=True):
            np.testing.assert_array_equal(ra, rb)
    with pytest.raises(AccordError, match="threads must be a whole number >= 1"):
        get_model(name, threads=0)


def test_round_zero_is_the_input_exactly():
    """Round 0 went through the 0..100 normalisation and back, 0.7937063851470547 returning as
    0.7937063851470548; the interface promises round 0 = input (found by the property tests)."""
    position = np.array([[0.0, 0.0], [0.0, 0.7937063851470547]])
    arrays = ScenarioArrays(position, np.array([[0.01, 0.01], [1.0, 1.0]]), np.ones((2, 2)),
                            np.ones((2, 2), dtype=bool), np.zeros(2), np.ones(2), np.full(2, np.nan),
                            np.zeros((2, 2), dtype=bool))
    traj = get_model("exchange", rounds=3).run(arrays, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(traj.positions[0], arrays.position)


def test_no_seed_means_seed_zero_and_seeds_come_in_any_form(sample):
    """Ties are settled with the run's generator; None is the default seed 0, and an int, a
    SeedSequence or a generator of that seed give the same run."""
    model = get_model("exchange", rounds=2)
    runs = [model.run(sample, rng=seed) for seed in
            (None, 0, np.random.SeedSequence(0), np.random.default_rng(0))]
    for traj in runs[1:]:
        np.testing.assert_array_equal(traj.positions, runs[0].positions)
