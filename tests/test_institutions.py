"""Decision rules, outside options and partial packages on small scenarios worked out by hand.

Gains as in test_deal.py: on a 0-100 scale g_ik = s_ik (|d_ik - x_ik| - |p_k - x_ik|), with d_ik
actor i's own no-deal outcome on issue k.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from accord.analysis import evaluate_deal
from accord.cli.main import main
from accord.errors import ScenarioError
from accord.scenario import Scenario, compile_scenario
from accord.scenario.decisions import individual_vetoes, requirements, rule_warnings
from accord.scenario.io.base import RawScenario
from accord.scenario.outside import no_deal_values
from accord.scenario.sampling import sample_arrays, sample_no_deal
from accord.scenario.validate import build


def scenario(actors: list[tuple], positions: list[tuple], issues: list[dict[str, Any]], **extra: Any) -> Scenario:
    """Actors (id, capability); positions (actor, issue, position, salience)."""
    return Scenario.model_validate({
        "id": "t", "title": "test",
        "actors": [{"id": a[0], "name": a[0].upper(), "capability": a[1]} for a in actors],
        "issues": issues,
        "positions": [{"actor": p[0], "issue": p[1], "position": p[2], "salience": p[3]} for p in positions],
        **extra,
    })


K = [{"id": "k", "name": "K", "status_quo": 0}]


# --- a unanimity body and a supermajority -------------------------------------------------------
# Three members on one issue k (status quo 0): f1 at 100, f2 at 80, f3 at 0, salience 100 each.
# A package k = 50 gives f1 +50, f2 +50 (|0-80| - |50-80| = 80 - 30), f3 -50.
MEMBERS = [("f1", 40), ("f2", 35), ("f3", 25)]
POSITIONS = [("f1", "k", 100, 100), ("f2", "k", 80, 100), ("f3", "k", 0, 100)]


def body_rule(vote: dict[str, Any], weights: Any) -> Scenario:
    return scenario(MEMBERS, POSITIONS, K,
                    bodies=[{"id": "parliament", "name": "Parliament", "members": weights}],
                    decision_rules=[{"id": "r", "issues": ["k"], "requires": [{"body": "parliament", **vote}]}])


def test_unanimity_of_a_body_needs_every_member():
    s = body_rule({}, ["f1", "f2", "f3"])
    r = evaluate_deal(s, {"k": 50}, repair=False)
    np.testing.assert_allclose(r.point.gain, [50, 50, -50])
    d = r.to_dict()
    assert d["vetoed_by"] == ["f3"] and not d["accepted"]
    assert d["requirements"] == [{"rule": "r", "text": "parliament (unanimity)", "issues": ["k"], "met": False,
                                  "refused_by": ["f3"]}]
    # every member of a unanimity body is a veto player (Tsebelis): all three, on k
    assert individual_vetoes(s)[:, 0].tolist() == [True, True, True]


def test_a_two_thirds_supermajority_of_weighted_members():
    weights = {"f1": 40, "f2": 35, "f3": 25}
    s = body_rule({"vote": "supermajority", "share": 0.6667}, weights)
    # k = 50: f1 and f2 agree, 75 of 100 >= 66.67: the body consents although f3 loses;
    # f1 + f2 hold 75% of the clout: accepted
    r = evaluate_deal(s, {"k": 50}, repair=False)
    assert r.point.accepted and r.to_dict()["requirements"][0]["met"]
    # move f2's ideal to 10: k = 50 gives f2 |0-10| - |50-10| = -30, so only f1 (40 of 100) agrees
    s2 = scenario(MEMBERS, [("f1", "k", 100, 100), ("f2", "k", 10, 100), ("f3", "k", 0, 100)], K,
                  bodies=[{"id": "parliament", "name": "Parliament", "members": weights}],
                  decision_rules=[{"id": "r", "issues": ["k"],
                                   "requires": [{"body": "parliament", "vote": "supermajority", "share": 0.6667}]}])
    r2 = evaluate_deal(s2, {"k": 50}, repair=False)
    # only f1 agrees: 40 of 100 < 66.67; f2 and f3 refused
    assert not r2.point.accepted and r2.to_dict()["requirements"][0]["refused_by"] == ["f2", "f3"]
    # no single member can block two thirds alone: f1's refusal leaves 60 < 66.67 (f1 can),
    # f2's leaves 65 < 66.67 (f2 can), f3's leaves 75 (f3 cannot)
    assert individual_vetoes(s2)[:, 0].tolist() == [True, True, False]


def test_a_simple_majority_needs_more_than_half():
    # two members of equal weight: one agreeing is half, not more than half
    s = scenario([("a", 50), ("b", 50)], [("a", "k", 100, 100), ("b", "k", 0, 100)], K,
                 bodies=[{"id": "house", "name": "House", "members": ["a", "b"]}],
                 decision_rules=[{"id": "r", "issues": ["k"], "requires": [{"body": "house", "vote": "majority"}]}])
    assert evaluate_deal(s, {"k": 50}, repair=False).to_dict()["requirements"][0]["met"] is False


def test_an_override_by_a_supermajority():
    # pres must agree unless two thirds of congress (c1, c2, c3, equal weights) do. k = 50:
    # pres (at 0) loses; c1 and c2 (at 100) gain, c3 (at 0) loses: 2 of 3 is two thirds: override
    s = scenario([("pres", 40), ("c1", 20), ("c2", 20), ("c3", 20)],
                 [("pres", "k", 0, 100), ("c1", "k", 100, 100), ("c2", "k", 100, 100), ("c3", "k", 0, 100)], K,
                 bodies=[{"id": "congress", "name": "Congress", "members": ["c1", "c2", "c3"]}],
                 decision_rules=[{"id": "r", "issues": ["k"], "requires": [
                     {"actor": "pres", "unless": {"body": "congress", "vote": "supermajority", "share": "2/3"}}]}])
    r = evaluate_deal(s, {"k": 50}, repair=False)
    # c1 + c2 hold 40 of 100 clout: the override passes but no winning coalition
    assert r.to_dict()["requirements"][0]["met"] is True and not r.point.coalition
    assert r.to_dict()["requirements"][0]["text"] == "pres unless congress (supermajority 67%)"
    # a conditional veto is no individual veto: pres can be overridden
    assert not individual_vetoes(s)[0, 0]


def test_a_package_only_a_referendum_blocks():
    # gov (clout 60, must sign) at 100; opp (40) at 80; the electorate (capability 0: it does not
    # bargain, and holds no clout) at 0, salience 100, voting in a referendum. k = 60:
    # gov +60, opp 80 - 20 = +60, voters -60: a winning coalition (100%) and gov's consent,
    # but the referendum fails.
    rules = [{"id": "border", "issues": ["k"], "requires": ["gov", {"actor": "voters", "referendum": True}]}]
    s = scenario([("gov", 60), ("opp", 40), ("voters", 0)],
                 [("gov", "k", 100, 100), ("opp", "k", 80, 100), ("voters", "k", 0, 100)], K,
                 decision_rules=rules)
    r = evaluate_deal(s, {"k": 60}, repair=False)
    np.testing.assert_allclose(r.point.gain, [60, 60, -60])
    d = r.to_dict()
    assert d["support_share"] == pytest.approx(1.0) and d["coalition"]
    assert d["vetoed_by"] == ["voters"] and not d["accepted"]
    assert [q["text"] for q in d["requirements"]] == ["gov", "voters (referendum)"]
    # the same package without the referendum clause is accepted
    plain = Scenario.model_validate({**s.model_dump(), "decision_rules": [
        {"id": "border", "issues": ["k"], "requires": ["gov"]}]})
    assert evaluate_deal(plain, {"k": 60}, repair=False).point.accepted


def test_a_rule_on_a_proposal_applies_to_it_alone():
    # the senate (at 0) must ratify the treaty; a package with the same point is not a treaty
    s = scenario([("gov", 60), ("senate", 40)], [("gov", "k", 100, 100), ("senate", "k", 0, 100)], K,
                 proposals=[{"id": "treaty", "name": "Treaty", "points": {"k": 40}}],
                 decision_rules=[{"id": "ratify", "proposals": ["treaty"], "requires": ["senate"]}])
    assert evaluate_deal(s, "treaty", repair=False).to_dict()["vetoed_by"] == ["senate"]
    assert evaluate_deal(s, {"k": 40}, repair=False).point.accepted
    assert len(requirements(s)) == 0 and len(requirements(s, "treaty")) == 1


def test_an_actors_veto_list_still_means_what_it_did():
    old = scenario([("a", 50), ("b", 50)], [("a", "k", 100, 100), ("b", "k", 0, 100)], K)
    old = Scenario.model_validate({**old.model_dump(), "actors": [
        {"id": "a", "name": "A", "capability": 50}, {"id": "b", "name": "B", "capability": 50, "veto": ["k"]}]})
    new = Scenario.model_validate({**old.model_dump(), "actors": [
        {"id": "a", "name": "A", "capability": 50}, {"id": "b", "name": "B", "capability": 50}],
        "decision_rules": [{"id": "r", "issues": ["k"], "requires": ["b"]}]})
    assert np.array_equal(compile_scenario(old).veto, compile_scenario(new).veto)
    for s in (old, new):
        assert evaluate_deal(s, {"k": 40}, repair=False).to_dict()["vetoed_by"] == ["b"]


# --- outside options ------------------------------------------------------------------------
# One issue (status quo 50): u at 100, v at 0, both salience 100 and both must consent. u expects
# to win the war (80), v too (20): each side's own no-deal outcome.
OPTIMISTS = scenario([("u", 50), ("v", 50)], [("u", "k", 100, 100), ("v", "k", 0, 100)],
                     [{"id": "k", "name": "K", "status_quo": 50}],
                     decision_rules=[{"id": "both", "issues": ["k"], "requires": ["u", "v"]}],
                     no_deal=[{"issue": "k", "actor": "u", "value": 80}, {"issue": "k", "actor": "v", "value": 20}])


def test_each_actor_judges_against_its_own_no_deal_outcome():
    np.testing.assert_allclose(no_deal_values(OPTIMISTS), [[80], [20]])
    # k = 50 (the status quo): u |80-100| - |50-100| = -30; v |20-0| - |50-0| = -30
    r = evaluate_deal(OPTIMISTS, {"k": 50}, repair=False)
    np.testing.assert_allclose(r.point.gain, [-30, -30])
    assert r.point.moved.tolist() == [True] and r.to_dict()["vetoed_by"] == ["u", "v"]
    assert r.to_dict()["issues"]["k"]["no_deal_by_actor"] == {"u": 80, "v": 20}
    # against the status quo for everyone, the same package moves nothing and costs nobody anything
    sq = evaluate_deal(OPTIMISTS, {"k": 50}, against="status-quo", repair=False)
    np.testing.assert_allclose(sq.point.gain, [0, 0])
    assert not sq.point.moved.any()


def test_a_shared_no_deal_outcome_replaces_the_status_quo_for_everyone():
    s = Scenario.model_validate({**OPTIMISTS.model_dump(), "no_deal": [{"issue": "k", "value": 30}]})
    np.testing.assert_allclose(no_deal_values(s), [[30], [30]])
    # k = 40: u |30-100| - |40-100| = +10, v |30-0| - |40-0| = -10
    np.testing.assert_allclose(evaluate_deal(s, {"k": 40}, repair=False).point.gain, [10, -10])


def test_no_deal_uncertainty_is_drawn_and_old_scenarios_draw_nothing_more():
    s = Scenario.model_validate({**OPTIMISTS.model_dump(), "no_deal": [
        {"issue": "k", "actor": "u", "value": 80, "uncertainty": {"low": 60, "high": 100}},
        {"issue": "k", "actor": "v", "value": 20}]})
    rng = np.random.default_rng(3)
    d = sample_no_deal(s, np.full((20000, 1), 50.0), rng)
    assert d.shape == (20000, 2, 1)
    assert d[:, 0, 0].min() >= 60 and d[:, 0, 0].max() <= 100 and d[:, 0, 0].mean() == pytest.approx(80, abs=0.5)
    assert np.all(d[:, 1, 0] == 20)
    # a scenario without stated outcomes follows the status quo draws and takes no random numbers
    plain = Scenario.model_validate({**OPTIMISTS.model_dump(), "no_deal": []})
    rng, ref = np.random.default_rng(5), np.random.default_rng(5)
    d = sample_no_deal(plain, np.array([[40.0], [60.0]]), rng)
    np.testing.assert_allclose(d[:, :, 0], [[40, 40], [60, 60]])
    assert rng.random() == ref.random()


def test_the_deal_draws_keep_their_old_numbers_without_outside_options():
    # the arrays drawn for a deal come first from the generator: a scenario without no_deal
    # entries gets exactly what sample_arrays alone gives
    from test_deal import S3

    r = evaluate_deal(S3, {"k": 60}, draws=50, rng=np.random.default_rng(9), repair=False)
    alone = sample_arrays(S3, 50, np.random.default_rng(9))
    np.testing.assert_array_equal(r.setting.sampled.position, alone.position)


# --- partial packages ---------------------------------------------------------------------
THREE = scenario([("u", 60), ("v", 40)],
                 [("u", "a", 100, 100), ("u", "b", 100, 100), ("u", "c", 100, 100),
                  ("v", "a", 0, 50), ("v", "b", 0, 100), ("v", "c", 0, 100)],
                 [{"id": i, "name": i.upper(), "status_quo": 0} for i in "abc"],
                 decision_rules=[{"id": "r", "issues": ["a", "b", "c"], "requires": ["u"]}])


def test_a_partial_package_says_what_it_leaves_open():
    # a = 40 only: u +40, v -20 (salience .5); u holds 60%: its one point is accepted
    r = evaluate_deal(THREE, {"a": 40}, repair=False)
    d = r.to_dict()
    assert d["coverage"] == {"settled": ["a"], "open": ["b", "c"], "n_settled": 1, "n_issues": 3,
                             "complete": False, "text": "settles 1 of 3 issues; open: b, c"}
    assert d["verdict"] == "partial-accepted" and d["accepted"] is True
    assert d["verdict_text"] == "PARTIAL: its point ACCEPTED (2 issues open)"
    assert d["issues"]["b"]["package"] is None and d["actors"]["u"]["issue_gains"]["b"] == 0
    full = evaluate_deal(THREE, {"a": 40, "b": 10, "c": 10}, repair=False).to_dict()
    assert full["verdict"] == "accepted" and full["coverage"]["complete"]


def test_the_table_never_calls_a_partial_package_accepted(capsys, tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(json.dumps(json.loads(THREE.model_dump_json(exclude_none=True))))
    assert main(["deal", str(path), "--point", "a=40"]) == 0
    out = capsys.readouterr().out
    assert "Partial package: settles 1 of 3 issues; open: b, c" in out
    assert all("PARTIAL" in line for line in out.splitlines() if "ACCEPTED" in line)
    assert "PARTIAL: its point ACCEPTED (2 issues open)" in " ".join(out.split())


# --- validation -----------------------------------------------------------------------------
def test_rules_that_name_non_actors_are_warnings_and_bad_references_errors(capsys, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "id: t\ntitle: T\nactors:\n  - {id: a, name: A, capability: 50}\n  - {id: b, name: B, capability: 30}\n"
        "issues:\n  - {id: x, name: X, status_quo: 0}\n  - {id: y, name: Y, status_quo: 0}\n"
        "positions:\n  - {actor: a, issue: x, position: 100, salience: 100}\n"
        "  - {actor: b, issue: y, position: 0, salience: 100}\n"
        "bodies:\n  - {id: council, name: Council, members: [a, hungary]}\n"
        "decision_rules:\n  - {id: r1, issues: [x], requires: [{body: council}, zz]}\n")
    assert main(["scenario", "validate", str(path)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "3 warnings" in err
    assert "body council names a member that is not an actor; its vote is left out (got 'hungary')" in err
    assert "rule r1 names an actor the scenario does not have; its consent is left out (got 'zz')" in err
    assert "issue y has stakeholders but no decision rule or veto says who must agree" in err
    # errors: unknown issue in a rule, a no-deal value off the scale, an unknown actor's expectation
    raw = RawScenario(data={**json.loads(THREE.model_dump_json(exclude_none=True)),
                            "decision_rules": [{"id": "r", "issues": ["q"], "requires": ["u"]}],
                            "no_deal": [{"issue": "a", "value": 150}, {"issue": "b", "actor": "nobody", "value": 5}]},
                      file="x.yaml")
    with pytest.raises(ScenarioError) as exc:
        build(raw)
    text = str(exc.value)
    assert "decision_rules.0.issues.0: unknown issue id (got 'q')" in text
    assert "no_deal.0.value: no-deal outcome on a's scale is outside its range (got 150.0)" in text
    assert "no_deal.1.actor: unknown actor id (got 'nobody')" in text
    assert rule_warnings(THREE) == []


def test_rules_and_outside_options_round_trip_through_yaml_json_and_xlsx(tmp_path):
    from accord.scenario.io import load_scenario
    from accord.scenario.io.writers import csv_losses, write_scenario

    s = Scenario.model_validate({
        **OPTIMISTS.model_dump(),
        "bodies": [{"id": "house", "name": "House", "members": {"u": 2, "v": 1}}],
        "decision_rules": [{"id": "r", "issues": ["k"], "requires": [
            "u", {"body": "house", "vote": "supermajority", "share": 0.6, "unless": {"actor": "v"}}]}]})
    for suffix in (".yaml", ".json", ".xlsx"):
        write_scenario(s, tmp_path / f"s{suffix}")
        assert load_scenario(tmp_path / f"s{suffix}") == s, suffix
    assert "the decision rules and bodies" in csv_losses(s) and "the no-deal outcomes" in csv_losses(s)


@pytest.mark.parametrize(("ideals", "met"), [
    ((100, 100, 0, 0), False),   # s1, s2 agree: 2 of 4 states (50% < 55%), 70% of the population
    ((0, 100, 100, 100), False),  # s2-s4: 3 of 4 states (75%), but 60% of the population (< 65%)
    ((100, 100, 100, 0), True),  # s1-s3: 75% of the states, 90% of the population
])
def test_a_double_majority_is_two_consents(ideals, met):
    # k = 50 against status quo 0: a state at x agrees iff |0 - x| >= |50 - x|, i.e. x >= 25
    states = ["s1", "s2", "s3", "s4"]
    s = scenario([(i, 25) for i in states], [(i, "k", x, 100) for i, x in zip(states, ideals, strict=True)], K,
                 bodies=[{"id": "states", "name": "States", "members": states},
                         {"id": "people", "name": "Population", "members": {"s1": 40, "s2": 30, "s3": 20, "s4": 10}}],
                 decision_rules=[{"id": "qmv", "issues": ["k"], "requires": [
                     {"body": "states", "vote": "supermajority", "share": 0.55},
                     {"body": "people", "vote": "supermajority", "share": 0.65}]}])
    reqs = evaluate_deal(s, {"k": 50}, repair=False).to_dict()["requirements"]
    assert all(q["met"] for q in reqs) is met
