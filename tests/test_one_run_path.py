"""One run path: the command line, the web API and Python give the same answer to the same request.

Each front end only builds a spec and renders the result (:mod:`accord.runs`), so on the built-in
scenario, with draws and stochastic models, the three must agree number for number, the web's
stored run must render to the command line's table word for word, and a bad request must fail
with the same message everywhere. Independently of the code under test, the compromise values
are also checked against the weighted mean worked out from the scenario file.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from rich.console import Console

from accord.cli.main import main
from accord.runs import Change, DealSpec, ForecastSpec, StrategySpec, WhatIfSpec, execute, result_from_dict
from accord.scenario.builtin import load_builtin

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from accord.store import Store  # noqa: E402
from accord.web import create_app  # noqa: E402

MODELS = ["compromise", "eum", "exchange-random", "smp"]


@pytest.fixture(scope="module")
def web() -> tuple[TestClient, int]:
    client = TestClient(create_app(Store("sqlite://")))
    builtin = next(s for s in client.get("/api/scenarios").json() if s["scenario_id"] == "ukraine-2025-12")
    return client, builtin["id"]


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def cli_table(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def rendered(result: object) -> str:
    from accord.report.views import view

    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(view(result, 80))  # as the CLI prints to a pipe
    return buffer.getvalue()


def hand_compromise() -> np.ndarray:
    """sum(c s x) / sum(c s) per issue, straight from the scenario's positions and capabilities."""
    s = load_builtin("ukraine-2025-12")
    actors = {a.id: a for a in s.actors}
    out = []
    for issue in s.issue_ids:
        rows = [(actors[p.actor].capability_by_issue.get(issue, actors[p.actor].capability), p.salience,
                 p.position) for p in s.positions if p.issue == issue]
        weights = np.array([c * w for c, w, _ in rows])
        out.append(float(weights @ np.array([x for _, _, x in rows]) / weights.sum()))
    return np.array(out)


def test_forecast_is_the_same_on_the_cli_the_web_and_in_python(capsys, web):
    client, version = web
    spec = ForecastSpec(models=MODELS, draws=40, seed=5, rounds=4, events=["territory >= 40"], settlement_draws=30)
    python = execute(spec).to_dict()
    assert (python["settlement"]["n_draws"], python["settlement"]["of_draws"]) == (30, 40)
    cli = cli_json(capsys, "forecast", *[a for m in MODELS for a in ("-m", m)], "--draws", "40", "--seed", "5",
                   "--rounds", "4", "-e", "territory >= 40", "--settlement-draws", "30", "-f", "json")
    r = client.post("/api/forecast", json={"version_id": version, "models": MODELS, "draws": 40, "seed": 5,
                                           "rounds": 4, "events": ["territory >= 40"], "settlement_draws": 30})
    assert r.status_code == 201, r.text
    webbed = r.json()["results"]
    for got in (cli, webbed):
        assert got["models"] == python["models"]
        assert got["events"] == python["events"]
        assert got["settlement"] == python["settlement"]  # the headline: the same draws, the same zone
        assert (got["seed"], got["draws"]) == (5, 40)
    outcome = [python["models"]["compromise"]["issues"][i]["outcome"] for i in load_builtin().issue_ids]
    assert np.allclose(outcome, hand_compromise(), rtol=1e-12)
    # the web's stored run renders to the command line's table, word for word
    table = cli_table(capsys, "forecast", *[a for m in MODELS for a in ("-m", m)], "--draws", "40", "--seed",
                      "5", "--rounds", "4", "-e", "territory >= 40", "--settlement-draws", "30")
    stored = result_from_dict("forecast", webbed, load_builtin())
    assert rendered(stored) == table


def test_default_seed_and_headline_are_the_same_everywhere(capsys, web):
    """No seed given: seed 0 on every front end (the web once defaulted to 1)."""
    client, version = web
    cli = cli_json(capsys, "forecast", "-m", "exchange", "-f", "json")
    r = client.post("/api/forecast", json={"version_id": version, "models": ["exchange"]})
    assert r.json()["results"]["models"] == cli["models"] == execute(ForecastSpec(models=["exchange"])).to_dict()[
        "models"]
    assert r.json()["run"]["seed"] == 0


