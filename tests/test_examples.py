"""The shipped example scenario loads, and its numbers give the forecasts worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.experiments import forecast
from accord.scenario.io import load_scenario

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trade-talks.yaml"


def test_example_scenario_forecasts_by_hand():
    scenario = load_scenario(EXAMPLE)
    assert [a.id for a in scenario.actors] == ["exporters", "importers", "mediator"]
    out = forecast(scenario, ["compromise", "weighted-median"]).outcomes()
    # tariffs: weights c*s = 60*.8, 50*.6, 20*.3 = 48, 30, 6 at 90, 20, 50
    assert out.loc["tariffs", "compromise"] == pytest.approx((48 * 90 + 30 * 20 + 6 * 50) / 84)
    # quotas: exporters 60*.4 = 24 at 70; importers 70*.9 = 63 at 10 (its per-issue capability)
    assert out.loc["quotas", "compromise"] == pytest.approx((24 * 70 + 63 * 10) / 87)
    assert out.loc["tariffs", "weighted-median"] == 90  # 48 of 84 is past half
    assert out.loc["quotas", "weighted-median"] == 10
