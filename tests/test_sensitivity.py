"""Sensitivity: Sobol indices of a compromise whose variance decomposition is known by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from accord.cli.main import main
from accord.errors import AccordError
from accord.experiments.sensitivity import inputs, sensitivity
from accord.scenario import Scenario


def _scenario() -> Scenario:
    """Equal weights, so x* = (x_a + x_b) / 2 with x_a ~ U(0, 100) and x_b ~ U(40, 60).

    V(x*) = (100^2 + 20^2) / (12 * 4); the model is additive, so S1 = ST:
    a: 100^2 / (100^2 + 20^2) = 0.9615..., b: 20^2 / 10400 = 0.0385..., every other input 0.
    """
    return Scenario.model_validate({
        "id": "s", "title": "s",
        "actors": [{"id": "a", "name": "A", "capability": 50}, {"id": "b", "name": "B", "capability": 50}],
        "issues": [{"id": "x", "name": "X"}],
        "positions": [
            {"actor": "a", "issue": "x", "position": 50, "salience": 80, "position_uncertainty": [0, 100]},
            {"actor": "b", "issue": "x", "position": 50, "salience": 80, "position_uncertainty": [40, 60]},
        ],
    })


def test_sobol_indices_of_a_known_linear_case():
    result = sensitivity(_scenario(), "x", "compromise", "sobol", n=4096, rng=np.random.default_rng(0), spread=0)
    t = result.table
    assert list(t.index[:2]) == ["position[a, x]", "position[b, x]"]
    assert t.loc["position[a, x]", "S1"] == pytest.approx(10_000 / 10_400, abs=0.03)
    assert t.loc["position[a, x]", "ST"] == pytest.approx(10_000 / 10_400, abs=0.03)
    assert t.loc["position[b, x]", "ST"] == pytest.approx(400 / 10_400, abs=0.01)
    others = t.drop(["position[a, x]", "position[b, x]"])
    assert np.allclose(others[["S1", "ST"]], 0)  # fixed saliences and capabilities explain nothing
    assert result.n_runs == 4096 * (6 + 2)


def test_morris_ranks_the_dominant_input_first_and_auto_picks_by_size():
    result = sensitivity(_scenario(), "x", "compromise", "morris", n=40, rng=np.random.default_rng(1), spread=0)
    # the elementary effect of a over its whole range is 100 / 2 = 50 (of b: 20 / 2 = 10)
    assert result.table.index[0] == "position[a, x]"
    assert result.table.loc["position[a, x]", "mu_star"] == pytest.approx(50, rel=1e-6)
    assert result.table.loc["position[b, x]", "mu_star"] == pytest.approx(10, rel=1e-6)
    assert sensitivity(_scenario(), "x", n=64, rng=np.random.default_rng(1)).method == "sobol"


def test_inputs_and_default_ranges():
    labels = [i.label for i in inputs(_scenario(), "x", spread=0.1)]
    assert labels == ["position[a, x]", "salience[a, x]", "position[b, x]", "salience[b, x]",
                      "capability[a]", "capability[b]"]
    salience = inputs(_scenario(), "x", spread=0.1)[1].uncertainty
    assert (salience.low, salience.high) == (70, 90)  # +-10 points of the 0..100 salience scale


def test_errors():
    with pytest.raises(AccordError, match="unknown issue"):
        sensitivity(_scenario(), "nope")
    with pytest.raises(AccordError, match="power of two"):
        sensitivity(_scenario(), "x", method="sobol", n=100)


def test_sensitivity_command(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(json.loads(_scenario().model_dump_json(exclude_none=True))))
    code = main(["sensitivity", str(path), "--issue", "x", "--method", "sobol", "--samples", "512",
                 "--seed", "3", "--spread", "0", "--json", "--plot", str(tmp_path / "s.png")])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert data["inputs"][0]["input"] == "position[a, x]" and data["inputs"][0]["ST"] > 0.85
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    code = main(["sensitivity", str(path), "--issue", "x", "--seed", "3"])
    out, _ = capsys.readouterr()
    assert code == 0 and "position[a, x]" in out


def test_no_outcome_is_an_error_for_morris_as_for_sobol():
    # every capability 0: the compromise sum c s x / sum c s is 0/0 for every input, so there is
    # nothing to rank; Morris used to return a table of NaN where Sobol raised
    data = json.loads(_scenario().model_dump_json())
    for actor in data["actors"]:
        actor["capability"] = 0
    zero = Scenario.model_validate(data)
    for method in ("sobol", "morris"):
        with pytest.raises(AccordError, match="gives no outcome on x"):
            sensitivity(zero, "x", "compromise", method, n=8, rng=np.random.default_rng(0))


def test_sensitivity_needs_a_generator():
    with pytest.raises(AccordError, match="random generator"):
        sensitivity(_scenario(), "x", "compromise", "morris", n=4)


def _capability_zero(sd: bool = True) -> Scenario:
    """b is coded with capability 0 but stated to be anywhere in 0..100; on issue y it has a
    per-issue capability of 30, which a draw of its capability leaves alone. c has a per-issue
    capability on y that a draw scales along (40 -> 20 on y, so y gets half of c's draw)."""
    u = {"sd": 5} if sd else None

    def pos(actor, issue, x, s):
        row = {"actor": actor, "issue": issue, "position": x, "salience": s}
        if sd:
            row |= {"position_uncertainty": {"sd": 10}, "salience_uncertainty": [s - 10, s + 10]}
        return row

    return Scenario.model_validate({
        "id": "z", "title": "z",
        "actors": [
            {"id": "a", "name": "A", "capability": 10, **({"capability_uncertainty": u} if u else {})},
            {"id": "b", "name": "B", "capability": 0, "capability_uncertainty": [0, 100],
             "capability_by_issue": {"y": 30}},
            {"id": "c", "name": "C", "capability": 40, "capability_by_issue": {"y": 20},
             "capability_uncertainty": {"low": 20, "high": 60, "distribution": "triangular"}},
        ],
        "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
        "positions": [pos("a", "x", 0, 50), pos("b", "x", 90, 50), pos("c", "x", 40, 50),
                      pos("a", "y", 20, 60), pos("b", "y", 80, 60), pos("c", "y", 60, 60)],
    })


def test_sensitivity_and_monte_carlo_write_the_same_arrays():
    """Every number here has a stated uncertainty, so the sampler's inputs and the sensitivity
    inputs are the same list; the same uniforms must then give the same arrays by both routes."""
    from accord.experiments.sensitivity import input_arrays
    from accord.scenario.sampling import sample_arrays, uncertain_inputs

    s = _capability_zero()
    chosen = inputs(s, "x", scope="all", spread=0)
    assert [c.label for c in chosen] == [c.label for c in uncertain_inputs(s)]
    uniform = np.random.default_rng(5).random((400, len(chosen)))
    mc = sample_arrays(s, 400, np.random.default_rng(5))
    sa = input_arrays(s, chosen, uniform)
    for name in ("position", "salience", "capability", "status_quo"):
        np.testing.assert_array_equal(getattr(sa, name), getattr(mc, name), err_msg=name)
    cap = mc.capability  # [B, A, I]; actors a, b, c; issues x, y
    assert cap[:, 1, 0].min() < 5 and cap[:, 1, 0].max() > 95  # b's 0 replaced by U(0, 100)
    assert np.all(cap[:, 1, 1] == 30)  # b's per-issue capability stays
    np.testing.assert_allclose(cap[:, 2, 1], cap[:, 2, 0] / 2)  # c's override scales along


def test_sobol_sees_a_capability_coded_zero():
    """Compromise on x with a at 0 (capability 10) and b at 90 (capability c ~ U(0, 100)), equal
    saliences: x* = 90 c / (10 + c). Everything else is fixed (spread 0), so b's capability
    explains all the variance (ST = S1 = 1), and the mean outcome is
    E[x*] = 0.9 (100 - 10 ln 11) = 68.42 (by hand: int_0^100 90 c / (10 + c) dc / 100)."""
    from accord.experiments.sensitivity import evaluate
    from accord.scenario.sampling import sample_arrays

    s = Scenario.model_validate({
        "id": "z", "title": "z",
        "actors": [{"id": "a", "name": "A", "capability": 10},
                   {"id": "b", "name": "B", "capability": 0, "capability_uncertainty": [0, 100]}],
        "issues": [{"id": "x", "name": "X"}],
        "positions": [{"actor": "a", "issue": "x", "position": 0, "salience": 50},
                      {"actor": "b", "issue": "x", "position": 90, "salience": 50}],
    })
    expected_mean = 0.9 * (100 - 10 * np.log(11))
    result = sensitivity(s, "x", "compromise", "sobol", n=1024, rng=np.random.default_rng(0), spread=0)
    assert result.table.index[0] == "capability[b]"
    assert result.table.loc["capability[b]", "ST"] == pytest.approx(1, abs=0.05)
    assert result.table.loc["capability[b]", "S1"] == pytest.approx(1, abs=0.05)
    chosen = inputs(s, "x", spread=0)
    unit = np.random.default_rng(1).random((20_000, len(chosen)))
    y = evaluate(s, chosen, unit, "compromise", "x", np.random.default_rng(0))
    assert y.mean() == pytest.approx(expected_mean, abs=0.5)
    from accord.models import get_model

    mc = get_model("compromise").run(sample_arrays(s, 20_000, np.random.default_rng(2))).final[:, 0]
    assert mc.mean() == pytest.approx(expected_mean, abs=0.5)
