"""Diagnostics next to the numbers: cycles, unsettled ends, capitulations, draws split into camps.

Expected values are worked out by hand from the sequences given (zig-zag turns with a threshold
of 10% of the span) or from how the samples were built (two clusters of known sizes)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis.diagnostics import modes, swings, trajectory_diagnostics
from accord.cli.main import main


def test_swings_by_hand():
    # eum-scholz's outcome on ExampleActors (4..10 scale, threshold 0.6): up to 10 (rounds 3-5),
    # down to 7.5 (round 6), up to 9.7 (rounds 8-9), down to 7.0 (round 10)
    outcome = np.array([7, 8.4, 9.6, 10, 10, 10, 7.5, 8.8, 9.7, 9.7, 7.0])
    assert swings(outcome, 0.6) == [0, 5, 6, 9, 10]
    assert swings(np.array([0, 5, 8, 9, 9.5, 9.6]), 1.0) == [0, 5]  # converging: no turn
    assert swings(np.array([0, 5, 3, 3.1]), 1.0) == [0, 1, 2]  # one overshoot: two swings, no cycle
    assert swings(np.array([3, 3.2, 2.9, 3.1]), 1.0) == [0]  # below the threshold: no swing


def _run(outcome, positions, salience, span=(0.0, 100.0)):
    lo, hi = np.array([span[0]]), np.array([span[1]])
    return trajectory_diagnostics(np.asarray(outcome, float)[:, None], np.asarray(positions, float)[:, :, None],
                                  np.asarray(salience, float)[:, None], lo, hi, ["a", "b"], ["x"])


def test_cycle_not_settled_and_capitulation_by_hand():
    cycling = _run([50, 80, 40, 85, 45], [[50, 50], [80, 80], [40, 40], [85, 85], [45, 45]], [0.2, 0.2])
    assert [d.kind for d in cycling] == ["cycle"]
    assert cycling[0].data["low"] == 40 and cycling[0].data["high"] == 85
    moving = _run([50, 55, 58], [[50, 50], [55, 55], [58, 58]], [0.2, 0.2])  # last change 3 > 1% of 100
    assert [d.kind for d in moving] == ["not-settled"]
    settled = _run([50, 55, 55.5], [[50, 50], [55, 55], [55.5, 55.5]], [0.2, 0.2])  # 0.5 < 1
    assert settled == []
    # a crosses 80 of 100 points (> 60%) with salience 0.9: capitulation; b the same with 0.3: none
    crossing = _run([50, 50, 50], [[10, 10], [50, 50], [90, 90]], [0.9, 0.3])
    assert [(d.kind, d.actor) for d in crossing if d.kind == "capitulation"] == [("capitulation", "a")]


def test_modes_of_two_camps_and_of_one():
    rng = np.random.default_rng(0)
    camps = np.r_[rng.normal(20, 3, 600), rng.normal(80, 4, 400)]
    (first, share1), (second, share2) = modes(camps, 0, 100)
    assert abs(first - 20) < 3 and abs(second - 80) < 3
    assert share1 == pytest.approx(0.6, abs=0.01) and share2 == pytest.approx(0.4, abs=0.01)
    assert len(modes(rng.normal(50, 10, 1000), 0, 100)) == 1
    assert [s for _, s in modes(np.r_[np.full(700, 20.0), np.full(300, 100.0)], 0, 100)] == [0.7, 0.3]


def test_eum_scholz_on_example_actors_is_reported_as_a_cycle(capsys, shared_dir):
    path = shared_dir / "anchor-data/BDM_DecisionModel_Replication/ExampleActors.csv"
    assert main(["forecast", str(path), "-m", "eum-scholz", "-f", "json"]) == 0
    (diagnostic,) = json.loads(capsys.readouterr().out)["models"]["eum-scholz"]["diagnostics"]
    assert diagnostic["kind"] == "cycle"
    assert (diagnostic["data"]["low"], diagnostic["data"]["high"]) == pytest.approx((7.0, 10.0), abs=0.05)
    assert main(["forecast", str(path), "-m", "eum-scholz"]) == 0
    table = capsys.readouterr().out
    assert "7.0!" in table and "cycles between about 7.0 and 10.0" in " ".join(table.split())


def test_bimodal_draws_are_flagged_on_the_builtin_scenario(capsys):
    assert main(["forecast", "-m", "eum", "--draws", "300", "-f", "json"]) == 0
    found = json.loads(capsys.readouterr().out)["models"]["eum"]["diagnostics"]
    camps = [d for d in found if d["kind"] == "multimodal" and d["issue"] == "language_church"]
    assert camps and len(camps[0]["data"]["modes"]) == 2
    assert sum(s for _, s in camps[0]["data"]["modes"]) > 0.9
