"""KTAB's spatial model of politics against KTAB's own runs (``anchor-data/ktab``).

Golden outputs: positions per turn (0..100, 2 decimals) and the probability of each actor's
position per turn (4 decimals) from KTAB ``smpc`` at default parameters; KTAB's 2017
reference log of ``smpExample.xml`` for the first turn under MarkovIncentive/PropCbc.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from accord.errors import AccordError
from accord.models import get_model
from accord.models.smp.rounds import Inputs
from accord.models.smp.turn import Actors, assess, best_challenges, form_bargains, resolve
from accord.report.model_details import details_lines, details_to_dict
from accord.scenario import Scenario
from accord.scenario.arrays import compile_scenario
from accord.scenario.io import load_scenario
from accord.scenario.io.ktab import ktab_settings

GOLDEN = ["dummyData_3Dim", "SOE-Pol-Comp", "SOE-Competitive", "dummyData-a040", "dummyData-a080"]


def ktab_params(path: Path) -> dict:
    """The SMP parameters a KTAB XML file sets, as plain model parameters (the model reads no file)."""
    settings = ktab_settings(path)
    params: dict = dict(settings.params)
    if settings.accommodation is not None:
        params["accommodation"] = settings.accommodation.tolist()
    return params


def _golden(ktab: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    def table(kind: str) -> list[dict[str, str]]:
        with open(ktab / "outputs" / f"{name}.smpc-default.{kind}.csv") as f:
            return list(csv.DictReader(f))

    rows = table("positions")
    actors = list(dict.fromkeys(r["actor"] for r in rows))
    dims = list(dict.fromkeys(r["dimension"] for r in rows))
    n_states = max(int(r["turn"]) for r in rows) + 1
    pos = np.full((n_states, len(actors), len(dims)), np.nan)
    for r in rows:
        pos[int(r["turn"]), actors.index(r["actor"]), dims.index(r["dimension"])] = float(
            r["position_0_100"])
    prob = np.full((n_states, len(actors)), np.nan)
    for r in table("position-probs"):
        prob[int(r["turn"]), actors.index(r["actor"])] = float(r["prob_of_actor_position"])
    return pos, prob


@pytest.fixture(scope="module")
def ktab(shared_dir: Path) -> Path:
    return shared_dir / "anchor-data" / "ktab"


@pytest.fixture(scope="module")
def runs(ktab: Path) -> dict:
    out = {}
    for name in GOLDEN:
        arrays = compile_scenario(load_scenario(ktab / "inputs" / f"{name}.csv"))
        out[name] = (arrays, get_model("smp").run(arrays))
    return out


@pytest.mark.parametrize("name", GOLDEN)
def test_positions_per_turn_match_ktab(ktab: Path, runs: dict, name: str) -> None:
    pos, _ = _golden(ktab, name)
    traj = runs[name][1]
    assert traj.details.n_turns == pos.shape[0] - 1
    assert traj.positions.shape == pos.shape
    np.testing.assert_allclose(traj.positions, pos, atol=0.005, rtol=0)


@pytest.mark.parametrize("name", GOLDEN)
def test_position_probabilities_match_ktab(ktab: Path, runs: dict, name: str) -> None:
    _, prob = _golden(ktab, name)
    ours = runs[name][1].details.position_prob
    assert ours.shape == prob.shape
    # the golden numbers are KTAB's %.4f printout of the same probabilities
    np.testing.assert_allclose(ours, prob, atol=0.5e-4 + 1e-9, rtol=0)


@pytest.mark.parametrize("name", ["SOE-Pol-Comp", "dummyData_3Dim"])
def test_outcome_is_probability_weighted_position(ktab: Path, runs: dict, name: str) -> None:
    """Outcome = sum over distinct positions of P(position) x position, from KTAB's numbers."""
    pos, prob = _golden(ktab, name)
    expected = np.zeros((pos.shape[0], pos.shape[2]))
    for t in range(pos.shape[0]):
        seen: list[int] = []
        for i in range(pos.shape[1]):
            if all(np.linalg.norm(pos[t, i] - pos[t, j]) / 100 >= 1e-3 for j in seen):
                seen.append(i)
                expected[t] += prob[t, i] * pos[t, i]
    np.testing.assert_allclose(runs[name][1].outcome, expected, atol=0.05)


