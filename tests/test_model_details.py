"""Rendering of the models' details (``accord.report.model_details``) is what the models printed.

The renderers moved out of the models into ``report/`` when the details became typed. Their
output is pinned here to what the models' own ``details_json``/``details_text`` produced before
the move (commit aeef4ef), on the peer tools' examples: a digest of the lines, and of the JSON
with numbers rounded to 8 significant digits (so that a last-bit change of a sum in a future
numpy does not count). The lines' content is checked against the reference programs in the
models' own tests (test_eum.py, test_exchange.py, test_smp.py); small outputs are spelled out.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pytest

from accord.models import get_model
from accord.report.model_details import details_lines, details_to_dict
from accord.scenario import Scenario, compile_scenario
from accord.scenario.io import load_scenario

EUM = "anchor-data/bdm-scholz-expected-utility-model/"
DECIDE = "anchor-data/decide-exchange-model/"
KTAB = "anchor-data/ktab/inputs/"

# (model, file, parameters, draws) -> (digest of the rounded JSON, digest of the lines, line count)
PINNED = [
    ("eum-scholz", EUM + "ExampleActors.csv", {}, None, "7e3fe11069137d93", "54e9fffd126787e0", 52),
    ("eum", EUM + "ExampleActors.csv", {}, None, "d58fd4ac771c4c36", "05bde1d9301bd89a", 24),
    ("eum", EUM + "ExampleActors.csv", {"details": "summary"}, None, "e852a737bdd78b43", "f8d8dc82802e3686", 7),
    ("eum-scholz", EUM + "Sultan.csv", {}, None, "ca22645a3ced15ca", "6b173b4bb4c7b327", 4),
    ("eum", EUM + "ExampleActors.csv", {}, 3, "f47b9c72b2a3c471", "55a01e36b946575f", 1),
    ("exchange", DECIDE + "cop21.csv", {"rounds": 10}, None, "476699e01eb65b8b", "32cfa7f6ae53639d", 1321),
    ("exchange", DECIDE + "sample_data.txt", {"rounds": 3}, 2, "e314a4d6ff1f551a", "c5859f6f57b0651f", 126),
    ("smp", KTAB + "dummyData_3Dim.csv", {}, None, "99bc278813945dcf", "ccd5054045a75f57", 124),
    ("smp", KTAB + "SOE-Pol-Comp.csv", {}, 2, "d7f80749b3053821", "92b4ed6b310f092c", 604),
    ("choice", DECIDE + "cop21.csv", {}, None, "8945db3145bfaec3", "36adfd23194c8e53", 13),
    ("nash", DECIDE + "cop21.csv", {}, None, "44136fa355b3678a", "4f53cda18c2baa0c", 0),
    ("compromise", DECIDE + "cop21.csv", {}, None, "44136fa355b3678a", "4f53cda18c2baa0c", 0),
]


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.8g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _draws(name: str, arrays, n: int):
    """The batches the pinned outputs were made from."""
    batch = arrays.broadcast(n)
    if name == "smp":  # the first actor elsewhere in draw 1: a run of another length
        position = batch.position.copy()
        position[1, 0, 0] = 80.0
        return batch.replace(position=position)
    if name != "exchange":
        return batch
    noise = np.random.default_rng(3).uniform(-5, 5, batch.position.shape)
    moved = np.clip(batch.position + noise, batch.lower, batch.upper)
    return batch.replace(position=np.where(batch.stake, moved, batch.position))


@pytest.mark.parametrize(("name", "path", "params", "draws", "json_digest", "lines_digest", "n_lines"), PINNED)
def test_rendering_is_unchanged(shared_dir, name, path, params, draws, json_digest, lines_digest, n_lines):
    scenario = load_scenario(shared_dir / path)
    arrays = compile_scenario(scenario)
    if draws:
        arrays = _draws(name, arrays, draws)
    traj = get_model(name, **params).run(arrays, rng=np.random.default_rng(1))
    data = details_to_dict(traj.details, scenario.actor_ids, scenario.issue_ids)
    lines = details_lines(traj.details, scenario.actor_ids, scenario.issue_ids)
    json.dumps(data, allow_nan=False)
    assert len(lines) == n_lines
    assert _digest(lines) == lines_digest
    assert _digest(_rounded(data)) == json_digest


def test_small_outputs_spelled_out(shared_dir):
    """Sultan: nobody moves (the reference's median 13.9 and mean 13.619912134885 every round)."""
    scenario = load_scenario(shared_dir / EUM / "Sultan.csv")
    traj = get_model("eum-scholz").run(compile_scenario(scenario))
    lines = details_lines(traj.details, scenario.actor_ids, scenario.issue_ids)
    assert lines[:3] == ["issue issue (no actor moves from round 1 on)", "  round 0: median 13.9, mean 13.6199",
                         "  round 1: median 13.9, mean 13.6199"]
    assert lines[3].startswith("    risk exponents: hawks 0.992, iran 1.095, russia 0.500")
    summary = get_model("eum", details="summary").run(compile_scenario(load_scenario(shared_dir / EUM / "ExampleActors.csv")))
    assert details_lines(summary.details, [], ["issue"])[:3] == [
        "note: risk exponents and offers not kept (details=summary)",
        "issue issue (no actor moves from round 4 on)", "  round 0: median 7, mean 7.38996"]


def test_smp_players_only():
    actors = [{"id": "a", "name": "A", "capability": 40}, {"id": "idle", "name": "Idle", "capability": 90},
              {"id": "b", "name": "B", "capability": 30}, {"id": "c", "name": "C", "capability": 30}]
    rows = [("a", "x", 10, 80), ("b", "x", 60, 50), ("c", "x", 90, 70), ("a", "y", 20, 30),
            ("c", "y", 70, 60), ("a", "z", 50, 10)]
    scenario = Scenario.model_validate({
        "id": "t", "title": "t", "actors": actors,
        "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}, {"id": "z", "name": "Z"}],
        "positions": [{"actor": a, "issue": i, "position": x, "salience": s} for a, i, x, s in rows]})
    traj = get_model("smp").run(compile_scenario(scenario), rng=np.random.default_rng(1))
    lines = details_lines(traj.details, scenario.actor_ids, scenario.issue_ids)
    assert _digest(lines) == "73f7c327d459b70e"
    assert _digest(_rounded(details_to_dict(traj.details, scenario.actor_ids, scenario.issue_ids))) == "8a4009f1e6447c8d"
    assert lines[-1] == "  keep their positions (status quo won their queue): a, b, c"


def test_details_without_a_renderer_are_empty():
    assert details_to_dict(None, [], []) == {} and details_lines(None, [], []) == []
