"""Forecasts as Rich tables that read well in an 80-column terminal.

One row per issue: its name and what the ends of its scale mean, each model's forecast and
the spread (max - min) between models. When the models do not fit the width, the table is
split into several with the issue column repeated.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.scenario import Issue

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult

ISSUE_WIDTH = 22
VALUE_WIDTH = 7


def scale_meaning(issue: Issue) -> list[str]:
    """What the two ends of the issue's scale stand for, one line each."""
    lo, hi = issue.scale.min, issue.scale.max
    low = issue.scale.label(lo) or "low end"
    high = issue.scale.label(hi) or "high end"
    return [f"{lo:g}: {low}", f"{hi:g}: {high}"]


def issue_cell(issue: Issue) -> RenderableType:
    """The issue's name, then each end of its scale on one (ellipsised) line."""
    ends = [Text(line, style="dim", no_wrap=True, overflow="ellipsis") for line in scale_meaning(issue)]
    return Group(Text(issue.name, style="bold"), *ends)


def _fmt(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1f}"


def header(name: str, width: int = VALUE_WIDTH) -> str:
    """A model name as a narrow column header: one line per hyphenated part, long parts
    abbreviated (the legend below the table gives the full names)."""
    return "\n".join(w if len(w) <= width else w[: width - 1] + "." for w in name.split("-"))


