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


def test_no_repair_when_the_veto_player_is_the_majority_s_mirror_image():
    # S1: y's gains are exactly x's with the sign flipped (mirror positions and saliences on
    # a and b), so y accepting (gain >= 0) means x does not gain; y and z hold 40% at most.
    r = evaluate_deal(S1, "p")
    assert r.repair.status == "impossible" and r.repair.best_share == pytest.approx(0.4)
    assert "keeping y on board" in r.repair.reason and "40%" in r.repair.reason


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
