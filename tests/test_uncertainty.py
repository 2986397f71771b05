"""Monte Carlo summaries: quantiles, events on known distributions, the forecast command."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from accord.cli.main import main
from accord.experiments.uncertainty import ensemble, run_batch, summarise
from accord.models import get_model
from accord.rng import MODELS, stream
from accord.scenario import Scenario
from accord.scenario.sampling import sample_arrays


def _two_actors(low: float = 0, high: float = 100) -> Scenario:
    """Actor a's position uniform on [low, high], b fixed at 50, equal weights: x* = (x_a + 50) / 2."""
    return Scenario.model_validate({
        "id": "two", "title": "two",
        "actors": [{"id": "a", "name": "A", "capability": 50}, {"id": "b", "name": "B", "capability": 50}],
        "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
        "positions": [
            {"actor": "a", "issue": "x", "position": 50, "salience": 80,
             "position_uncertainty": {"low": low, "high": high}},
            {"actor": "b", "issue": "x", "position": 50, "salience": 80},
            {"actor": "a", "issue": "y", "position": 30, "salience": 50},
        ],
    })


def test_summary_of_known_values():
    values = np.arange(1.0, 102.0)[:, None]  # 1..101: the linear quantile at q is 1 + 100 q
    s = summarise(values)
    assert s["mean"][0] == 51 and s["median"][0] == 51
    assert (s["q05"][0], s["q25"][0], s["q75"][0], s["q95"][0]) == (6, 26, 76, 96)


def test_summary_agrees_with_numpy_and_ignores_missing():
    rng = np.random.default_rng(3)
    values = rng.normal(size=(999, 3))
    s = summarise(values)
    for key, q in {"q05": 0.05, "q25": 0.25, "q75": 0.75, "q95": 0.95}.items():
        np.testing.assert_allclose(s[key], np.quantile(values, q, axis=0))
    np.testing.assert_allclose(s["median"], np.median(values, axis=0))
    values[:, 2] = np.nan
    assert np.isnan(summarise(values)["median"][2]) and np.isfinite(summarise(values)["mean"][:2]).all()


def test_compromise_quantiles_of_a_uniform_input():
    ens = ensemble(_two_actors(), 40_000, seed=5, models=["compromise"])
    s = ens.summary("compromise").loc["x"]
    # x* = (U(0,100) + 50) / 2 is uniform on [25, 75]: the q-quantile is 25 + 50 q
    for key, q in {"q05": 0.05, "q25": 0.25, "median": 0.5, "q75": 0.75, "q95": 0.95}.items():
        assert s[key] == pytest.approx(25 + 50 * q, abs=0.5)
    assert s["mean"] == pytest.approx(50, abs=0.3)
    assert (ens.finals["compromise"][:, 1] == 30).all()  # y has no uncertainty


def test_event_probability_matches_the_hand_value():
    ens = ensemble(_two_actors(), 20_000, seed=11, models=["compromise"])
    p, se = ens.event("x >= 60")["compromise"]  # (U + 50)/2 >= 60  <=>  U >= 70: p = 0.3
    assert se == pytest.approx(np.sqrt(0.3 * 0.7 / 20_000), rel=0.05)
    assert abs(p - 0.3) < 4 * se


def test_same_seed_same_result_and_chunks_do_not_matter():
    s = _two_actors()
    a = ensemble(s, 300, seed=2, models=["compromise", "median"]).finals
    b = ensemble(s, 300, seed=2, models=["median", "compromise"]).finals
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    arrays = sample_arrays(s, 300, np.random.default_rng(0))
    seed = stream(1, MODELS, "compromise")
    whole = run_batch(get_model("compromise"), arrays, seed)
    np.testing.assert_array_equal(whole, run_batch(get_model("compromise"), arrays, seed, chunk=7))


def test_forecast_command_with_draws_and_events(capsys, tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(json.loads(_two_actors().model_dump_json(exclude_none=True))))
    code = main(["forecast", str(path), "-m", "compromise", "--draws", "4000", "--seed", "7",
                 "--event", "x >= 60", "--event", "x < 60 and y == 30", "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["draws"] == 4000 and data["seed"] == 7
    issue = data["models"]["compromise"]["issues"]["x"]
    assert issue["outcome"] == 50  # the point forecast is unchanged
    assert set(issue["summary"]) == {"mean", "median", "q05", "q25", "q75", "q95", "missing"}
    assert issue["summary"]["missing"] == 0  # every draw has a forecast
    assert issue["summary"]["q05"] == pytest.approx(27.5, abs=1.5)
    events = {e["expr"]: e["models"]["compromise"] for e in data["events"]}
    assert events["x >= 60"]["p"] == pytest.approx(0.3, abs=4 * events["x >= 60"]["se"])
    assert events["x >= 60"]["p"] + events["x < 60 and y == 30"]["p"] == pytest.approx(1.0)
    code = main(["forecast", str(path), "-m", "compromise", "--draws", "500", "--seed", "7",
                 "--event", "x >= 60"])
    out, _ = capsys.readouterr()
    assert code == 0 and "90% interval (5%–95%) over 500 draws" in out and "x >= 60" in out
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--draws", "10", "--event", "z > 1"], "unknown issue 'z'"),
        (["--event", "x > 1"], "events need draws"),
        (["--draws", "10", "--event", "x >"], "column 4"),
    ],
)
def test_forecast_event_errors(capsys, tmp_path, args, words):
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(json.loads(_two_actors().model_dump_json(exclude_none=True))))
    code = main(["forecast", str(path), "-m", "compromise", *args])
    out, err = capsys.readouterr()
    assert code == 1 and words in err and "Traceback" not in err + out


def test_summary_counts_draws_without_a_forecast():
    from accord.experiments.uncertainty import summarise

    s = summarise(np.array([[1.0, 5.0], [np.nan, 6.0], [3.0, 7.0]]))
    assert s["missing"].tolist() == [1, 0]
    assert s["median"].tolist() == [2.0, 6.0]  # over the draws that have one