def _chunks(names: list[str], width: int) -> Iterator[list[str]]:
    # issue, status quo and spread columns, then one column per model; each +1 separator
    per_table = max(1, (width - ISSUE_WIDTH - 1 - 2 * (VALUE_WIDTH + 1)) // (VALUE_WIDTH + 1))
    n_tables = math.ceil(len(names) / per_table) if names else 1
    size = math.ceil(len(names) / n_tables) if names else 1  # balanced: 4+4+3, not 5+5+1
    for start in range(0, len(names), size):
        yield names[start : start + size]


def forecast_tables(fc: ForecastResult, width: int = 80) -> RenderableType:
    """The forecast per issue and model; the first table also gives each scale's meaning."""
    scenario = fc.scenario
    names = list(fc.completed)  # numpy, not fc.outcomes(): a forecast table needs no pandas
    values = {n: np.asarray(fc.models[n].outcome, dtype=float) for n in names}
    flagged = {n: {d.issue for d in fc.models[n].diagnostics} for n in names}
    stacked = np.stack([values[n] for n in names]) if names else np.full((1, len(scenario.issues)), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an issue no model forecast: no spread
        spread = np.nanmax(stacked, axis=0) - np.nanmin(stacked, axis=0)
    parts: list[RenderableType] = []
    chunks = list(_chunks(names, width)) or [[]]
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        table = Table(
            show_lines=n == 0,  # later tables name the issues only: one line each, no rules
            header_style="bold",
            box=box.SIMPLE_HEAD,
            padding=(0, 1),
            pad_edge=False,
            collapse_padding=True,
        )
        table.add_column("issue (scale)" if n == 0 else "issue", width=ISSUE_WIDTH, overflow="fold")
        if n == 0:
            table.add_column("status\nquo", justify="right", width=VALUE_WIDTH, style="dim")
        for name in chunk:
            table.add_column(header(name), justify="right", width=VALUE_WIDTH)
        if last and len(names) > 1:
            table.add_column("spread", justify="right", width=VALUE_WIDTH, style="magenta")
        for k, issue in enumerate(scenario.issues):
            name_only = Text(issue.name, style="bold", no_wrap=True, overflow="ellipsis")
            cells: list[RenderableType] = [issue_cell(issue) if n == 0 else name_only]
            if n == 0:
                cells.append(_fmt(np.nan if issue.status_quo is None else issue.status_quo))
            cells += [_fmt(values[name][k]) + (MARK if issue.id in flagged[name] else "")
                      for name in chunk]
            if last and len(names) > 1:
                cells.append(_fmt(spread[k]))
            table.add_row(*cells)
        parts.append(table)
    return Group(*parts)


def model_legend(fc: ForecastResult) -> RenderableType:
    text = Text()
    for name, m in fc.models.items():
        text.append(f"{name}", style="bold")
        text.append(f": {m.summary}")
        if m.skipped:
            text.append(f" (not run: {m.skipped})", style="yellow")
        elif m.n_rounds > 1:
            text.append(f" ({m.n_rounds - 1} rounds)", style="dim")
        text.append("\n")
    return text


MARK = "!"


def warnings_text(fc: ForecastResult) -> RenderableType:
    """Each model's diagnostics, one line each (the ``!`` beside a number points here)."""
    text = Text()
    for name, m in fc.models.items():
        for d in m.diagnostics:
            text.append(f"{MARK} {name}: ", style="bold yellow")
            text.append(d.message + "\n")
    return text


ROUND_WIDTH = 6
ACTOR_WIDTH = 14


def _round_groups(n_rounds: int, width: int, max_tables: int = 3) -> tuple[list[list[int]], bool]:
    """Rounds per table so that each fits ``width``; every round while that takes at most
    ``max_tables`` tables, else an even sample of rounds (first and last included)."""
    fit = max(2, (width - ACTOR_WIDTH - 2) // (ROUND_WIDTH + 1))
    rounds = list(range(n_rounds))
    sampled = n_rounds > fit * max_tables
    if sampled:
        rounds = sorted(set(np.linspace(0, n_rounds - 1, fit).round().astype(int).tolist()))
    size = math.ceil(len(rounds) / math.ceil(len(rounds) / fit))  # balanced tables
    return [rounds[i : i + size] for i in range(0, len(rounds), size)], sampled


def trajectory_tables(fc: ForecastResult, model: str, width: int = 80) -> RenderableType:
    """Per issue, each stakeholder's position per round of a dynamic model, outcome last."""
    m = fc.models[model]
    assert m.positions is not None and m.rounds is not None
    scenario = fc.scenario
    groups, sampled = _round_groups(m.n_rounds, width)
    parts: list[RenderableType] = []
    for k, issue in enumerate(scenario.issues):
        for shown in groups:
            table = Table(
                title=f"{model} · {issue.name}",
                title_style="bold",
                box=box.SIMPLE_HEAD,
                padding=(0, 0),
                pad_edge=False,
                show_edge=False,
            )
            table.add_column("actor", width=ACTOR_WIDTH, overflow="ellipsis", no_wrap=True)
            for r in shown:
                table.add_column(f"r{r}", justify="right", width=ROUND_WIDTH)
            for a, actor_id in enumerate(scenario.actor_ids):
                if not np.isnan(m.positions[0, a, k]):
                    table.add_row(actor_id, *(_fmt(m.positions[r, a, k]) for r in shown))
            table.add_row(
                Text("outcome", style="bold"), *(Text(_fmt(m.rounds[r, k]), style="bold") for r in shown)
            )
            if sampled:
                table.caption = f"{len(sum(groups, []))} of {m.n_rounds} rounds shown; JSON has all"
            parts.append(table)
    return Group(*parts)


BAND_WIDTH = 11


def uncertainty_tables(fc: ForecastResult, width: int = 80) -> RenderableType:
    """Per issue and model, the median over the draws and its 90% interval (5%–95%)."""
    if not fc.n_draws:
        return Group()
    names = [n for n, m in fc.models.items() if m.draws is not None]
    summaries = {n: fc.models[n].draws for n in names}  # {stat: [I]} (no pandas for a table)
    per_table = max(1, (width - ISSUE_WIDTH - 1) // (BAND_WIDTH + 1))
    heading = f"Median and 90% interval (5%–95%) over {fc.n_draws:,} draws, seed {fc.seed}"
    parts: list[RenderableType] = [Text(heading, style="bold")]
    for start in range(0, max(len(names), 1), per_table):
        chunk = names[start : start + per_table]
        table = Table(
            header_style="bold",
            box=box.SIMPLE_HEAD,
            padding=(0, 1),
            pad_edge=False,
            collapse_padding=True,
        )
        table.add_column("issue", width=ISSUE_WIDTH, overflow="fold")
        for name in chunk:
            table.add_column(header(name, BAND_WIDTH), justify="right", width=BAND_WIDTH)
        for k, issue in enumerate(fc.scenario.issues):
            cells: list[RenderableType] = [Text(issue.name, style="bold")]
            for name in chunk:
                row = {stat: values[k] for stat, values in summaries[name].items()}
                cell = Text(_fmt(row["median"]), style="bold")
                cell.append(f"\n{_fmt(row['q05'])}–{_fmt(row['q95'])}", style="dim")
                cells.append(cell)
            table.add_row(*cells)
        parts.append(table)
    for name in names:
        for issue_id, count in zip(fc.scenario.issue_ids, summaries[name]["missing"], strict=True):
            if count:
                parts.append(Text(f"{name} gave no forecast on {issue_id} in {int(count):,} of "
                                  f"{fc.n_draws:,} draws (left out of its summary)", style="yellow"))
    return Group(*parts)


def event_table(fc: ForecastResult, width: int = 80) -> RenderableType:
    """Each event's probability per model over the draws, ± its Monte Carlo standard error."""
    if not fc.events:
        return Group()
    names = list(fc.events[0].models)
    per_table = max(1, (width - 26) // (VALUE_WIDTH + 3))
    parts: list[RenderableType] = [Text("Event probabilities ± Monte Carlo standard error", style="bold")]
    for start in range(0, len(names), per_table):
        chunk = names[start : start + per_table]
        table = Table(
            header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, collapse_padding=True
        )
        table.add_column("event", width=25, overflow="fold")
        for name in chunk:
            table.add_column(header(name, VALUE_WIDTH + 1), justify="right", width=VALUE_WIDTH + 2)
        for event in fc.events:
            cells: list[RenderableType] = [event.expr]
            for name in chunk:
                p, se = event.models[name]
                cells.append(Text(f"{100 * p:.1f}%") + Text(f"\n±{100 * se:.1f}", style="dim"))
            table.add_row(*cells)
        parts.append(table)
    return Group(*parts)