def test_batch_matches_single_runs(ktab: Path, runs: dict) -> None:
    arrays = runs["SOE-Pol-Comp"][0]
    shifted = arrays.position.copy()
    shifted[0, 0] = 80.0  # Xi Jinping elsewhere: a different run of a different length
    batch = arrays.replace(position=np.stack([arrays.position, shifted]),
                           salience=np.stack([arrays.salience] * 2),
                           capability=np.stack([arrays.capability] * 2))
    traj = get_model("smp").run(batch)
    pos, _ = _golden(ktab, "SOE-Pol-Comp")
    assert traj.details.n_turns[0] == pos.shape[0] - 1
    np.testing.assert_allclose(traj.positions[: pos.shape[0], 0], pos, atol=0.005, rtol=0)
    alone = get_model("smp").run(arrays.replace(position=shifted))
    n = alone.positions.shape[0]
    assert traj.details.n_turns[1] == n - 1
    np.testing.assert_allclose(traj.positions[:n, 1], alone.positions, atol=1e-12)
    np.testing.assert_allclose(traj.positions[n:, 1], np.broadcast_to(
        alone.positions[-1], traj.positions[n:, 1].shape))


def test_actor_without_stake_is_ignored_on_that_issue(runs: dict) -> None:
    """An actor's placeholder coordinate on an issue it has no stake in changes nothing."""
    arrays = runs["dummyData_3Dim"][0]
    stake = arrays.stake.copy()
    stake[2, 1] = False
    sal = arrays.salience.copy()
    sal[2, 1] = 0.0
    out = []
    for placeholder in (10.0, 90.0):
        pos = arrays.position.copy()
        pos[2, 1] = placeholder
        out.append(get_model("smp").run(arrays.replace(position=pos, salience=sal, stake=stake)))
    a, b = out
    assert a.positions.shape == b.positions.shape
    mask = np.broadcast_to(stake, a.positions.shape)
    np.testing.assert_array_equal(a.positions[mask], b.positions[mask])
    np.testing.assert_array_equal(a.outcome, b.outcome)
    assert (a.positions[:, 2, 1] == 10.0).all()


def _smp_example(ktab: Path, tmp_path: Path) -> Path:
    """smpExample.xml with Alice's first coordinate as it was for KTAB's 2017 reference run."""
    text = (ktab / "inputs" / "smpExample.xml").read_text(encoding="utf-8-sig")
    path = tmp_path / "smpExample.xml"
    path.write_text(text.replace("<dCoord></dCoord>", "<dCoord>52.8</dCoord>", 1), encoding="utf-8")
    return path


def test_first_turn_matches_reference_log_markov_incentive_propcbc(ktab: Path, tmp_path: Path
                                                                   ) -> None:
    """Risk attitudes, targets, odds, gains, bargains and one queue's PCE of the first turn
    (KTAB log 20170530_ref-smpExample.txt: Linear, MarkovIncentive, PropCbc, S2P2)."""
    path = _smp_example(ktab, tmp_path)
    model = get_model("smp", **ktab_params(path))
    assert (model.pce_model, model.voting_rule, model.state_transitions) == (
        "MarkovIncentive", "PropCbc", "Stochastic")
    assert model.accommodation is not None and len(model.accommodation) == 5
    rules = model.rules()
    inp = Inputs.from_arrays(compile_scenario(load_scenario(path)), None)
    act = Actors(inp.sal, inp.sal.sum(-1), inp.cap, inp.stake)
    theta = inp.theta
    ast = assess(theta, theta, act, rules)
    np.testing.assert_allclose(ast.risk[0], [1.0, -0.387, -0.5, -0.001, -0.298], atol=5e-4)
    target, p, gain = best_challenges(ast, act, rules)
    assert target[0].tolist() == [4, 2, 0, 2, 2]
    np.testing.assert_allclose(p[0], [0.5257, 0.7180, 0.4396, 0.7837, 0.5467], atol=5e-5)
    np.testing.assert_allclose(gain[0], [0.0115, 0.2315, 0.0975, 0.4318, 0.0632], atol=5e-5)
    b_init, b_rcvr = form_bargains(theta, act, target, p, p, rules)
    log = {0: [64.11, 48.13, 32.54], 1: [23.48, 63.81, 70.13], 2: [55.53, 63.19, 42.21],
           3: [33.48, 18.89, 19.04], 4: [70.06, 76.00, 34.98]}
    for i, coords in log.items():
        np.testing.assert_allclose(100 * b_init[0, i, 0], coords, atol=5e-4)
    np.testing.assert_allclose(100 * b_rcvr[0, 4, 0], [70.06, 76.01, 34.98], atol=5e-4)
    res = resolve(theta, theta, ast, act, target, b_init, b_rcvr, rules, None)
    assert res.size[0].tolist() == [3, 2, 5, 2, 3]
    # actor 0's queue: status quo (option 0), its own bargain with 4 (1), 2's bargain with it (3)
    np.testing.assert_allclose(res.probs[0, 0, [0, 1, 3]], [0.0054, 0.2444, 0.7502], atol=5e-5)


