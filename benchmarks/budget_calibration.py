"""Calibrate :mod:`accord.runs.budget` against real runs on this machine.

Each measurement runs in a fresh interpreter: the model is first run once on a tiny scenario (so
numba's compiled code is loaded), then ``execute`` runs a forecast of that model on a synthetic
scenario of A actors x I issues (every actor on every issue, positions with an uncertainty) with
D draws and R rounds. It records the wall time and the growth of the peak resident memory, and
prints them beside the budget's estimate (seconds and bytes) and their ratio::

    .venv/bin/python benchmarks/budget_calibration.py            # the grid below
    .venv/bin/python benchmarks/budget_calibration.py exchange 40 8 20 10

The ratios are what ``docs/security.md`` reports; the budget's per-model constants were set so
that the estimate is at or above the measurement (a budget must not admit work it cannot bear).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
from accord.runs import ForecastSpec, execute
from accord.runs.budget import estimate
from accord.scenario import Scenario

model, A, I, D, R = sys.argv[1], *map(int, sys.argv[2:6])

def synthetic(A, I, seed=1):
    rng = np.random.default_rng(seed)
    return Scenario.model_validate({
        "id": "synthetic", "title": "synthetic",
        "actors": [{"id": f"a{k}", "name": f"A{k}", "capability": float(rng.uniform(1, 100)),
                    "capability_uncertainty": {"sd": 5.0}} for k in range(A)],
        "issues": [{"id": f"i{k}", "name": f"I{k}", "status_quo": 50.0} for k in range(I)],
        "positions": [{"actor": f"a{a}", "issue": f"i{i}", "position": float(rng.uniform(0, 100)),
                       "salience": float(rng.uniform(10, 100)), "position_uncertainty": {"sd": 10.0}}
                      for a in range(A) for i in range(I)],
    })

def spec(draws, rounds):
    dynamic = model in ("eum", "eum-scholz", "exchange", "exchange-random", "smp")
    params = {"stop_ratio": 0.0, "min_rounds": rounds} if model == "smp" else {}
    return ForecastSpec(models=[model], draws=draws, rounds=rounds if dynamic else None, params=params)

execute(spec(2, 2), synthetic(3, 2), limits=None)  # load the compiled code
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
s = synthetic(A, I)
sp = spec(D, R)
est = estimate(sp, s)
t = time.perf_counter()
execute(sp, s, limits=None)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - base
print(json.dumps({"model": model, "A": A, "I": I, "draws": D, "rounds": R, "seconds": seconds,
                  "memory": max(peak, 0), "est_seconds": est.seconds, "est_memory": est.memory}))
"""

GRID = [
    # model, actors, issues, draws, rounds
    ("compromise", 100, 50, 2000, 0), ("compromise", 200, 100, 1000, 0),
    ("weighted-median", 100, 50, 2000, 0), ("mean", 100, 50, 2000, 0), ("median", 100, 50, 2000, 0),
    ("nash", 50, 10, 500, 0), ("nash", 100, 20, 500, 0),
    ("choice", 50, 10, 500, 0), ("choice", 100, 20, 500, 0),
    ("eum", 20, 5, 200, 10), ("eum", 40, 10, 200, 10), ("eum", 80, 10, 50, 10),
    ("eum-scholz", 40, 10, 200, 10),
    ("exchange", 10, 5, 200, 10), ("exchange", 20, 10, 50, 10), ("exchange", 40, 10, 10, 10),
    ("exchange", 20, 20, 10, 10), ("exchange-random", 20, 10, 50, 10),
    ("smp", 10, 3, 100, 20), ("smp", 20, 5, 50, 20), ("smp", 40, 5, 10, 20), ("smp", 20, 20, 10, 20),
]


def measure(model: str, actors: int, issues: int, draws: int, rounds: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, model, str(actors), str(issues), str(draws),
                          str(rounds)], capture_output=True, text=True, timeout=1800,
                         env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    grid = [(argv[0], *map(int, argv[1:5]))] if argv else GRID
    print(f"{'model':16} {'A':>4} {'I':>4} {'draws':>6} {'R':>4} {'s':>8} {'est s':>8} {'ratio':>6} "
          f"{'MiB':>8} {'est MiB':>8} {'ratio':>6}")
    for row in grid:
        m = measure(*row)
        mib, est_mib = m["memory"] / 2**20, m["est_memory"] / 2**20
        print(f"{m['model']:16} {m['A']:4} {m['I']:4} {m['draws']:6} {m['rounds']:4} {m['seconds']:8.2f} "
              f"{m['est_seconds']:8.2f} {m['est_seconds'] / max(m['seconds'], 1e-9):6.1f} "
              f"{mib:8.1f} {est_mib:8.1f} {est_mib / max(mib, 1e-9):6.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