def test_whatif_effect_is_the_same_everywhere(capsys, web):
    client, version = web
    python = execute(WhatIfSpec(models=["compromise", "eum"], draws=60, seed=2,
                                change=Change(named=["us-ends-nato-sales"]))).to_dict()
    cli = cli_json(capsys, "whatif", "--named", "us-ends-nato-sales", "-m", "compromise", "-m", "eum",
                   "--draws", "60", "--seed", "2", "-f", "json")
    r = client.post("/api/whatif", json={"version_id": version, "models": ["compromise", "eum"], "draws": 60,
                                         "seed": 2, "intervention": {"named": ["us-ends-nato-sales"]}})
    assert r.status_code == 201, r.text
    for got in (cli, r.json()["results"]):
        assert got["models"] == python["models"]
        assert got["effect_definition"] == python["effect_definition"]
    table = cli_table(capsys, "whatif", "--named", "us-ends-nato-sales", "-m", "compromise", "-m", "eum",
                      "--draws", "60", "--seed", "2")
    assert rendered(result_from_dict("whatif", r.json()["results"], load_builtin())) == table


def test_deal_is_the_same_everywhere(capsys, web):
    client, version = web
    python = execute(DealSpec(proposals=["28-point", "geneva-19"], draws=30, seed=4)).to_dict()
    cli = cli_json(capsys, "deal", "28-point", "geneva-19", "--draws", "30", "--seed", "4", "-f", "json")
    r = client.post("/api/deal", json={"version_id": version, "proposals": ["28-point", "geneva-19"],
                                       "draws": 30, "seed": 4})
    assert r.status_code == 201, r.text
    for got in (cli, r.json()["results"]):
        assert got["results"] == python["results"]
    # a named proposal with a changed point and one left open (the web's "changed points" box)
    python = execute(DealSpec(proposals=["28-point"], points={"guarantees": 65}, leave_open=["territory"])).to_dict()
    cli = cli_json(capsys, "deal", "28-point", "--point", "guarantees=65", "--open", "territory", "-f", "json")
    r = client.post("/api/deal", json={"version_id": version, "proposals": ["28-point"],
                                       "points": {"guarantees": 65}, "leave_open": ["territory"]})
    assert r.status_code == 201, r.text
    assert r.json()["results"]["results"] == cli["results"] == python["results"]
    assert python["proposals"] == ["28-point-changed"]
    table = cli_table(capsys, "deal", "28-point", "--point", "guarantees=65", "--open", "territory")
    assert rendered(result_from_dict("deal", r.json()["results"], load_builtin())) == table


def test_strategy_is_the_same_everywhere(capsys, web):
    client, version = web
    models = ["compromise", "exchange-random"]
    python = execute(StrategySpec(actor="us", models=models, draws=20, seed=6, top=3)).to_dict()
    args = ["strategy", "us", "-m", "compromise", "-m", "exchange-random", "--draws", "20", "--seed", "6",
            "--top", "3"]
    cli = cli_json(capsys, *args, "-f", "json")
    r = client.post("/api/strategy", json={"version_id": version, "actor": "us", "models": models, "draws": 20,
                                           "seed": 6, "top": 3})
    assert r.status_code == 201, r.text
    for got in (cli, r.json()["results"]):
        assert got["levers"] == python["levers"] and got["plan"] == python["plan"]
        assert got["relations"] == python["relations"] and got["blocs"] == python["blocs"]
    table = cli_table(capsys, *args)
    assert rendered(result_from_dict("strategy", r.json()["results"], load_builtin())) == table


@pytest.mark.parametrize(
    ("cli_args", "body", "words"),
    [
        (["-m", "compromise", "-p", "rouds=5"], {"models": ["compromise"], "params": {"rouds": 5}},
         "parameter 'rouds': none of the chosen models (compromise) has it"),
        (["-m", "nosuchmodel"], {"models": ["nosuchmodel"]}, "unknown model 'nosuchmodel'"),
        (["-e", "territory > 1"], {"events": ["territory > 1"]}, "events need draws"),
    ],
)
def test_a_bad_request_fails_with_the_same_message_everywhere(capsys, web, cli_args, body, words):
    client, version = web
    code = main(["forecast", *cli_args])
    _, err = capsys.readouterr()
    r = client.post("/api/forecast", json={"version_id": version, **body})
    assert code == 1 and words in " ".join(err.split())
    assert r.status_code == 422 and words in r.text
