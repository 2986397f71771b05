"""The scenario layer gives the same numbers every time: per-issue capabilities of a long table do
not depend on set order (PYTHONHASHSEED), and sampling keeps per-issue capability overrides."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from accord.scenario import Scenario, compile_scenario
from accord.scenario.sampling import sample_arrays

TIED = "actor,issue,position,salience,capability\nA,x,10,50,50\nA,y,20,50,30\nB,x,90,50,40\nB,y,80,50,40\n"
SCRIPT = (
    "import json, sys\n"
    "from accord.scenario.io import load_scenario\n"
    "a = load_scenario(sys.argv[1]).actors[0]\n"
    "print(json.dumps([a.capability, a.capability_by_issue]))\n"
)


def test_long_table_per_issue_capability_is_deterministic(tmp_path):
    # A's capability is 50 on x and 30 on y: a tie, so the first given (50) is the actor's
    # capability and y's 30 the override. Picking from a set made the choice depend on Python's
    # string hashing (PYTHONHASHSEED), so a capability_sd meant a different spread run to run.
    path = tmp_path / "tied.csv"
    path.write_text(TIED)
    seen = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], env=env, check=True,
                             capture_output=True, text=True).stdout
        seen.add(out.strip())
    assert seen == {json.dumps([50.0, {"y": 30.0}])}


ZERO_CAP = Scenario.model_validate({
    "id": "z", "title": "z",
    "actors": [{"id": "a", "name": "A", "capability": 0, "capability_uncertainty": {"low": 0, "high": 20},
                "capability_by_issue": {"y": 60}},
               {"id": "b", "name": "B", "capability": 40}],
    "issues": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
    "positions": [{"actor": a, "issue": i, "position": p, "salience": 50}
                  for a, i, p in (("a", "x", 10), ("a", "y", 20), ("b", "x", 90), ("b", "y", 80))],
})


def test_sampled_zero_capability_keeps_its_per_issue_overrides():
    # A's capability is 0 (uncertain: uniform 0..20) but 60 on y. A draw cannot scale 0, so it
    # replaces the 0 where A has no override (x: within 0..20, varying) and leaves y at 60;
    # it used to overwrite y's 60 with the 0..20 draw as well.
    cap = sample_arrays(ZERO_CAP, 500, np.random.default_rng(1)).capability
    assert np.all(cap[:, 0, 1] == 60)
    assert cap[:, 0, 0].min() >= 0 and cap[:, 0, 0].max() <= 20 and cap[:, 0, 0].std() > 3
    assert np.all(cap[:, 1, :] == 40)
    assert compile_scenario(ZERO_CAP).capability.tolist() == [[0, 60], [40, 40]]
