"""A backtest's metrics as Rich tables: per model, and broken down by group."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def _fmt(x: Any, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render_table(summary: dict[str, Any]) -> Table:
    models = summary["models"]
    info = summary["data"]
    table = Table(
        title=f"Backtest: {info['n_scoreable']} issues, {info['n_proposals']} proposals ({info['source']})",
        title_justify="left",
    )
    for head in ("model", "n", "MAE", "95% CI", "median AE", "<=10", "cov 50%", "cov 90%", "vs compromise"):
        table.add_column(head, justify="left" if head == "model" else "right")
    for name, m in sorted(models.items(), key=lambda kv: kv[1]["mae"]):
        diff = m.get("mae_diff_vs_compromise")
        vs = "" if diff is None else f"{diff:+.2f} [{m['mae_diff_ci'][0]:+.2f}, {m['mae_diff_ci'][1]:+.2f}]"
        label = name + (" (CV)" if m["protocol"].startswith("leave-one") else "") + _mark(m)
        table.add_row(
            label,
            str(m["n"]),
            _fmt(m["mae"]),
            f"{_fmt(m['mae_ci'][0])}-{_fmt(m['mae_ci'][1])}",
            _fmt(m["median_ae"]),
            f"{100 * m['within_10']:.0f}%",
            _fmt(m["coverage_50"]),
            _fmt(m["coverage_90"]),
            vs,
        )
    return table


def backtest_view(summary: dict[str, Any]) -> RenderableType:
    """The metrics table, footnotes for models scored on a subset, breakdowns, skipped models."""
    parts: list[RenderableType] = [render_table(summary)]
    parts += [Text(note) for note in subset_notes(summary["models"])]
    parts += [render_groups(summary, key) for key in summary.get("by", {})]
    parts += [Text(f"skipped {name}: {reason}", style="dim") for name, reason in summary["skipped"].items()]
    return Group(*parts)


def _mark(entry: dict[str, Any]) -> str:
    return " *" if entry.get("subset") else ""


def subset_notes(models: dict[str, Any]) -> list[str]:
    """Footnotes for models scored on a subset: its size, compromise on the same issues, and why
    the other issues have no forecast."""
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


def render_groups(summary: dict[str, Any], key: str) -> Table:
    groups = summary["by"][key]
    starred = any(m.get("subset") for m in summary["models"].values())
    note = "; * only on the issues of multi-issue proposals" if starred else ""
    table = Table(title=f"MAE by {key} (n issues{note})", title_justify="left")
    table.add_column("model")
    for g, info in groups.items():
        table.add_column(f"{g} ({info['n']})", justify="right")
    for name in summary["models"]:
        label = name + _mark(summary["models"].get(name, {}))
        table.add_row(label, *(_group_cell(info["models"].get(name, {})) for info in groups.values()))
    return table