def test_stochastic_mode_is_reproducible_per_seed(ktab: Path) -> None:
    arrays = compile_scenario(load_scenario(ktab / "inputs" / "SOE-Pol-Comp.csv"))
    model = get_model("smp", state_transitions="Stochastic")
    a = model.run(arrays, rng=np.random.default_rng(7))
    b = model.run(arrays, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.positions, b.positions)
    runs = [model.run(arrays, rng=np.random.default_rng(s)).positions for s in range(4)]
    assert any(r.shape != runs[0].shape or not np.array_equal(r, runs[0]) for r in runs[1:])
    np.testing.assert_array_equal(model.run(arrays).positions, runs[0])  # no seed: seed 0


@pytest.mark.parametrize("options", [
    {"pce_model": "MarkovUniform"}, {"pce_model": "MarkovIncentive", "voting_rule": "PropCbc"},
    {"voting_rule": "ASymProsp"}, {"voting_rule": "Binary", "victory_model": "Binary"},
    {"victory_model": "Quartic", "big_r_range": "Max", "big_r_adjust": "Full"},
    {"third_party_commit": "NoCommit"}, {"inter_vec_bargain": "S2PMax"},
    {"bargain_model": "InitRcvrInterp"}, {"bargain_model": "PWCompInterp",
                                          "inter_vec_bargain": "S1P1"},
])
def test_options_run_and_keep_positions_on_scale(ktab: Path, options: dict) -> None:
    arrays = compile_scenario(load_scenario(ktab / "inputs" / "dummyData_3Dim.csv"))
    traj = get_model("smp", **options).run(arrays)
    assert 1 <= traj.details.n_turns <= 100
    assert np.isfinite(traj.positions).all() and (traj.positions >= 0).all()
    assert (traj.positions <= 100).all()
    probs = traj.details.position_prob
    assert ((probs > 0) & (probs <= 1)).all()


def test_bad_option_is_a_clear_error(ktab: Path) -> None:
    arrays = compile_scenario(load_scenario(ktab / "inputs" / "dummyData_3Dim.csv"))
    with pytest.raises(AccordError, match="voting_rule must be one of"):
        get_model("smp", voting_rule="Majority")
    assert get_model("smp", voting_rule="propcbc").voting_rule == "PropCbc"  # KTAB's spelling kept
    with pytest.raises(AccordError, match="did you mean 'MarkovIncentive'"):
        get_model("smp", pce_model="MarkovIncentiv")
    with pytest.raises(AccordError, match="rounds must be a whole number >= 1"):
        get_model("smp", rounds=0)
    with pytest.raises(AccordError, match="row sums <= 1"):
        get_model("smp", accommodation=[[0.6, 0.6], [0.0, 1.0]])
    with pytest.raises(AccordError, match="square matrix"):
        get_model("smp", accommodation=[[1.0, 0.0]])
    three = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    with pytest.raises(AccordError, match="accommodation must be 7x7"):
        get_model("smp", accommodation=three).run(arrays)


def test_details_text_and_json_describe_the_bargains(ktab: Path, runs: dict) -> None:
    """Turn 1 of dummyData_3Dim (KTAB reference log): actor 4 proposes to actor 0 and both take
    it; actor 2 keeps its position."""
    scenario = load_scenario(ktab / "inputs" / "dummyData_3Dim.csv")
    actors, issues = scenario.actor_ids, scenario.issue_ids
    traj = runs["dummyData_3Dim"][1]
    data = details_to_dict(traj.details, actors, issues)
    assert data["n_turns"] == 10
    first = {(p["initiator"], p["receiver"]) for p in data["turns"][0]["proposals"]}
    assert first == {("SActor-00", "SActor-06"), ("SActor-05", "SActor-01"),
                     ("SActor-01", "SActor-00"), ("SActor-06", "SActor-01"),
                     ("SActor-02", "SActor-06"), ("SActor-04", "SActor-00"),
                     ("SActor-03", "SActor-00")}
    took = {a["actor"]: a["took"] for a in data["turns"][0]["accepted"]}
    assert took["SActor-00"] == took["SActor-04"] == "SActor-04->SActor-00"
    assert "SActor-02" not in took
    text = details_lines(traj.details, actors, issues)
    turn1 = text[text.index("Turn 1:"): text.index("Turn 2:")]
    assert any(re.search(r"SActor-04 challenges SActor-00 \(P\(SActor-04 wins\) 0\.584", t)
               for t in turn1)
    assert any(t.strip().startswith("SActor-00 moves") and "SActor-04" in t for t in turn1)


