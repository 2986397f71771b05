"""Forecasts as CSV: one row per model, issue and round (round 0 is the input)."""

from __future__ import annotations

import io

import pandas as pd

from accord.experiments.forecast import Forecast


def forecast_to_csv(fc: Forecast) -> str:
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
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, float_format="%.6g")
    return buffer.getvalue()
