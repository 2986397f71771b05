"""Results as CSV: forecasts (one row per model, issue and round) and backtests."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult


SUMMARY_KEYS = ("mean", "median", "q05", "q25", "q75", "q95", "missing")


def forecast_csv(fc: ForecastResult) -> str:
    """Write a forecast as CSV, one row per model, issue and round.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    str
        The CSV text. With Monte Carlo draws, the final rows also carry mean, median and
        quantiles over them.
    """
    rows = []
    for name, m in fc.completed.items():
        assert m.rounds is not None
        for r in range(m.n_rounds):
            for k, issue_id in enumerate(fc.scenario.issue_ids):
                rows.append(
                    {
                        "model": name,
                        "issue": issue_id,
                        "round": r,
                        "outcome": m.rounds[r, k],
                        "final": r == m.n_rounds - 1,
                    }
                )
                if fc.n_draws:
                    last = r == m.n_rounds - 1 and m.draws is not None
                    for key in SUMMARY_KEYS:
                        rows[-1][key] = m.draws[key][k] if last and m.draws is not None else None
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, float_format="%.6g")
    return buffer.getvalue()


CSV_FIELDS = (
    "group_by",
    "group",
    "model",
    "n",
    "mae",
    "mae_lo",
    "mae_hi",
    "median_ae",
    "within_10",
    "coverage_50",
    "coverage_90",
    "n_fallback",
    "protocol",
    "subset",
    "compromise_same_subset_mae",
)


def backtest_csv(summary: dict[str, Any]) -> str:
    """Write a backtest summary as CSV.

    Parameters
    ----------
    summary : dict[str, Any]
        The backtest's summary, with its ``models`` and its groupings under ``by``.

    Returns
    -------
    str
        The CSV text, one row per (grouping, group, model), columns :data:`CSV_FIELDS`.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    blocks = [("all", "all", summary["models"])]
    for key, groups in summary.get("by", {}).items():
        blocks += [(key, g, info["models"]) for g, info in groups.items()]
    for key, group, models in blocks:
        for name, m in models.items():
            writer.writerow(
                [
                    key,
                    group,
                    name,
                    m["n"],
                    m["mae"],
                    m["mae_ci"][0],
                    m["mae_ci"][1],
                    m["median_ae"],
                    m["within_10"],
                    m["coverage_50"],
                    m["coverage_90"],
                    m["n_fallback"],
                    m["protocol"],
                    m.get("subset", ""),
                    m.get("compromise_same_subset", {}).get("mae", ""),
                ]
            )
    return out.getvalue()
