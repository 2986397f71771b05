"""Time the expected-utility models (eum-scholz, eum) and measure their peak memory.

Cases: the replication data sets (ExampleActors, Sultan; 10 rounds), synthetic scenarios of
100/300/1000 actors x 10 issues x 20 rounds (every actor moves freely; no early stop), and
10,000 Monte Carlo draws of the built-in scenario (``ukraine-2025-12``, 10 rounds; a synthetic
10-actor x 9-issue scenario if it is absent), the draws both with ``details="full"`` (per-actor
risk exponents and offers for every draw) and ``details="summary"`` (what the batched Monte
Carlo path asks for). Prints a Markdown table: wall time (best of
``--repeat`` for the small cases, one run for the large ones), peak traced memory
(tracemalloc: numpy's allocations, not the compiled kernels' scratch; a separate run) and, for
the synthetic sizes, the scaling exponent of time with the number of actors (slope of log time
over log actors from the previous size).

    .venv/bin/python benchmarks/bench_eum.py [--repeat N] [--quick] [--draws-only]
"""

from __future__ import annotations

import argparse
import math
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
from record import best_time, row

from accord.models import get_model
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/anchor-data"
MODELS = ("eum-scholz", "eum")


def synthetic(n_actors: int, n_issues: int, seed: int = 0) -> ScenarioArrays:
    rng = np.random.default_rng(seed)
    shape = (n_actors, n_issues)
    return ScenarioArrays(
        rng.uniform(0, 100, shape),
        rng.uniform(0.1, 1, shape),
        np.broadcast_to(rng.uniform(1, 100, (n_actors, 1)), shape).copy(),
        np.ones(shape, bool),
        np.zeros(n_issues),
        np.full(n_issues, 100.0),
        np.full(n_issues, np.nan),
        np.zeros(shape, bool),
    )


def draws(n: int) -> tuple[str, ScenarioArrays]:
    try:
        from accord.scenario.builtin import load_builtin
        from accord.scenario.sampling import sample_arrays

        scenario = load_builtin("ukraine-2025-12")
        return "ukraine-2025-12", sample_arrays(scenario, n, np.random.default_rng(0))
    except Exception:  # the built-in scenario or the sampler is not there yet
        base = synthetic(10, 9, seed=1)
        rng = np.random.default_rng(0)
        batch = base.broadcast(n)
        noisy = np.clip(batch.position + rng.normal(0, 5, batch.position.shape), 0, 100)
        return "synthetic 10x9", batch.replace(position=noisy)


def timed(fn: Callable[[], object], repeat: int) -> float:
    return best_time(fn, repeat)[0]


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip 1000 actors; 1,000 draws")
    parser.add_argument("--draws-only", action="store_true", help="only the Monte Carlo draws")
    args = parser.parse_args()
    load = lambda name: compile_scenario(load_scenario(DATA / name))  # noqa: E731
    cases: list[tuple[str, ScenarioArrays, int, int, str]] = [
        (
            "ExampleActors (10 actors, 10 rounds)",
            load("bdm-scholz-expected-utility-model/ExampleActors.csv"),
            10,
            0,
            "full",
        ),
        ("Sultan (17 actors, 10 rounds)", load("bdm-scholz-expected-utility-model/Sultan.csv"), 10, 0,
         "full"),
    ]
    for n in (100, 300) if args.quick else (100, 300, 1000):
        cases.append((f"synthetic {n} actors x 10 issues x 20 rounds", synthetic(n, 10), 20, n, "full"))
    if args.draws_only:
        cases = []
    n_draws = 1_000 if args.quick else 10_000
    label, batch = draws(n_draws)
    for level in ("full", "summary"):
        cases.append((f"{n_draws:,} draws of {label} (10 rounds), details={level}", batch, 10, 0, level))
    get_model("eum-scholz", rounds=1).run(synthetic(70, 1))  # load the compiled kernels
    for name in MODELS:
        previous: tuple[int, float] | None = None
        for case, arrays, rounds, n, level in cases:
            stop = None if n else 0.0
            model = get_model(name, rounds=rounds, stop_tol=stop, details=level)
            big = n >= 1000 or arrays.position.ndim > 2
            seconds = timed(lambda m=model, a=arrays: m.run(a), 1 if big else args.repeat)
            memory = peak_mb(lambda m=model, a=arrays: m.run(a))
            slope = None
            if n and previous:
                slope = round(math.log(seconds / previous[1]) / math.log(n / previous[0]), 2)
            if n:
                previous = (n, seconds)
            row("eum_cases", f"{name}, {case}: {seconds:.4g} s", model=name, case=case,
                seconds=round(seconds, 5), peak_mb=round(memory, 2), slope=slope)


if __name__ == "__main__":
    main()
