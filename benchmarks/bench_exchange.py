"""Time the exchange model (equal gain, deterministic mode) for 10 rounds.

Prints one row per scenario: actors, issues, candidates and exchanges in round 1, best-of-N wall
time of one seeded 10-round run (after a warm-up run that loads the kernel); then a batch row
(draws of a perturbed COP21 run together). Goal (issue 15): COP21 under 7 ms.
Last, batch against single runs: ``--draws`` sampled draws of the built-in scenario through
``exchange`` and ``exchange-random`` batched (1 and 2 threads) against single runs of the
unperturbed scenario (best of ``--repeat`` x 20 runs, scaled to the same number of draws).

    .venv/bin/python benchmarks/bench_exchange.py [--repeat N] [--skip-large] [--draws 2000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from record import best_time, cpu_time, row

from accord.models import get_model
from accord.models.exchange.candidates import build_candidates
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
DECIDE = ROOT / "tests/data/benchmark-data/decide-unfccc"


def synthetic(n_actors: int, n_issues: int, seed: int = 0) -> ScenarioArrays:
    """Random positions 0..100, saliences 0.1..1, capabilities 0.1..1 per actor; full stakes."""
    rng = np.random.default_rng(seed)
    shape = (n_actors, n_issues)
    cap = np.broadcast_to(rng.uniform(0.1, 1, (n_actors, 1)), shape).copy()
    return ScenarioArrays(
        position=rng.uniform(0, 100, shape).round(), salience=rng.uniform(0.1, 1, shape).round(2),
        capability=cap, stake=np.ones(shape, bool), lower=np.zeros(n_issues),
        upper=np.full(n_issues, 100.0), status_quo=np.full(n_issues, np.nan),
        veto=np.zeros(shape, bool))


def ukraine() -> tuple[str, ScenarioArrays]:
    try:
        from accord.scenario.builtin import load_builtin

        return "ukraine-2025-12 (built-in)", compile_scenario(load_builtin("ukraine-2025-12"))
    except Exception:  # not shipped yet: a stand-in of the same size
        return "ukraine stand-in (synthetic)", synthetic(10, 9, seed=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--draws", type=int, default=2000, help="draws for batch against singles (0: skip)")
    args = parser.parse_args()
    model = get_model("exchange", rounds=10)
    cases = [
        ("copenhagen", compile_scenario(load_scenario(DECIDE / "copenhagen.csv"))),
        ("cop21", compile_scenario(load_scenario(DECIDE / "cop21.csv"))),
        ukraine(),
    ]
    if not args.skip_large:
        cases.append(("synthetic 200 x 20", synthetic(200, 20)))
    model.run(cases[0][1], rng=np.random.default_rng(0))  # load the compiled kernel
    for name, arrays in cases:
        x = (arrays.position - arrays.lower) * 100 / (arrays.upper - arrays.lower)
        n_cand = build_candidates(x, arrays.salience, arrays.capability, arrays.stake)[0].shape[0]
        repeat = 1 if arrays.n_actors > 100 else args.repeat
        seconds, traj = best_time(lambda a=arrays: model.run(a, rng=np.random.default_rng(1)), repeat)
        row("exchange_cases", f"{name}: {seconds * 1e3:.2f} ms", scenario=name, actors=arrays.n_actors,
            issues=arrays.n_issues, candidates=n_cand, exchanges=int(traj.details.n_exchanges[1]),
            ms=round(seconds * 1e3, 3), repeat=repeat)
    cop21 = cases[1][1]
    draws = 100
    rng = np.random.default_rng(2)
    batch = cop21.broadcast(draws)
    batch = batch.replace(position=np.clip(batch.position + rng.normal(0, 5, batch.position.shape), 0, 100))
    seconds, _ = best_time(lambda: model.run(batch, rng=np.random.default_rng(3)), 1)
    row("exchange_cases", f"cop21, batch of {draws} perturbed draws: {seconds * 1e3:.0f} ms",
        scenario=f"cop21, batch of {draws} perturbed draws", actors=cop21.n_actors, issues=cop21.n_issues,
        candidates=None, exchanges=None, ms=round(seconds * 1e3, 1), repeat=1)
    if args.draws:
        batch_vs_singles(args.draws, args.repeat)


def batch_vs_singles(draws: int, repeat: int) -> None:
    """Per-draw cost of a batch of sampled draws against one single run, built-in scenario."""
    from accord.scenario.builtin import load_builtin
    from accord.scenario.sampling import sample_arrays

    scenario = load_builtin()
    single = compile_scenario(scenario)
    arrays = sample_arrays(scenario, draws, np.random.default_rng(7))
    for name in ("exchange", "exchange-random"):
        model = get_model(name, rounds=10)
        one, _ = best_time(lambda m=model: [m.run(single, rng=np.random.default_rng(n)) for n in range(20)],
                           repeat)
        one /= 20
        for threads in (1, 2):
            batched = model.with_params(threads=threads)
            wall, cpu, _ = cpu_time(lambda m=batched: m.run(arrays, rng=np.random.default_rng(3)))
            row("exchange_batch", f"{name}, {draws:,} draws, {threads} thread(s): {wall:.2f} s",
                model=name, draws=draws, single_ms=round(one * 1e3, 3), threads=threads,
                batch_s=round(wall, 3), cpu_s=round(cpu, 3), ms_per_draw=round(wall * 1e3 / draws, 3),
                ratio=round(one * draws / wall, 2))


if __name__ == "__main__":
    main()
