"""Time the settlement-or-stalemate analysis that opens every forecast.

The built-in scenario (``ukraine-2025-12``) at its coded values and over 1,000 draws, under
both veto rules; the models' forecast is not needed for the timing (the zone is anchored on
the status quo). Goal (issue 13): seconds, not minutes, for 1,000 draws. One row per case
(table ``settlement``, see ``record.py``).

    .venv/bin/python benchmarks/bench_settlement.py [--repeat N] [--draws N]
"""

from __future__ import annotations

import argparse

from record import best_time, row

from accord.analysis.acceptance import Rules
from accord.analysis.settlement import settle
from accord.scenario.builtin import load_builtin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    scenario = load_builtin("ukraine-2025-12")
    settle(scenario, None, None)  # imports and HiGHS warm-up
    for rule in ("total", "issue"):
        for n in (0, args.draws):
            seconds, st = best_time(lambda n=n, rule=rule: settle(scenario, None, None, n, 0,
                                                                  rules=Rules(veto_rule=rule)), args.repeat)
            row("settlement", veto_rule=rule, draws=n, seconds=seconds, p_zone=float(st.p_zone),
                exact=int(st.exact_draws), repeat=args.repeat)


if __name__ == "__main__":
    main()