def test_ignores_an_actor_with_no_stake_and_names_its_players():
    """An actor listed with no position anywhere is no player: it keeps its input, the details
    index the players only, and their rendering never names it (found by the property tests)."""
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
    assert with_idle.details.players.tolist() == [0, 2, 3]
    assert with_idle.positions[-1, 1, :2].tolist() == [50.0, 50.0]  # the idle actor keeps its input
    lines = details_lines(with_idle.details, ["a", "idle", "b", "c"], ["x", "y", "z"])
    assert not any("idle" in line for line in lines)
    assert len(without.outcome[-1]) == 2


def test_accommodation_makes_ideals_follow_others(ktab: Path) -> None:
    """Spec §10: q_i <- sum_j a_ij x_j + (1 - sum_j a_ij) q_i. The identity matrix is no
    accommodation (the default); a matrix whose row i points at actor j makes i's ideal follow j."""
    arrays = compile_scenario(load_scenario(ktab / "inputs" / "dummyData_3Dim.csv"))
    n = arrays.n_actors
    plain = get_model("smp").run(arrays)
    identity = get_model("smp", accommodation=np.eye(n).tolist()).run(arrays)
    np.testing.assert_array_equal(identity.positions, plain.positions)
    follow = np.eye(n)
    follow[0] = 0.0
    follow[0, 1] = 1.0  # actor 0's ideal jumps to actor 1's position every turn
    moved = get_model("smp", accommodation=follow.tolist()).run(arrays)
    assert moved.details.options["accommodation"] is True
    assert moved.n_rounds != plain.n_rounds or not np.array_equal(moved.positions, plain.positions)



def _greedy_representatives(theta: np.ndarray) -> np.ndarray:
    """KTAB's unique positions, one actor after another: i represents its position unless an
    earlier representative lies within 1e-3 (Euclidean) of it."""
    nb, na = theta.shape[:2]
    rep = np.zeros((nb, na), dtype=bool)
    for b in range(nb):
        for i in range(na):
            rep[b, i] = not any(rep[b, k] and np.linalg.norm(theta[b, i] - theta[b, k]) < 1e-3
                                for k in range(i))
    return rep


def test_representatives_follow_a_chain_of_near_positions() -> None:
    """0 and 0.0008 are one position, 0.0008 and 0.0016 too, but 0 and 0.0016 are not: actor 1
    joins actor 0's group, so actor 2 (near only 1, not a representative) represents its own
    (worked out by hand); actors 4 and 5 join actor 2's group and actor 3's."""
    from accord.models.smp.turn import representatives

    theta = np.array([0.0, 0.0008, 0.0016, 0.5, 0.0019, 0.5004])[None, :, None]
    rep, first, last = representatives(theta)
    assert rep.tolist() == [[True, False, True, True, False, False]]
    assert first.tolist() == [[0, 0, 2, 3, 2, 3]]
    assert last.tolist() == [[0, 2, 2, 3, 2, 3]]  # actor 1 is within reach of both 0 and 2


def test_representatives_equal_one_actor_after_another() -> None:
    """On clustered random positions in two dimensions (long chains of near positions), the
    representatives equal the greedy pass over the actors."""
    from accord.models.smp.turn import representatives

    rng = np.random.default_rng(4)
    theta = rng.integers(0, 4, (200, 12, 2)) * 0.0007 + rng.uniform(0, 2e-4, (200, 12, 2))
    rep, first, _ = representatives(theta)
    expected = _greedy_representatives(theta)
    np.testing.assert_array_equal(rep, expected)
    assert (~expected).sum() > 200 and (rep[np.arange(200)[:, None], first]).all()
