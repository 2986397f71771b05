"""Time the SMP (KTAB's spatial model of politics) on KTAB's shipped inputs.

Prints one row per scenario: actors, dimensions, turns, best-of-N wall time of one deterministic
run, time per turn; then a batch row (draws of a perturbed scenario run together).

    .venv/bin/python benchmarks/bench_smp.py [--repeat N] [--skip-160]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from record import best_time, row

from accord.models import get_model
from accord.scenario.arrays import compile_scenario
from accord.scenario.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "tests/data/anchor-data/ktab/inputs"
SCENARIOS = ["dummyData_3Dim", "SOE-Pol-Comp", "SOE-Policy", "dummyData_6Dim", "SOE-Competitive",
             "dummyData-a040", "dummyData-a080", "dummyData-a160"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-160", action="store_true")
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    model = get_model("smp")
    model.run(compile_scenario(load_scenario(INPUTS / "dummyData_3Dim.csv")))  # load the compiled kernels
    for name in SCENARIOS:
        if args.skip_160 and name.endswith("a160"):
            continue
        arrays = compile_scenario(load_scenario(INPUTS / f"{name}.csv"))
        repeat = 1 if name.endswith("a160") else args.repeat
        dt, traj = best_time(lambda a=arrays: model.run(a), repeat)
        turns = traj.details.n_turns
        row("smp_cases", f"{name}: {dt:.3f} s", scenario=name, actors=arrays.n_actors, dims=arrays.n_issues,
            turns=int(turns), seconds=round(dt, 4), ms_per_turn=round(1000 * dt / turns, 2))
    arrays = compile_scenario(load_scenario(INPUTS / "SOE-Pol-Comp.csv"))
    rng = np.random.default_rng(1)
    batch = arrays.broadcast(args.draws)
    noisy = np.clip(batch.position + rng.normal(0, 5, batch.position.shape), 0, 100)
    batch = batch.replace(position=noisy)
    dt, traj = best_time(lambda: model.run(batch), 1)
    dt1, _ = best_time(lambda: model.run(arrays), args.repeat)
    turns = traj.details.n_turns
    row("smp_batch", f"{args.draws} perturbed draws of SOE-Pol-Comp: {dt:.2f} s", draws=args.draws,
        turns=f"{turns.min()}-{turns.max()}", seconds=round(dt, 3),
        ms_per_draw=round(1000 * dt / args.draws, 2), single_ms=round(1000 * dt1, 2))


if __name__ == "__main__":
    main()
