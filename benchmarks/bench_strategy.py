"""Time ``accord strategy`` on the built-in scenario: every model, and the static models only.

Cases: Ukraine and the US as the client, 200 draws (the default) and 300, seed 0. Prints a
Markdown table of wall and CPU time (one run each; the search is deterministic, so repeats only
measure the machine). The goal (issue 17): every model and a few hundred draws well under a
minute on 2 cores.

    .venv/bin/python benchmarks/bench_strategy.py [--quick]
"""

from __future__ import annotations

import argparse
import time

from accord.runs import StrategySpec, execute

STATIC = ["compromise", "mean", "median", "weighted-median", "nash"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="static models and 200 draws only")
    args = parser.parse_args()
    cases = [("static", STATIC, 200)] if args.quick else [
        ("static", STATIC, 200), ("all", [], 200), ("all", [], 300)]
    print("| client | models | draws | wall (s) | CPU (s) | levers evaluated |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for actor in ("ukraine", "us"):
        for label, models, draws in cases:
            wall, cpu = time.perf_counter(), time.process_time()
            result = execute(StrategySpec(actor=actor, models=models, draws=draws))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            n = sum(1 for lv in result.levers if lv["evaluated"])
            print(f"| {actor} | {label} | {draws} | {wall:.1f} | {cpu:.1f} | {n} |")


if __name__ == "__main__":
    main()
