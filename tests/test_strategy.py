"""``accord strategy``: the levers ranked, the relations, the blocs, and the run path.

The hand-built scenario (three actors, two issues, scale 0-100, no uncertainty):

=====  ===========  ==================  ==================
actor  capability   p: position, sal.   q: position, sal.
=====  ===========  ==================  ==================
a      20           0, 80               0, 20
b      60           100, 40             100, 10
c      20           40, 50              30, 100
=====  ===========  ==================  ==================

Under the compromise model the outcome is the capability x salience weighted mean: on p the
weights are a 16, b 24, c 10 (W 50, outcome 2800/50 = 56); on q a 4, b 6, c 20 (W 30, outcome
1200/30 = 40). The client a sits at 0 on both, so its gain from a lever is
``0.8 (56 - p') + 0.2 (40 - q')``. With levers of 10 effort points:

* demobilise b on p (salience 40 -> 30): p' = (18*100 + 400)/44 = 50, gain 0.8 * 6 = 4.8, 0.48 per point;
* lobby b on p (100 -> 90): p' = 56 - 24*10/50 = 51.2, gain 3.84, 0.384 per point;
* the declared sanctions on b (capability x 0.5, cost 40): p' = 1600/38, q' = 900/27, gain
  0.8 (56 - 1600/38) + 0.2 (40 - 900/27) = 12.45, 0.311 per point;
* demobilise b on q (salience 10 -> 0): q' = 600/24 = 25, gain 0.2 * 15 = 3, 0.3 per point;
* a's own salience on p up to 90: p' = 2800/52, gain 1.72; lobby c on p (40 -> 30): gain 1.6;
  lobby c on q (30 -> 20): gain 0.2 * 20*10/30 = 1.33; the declared aid to c (x 1.5, cost 20):
  gain 1.66, 0.083 per point; anything else is smaller; a cannot take a harder line (it stands at
  the scale's end) and every softer line or lower salience loses.

No exchange involves a: c stands on a's side of the outcome on both issues, and b's saliences are
in a's proportion (0.4 : 0.1 = 0.8 : 0.2), so a trade between them gains nothing. So the best
lever is demobilising b on p, then lobbying b on p, then the sanctions; the best plan within 30
points is those two plus demobilising b on q (4.8 + 3.84 + 3 summed; made together:
p' = (18*90 + 400)/44, q' = 25).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis.strategy import blocs, classify, perceived_utilities
from accord.analysis.strategy.engine import detail
from accord.errors import AccordError, ScenarioError
from accord.runs import StrategySpec, execute, result_from_dict
from accord.scenario import compile_scenario
from accord.scenario.builtin import load_builtin
from accord.scenario.io import load_scenario

HAND = """
id: hand-three
title: Three actors, two issues
actors:
  - {id: a, name: A, capability: 20, group: allies}
  - {id: b, name: B, capability: 60}
  - {id: c, name: C, capability: 20, group: allies}
issues:
  - {id: p, name: P, status_quo: 50}
  - {id: q, name: Q, status_quo: 50}
positions:
  - {actor: a, issue: p, position: 0, salience: 80}
  - {actor: a, issue: q, position: 0, salience: 20}
  - {actor: b, issue: p, position: 100, salience: 40}
  - {actor: b, issue: q, position: 100, salience: 10}
  - {actor: c, issue: p, position: 40, salience: 50}
  - {actor: c, issue: q, position: 30, salience: 100}
