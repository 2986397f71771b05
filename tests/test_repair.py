"""The repair search on cases whose minimal repair is obvious by hand."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis import Rules, evaluate_deal
from test_deal import S1, S2, make


def test_one_point_moved_the_least_distance():
    # S2 with a=60, b=100: v gets -60 + .5*100 = -10 and vetoes a. b is already at v's ideal,
    # so only a can help: v needs 50 - a' >= 0, a' <= 50; the nearest is a' = 50 (distance 10).
    # u then gains 50 + 100 and w 100: clout 70 of 120 > 50%.
    r = evaluate_deal(S2, {"a": 60, "b": 100})
    assert r.repair.status == "found"
    (move,) = r.repair.moves
    assert (move.issue, move.before, move.in_package) == ("a", 60, True)
    assert move.after == pytest.approx(50, abs=1e-6)
    assert r.repair.assessment.accepted
    np.testing.assert_allclose(r.repair.assessment.gain, [150, 0, 100], atol=1e-6)


def test_per_issue_veto_needs_the_point_returned():
    # rule "issue": v blocks while it loses anything on a, so a goes back to its status quo 0
    r = evaluate_deal(S2, {"a": 60, "b": 100}, rules=Rules(veto_rule="issue"))
    (move,) = r.repair.moves
    assert move.issue == "a" and move.after == pytest.approx(0, abs=1e-6)


def test_held_point_makes_repair_impossible():
    # a may not move and b cannot improve v's lot: v vetoes whatever the repair does
    r = evaluate_deal(S2, {"a": 60, "b": 100}, hold=["a"])
    assert r.repair.status == "impossible" and r.repair.reason == "v vetoes whatever the repair does"


def test_fewest_points_before_least_distance():
    # v1 (veto a) sits at a=0, v2 (veto b) at b=0, both with salience 1; both like c high a
    # little (ideal 100, salience .1). Status quo 0 everywhere; package a=10, b=10, silent on c.
    # v1 and v2 each lose 10. Returning a and b to 0 is two moves of distance 20 in all; adding
    # c=100 is one move (distance 100) giving each 0.1*100 = 10: exactly enough. Fewest wins.
    s = make(
        [("u", 60), ("v1", 20, ["a"]), ("v2", 20, ["b"])],
        [("u", "a", 100, 100), ("u", "b", 100, 100), ("v1", "a", 0, 100), ("v1", "c", 100, 10),
         ("v2", "b", 0, 100), ("v2", "c", 100, 10)],
        [{"id": k, "name": k.upper(), "status_quo": 0} for k in "abc"],
    )
    r = evaluate_deal(s, {"a": 10, "b": 10})
    (move,) = r.repair.moves
    assert (move.issue, move.in_package) == ("c", False)
    assert move.after == pytest.approx(100, abs=1e-6)
    assert move.text(s.issue("c").scale) == "c: add 100 (package silent; 0 without it)"


def test_returning_the_vetoed_point_to_the_status_quo_takes_the_veto_away():
    # S1 (a=80, b=40): y's gains mirror x's, so no package moving a pleases both. But a point
    # at its status quo moves nothing: with a back at 50, y holds no veto, and x gains
    # 0.5*(50 - 40) = 5 on b alone, holding 60% of the clout. One point, distance 30.
    r = evaluate_deal(S1, "p")
    assert r.repair.status == "found"
    (move,) = r.repair.moves
    assert (move.issue, move.before, move.after, move.to_no_deal) == ("a", 80, 50, True)
    assert r.repair.lines(S1) == ["a from 80 to 50 — back to no deal"]
    assert r.repair.assessment.accepted and not r.repair.assessment.holds_veto.any()
    np.testing.assert_allclose(r.repair.assessment.gain, [5, -5, -10])


def test_no_repair_when_the_veto_player_is_the_majority_s_mirror_image():
    # with a held at 80, y must consent, and y accepting (gain >= 0) means x does not gain:
    # y and z hold 40% at most (the mirror image of x's gains on a and b)
    r = evaluate_deal(S1, "p", hold=["a"], rules=Rules(veto_rule="total"))
    assert r.repair.status == "impossible" and r.repair.reason == "y vetoes whatever the repair does"
    # three actors, one issue (status quo 0): v (veto, clout 40) at 0, u (60) at 100. Any point
    # above 0 loses v and needs its consent; 0 moves nothing and nobody gains: no repair
    s = make([("u", 60), ("v", 40, ["k"])], [("u", "k", 100, 100), ("v", "k", 0, 100)],
             [{"id": "k", "name": "K", "status_quo": 0}])
    r = evaluate_deal(s, {"k": 50})
    assert r.repair.status == "impossible" and r.repair.best_share == pytest.approx(0.0)
    assert "keeping v on board" in r.repair.reason and "at most 0%" in r.repair.reason


def test_accepted_package_needs_no_repair_and_anchor_labels():
    r = evaluate_deal(S2, {"a": 40, "b": 100})
    assert r.repair.status == "not needed" and r.repair.moves == ()
    s = make(
        [("u", 50), ("v", 50, ["a"]), ("w", 20)],
        [("u", "a", 100, 100), ("u", "b", 100, 100), ("v", "a", 0, 100), ("v", "b", 100, 50),
         ("w", "b", 100, 100)],
        [{"id": "a", "name": "A", "status_quo": 0, "scale": {"anchors": {0: "none", 50: "half"}}},
         {"id": "b", "name": "B", "status_quo": 0}],
    )
    r = evaluate_deal(s, {"a": 60, "b": 100})
    assert r.repair.lines(s) == ["a from 60 to 50 (50: half)"]


def test_held_vetoed_point_under_the_per_issue_rule():
    # rule "issue" and a held at 60: v loses 60 on a point it can veto and that cannot move
    r = evaluate_deal(S2, {"a": 60, "b": 100}, hold=["a"], rules=Rules(veto_rule="issue"))
    assert r.repair.reason == "v would veto a point the repair may not move"


def test_the_three_actor_example_of_issue_13_is_a_one_point_repair():
    # A (clout 50): x=100 (s 100), y=100 (s 50); B (30, veto on y): x=0 (s 40), y=0 (s 100);
    # C (20): x=60 (s 80). Status quo 0 on both. Package {x: 50, y: 40}:
    # A 1(100-50) + .5(100-60) = 70; B .4(0-50) + 1(0-40) = -60 (vetoes y); C .8(60-10) = 40.
    # Any y above 0 keeps B's veto, and x cannot give B anything back (B is at 0 = the status
    # quo); y back at 0 moves nothing B can veto: A +50 and C +40 hold 70% of the clout.
    s = make(
        [("a", 50), ("b", 30, ["y"]), ("c", 20)],
        [("a", "x", 100, 100), ("a", "y", 100, 50), ("b", "x", 0, 40), ("b", "y", 0, 100),
         ("c", "x", 60, 80)],
        [{"id": "x", "name": "X", "status_quo": 0}, {"id": "y", "name": "Y", "status_quo": 0}],
    )
    r = evaluate_deal(s, {"x": 50, "y": 40})
    np.testing.assert_allclose(r.point.gain, [70, -60, 40])
    assert r.to_dict()["vetoed_by"] == ["b"]
    assert r.repair.status == "found"
    (move,) = r.repair.moves
    assert (move.issue, move.before, move.after) == ("y", 40, 0)
    np.testing.assert_allclose(r.repair.assessment.gain, [50, -20, 40])
    assert r.repair.assessment.support_share == pytest.approx(0.7) and r.repair.assessment.accepted


def _reenter(repair: dict) -> list[str]:
    """The printed repair typed back in: --point ISSUE=PRINTED and --open ISSUE."""
    args = []
    for m in repair["moves"]:
        if m["to"] is None:
            args += ["--open", m["issue"]]
        else:
            printed = m["text"].split(" to ", 1)[1].split(" ", 1)[0] if " to " in m["text"] else \
                m["text"].split("add ", 1)[1].split(" ", 1)[0]
            args += ["--point", f"{m['issue']}={printed}"]
    return args


@pytest.mark.parametrize("against", ["status-quo", "no-deal"])
def test_the_printed_repair_of_the_28_point_plan_typed_back_in_is_accepted(capsys, against):
    import json

    from accord.cli.main import main

    assert main(["deal", "28-point", "--against", against, "-f", "json"]) == 0
    repair = json.loads(capsys.readouterr().out)["results"]["28-point"]["repair"]
    assert repair["status"] == "found"
    for m in repair["moves"]:  # stored as printed: one decimal on the 0-100 scales
        assert m["to"] is None or round(m["to"], 1) == m["to"]
    assert main(["deal", "28-point", "--against", against, *_reenter(repair), "-f", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    (result,) = again["results"].values()
    assert result["accepted"] is True and result["vetoed_by"] == []
    assert result["repair"]["status"] == "not needed"


def test_the_solver_prints_nothing_into_json_output(capfd):
    # HiGHS's MIP solver once wrote a debug line to the C stdout in this case, breaking the JSON
    import json

    from accord.cli.main import main

    assert main(["deal", "framework-20", "--veto-rule", "issue", "-f", "json"]) == 0
    out = capfd.readouterr().out
    result = json.loads(out)["results"]["framework-20"]
    assert result["repair"]["status"] == "found"
