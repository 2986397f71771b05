"""The admission budget (issue 14, finding 3): work is estimated from the scenario's size before
any of it is done, and refused over the limits, on the command line (unless --force) and the web.

The runs the audit found were the 300 x 300 upload with 5,000 draws (out of memory after 31 s)
and the 400 x 60 scenario with 500 rounds (725 s, then out of memory); both must now be refused
at once, naming why.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from accord.cli.main import main
from accord.errors import AccordError
from accord.runs import Change, DealSpec, ForecastSpec, WhatIfSpec, budget, execute
from accord.runs.budget import LOCAL, SERVER, Limits, OverBudget, estimate, model_cost
from accord.scenario import Scenario
from accord.scenario.builtin import load_builtin


def synthetic(actors: int, issues: int) -> Scenario:
    rng = np.random.default_rng(0)
    return Scenario.model_validate({
        "id": "big", "title": "big",
        "actors": [{"id": f"a{k}", "name": f"A{k}", "capability": 1 + k % 7} for k in range(actors)],
        "issues": [{"id": f"i{k}", "name": f"I{k}"} for k in range(issues)],
        "positions": [{"actor": f"a{a}", "issue": f"i{i}", "position": float(x), "salience": 50}
                      for a in range(actors) for i in range(issues) for x in [rng.uniform(0, 100)]],
    })


def _no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any model runs or any draw is sampled."""
    import importlib

    fc = importlib.import_module("accord.experiments.forecast")
    wi = importlib.import_module("accord.experiments.whatif")

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("work was done before the budget refused the run")

    monkeypatch.setattr(fc, "forecast", boom)
    monkeypatch.setattr(wi, "whatif", boom)


# the growth of each model's cost (its algorithm's, independent of the measured constants) -----
@pytest.mark.parametrize(("model", "actors_factor", "issues_factor"), [
    ("exchange", 4, 4),      # every pair of actors x every pair of issues
    ("eum", 8, 2),           # pairs of actors per issue, votes summed over third actors
    ("smp", 8, 1),           # challenges of every pair judged by every third actor
    ("compromise", 2, 2),    # one weighted sum per issue
])
def test_doubling_actors_or_issues_grows_the_work_as_the_algorithm_does(
        model: str, actors_factor: int, issues_factor: int) -> None:
    fixed = budget.GROWTH[model].fixed
    base = model_cost(model, 10, 40, 20, 100).seconds - 100 * 10 * fixed
    more_actors = model_cost(model, 10, 80, 20, 100).seconds - 100 * 10 * fixed
    more_issues = model_cost(model, 10, 40, 40, 100).seconds - 100 * 10 * fixed
    if not budget.GROWTH[model].dynamic:  # one pass, rounds do not count
        base, more_actors, more_issues = (model_cost(model, 10, a, i, 100).seconds
                                          for a, i in ((40, 20), (80, 20), (40, 40)))
    assert more_actors / base == pytest.approx(actors_factor)
    assert more_issues / base == pytest.approx(issues_factor)
    # evaluations (draws) and rounds add up linearly
    assert model_cost(model, 10, 40, 20, 300).seconds == pytest.approx(3 * model_cost(model, 10, 40, 20, 100).seconds)


def test_exchange_memory_grows_with_pairs_of_actors_and_issues() -> None:
    def working(actors: int, issues: int) -> float:
        return model_cost("exchange", 1, actors, issues, 1).memory - budget.RUN_MEMORY

    assert working(200, 20) / working(100, 20) == pytest.approx(4, rel=0.01)
    assert working(100, 40) / working(100, 20) == pytest.approx(4, rel=0.01)


# the audit's runs are refused at once ---------------------------------------------------------
def test_the_300_by_300_upload_with_5000_draws_is_refused_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    s = synthetic(300, 300)
    _no_work(monkeypatch)
    for limits in (SERVER, LOCAL):
        with pytest.raises(OverBudget) as caught:
            execute(ForecastSpec(models=["exchange"], draws=5000), s, limits=limits)
        reasons = caught.value.reasons
        assert any(r.startswith("estimated memory") and "exchange" in r for r in reasons), reasons
        assert any(r.startswith("estimated time") for r in reasons), reasons
    assert any(r.startswith("issues: 300 asked, at most 200") for r in
               estimate(ForecastSpec(models=["exchange"], draws=5000), s).over(SERVER))


def test_the_400_by_60_scenario_with_500_rounds_is_refused_on_the_command_line(tmp_path: Path,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["actor,issue,position,salience,capability"]
    rng = np.random.default_rng(1)
    rows += [f"a{a},i{i},{rng.uniform(0, 100):.1f},50,{1 + a % 9}" for a in range(400) for i in range(60)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(rows) + "\n")
    start = time.monotonic()
    code = main(["forecast", str(path), "--rounds", "500"])
    err = capsys.readouterr().err
    assert code == 1
    assert "over the budget" in err and "exchange" in err and "--force" in err
    assert time.monotonic() - start < 60  # reading the file, then the refusal: no model ran


# --force on the command line ------------------------------------------------------------------
def test_force_runs_what_the_budget_refuses_after_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    tiny = Limits(seconds=1e-9, memory=2**40, actors=10**6, issues=10**6, draws=10**9, rounds=10**9)
    monkeypatch.setattr(budget, "LOCAL", tiny)
    assert main(["forecast", "-m", "compromise", "-f", "json"]) == 1
    err = capsys.readouterr().err
    assert "estimated time" in err and "Add --force to run it anyway" in err
    assert main(["forecast", "-m", "compromise", "-f", "json", "--force"]) == 0
    out, err = capsys.readouterr()
    assert "warning:" in err and "running it anyway (--force)" in err
    assert '"compromise"' in out
    for command in (["whatif", "--set", "capability[us] *= 0.5", "-m", "compromise", "--draws", "10"],
                    ["sensitivity", "--issue", "territory", "--samples", "8"]):
        assert main(command) == 1
        assert "--force" in capsys.readouterr().err


# ordinary work passes ------------------------------------------------------------------------
def test_the_built_in_scenarios_default_runs_are_admitted_on_the_web() -> None:
    s = load_builtin("ukraine-2025-12")
    for spec in (ForecastSpec(), ForecastSpec(draws=1000), ForecastSpec(draws=SERVER.draws),
                 WhatIfSpec(change=Change(set=["capability[us] *= 0.5"])),  # 1,000 draws
                 DealSpec(proposals=[s.proposals[0].id], draws=1000)):
        est = estimate(spec, s)
        assert est.over(SERVER) == [], spec
        assert est.over(LOCAL) == []


def test_backtests_and_sweeps_are_not_estimated() -> None:
    from accord.runs import BacktestSpec

    assert budget.check(BacktestSpec(), None, Limits(0, 0, 0, 0, 0, 0)) is None


def test_an_unknown_model_is_a_user_error_before_the_budget() -> None:
    with pytest.raises(AccordError, match="nope"):
        estimate(ForecastSpec(models=["nope"]), load_builtin("ukraine-2025-12"))
