"""Settlement or stalemate: the zone of possible agreement on cases worked out by hand, and the
headline that opens ``accord forecast``.

Gains as in test_deal.py: on a 0-100 scale g_ik = s_ik (|d_ik - x_ik| - |p_k - x_ik|), with d_ik
actor i's own no-deal outcome.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.analysis import Rules
from accord.analysis.settlement import settle
from accord.cli.main import main
from accord.runs import ForecastSpec, execute, result_from_dict
from accord.scenario import Scenario

# One issue k (status quo 50): u (capability 50) at 100, salience 100; v (50) at 0, salience 50.
# Both must consent; u expects the war to bring 80, v expects 20 (mutual optimism).
ONE = {
    "id": "t", "title": "test",
    "actors": [{"id": "u", "name": "U", "capability": 50}, {"id": "v", "name": "V", "capability": 50}],
    "issues": [{"id": "k", "name": "K", "status_quo": 50}],
    "positions": [{"actor": "u", "issue": "k", "position": 100, "salience": 100},
                  {"actor": "v", "issue": "k", "position": 0, "salience": 50}],
    "decision_rules": [{"id": "both", "issues": ["k"], "requires": ["u", "v"]}],
    "no_deal": [{"issue": "k", "actor": "u", "value": 80}, {"issue": "k", "actor": "v", "value": 20}],
}


def test_mutual_optimism_leaves_no_zone_and_names_the_cheapest_blocker():
    st = settle(Scenario.model_validate(ONE), None, None)
    # u gains p - 80, v gains 0.5 (20 - p): no p pleases both
    assert st.p_zone == 0 and not st.zone_at_coded_values and st.package is None
    # max_p min(p - 80, 10 - 0.5 p): equal at p = 60, where both are 20 short
    assert st.slack["median"] == pytest.approx(-20)
    # v paid while u agrees (p >= 80): 0.5 (20 - 80) = -30, so 30; u paid while v agrees
    # (p <= 20): 20 - 80 = -60, so 60. The cheaper one, v, is the blocker.
    assert [b["actor"] for b in st.blockers] == ["v"]
    assert st.blockers[0]["compensation"]["median"] == pytest.approx(30, abs=1e-6)
    assert st.several == 0 and st.total_compensation is None  # one payment suffices
    assert st.consent_of == ["u", "v"]


def test_when_no_single_payment_suffices_the_total_is_given():
    # a at 0 expecting 20 (agrees to p <= 20), b at 100 expecting 80 (p >= 80), c at 50 expecting
    # 40 (40 <= p <= 60); all must consent, salience 100. Any two of them conflict, so paying one
    # never suffices. Least total: on [40, 60] a loses p - 20, b 80 - p, c nothing: 60
    s = Scenario.model_validate({
        "id": "t", "title": "t",
        "actors": [{"id": i, "name": i, "capability": 30} for i in "abc"],
        "issues": [{"id": "k", "name": "K", "status_quo": 50}],
        "positions": [{"actor": i, "issue": "k", "position": x, "salience": 100}
                      for i, x in (("a", 0), ("b", 100), ("c", 50))],
        "decision_rules": [{"id": "all", "issues": ["k"], "requires": ["a", "b", "c"]}],
        "no_deal": [{"issue": "k", "actor": i, "value": v} for i, v in (("a", 20), ("b", 80), ("c", 40))],
    })
    st = settle(s, None, None)
    assert st.p_zone == 0 and st.blockers == [] and st.several == 1.0
    assert st.total_compensation["median"] == pytest.approx(60, abs=1e-6)


# Add issue m (status quo 0): u at 0 (salience 10), v at 100 (salience 100): a logroll.
TWO = {**ONE,
       "issues": [*ONE["issues"], {"id": "m", "name": "M", "status_quo": 0}],
       "positions": [*ONE["positions"], {"actor": "u", "issue": "m", "position": 0, "salience": 10},
                     {"actor": "v", "issue": "m", "position": 100, "salience": 100}],
       "decision_rules": [{"id": "both", "issues": ["k", "m"], "requires": ["u", "v"]}]}


def test_a_logroll_opens_a_zone_and_the_package_is_nearest_the_forecast():
    st = settle(Scenario.model_validate(TWO), None, np.array([50.0, 50.0]))
    assert st.p_zone == 1 and st.zone_at_coded_values and st.blockers == []
    # u: p - 80 - 0.1 m; v: 10 - 0.5 p + m. For m <= 60/1.1 they are equal at p = 60 + 0.733 m,
    # where both get -20 + 0.633 m; the best is m = 60/1.1 (p = 100): 160/11 each
    assert st.slack["median"] == pytest.approx(160 / 11, abs=1e-6)
    # nearest to (50, 50) with each gaining at least min(160/22, 1) = 1: u needs
    # p >= 81 + 0.1 m, v needs m >= 0.5 p - 9; at m = 50, p = 86 (lowering m costs more than it saves)
    assert st.package_at_coded_values == pytest.approx({"k": 86, "m": 50}, abs=1e-6)
    assert st.package_p_accepted == 1.0
    # both gain 1 there: each is "closest to refusing" in the one draw; the first wins the tie
    assert st.closest[0]["share"] == 1.0


def test_the_per_issue_rule_needs_no_loss_on_any_point():
    # under rule "issue" u must not lose on k (p >= 80) and v must not either (p <= 20): no zone
    # even with the logroll on m; v is the cheaper to pay: on k at p = 80 it loses 30, and its
    # total (30 lost on k, at best 100 gained on m) is then positive: 30
    st = settle(Scenario.model_validate(TWO), None, np.array([50.0, 50.0]), rules=Rules(veto_rule="issue"))
    assert st.p_zone == 0 and st.blockers[0]["actor"] == "v"
    assert st.blockers[0]["compensation"]["median"] == pytest.approx(30, abs=1e-6)


def test_a_supermajority_is_solved_exactly():
    # f1 (40) at 100, f2 (35) at 80, f3 (25) at 0 on k (status quo 0); two thirds of the body,
    # weighted like the capabilities, must consent: f1 and f2 (75%) gain from any point above 0
    # and hold 75% of the clout, so the forecast's 30 is in the zone
    s = Scenario.model_validate({
        "id": "t", "title": "t",
        "actors": [{"id": f, "name": f, "capability": c} for f, c in (("f1", 40), ("f2", 35), ("f3", 25))],
        "issues": [{"id": "k", "name": "K", "status_quo": 0}],
        "positions": [{"actor": f, "issue": "k", "position": x, "salience": 100}
                      for f, x in (("f1", 100), ("f2", 80), ("f3", 0))],
        "bodies": [{"id": "house", "name": "House", "members": {"f1": 40, "f2": 35, "f3": 25}}],
        "decision_rules": [{"id": "r", "issues": ["k"],
                            "requires": [{"body": "house", "vote": "supermajority", "share": "2/3"}]}],
    })
    st = settle(s, None, np.array([30.0]))
    assert st.p_zone == 1 and st.package_at_coded_values == pytest.approx({"k": 30}, abs=1e-6)
    # with every member required f3 refuses; with only the veto players (f1: 60 left < 2/3,
    # f2: 65 left < 2/3) there is room: the bounds disagree, so the draw is solved exactly
    assert st.exact_draws == 1 and "mixed-integer" in st.notes[0]
    # f3 at 100 as well: even with every member required there is a zone, no exact solve needed
    s3 = Scenario.model_validate({**s.model_dump(), "positions": [
        {"actor": f, "issue": "k", "position": x, "salience": 100} for f, x in (("f1", 100), ("f2", 80), ("f3", 100))]})
    st3 = settle(s3, None, np.array([30.0]))
    assert st3.p_zone == 1 and st3.exact_draws == 0


def test_draws_are_the_forecasts_draws_and_deterministic():
    s = Scenario.model_validate({**ONE, "no_deal": [
        {"issue": "k", "actor": "u", "value": 80, "uncertainty": {"low": 0, "high": 100}},
        {"issue": "k", "actor": "v", "value": 20}]})
    a, b = settle(s, None, None, n_draws=400, seed=3), settle(s, None, None, n_draws=400, seed=3)
    assert a == b
    # a zone exists when u expects at most v's 20 (u at 100 then gains from p = 20): U(0, 100) <= 20,
    # P = 0.2; standard error sqrt(.2 .8 / 400) = 0.02
    assert a.p_zone == pytest.approx(0.2, abs=0.07)


def test_forecast_opens_with_the_settlement_headline(capsys):
    assert main(["forecast", "-m", "compromise", "--draws", "40", "--seed", "1", "--veto-rule", "issue"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[1] == "Settlement or stalemate" and lines[2].startswith("P(agreement) ")
    text = " ".join(out.split())
    assert "Likely package:" in text and "Likely blocker: " in text
    assert text.index("Settlement or stalemate") < text.index("What the models forecast")


def _rendered(result: object) -> str:
    import io

    from rich.console import Console

    from accord.report.views import view

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None).print(view(result, 100))
    return buffer.getvalue()


def test_a_reopened_forecast_shows_the_same_headline():
    from accord.scenario.builtin import load_builtin

    result = execute(ForecastSpec(models=["compromise", "nash"], draws=30, seed=2))
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data["settlement"]) >= {"p_zone", "package", "blockers", "consent_of", "slack"}
    again = result_from_dict("forecast", data, load_builtin())
    assert again.settlement == result.settlement
    assert _rendered(again) == _rendered(result)


def test_the_default_forecast_of_the_builtin_scenario_opens_with_the_headline(capsys):
    assert main(["forecast"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[1] == "Settlement or stalemate" and lines[2].startswith("P(agreement) ")
    text = " ".join(out.split())
    for words in ("at the coded values (no draws)", "It needs the consent of us, russia, ukraine, eu, ua_rada, "
                  "us_congress", "Likely package: the acceptable package nearest the median of the forecasts of",
                  "Likely blocker:", "Closest to refusing:"):
        assert words in text


def test_the_settlement_draws_are_the_models_draws():
    # the likely package pairs each draw with the models' forecast of that same draw: the
    # compromise model (a function of the arrays alone) on the settlement's draws must give what
    # the forecast's ensemble gave
    from accord.analysis.settlement import forecast_draws
    from accord.experiments.uncertainty import ensemble
    from accord.models import get_model
    from accord.scenario.builtin import load_builtin

    s = load_builtin()
    arrays, _ = forecast_draws(s, 30, 4)
    ours = get_model("compromise").run(arrays).final
    np.testing.assert_array_equal(ours, ensemble(s, 30, seed=4, models=["compromise"]).finals["compromise"])


def test_large_forecasts_analyse_the_first_draws():
    """With more draws than ``settlement_draws``, the headline is that of the first ones.

    Each draw's zone is the same whether the analysis sees 60 or 150 draws (the first 60 are the
    same draws, solved in the same chunks of programs), so the capped P(agreement) is the share
    of zones among the first 60 draws of the full analysis, counted here from the per-draw
    zones of :func:`accord.analysis.settlement.zones`.
    """
    from accord.analysis.settlement import forecast_draws, zones
    from accord.scenario.decisions import requirements
    from accord.scenario.outside import no_deal_values
    from accord.scenario.sampling import sample_no_deal

    s = Scenario.model_validate({**ONE, "no_deal": [
        {"issue": "k", "actor": "u", "value": 80, "uncertainty": {"low": 0, "high": 100}},
        {"issue": "k", "actor": "v", "value": 20}]})
    capped = settle(s, None, None, n_draws=150, seed=3, max_draws=60)
    arrays, rng = forecast_draws(s, 150, 3)
    d = sample_no_deal(s, np.broadcast_to(arrays.status_quo, (150, 1)), rng)
    anchor = np.broadcast_to(np.array([50.0]), (150, 1))
    per_draw = zones(arrays, d, anchor, requirements(s), Rules())
    assert no_deal_values(s).shape == (2, 1)
    assert (capped.n_draws, capped.of_draws) == (60, 150)
    assert capped.p_zone == per_draw.zone[:60].mean()
    assert 0 < capped.p_zone < 1 and per_draw.zone[:60].mean() != per_draw.zone.mean()
    # below the cap nothing changes, and the reader is told which draws were analysed
    assert settle(s, None, None, n_draws=150, seed=3, max_draws=150) == settle(s, None, None, n_draws=150, seed=3)
    from accord.report.tables.settlement import headline_lines

    assert "over the first 60 of the 150 draws" in headline_lines(capped)[0]


def test_the_cli_settlement_cap_is_the_library_default():
    from accord.cli.options import SETTLEMENT_DRAWS
    from accord.runs import ForecastSpec

    assert ForecastSpec().settlement_draws == SETTLEMENT_DRAWS


def test_a_forecast_caps_the_settlement_draws():
    result = execute(ForecastSpec(models=["compromise"], draws=40, seed=1, settlement_draws=25))
    assert (result.settlement.n_draws, result.settlement.of_draws) == (25, 40)
    assert result.n_draws == 40
