"""Forecasts as CSV: one row per model, issue and round (round 0 is the input)."""

from __future__ import annotations

import io

import pandas as pd

from accord.experiments.forecast import Forecast
from accord.experiments.uncertainty import SUMMARY_KEYS, summarise


def forecast_to_csv(fc: Forecast) -> str:
    """With Monte Carlo draws, the final rows also carry mean, median and quantiles over them."""
    ens = fc.ensemble
    summaries = {m: summarise(v) for m, v in ens.finals.items()} if ens is not None else {}
    rows = []
    for name, run in fc.completed.items():
        traj = run.trajectory
        assert traj is not None
        for r in range(traj.n_rounds):
            for k, issue_id in enumerate(fc.scenario.issue_ids):
                rows.append(
                    {
                        "model": name,
                        "issue": issue_id,
                        "round": r,
                        "outcome": traj.outcome[r, k],
                        "final": r == traj.n_rounds - 1,
                    }
                )
                if ens is not None:
                    last = r == traj.n_rounds - 1 and name in summaries
                    for key in SUMMARY_KEYS:
                        rows[-1][key] = summaries[name][key][k] if last else None
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, float_format="%.6g")
    return buffer.getvalue()
