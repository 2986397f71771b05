"""Time ``accord strategy`` on the built-in scenario: every model, and the static models only.

Cases: Ukraine and the US as the client, 200 draws (the default) and 300, seed 0. One row
(table ``strategy``, see ``record.py``) of wall and CPU time per case (one run each; the search
is deterministic, so repeats only measure the machine). The goal (issue 17): every model and a
few hundred draws well under a minute on 2 cores.

    .venv/bin/python benchmarks/bench_strategy.py [--quick]
"""

from __future__ import annotations

import argparse

from record import cpu_time, row

from accord.runs import StrategySpec, execute

STATIC = ["compromise", "mean", "median", "weighted-median", "nash"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="static models and 200 draws only")
    args = parser.parse_args()
    cases = [("static", STATIC, 200)] if args.quick else [
        ("static", STATIC, 200), ("all", [], 200), ("all", [], 300)]
    for actor in ("ukraine", "us"):
        for label, models, draws in cases:
            wall, cpu, result = cpu_time(
                lambda actor=actor, models=models, draws=draws: execute(
                    StrategySpec(actor=actor, models=models, draws=draws)))
            n = sum(1 for lv in result.levers if lv["evaluated"])
            row("strategy", client=actor, models=label, draws=draws, wall=wall, cpu=cpu, levers=n)


if __name__ == "__main__":
    main()
