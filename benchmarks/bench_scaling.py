"""How the dynamic models' time grows with the number of actors, 10 to 1,000, with fitted exponents.

Synthetic scenarios (random positions 0..100, saliences 0.1..1, capabilities; every actor a
stakeholder on every issue): the expected-utility models on 10 issues for 5 rounds (every round
run), the exchange models on 5 issues for one round, the SMP on one dimension for one turn. Each
size runs in a fresh process (after a warm-up run there), which reports wall and CPU seconds and
its peak resident memory (the best of five runs below 300 actors, one run above); the exponent
is the least-squares slope of log time over log actors from 100 actors up (below that the fixed
cost of a run dominates); each row also gives the local slope from the size before.

    .venv/bin/python benchmarks/bench_scaling.py [--quick] [--models eum,smp]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from record import ROOT, fit_exponent, row

SIZES = (10, 30, 100, 300, 1000)
CASES = {  # model: (issues, parameters, what one run is)
    "eum": (10, {"rounds": 5, "stop_tol": None}, "5 rounds"),
    "eum-scholz": (10, {"rounds": 5, "stop_tol": None}, "5 rounds"),
    "exchange": (5, {"rounds": 1}, "1 round"),
    "exchange-random": (5, {"rounds": 1}, "1 round"),
    "smp": (1, {"rounds": 1, "min_rounds": 0}, "1 turn"),
}


def one(model: str, actors: int) -> dict[str, float]:
    """Run ``model`` on ``actors`` actors in this process; report the second of two runs."""
    from bench_exchange import synthetic

    from accord.models import get_model

    issues, params, _ = CASES[model]
    arrays = synthetic(actors, issues, seed=4)
    m = get_model(model, **params)
    m.run(synthetic(5, issues, seed=1), rng=1)  # load the kernels
    best = (float("inf"), float("inf"))
    for _ in range(5 if actors < 300 else 1):
        wall, cpu = time.perf_counter(), time.process_time()
        m.run(arrays, rng=1)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": best[0], "cpu": best[1], "rss_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="up to 300 actors")
    parser.add_argument("--models", default=",".join(CASES))
    parser.add_argument("--one", nargs=2, metavar=("MODEL", "ACTORS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    sizes = [n for n in SIZES if not (args.quick and n > 300)]
    for model in args.models.split(","):
        issues, _, unit = CASES[model]
        walls = []
        for actors in sizes:
            out = subprocess.run([sys.executable, __file__, "--one", model, str(actors)], capture_output=True,
                                 text=True, check=True, cwd=ROOT)
            m = json.loads(out.stdout.strip().splitlines()[-1])
            slope = fit_exponent([sizes[len(walls) - 1], actors], [walls[-1], m["wall"]]) if walls else None
            walls.append(m["wall"])
            row("scaling", f"{model} {actors} actors x {issues} issues, {unit}: {m['wall']:.4g} s",
                model=model, actors=actors, issues=issues, unit=unit, wall=round(m["wall"], 5),
                cpu=round(m["cpu"], 5), rss_mib=round(m["rss_mib"], 1),
                slope=None if slope is None else round(slope, 2))
        fitted = [(n, w) for n, w in zip(sizes, walls, strict=True) if n >= 100]
        exponent = fit_exponent([n for n, _ in fitted], [w for _, w in fitted])
        row("scaling_fit", f"{model}: time ~ actors^{exponent:.2f}", model=model, exponent=round(exponent, 2),
            sizes=f"{fitted[0][0]}-{fitted[-1][0]}")


if __name__ == "__main__":
    main()
