"""Time the SMP (KTAB's spatial model of politics) on KTAB's shipped inputs.

Prints one row per scenario: actors, dimensions, turns, best-of-N wall time of one deterministic
run, time per turn; then a batch row (draws of a perturbed scenario run together).

    .venv/bin/python benchmarks/bench_smp.py [--repeat N] [--skip-160]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from timing import best_time

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
    print(f"{'scenario':<18}{'actors':>7}{'dims':>5}{'turns':>6}{'time s':>9}{'ms/turn':>9}")
    for name in SCENARIOS:
        if args.skip_160 and name.endswith("a160"):
            continue
        arrays = compile_scenario(load_scenario(INPUTS / f"{name}.csv"))
        repeat = 1 if name.endswith("a160") else args.repeat
        dt, traj = best_time(lambda a=arrays: model.run(a), repeat)
        turns = traj.details.n_turns
        print(f"{name:<18}{arrays.n_actors:>7}{arrays.n_issues:>5}{turns:>6}{dt:>9.3f}"
              f"{1000 * dt / turns:>9.1f}")
    arrays = compile_scenario(load_scenario(INPUTS / "SOE-Pol-Comp.csv"))
    rng = np.random.default_rng(1)
    batch = arrays.broadcast(args.draws)
    noisy = np.clip(batch.position + rng.normal(0, 5, batch.position.shape), 0, 100)
    batch = batch.replace(position=noisy)
    dt, traj = best_time(lambda: model.run(batch), 1)
    turns = traj.details.n_turns
    print(f"\nbatch: {args.draws} perturbed draws of SOE-Pol-Comp (13 actors, 2 dims), "
          f"turns {turns.min()}-{turns.max()}: {dt:.2f} s, {1000 * dt / args.draws:.1f} ms/draw")
    dt1, _ = best_time(lambda: model.run(arrays), args.repeat)
    print(f"single run of the same scenario: {1000 * dt1:.1f} ms")


if __name__ == "__main__":
    main()
