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
    salience = inputs(_scenario(), "x", spread=0.1)[1].column.u
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