levers:
  - {id: aid-c, actor: a, name: Aid to C, set: ["capability[c] *= 1.5"], cost: 20}
  - {id: sanction-b, actor: a, name: Sanctions on B, set: ["capability[b] *= 0.5"], cost: 40}
  - {id: b-own, actor: b, name: B's own lever, set: ["capability[b] *= 2"], cost: 10}
"""


@pytest.fixture(scope="module")
def hand_path(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("strategy") / "hand.yaml"
    path.write_text(HAND)
    return path


@pytest.fixture(scope="module")
def hand_result(hand_path):
    return execute(StrategySpec(scenario=str(hand_path), actor="a", models=["compromise"], draws=20, seed=3))


def test_best_lever_under_the_compromise_model_is_the_one_worked_out_by_hand(hand_result):
    evaluated = [lv for lv in hand_result.levers if lv["evaluated"]]
    assert [lv["id"] for lv in evaluated[:3]] == ["lobby:b:p:salience", "lobby:b:p:position",
                                                  "transfer:sanction-b"]
    gains = {lv["id"]: lv["gains"]["compromise"] for lv in evaluated}
    assert gains["lobby:b:p:salience"]["mean"] == pytest.approx(0.8 * (56 - 2200 / 44), abs=1e-9)
    assert gains["lobby:b:p:position"]["mean"] == pytest.approx(0.8 * 24 * 10 / 50, abs=1e-9)
    sanctions = 0.8 * (56 - 1600 / 38) + 0.2 * (40 - 900 / 27)
    assert gains["transfer:sanction-b"]["mean"] == pytest.approx(sanctions, abs=1e-9)
    assert evaluated[2]["score"] == pytest.approx(sanctions / 40, abs=1e-12)
    # no uncertainty: every draw gains the same, so the interval is that one number
    best = gains["lobby:b:p:salience"]
    assert best["low"] == pytest.approx(best["mean"]) and best["high"] == pytest.approx(best["mean"])
    assert best["verdict"] == "helps" and best["p_gain"] == 1.0
    # only a's own declared levers are candidates; no exchange involves a; no harder line exists
    ids = {lv["id"] for lv in hand_result.levers}
    assert "transfer:b-own" not in ids and not any(i.startswith("trade:") for i in ids)
    assert not any(i.startswith("harder:") for i in ids)


def test_the_plan_is_the_best_set_within_the_budget(hand_result):
    plan = hand_result.payload["plan"]
    assert plan["family"] == "plan" and plan["cost"] == pytest.approx(30)
    assert set(plan["id"].removeprefix("plan:").split("+")) == {
        "lobby:b:p:salience", "lobby:b:p:position", "lobby:b:q:salience"}
    together = 0.8 * (56 - (18 * 90 + 400) / 44) + 0.2 * (40 - 25)
    assert plan["gains"]["compromise"]["mean"] == pytest.approx(together, abs=1e-9)


def test_blocs_and_pivot_by_hand(hand_path):
    s = load_scenario(hand_path)
    rows = {(b.bloc, b.issue): b for b in blocs(s, compile_scenario(s))}
    allies_p = rows[("allies", "p")]
    assert allies_p.members == ["a", "c"]
    assert allies_p.clout == pytest.approx(26 / 50) and allies_p.position == pytest.approx(400 / 26)
    assert allies_p.pivot and not rows[("b", "p")].pivot  # 52% of the clout at the low end
    assert rows[("allies", "q")].clout == pytest.approx(24 / 30) and rows[("allies", "q")].pivot
    assert rows[("allies", "q")].spread == pytest.approx(30)


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others():
    spec = dict(actor="ukraine", models=["compromise", "median"], draws=30, top=3)
    one, two = (execute(StrategySpec(**spec, seed=11)).to_dict() for _ in range(2))
    assert one == two
    other = execute(StrategySpec(**spec, seed=12)).to_dict()
    gain = next(lv for lv in one["levers"] if lv["evaluated"])
    again = next(lv for lv in other["levers"] if lv["id"] == gain["id"])
    assert not again["evaluated"] or again["gains"] != gain["gains"]


def test_a_lever_that_changes_nothing_gains_exactly_zero_on_common_draws(tmp_path):
    """Common random numbers: the lever's runs share the baseline's draws and each model's seed, so
    a declared lever that changes nothing gains exactly 0 in every draw, even under a model that
    draws random numbers (exchange-random breaks ties at random), while a real lever's gain varies
    with the uncertain inputs."""
    path = tmp_path / "uncertain.yaml"
    path.write_text(HAND.replace("position: 100, salience: 40}", "position: 100, salience: 40, "
                                 "position_uncertainty: 15}").replace(
        "levers:\n", "levers:\n  - {id: nothing, actor: a, name: Nothing, set: ['capability[c] *= 1'], cost: 5}\n"))
    spec = StrategySpec(scenario=str(path), actor="a", models=["exchange-random", "eum"], draws=12, seed=1, top=3,
                        families=["transfer"])
    result = execute(spec)
    levers = {lv["id"]: lv for lv in result.levers}
    for gain in levers["transfer:nothing"]["gains"].values():
        assert (gain["mean"], gain["low"], gain["high"], gain["p_gain"]) == (0.0, 0.0, 0.0, 0.0)
    assert levers["transfer:sanction-b"]["gains"]["eum"]["high"] > levers["transfer:sanction-b"]["gains"]["eum"]["low"]
    assert execute(spec).to_dict() == result.to_dict()


def test_result_round_trips_through_json_and_the_store(hand_result, hand_path):
    from accord.report.views import view
    from accord.store import Store
    from accord.store.results import load_result, save_result

    data = json.loads(json.dumps(hand_result.to_dict(), allow_nan=False))
    back = result_from_dict("strategy", data, hand_result.scenario)
    assert back.to_dict() == hand_result.to_dict()
    store = Store("sqlite://")
    run = save_result(store, hand_result, "test")
    assert run.kind == "strategy" and run.models == ["compromise"] and run.label == "strategy for a"
    loaded = load_result(store.run(run.id), store.version(run.scenario_version_id))
    assert loaded.to_dict() == hand_result.to_dict()

    def text(result: object) -> str:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        Console(file=buffer, width=100, color_system=None).print(view(result))
        return buffer.getvalue()

    assert text(loaded) == text(hand_result)
    assert "demobilise b on p" in text(loaded)


def test_relations_match_the_expected_utility_model_s_own_offers():
    """The adapter computes E_ij and E_ji from the specification's formulas; wherever the eum
    model (which reproduces the reference program) accepted an offer in round 1, the two agree."""
    from accord.models import get_model

    s = load_builtin()
    arrays = compile_scenario(s)
    trajectory = get_model("eum", rounds=1).run(arrays)
    proposer = detail(trajectory, "proposer")[1]  # round 1, [A, I]: whose offer each actor took
    own, other = detail(trajectory, "eu_own")[1], detail(trajectory, "eu_other")[1]
    checked = 0
    for c in range(len(s.actors)):
        e_cj, e_jc = perceived_utilities(arrays, c)
        for k in range(len(s.issues)):
            j = int(proposer[c, k])
            if j >= 0:
                assert e_cj[j, k] == pytest.approx(own[c, k], abs=1e-10)
                assert e_jc[j, k] == pytest.approx(other[c, k], abs=1e-10)
                checked += 1
    assert checked > 30


def test_two_actor_relation_by_hand():
    """Two actors at 0 and 100 (span 100, so every distance is 0 or 1). Client a (c 1, s 0.5),
    b (c 3, s 0.5); votes c s: a 0.5, b 1.5, so P(a, b) = 0.5 / 2 = 0.25 and P(b, a) = 0.75 (§4).
    Risk (§7, exponent 1: U_s = 2, U_f = -2, U_sq = 0): D_a = EU_a(b -> a) = 0.5 (0.75 * 2 + 0.25 *
    -2) + 0.5 * 2 = 1.5, D_b = 0.5 (0.25 * 2 + 0.75 * -2) + 1 = 0.5; so R_a = 1, r_a = 0.5 (and
    R_b = -1, r_b = 2; distances of 0 and 1 keep the P). With r_a = 0.5: U_s = 2, U_f = -2,
    U_sq = 2 - 4 sqrt(0.5) = 2 - 2 sqrt 2. E_ab = 0.5 (0.25 * 2 - 0.75 * 2) + 1 - U_sq = 2 sqrt 2 - 1.5,
    E_ba = 0.5 (0.75 * 2 - 0.25 * 2) + 1 - U_sq = 2 sqrt 2 - 0.5: both positive and E_ba > E_ab, a
    confrontation a expects to lose."""
    from accord.scenario.arrays import ScenarioArrays

    arrays = ScenarioArrays(
        position=np.array([[0.0], [100.0]]), salience=np.array([[0.5], [0.5]]),
        capability=np.array([[1.0], [3.0]]), stake=np.ones((2, 1), bool), lower=np.array([0.0]),
        upper=np.array([100.0]), status_quo=np.array([np.nan]), veto=np.zeros((2, 1), bool))
    e_cj, e_jc = perceived_utilities(arrays, 0)
    assert e_cj[1, 0] == pytest.approx(2 * 2**0.5 - 1.5, abs=1e-12)
    assert e_jc[1, 0] == pytest.approx(2 * 2**0.5 - 0.5, abs=1e-12)
    assert np.isnan(e_cj[0, 0])
    assert [t.tolist() for t in classify(e_cj[1], e_jc[1])] == [[0], [-1]]
    kind, gives = classify(np.array([0.5, -0.2, 0.3, -0.1, 0.4]), np.array([0.9, 0.5, -0.2, -0.3, -0.9]))
    assert kind.tolist() == [0, 1, 1, 3, 2]  # confrontation, compromise (x2), stalemate, capitulation
    assert gives.tolist() == [-1, -1, 1, 0, 1]


def test_bad_requests_are_clear_errors(hand_path, tmp_path):
    with pytest.raises(AccordError, match="unknown actor 'zz'"):
        execute(StrategySpec(scenario=str(hand_path), actor="zz", models=["compromise"], draws=0))
    with pytest.raises(AccordError, match="unknown actor"):
        execute(StrategySpec(scenario=str(hand_path), actor="a", models=["compromise"], targets=["zz"]))
    bad = tmp_path / "bad.yaml"
    bad.write_text(HAND.replace("actor: a, name: Aid to C", "actor: nobody, name: Aid to C").replace(
        "capability[b] *= 0.5", "capability[zz] *= 0.5"))
    with pytest.raises(ScenarioError) as exc:
        load_scenario(bad)
    text = str(exc.value)
    assert "levers" in text and "nobody" in text and "zz" in text


def test_progress_is_reported_through_the_callback(hand_path):
    """execute's ``progress(description, total)`` sees the search: model runs advance it."""
    from contextlib import contextmanager

    seen: list[tuple[str, int]] = []
    done: list[int] = []

    @contextmanager
    def progress(description: str, total: int):
        seen.append((description, total))
        yield done.append

    execute(StrategySpec(scenario=str(hand_path), actor="a", models=["compromise", "median"], draws=10, top=2),
            progress=progress)
    assert seen and seen[0][0] == "strategy" and seen[0][1] > 0
    assert sum(done) >= 2 * 10 * 3  # each model: the baseline and two levers on ten draws, at least
