"""Deal evaluation on small scenarios worked out by hand (arithmetic in the comments).

Utility (docs/deal-analysis.md): g_ik = 100 s_ik (|d_k - x_ik| - |p_k - x_ik|) / range_k, with
s in 0..1 (the YAML saliences / 100), so on a 0-100 scale g_ik = s_ik (|d - x| - |p - x|).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from accord.analysis import Rules, compare_deals, evaluate_deal, utility
from accord.analysis.proposals import parse_points, parse_proposals
from accord.cli.main import main
from accord.errors import AccordError, ScenarioError
from accord.scenario import Scenario, compile_scenario


def make(actors: list[tuple], positions: list[tuple], issues: list[dict[str, Any]], **extra: Any) -> Scenario:
    """Actors (id, capability[, veto issues]); positions (actor, issue, position, salience[, unc])."""
    rows = []
    for p in positions:
        row = {"actor": p[0], "issue": p[1], "position": p[2], "salience": p[3]}
        if len(p) > 4:
            row["position_uncertainty"] = p[4]
        rows.append(row)
    return Scenario.model_validate({
        "id": "t", "title": "test",
        "actors": [{"id": a[0], "name": a[0].upper(), "capability": a[1],
                    "veto": list(a[2]) if len(a) > 2 else []} for a in actors],
        "issues": issues, "positions": rows, **extra,
    })


# Two issues, status quo 50 on both. x: a=100 (s 1), b=0 (s .5); y (veto on a): a=0 (s 1),
# b=100 (s .5); z: a=100 (s .2), b=100 (s 1). Capabilities 60, 30, 10.
S1 = make(
    [("x", 60), ("y", 30, ["a"]), ("z", 10)],
    [("x", "a", 100, 100), ("x", "b", 0, 50), ("y", "a", 0, 100), ("y", "b", 100, 50),
     ("z", "a", 100, 20), ("z", "b", 100, 100)],
    [{"id": "a", "name": "A", "status_quo": 50}, {"id": "b", "name": "B", "status_quo": 50}],
    proposals=[{"id": "p", "name": "P", "points": {"a": 80, "b": 40}}],
)


def test_utilities_and_verdicts_by_hand():
    r = evaluate_deal(S1, "p", repair=False)
    # x: a 1.0*(|50-100| - |80-100|) = 30, b 0.5*(|50-0| - |40-0|) = 5   -> +35
    # y: a 1.0*(|50-0| - |80-0|) = -30,  b 0.5*(|50-100| - |40-100|) = -5 -> -35
    # z: a 0.2*(50 - 20) = 6,            b 1.0*(50 - 60) = -10          -> -4
    np.testing.assert_allclose(r.point.issue_gain, [[30, 5], [-30, -5], [6, -10]])
    np.testing.assert_allclose(r.point.gain, [35, -35, -4])
    # u_x(package) = -(1*20 + .5*40) = -40; u_x(status quo) = -(1*50 + .5*50) = -75
    arrays = compile_scenario(S1)
    np.testing.assert_allclose(utility(arrays, np.array([80.0, 40.0]))[0], -40)
    np.testing.assert_allclose(utility(arrays, np.array([50.0, 50.0]))[0], -75)
    d = r.to_dict()
    assert [d["actors"][a]["verdict"] for a in "xyz"] == ["gains", "loses", "loses"]
    # only x gains: clout share 60 / (60 + 30 + 10) = 0.6 > 0.5, a winning coalition ...
    assert d["support_share"] == pytest.approx(0.6) and d["coalition"] is True
    # ... but y can veto a, which the package moves, and loses overall: rejected
    assert d["vetoed_by"] == ["y"] and d["accepted"] is False
    # with a 2/3 threshold the coalition fails too
    assert not evaluate_deal(S1, "p", rules=Rules(threshold=2 / 3), repair=False).point.coalition


def test_scale_range_normalises_gains():
    # scale 0..10, status quo 2, actor at 10 with salience 50: 100*.5*(|2-10| - |6-10|)/10 = 20
    s = make([("u", 50)], [("u", "k", 10, 50)],
             [{"id": "k", "name": "K", "scale": {"min": 0, "max": 10}, "status_quo": 2}])
    assert evaluate_deal(s, {"k": 6}).point.gain[0] == pytest.approx(20)


def test_silent_issue_and_issue_without_status_quo():
    s = make([("u", 50), ("v", 50)],
             [("u", "a", 100, 100), ("u", "b", 100, 100), ("v", "a", 0, 100), ("v", "b", 0, 100)],
             [{"id": "a", "name": "A", "status_quo": 40}, {"id": "b", "name": "B"}])
    # b has no status quo: not compared (gain 0) and reported; a: u 1*(60-30) = 30, v 1*(40-70) = -30
    r = evaluate_deal(s, {"a": 70, "b": 90}, repair=False)
    np.testing.assert_allclose(r.point.issue_gain, [[30, 0], [-30, 0]])
    assert r.not_compared == ["b"]
    # a package silent on a leaves it at the disagreement point: no gain on it for anyone
    assert np.all(evaluate_deal(s, {"b": 90}, repair=False).point.gain == 0)
    # a user value for b brings it in: d_b = 20 -> u 1*(80-10) = 70, v 1*(20-90) = -70
    r = evaluate_deal(s, {"a": 70, "b": 90}, against="status-quo,b=20", repair=False)
    np.testing.assert_allclose(r.point.gain, [100, -100])
    assert r.to_dict()["issues"]["b"]["no_deal_source"] == "given"


# U (cap 50): a=100, b=100 (s 1 each); V (cap 50, veto on a): a=0 (s 1), b=100 (s .5);
# W (cap 20): b=100 (s 1). Status quo 0 on both.
S2 = make(
    [("u", 50), ("v", 50, ["a"]), ("w", 20)],
    [("u", "a", 100, 100), ("u", "b", 100, 100), ("v", "a", 0, 100), ("v", "b", 100, 50),
     ("w", "b", 100, 100)],
    [{"id": "a", "name": "A", "status_quo": 0}, {"id": "b", "name": "B", "status_quo": 0}],
)


def test_veto_rules_total_and_per_issue():
    # a=40, b=100: u +40+100, v -40 + .5*100 = +10, w +100: all gain, share 1
    total = evaluate_deal(S2, {"a": 40, "b": 100}, repair=False)
    np.testing.assert_allclose(total.point.gain, [140, 10, 100])
    assert total.point.accepted and total.point.holds_veto.tolist() == [False, True, False]
    # per-issue rule: v loses 40 on a, which it can veto, so it blocks despite its total gain
    issue = evaluate_deal(S2, {"a": 40, "b": 100}, rules=Rules(veto_rule="issue"), repair=False)
    assert issue.point.vetoes.tolist() == [False, True, False] and not issue.point.accepted
    assert issue.to_dict()["breakers"][0] | {"issue_gain": 0} == {
        "issue": "a", "actor": "v", "issue_gain": 0, "total_gain": 10.0, "decisive": False, "veto": True}
    # a package that leaves a alone gives v no veto at all
    assert not evaluate_deal(S2, {"b": 100}, repair=False).point.holds_veto.any()


def test_breakers_decisive():
    # a=60, b=100: v gets -60 + 50 = -10 and rejects; without the a point it would get +50
    r = evaluate_deal(S2, {"a": 60, "b": 100}, repair=False)
    (b,) = r.breakers
    assert (b.issue, b.actor, b.issue_gain, b.total_gain, b.decisive) == ("a", "v", -60, -10, True)


def test_model_forecast_as_disagreement_point():
    # compromise = sum c s x / sum c s = (60*0 + 40*100) / 100 = 40; package 70:
    # l: |40-0| - |70-0| = -30;  r: |40-100| - |70-100| = +30
    s = make([("l", 60), ("r", 40)], [("l", "k", 0, 100), ("r", "k", 100, 100)],
             [{"id": "k", "name": "K", "status_quo": 0}])
    r = evaluate_deal(s, {"k": 70}, against="model:compromise", repair=False)
    np.testing.assert_allclose(r.setting.reference, [40])
    np.testing.assert_allclose(r.point.gain, [-30, 30])
    assert r.to_dict()["issues"]["k"]["no_deal_source"] == "compromise forecast"


# One issue, status quo 0, package 60. V (veto) sits anywhere in [0, 100] (uniform); it gains
# iff |0 - x| >= |60 - x|, i.e. x >= 30: P = 0.7. U and W at 100 always gain (clout 70/120).
S3 = make(
    [("u", 50), ("v", 50, ["k"]), ("w", 20)],
    [("u", "k", 100, 100), ("v", "k", 50, 100, {"low": 0, "high": 100}), ("w", "k", 100, 100)],
    [{"id": "k", "name": "K", "status_quo": 0}],
)


def test_probability_of_acceptance_over_draws():
    r = evaluate_deal(S3, {"k": 60}, draws=20000, rng=np.random.default_rng(7), repair=False)
    assert r.draws is not None and r.draws.gain.shape == (20000, 3)
    probs = r.probabilities()
    assert probs["accepts"][1] == pytest.approx(0.7, abs=0.015)  # 4.6 standard errors
    assert probs["accepts"][0] == 1 and probs["accepts"][2] == 1
    assert r.draws.accepted.mean() == pytest.approx(0.7, abs=0.015)
    assert r.draws.coalition.all()
    again = evaluate_deal(S3, {"k": 60}, draws=20000, rng=np.random.default_rng(7), repair=False)
    assert np.array_equal(again.draws.accepted, r.draws.accepted)
    with pytest.raises(AccordError, match="seed"):
        evaluate_deal(S3, {"k": 60}, draws=10)


def test_compare_uses_common_draws():
    c = compare_deals(S3, [{"k": 60}, {"k": 20}], draws=5000, rng=np.random.default_rng(1))
    # package 20: v accepts iff x >= 10 (P 0.9); every draw accepting 60 accepts 20 as well
    a60, a20 = (r.draws.accepted for r in c.results)
    assert a20.mean() == pytest.approx(0.9, abs=0.02) and np.all(a20[a60])


def test_bad_proposal_files_name_line_and_field(tmp_path):
    text = (
        "- id: good\n  name: Good\n  points: {a: 10}\n"
        "- id: bad\n  name: Bad\n  points:\n    a: 150\n    zz: 3\n  colour: red\n"
        "- id: nameless\n  points: {b: 1}\n"
    )
    with pytest.raises(ScenarioError) as err:
        parse_proposals(text, "mine.yaml", S1)
    msg = str(err.value)
    assert "mine.yaml, line 7: 1.points.a: point on a's scale is outside it (got 150)" in msg
    assert "line 8: 1.points.zz: unknown issue id (got 'zz'); expected one of: a, b" in msg
    assert "line 9: 1.colour:" in msg and "line 10: 2.name: required field is missing" in msg
    (tmp_path / "one.yaml").write_text("id: mine\nname: Mine\npoints: {a: 20}\n")
    from accord.analysis import load_proposals

    assert load_proposals(tmp_path / "one.yaml", S1)[0].points == {"a": 20}
    with pytest.raises(ScenarioError, match="expected ISSUE=NUMBER"):
        parse_points(["a:3"], S1)
    with pytest.raises(ScenarioError, match="unknown issue id"):
        parse_points(["q=3"], S1)


def _write_s1(tmp_path):
    path = tmp_path / "s1.yaml"
    import yaml

    path.write_text(yaml.safe_dump(json.loads(S1.model_dump_json(exclude_none=True))))
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_table_compare_plot(capsys, tmp_path):
    path = _write_s1(tmp_path)
    code, out, err = run(capsys, "deal", path, "p", "--format", "json")
    assert code == 0, err
    data = json.loads(out)["results"]["p"]  # one package or several: the same JSON shape
    assert data["actors"]["y"]["gain"] == pytest.approx(-35) and data["vetoed_by"] == ["y"]
    # returning a to its status quo (50) takes y's veto away; x alone holds 60% (test_repair.py)
    assert data["repair"]["status"] == "found" and data["repair"]["points"] == {"a": 50, "b": 40}
    code, out, err = run(capsys, "deal", path, "p", "--point", "a=50")
    assert code == 0, err
    assert max(map(len, out.splitlines())) <= 80 and "REJECTED" not in out
    code, out, err = run(capsys, "deal", path, "--compare", "p", "--point", "b=45", "--plot",
                         str(tmp_path / "g.png"))
    assert code == 0, err
    assert "p-changed" in out and (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    (tmp_path / "mine.yaml").write_text("proposals:\n  - {id: m1, name: M1, points: {a: 60}}\n"
                                        "  - {id: m2, name: M2, points: {b: 0}}\n")
    code, out, err = run(capsys, "deal", path, str(tmp_path / "mine.yaml"), "p", "-f", "json",
                         "--draws", "50", "--seed", "3")
    assert code == 0, err
    assert json.loads(out)["proposals"] == ["m1", "m2", "p"]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["nope"], "no proposal of that id"),
        (["p", "--point", "a=x"], "expected ISSUE=NUMBER"),
        (["p", "--against", "model:nosuch"], "unknown model 'nosuch'"),
        (["p", "--against", "whatever"], "expected no-deal, status-quo, model:NAME or ISSUE=VALUE"),
        (["p", "--open", "zz"], "--open 'zz': unknown issue"),
        (["p", "--hold", "zz"], "--hold 'zz': unknown issue"),
        ([], "name a proposal"),
    ],
)
def test_cli_user_errors(capsys, tmp_path, extra, words):
    code, out, err = run(capsys, "deal", _write_s1(tmp_path), *extra)
    assert code == 1 and words in err and "Traceback" not in out + err


def test_builtin_proposals_evaluate_and_compare(capsys):
    from accord.scenario.builtin import load_builtin

    s = load_builtin()
    ids = [p.id for p in s.proposals]
    for pid in ("28-point", "geneva-19", "european-counter"):
        assert pid in ids
    code, out, err = run(capsys, "deal", "--compare", *ids, "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["proposals"] == ids
    for pid in ids:
        result = data["results"][pid]
        assert set(result["actors"]) == set(s.actor_ids)
        gains = [a["gain"] for a in result["actors"].values()]
        assert all(np.isfinite(gains))


def test_gain_quantiles_over_draws_by_hand():
    # S1 states no uncertainty, so every draw is S1 itself and each actor's 5/50/95% gain is its
    # point gain: x +35, y -35, z -4 (worked out in test_utilities_and_verdicts_by_hand)
    d = evaluate_deal(S1, "p", draws=50, rng=np.random.default_rng(3), repair=False).to_dict()
    for actor, gain in (("x", 35.0), ("y", -35.0), ("z", -4.0)):
        assert d["actors"][actor]["gain_quantiles"] == pytest.approx({"5%": gain, "50%": gain, "95%": gain})


def test_changing_a_point_of_a_named_proposal_works(capsys):
    # the example of docs/deal-analysis.md once failed: '28-point+-repaired' is no valid id
    code, out, err = run(capsys, "deal", "28-point", "--point", "guarantees=65", "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    (pid,) = data["proposals"]
    assert pid == "28-point-changed" and data["results"][pid]["proposal"]["points"]["guarantees"] == 65
    assert data["results"][pid]["repair"]["status"] in ("found", "impossible")


def test_compare_shows_what_each_package_settles(capsys):
    code, out, err = run(capsys, "deal", "--compare", "28-point", "geneva-19")
    assert code == 0, err
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert rows["settles"] == ["10/10", "2/10"]
    assert "geneva-19: settles 2 of 10 (open: territory, guarantees, nato, sanctions, frozen_assets," in " ".join(
        out.split())
    assert rows["accepted"] == ["no", "points:", "yes"]


def test_geneva_is_a_partial_package_never_reported_accepted(capsys):
    code, out, err = run(capsys, "deal", "geneva-19")
    assert code == 0, err
    text = " ".join(out.split())
    assert "Partial package: settles 2 of 10 issues; open: territory, guarantees, nato, sanctions," in text
    assert all("PARTIAL" in line for line in out.splitlines() if "ACCEPTED" in line or "REJECTED" in line)
    code, out, _ = run(capsys, "deal", "geneva-19", "-f", "json")
    result = json.loads(out)["results"]["geneva-19"]
    assert result["verdict"].startswith("partial-") and result["coverage"]["n_settled"] == 2


def test_a_small_loss_never_reads_plus_zero(capsys, tmp_path):
    # v at 0 (salience 100, veto), package k = 0.03 against status quo 0: v loses 0.03
    from accord.report.tables.deal import gain_text

    assert gain_text(-0.03).plain == "-0.03" and gain_text(0.0).plain == "0.0"
    s = make([("u", 60), ("v", 40, ["k"])], [("u", "k", 100, 100), ("v", "k", 0, 100)],
             [{"id": "k", "name": "K", "status_quo": 0}])
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(json.loads(s.model_dump_json(exclude_none=True))))
    code, out, err = run(capsys, "deal", str(path), "--point", "k=0.03", "--no-repair")
    assert code == 0, err
    (row,) = [line for line in out.splitlines() if line.strip().startswith("v ") and "LOSES" in line]
    import re

    assert "-0.03" in row and not re.search(r"[+-]0\.0(?!\d)", out)  # never "+0.0" or "-0.0"


def test_a_deal_stored_before_coverage_and_rules_still_renders():
    # the JSON of a run stored before issue 13 (no coverage, verdict, requirements or repair lines)
    from accord.report.tables.deal import comparison_view, deal_view

    old = {
        "scenario": {"id": "t", "title": "test"},
        "proposal": {"id": "p", "name": "P", "date": None, "points": {"a": 80}},
        "against": {"spec": "status-quo", "base": "status quo", "values": {}},
        "rules": {"veto_rule": "total", "threshold": 0.5},
        "issues": {"a": {"package": 80.0, "no_deal": 50.0, "no_deal_source": "status quo", "moved": True},
                   "b": {"package": None, "no_deal": 50.0, "no_deal_source": "status quo", "moved": False}},
        "not_compared": [],
        "actors": {"x": {"name": "X", "clout": 60.0, "gain": 30.0, "issue_gains": {"a": 30.0, "b": 0.0},
                         "verdict": "gains", "accepts": True, "holds_veto": False, "veto_issues": [],
                         "vetoes": False}},
        "support_share": 1.0, "coalition": True, "vetoed_by": [], "accepted": True, "draws": None,
        "breakers": [], "repair": {"status": "found", "reason": None,
                                   "moves": [{"issue": "a", "from": 80, "to": 60, "text": "a from 80 to 60"}]},
    }
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None)
    console.print(deal_view(old))
    text = " ".join(console.export_text().split())
    assert "settles 1 of 2 issues; open: b" in text and "PARTIAL: its point ACCEPTED (1 issue open)" in text
    assert "a from 80 to 60" in text
    console.print(comparison_view({"proposals": ["p"], "results": {"p": old}}))
    assert "1/2" in console.export_text()
