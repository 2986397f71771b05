"""A backtest's metrics as Rich tables: per model, and broken down by group.

The metrics table is split into several (each repeating the model column) when it does not fit
the width without breaking a word; a legend says what every column measures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from accord.report.fit import ColumnSpec, fitted_tables, legend

LEGEND = [
    ("n", "issues scored"),
    ("MAE", "mean absolute error: the average distance between forecast and actual outcome, in "
            "points of the 0–100 scale (lower is better)"),
    ("95% CI", "of the MAE, from a bootstrap that resamples whole proposals"),
    ("median AE", "the median of the absolute errors"),
    ("within 10", "share of issues forecast within 10 points of the outcome"),
    ("in 50%, in 90%", "share of outcomes inside the model's 50% and 90% predictive intervals (well "
                       "calibrated: 0.50 and 0.90); only models that give intervals"),
    ("vs compromise", "the model's MAE minus compromise's on the same issues, with its 95% interval "
                      "(below 0: better than compromise)"),
    ("(CV)", "forecasts made out of fold: each proposal forecast by a model fitted without it"),
]


def _fmt(x: Any, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _signed(x: float) -> str:
    return f"{x:+.2f}"


def _mark(entry: dict[str, Any]) -> str:
    return " *" if entry.get("subset") else ""


def metrics_tables(summary: dict[str, Any], width: int = 80) -> RenderableType:
    """Tabulate a backtest's metrics per model, best MAE first.

    Parameters
    ----------
    summary : dict[str, Any]
        The backtest's summary.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        A title and the table (split to fit): n, MAE and its interval, median error, share
        within 10 points, interval coverage and the difference from compromise.
    """
    models = summary["models"]
    info = summary["data"]
    columns: list[ColumnSpec] = [("model", {})]
    columns += [(head, {"justify": "right"}) for head in
                ("n", "MAE", "95% CI", "median\nAE", "within\n10", "in\n50%", "in\n90%", "vs\ncompromise")]
    rows: list[list[RenderableType]] = []
    for name, m in sorted(models.items(), key=lambda kv: kv[1]["mae"]):
        diff = m.get("mae_diff_vs_compromise")
        vs = Text("") if diff is None else Text(_signed(diff), style="bold") + Text(
            f"\n{_signed(m['mae_diff_ci'][0])}…{_signed(m['mae_diff_ci'][1])}", style="dim")
        label = name + (" (CV)" if m["protocol"].startswith("leave-one") else "") + _mark(m)
        rows.append([
            Text(label), str(m["n"]), Text(_fmt(m["mae"]), style="bold"),
            f"{_fmt(m['mae_ci'][0])}–{_fmt(m['mae_ci'][1])}", _fmt(m["median_ae"]),
            f"{100 * m['within_10']:.0f}%", _fmt(m["coverage_50"]), _fmt(m["coverage_90"]), vs,
        ])
    source = Path(str(info["source"])).name  # the file's name: a path on this machine means nothing elsewhere
    title = Text(f"Backtest: {info['n_scoreable']} issues of {info['n_proposals']} proposals ({source})",
                 style="bold")
    return Group(title, fitted_tables(columns, rows, width))


def backtest_view(summary: dict[str, Any], width: int = 80) -> RenderableType:
    """Show a backtest as tables.

    Parameters
    ----------
    summary : dict[str, Any]
        The backtest's summary.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        The metrics, their legend, footnotes for models scored on a subset, breakdowns, skipped
        models.
    """
    parts: list[RenderableType] = [metrics_tables(summary, width), legend(LEGEND)]
    parts += [Text(note) for note in subset_notes(summary["models"])]
    parts += [render_groups(summary, key, width) for key in summary.get("by", {})]
    parts += [Text(f"skipped {name}: {reason}", style="dim") for name, reason in summary["skipped"].items()]
    return Group(*parts)


def subset_notes(models: dict[str, Any]) -> list[str]:
    """Write footnotes for the models scored on a subset of the issues.

    Parameters
    ----------
    models : dict[str, Any]
        The summary's metrics per model.

    Returns
    -------
    list[str]
        Per such model: the subset's size, compromise on the same issues, and why the other
        issues have no forecast.
    """
    notes = []
    for name, m in models.items():
        if not m.get("subset"):
            continue
        ref = m.get("compromise_same_subset")
        same = "" if ref is None else (
            f"; compromise on the same issues: MAE {_fmt(ref['mae'])} "
            f"[{_fmt(ref['mae_ci'][0])}, {_fmt(ref['mae_ci'][1])}], "
            f"difference {m['mae_diff_vs_compromise']:+.2f} "
            f"[{m['mae_diff_ci'][0]:+.2f}, {m['mae_diff_ci'][1]:+.2f}]"
        )
        notes.append(
            f"* {name}: n = {m['n']} issues of the {m['n_proposals']} {m['subset']}{same}. "
            f"{m['n_not_applicable']} issues: {m['not_applicable']}."
        )
    return notes


def _group_cell(entry: dict[str, Any]) -> str:
    """MAE; for a model scored on a subset also its n there."""
    mae = _fmt(entry.get("mae"))
    return f"{mae} ({entry['n']})" if entry.get("subset") else mae


def render_groups(summary: dict[str, Any], key: str, width: int = 80) -> RenderableType:
    """Tabulate the MAE per model in each group of a breakdown, split to fit.

    Parameters
    ----------
    summary : dict[str, Any]
        The backtest's summary.
    key : str
        The breakdown (wave, procedure, voting rule).
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        A title and the table.
    """
    groups = summary["by"][key]
    starred = any(m.get("subset") for m in summary["models"].values())
    note = "; * only on the issues of multi-issue proposals" if starred else ""
    columns: list[ColumnSpec] = [("model", {})]
    columns += [(f"{g}\n({info['n']})", {"justify": "right"}) for g, info in groups.items()]
    rows: list[list[RenderableType]] = [
        [Text(name + _mark(summary["models"].get(name, {}))),
         *(_group_cell(info["models"].get(name, {})) for info in groups.values())]
        for name in summary["models"]
    ]
    title = Text(f"MAE by {key} (in brackets: issues in the group{note})", style="bold")
    return Group(title, fitted_tables(columns, rows, width))
