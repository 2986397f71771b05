"""Forecasts as Rich tables that read well in an 80-column terminal.

One row per issue: its name and what the ends of its scale mean, each model's forecast and
the spread (max - min) between models. When the models do not fit the width, the table is
split into several with the issue column repeated.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.experiments.forecast import Forecast
from accord.scenario import Issue

ISSUE_WIDTH = 22
VALUE_WIDTH = 7


def scale_meaning(issue: Issue) -> str:
    lo, hi = issue.scale.min, issue.scale.max
    low = issue.scale.label(lo) or "low end"
    high = issue.scale.label(hi) or "high end"
    return f"{lo:g}: {low}\n{hi:g}: {high}"


def _fmt(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1f}"


def header(name: str, width: int = VALUE_WIDTH) -> str:
    """A model name as a narrow column header: split at hyphens, long words hyphenated."""
    lines = []
    for word in name.split("-"):
        while len(word) > width:
            lines.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        lines.append(word)
    return "\n".join(lines)


def _chunks(names: list[str], width: int) -> Iterator[list[str]]:
    # issue column, status quo and spread columns, then one column per model (+1 separator each)
    per_table = max(1, (width - ISSUE_WIDTH - 2 * (VALUE_WIDTH + 1)) // (VALUE_WIDTH + 1))
    for start in range(0, len(names), per_table):
        yield names[start : start + per_table]


def forecast_tables(fc: Forecast, width: int = 80) -> RenderableType:
    scenario = fc.scenario
    outcomes = fc.outcomes()
    names = list(outcomes.columns)
    spread = (outcomes.max(axis=1) - outcomes.min(axis=1)).to_numpy()
    parts: list[RenderableType] = []
    chunks = list(_chunks(names, width)) or [[]]
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        table = Table(
            show_lines=True,
            header_style="bold",
            box=box.SIMPLE_HEAD,
            padding=(0, 1),
            pad_edge=False,
            collapse_padding=True,
        )
        table.add_column("issue (scale)", width=ISSUE_WIDTH, overflow="fold")
        if n == 0:
            table.add_column("status\nquo", justify="right", width=VALUE_WIDTH, style="dim")
        for name in chunk:
            table.add_column(header(name), justify="right", width=VALUE_WIDTH)
        if last and len(names) > 1:
            table.add_column("spread", justify="right", width=VALUE_WIDTH, style="magenta")
        for k, issue in enumerate(scenario.issues):
            label = Text(issue.name, style="bold")
            label.append("\n" + scale_meaning(issue), style="dim")
            cells: list[RenderableType] = [label]
            if n == 0:
                cells.append(_fmt(np.nan if issue.status_quo is None else issue.status_quo))
            cells += [_fmt(outcomes.iloc[k][name]) for name in chunk]
            if last and len(names) > 1:
                cells.append(_fmt(spread[k]))
            table.add_row(*cells)
        parts.append(table)
    return Group(*parts)


def model_legend(fc: Forecast) -> RenderableType:
    text = Text()
    for name, run in fc.runs.items():
        text.append(f"{name}", style="bold")
        text.append(f": {run.model.summary}")
        if run.skipped:
            text.append(f" (not run: {run.skipped})", style="yellow")
        elif run.trajectory is not None and run.trajectory.n_rounds > 1:
            text.append(f" ({run.trajectory.n_rounds - 1} rounds)", style="dim")
        text.append("\n")
    return text


def trajectory_tables(fc: Forecast, model: str, max_rounds: int = 8) -> RenderableType:
    """Per issue, each stakeholder's position per round of a dynamic model, outcome last."""
    run = fc.runs[model]
    traj = run.trajectory
    assert traj is not None
    scenario = fc.scenario
    n_rounds = traj.n_rounds
    shown = (
        list(range(n_rounds))
        if n_rounds <= max_rounds
        else sorted(set(np.linspace(0, n_rounds - 1, max_rounds).round().astype(int).tolist()))
    )
    parts: list[RenderableType] = []
    for k, issue in enumerate(scenario.issues):
        table = Table(title=f"{model} · {issue.name}", title_style="bold", pad_edge=False)
        table.add_column("actor", width=18, overflow="ellipsis", no_wrap=True)
        for r in shown:
            table.add_column(f"r{r}", justify="right", width=6)
        for a, actor_id in enumerate(scenario.actor_ids):
            if fc.arrays.stake[a, k]:
                table.add_row(actor_id, *(_fmt(traj.positions[r, a, k]) for r in shown))
        table.add_row(
            Text("outcome", style="bold"), *(Text(_fmt(traj.outcome[r, k]), style="bold") for r in shown)
        )
        parts.append(table)
    return Group(*parts)
