"""Benchmark: Monte Carlo batches and sweeps on the built-in scenario.

1. 10,000 draws of ukraine-2025-12 through every registered model in chunks of draws, on one
   thread (its wall and CPU time) and on every core (wall), against single unbatched runs (timed
   on ``--singles`` runs and scaled to the same number of draws); the ratio is how many times
   cheaper the one-thread batch is.
2. A sweep of ``--whatifs`` generated what-ifs x ``--sweep-draws`` draws with the static
   models, in-process and on a local two-worker Dask cluster (identical results checked), with
   the default chunking and with each ``--chunks`` size (1 = one task per Dask job).

    .venv/bin/python benchmarks/bench_experiments.py [--draws 10000] [--whatifs 1000] [--only sweep]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from record import cpu_time, row

from accord.experiments.sweep import load_results, make_spec, run_sweep
from accord.experiments.uncertainty import draw_arrays, model_stream, run_batch
from accord.models import available_models, get_model
from accord.scenario import compile_scenario
from accord.scenario.builtin import load_builtin


def batch_table(draws: int, singles: int, models: list[str] | None = None) -> None:
    scenario = load_builtin()
    t0 = time.perf_counter()
    arrays = draw_arrays(scenario, draws, 7)
    row("sampling", f"sampling {draws:,} draws: {time.perf_counter() - t0:.3f} s", draws=draws,
        seconds=round(time.perf_counter() - t0, 3))
    single = compile_scenario(scenario)
    for name in models or available_models():
        model = get_model(name)
        model.run(single, rng=np.random.default_rng(0))  # load its kernels
        try:
            wall, cpu, _ = cpu_time(lambda m=model: run_batch(m, arrays, model_stream(7, m), workers=1))
            every, _, _ = cpu_time(lambda m=model: run_batch(m, arrays, model_stream(7, m)))
        except Exception as exc:  # noqa: BLE001  (report, keep measuring the others)
            row("batch", f"{name}: failed ({type(exc).__name__})", model=name,
                note=f"failed: {type(exc).__name__}")
            continue
        n = singles if model.dynamic else 10 * singles
        t0 = time.perf_counter()
        for _ in range(n):
            model.run(single, rng=np.random.default_rng(0))
        per_single = (time.perf_counter() - t0) / n
        row("batch", f"{name}: {wall:.3g} s on one thread, {every:.3g} s on every core", model=name,
            draws=draws, batch_s=round(wall, 3), cpu_s=round(cpu, 3), all_cores_s=round(every, 3),
            per_draw_ms=round(1e3 * wall / draws, 4), single_ms=round(1e3 * per_single, 4),
            singles_s=round(per_single * draws, 2), ratio=round(per_single * draws / wall, 2))


def sweep_table(n_whatifs: int, draws: int, models: list[str], chunks: list[int]) -> None:
    scenario = load_builtin()
    actors = scenario.actor_ids
    factors = np.linspace(0.5, 1.5, max(1, n_whatifs // len(actors)) + 1)
    grid = [{"id": f"w{n}", "set": [f"capability[{a}] *= {f:.4f}"]}
            for n, (a, f) in enumerate((a, f) for f in factors for a in actors)][:n_whatifs]
    spec = make_spec([scenario], grid, models, draws, seed=7)
    rows, frames = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("in-process", None, None), ("dask, 2 local workers", 2, None)]
        runs += [(f"dask, 2 local workers, chunk {c}", 2, c) for c in chunks]
        for n, (label, workers, chunk) in enumerate(runs):
            out = Path(tmp) / f"{n}.csv"
            t0 = time.perf_counter()
            run = run_sweep(spec, out, workers=workers, chunk=chunk)
            rows.append({"run": label, "tasks": run.ran, "seconds": time.perf_counter() - t0})
            frames[label] = load_results(out)
    same = all(frames["in-process"].equals(f) for f in frames.values())
    for r in rows:
        row("sweep", f"{r['run']}: {r['seconds']:.1f} s", run=r["run"], tasks=r["tasks"],
            seconds=round(r["seconds"], 2), tasks_per_s=round(r["tasks"] / r["seconds"], 1),
            whatifs=len(grid), models=len(models), draws=draws, identical=same)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=20, help="single runs timed per dynamic model")
    parser.add_argument("--whatifs", type=int, default=1000)
    parser.add_argument("--sweep-draws", type=int, default=1000)
    parser.add_argument("--sweep-models", default="compromise,weighted-median,median")
    parser.add_argument("--chunks", default="", help="extra Dask chunk sizes to time, e.g. 1,16")
    parser.add_argument("--only", choices=("batch", "sweep"), help="run one of the two parts")
    parser.add_argument("--batch-models", default="", help="models of the batch table (default: all)")
    args = parser.parse_args()
    if args.only != "sweep":
        batch_table(args.draws, args.singles, [m for m in args.batch_models.split(",") if m])
    if args.only != "batch":
        models = [m for m in args.sweep_models.split(",") if m]
        chunks = [int(c) for c in args.chunks.split(",") if c]
        sweep_table(args.whatifs, args.sweep_draws, models, chunks)


if __name__ == "__main__":
    main()
