"""Forecasts as Rich tables that read in any terminal, 80 columns and up.

Two layouts, chosen by what fits the width without breaking a word (:func:`accord.report.fit.fits`):

* **issues x models**: one row per issue, one column per model, then the spread between models;
  below it, what the forecasts mean in the words of each scale's anchors;
* **one block per issue**: the models as rows, sorted by their forecast, each group of models
  that lands between the same anchors followed by what that means.

With draws, each model's median and 90% interval over them; with events, their probabilities.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.report.fit import fits, header, legend, plain_table, shape
from accord.report.meaning import NEAR, group_by_meaning, meaning
from accord.report.numbers import fmt_number
from accord.scenario import Issue

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult

MARK = "!"
STATUS_QUO = "status quo"


def _fmt(value: float | None) -> str:
    return fmt_number(value if value is None else float(value))


def _band(summary: dict[str, np.ndarray], k: int) -> str:
    return f"{_fmt(summary['median'][k])} ({_fmt(summary['q05'][k])}–{_fmt(summary['q95'][k])})"


def _summaries(fc: ForecastResult) -> dict[str, dict[str, np.ndarray]]:
    """Each model's stored statistics over the draws, ``{stat: [I]}`` (no pandas for a table)."""
    return {n: m.draws for n, m in fc.completed.items() if m.draws is not None}


def _flagged(fc: ForecastResult) -> dict[str, set[str | None]]:
    return {n: {d.issue for d in m.diagnostics} for n, m in fc.models.items()}


def _values(fc: ForecastResult, k: int) -> list[tuple[str, float]]:
    return [(name, float(m.outcome[k])) for name, m in fc.completed.items()]


# ----------------------------------------------------------------------------- issues x models
def wide_table(fc: ForecastResult) -> Table:
    """Tabulate the forecasts with issues down and models across.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    Table
        One row per issue: its status quo, each model's forecast, the spread between models.
    """
    names = list(fc.completed)
    flagged = _flagged(fc)
    table = plain_table()
    table.add_column("issue")
    table.add_column("status\nquo", justify="right", style="dim")
    for name in names:
        table.add_column(header(name), justify="right")
    if len(names) > 1:
        table.add_column("spread", justify="right")
    for k, issue in enumerate(fc.scenario.issues):
        row = [float(value) for _, value in _values(fc, k)]
        cells: list[RenderableType] = [Text(issue.name, style="bold"), _fmt(issue.status_quo)]
        cells += [_fmt(v) + (MARK if issue.id in flagged[n] else "") for n, v in zip(names, row, strict=True)]
        if len(names) > 1:
            cells.append(_fmt(max(row) - min(row)))
        table.add_row(*cells)
    return table


def wide_bands(fc: ForecastResult) -> Table:
    """Tabulate the forecasts over the draws with issues down and models across.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    Table
        One row per issue, per model the median over the draws and its 90% interval below it.
    """
    summaries = _summaries(fc)
    table = plain_table()
    table.add_column("issue")
    for name in summaries:
        table.add_column(header(name), justify="right")
    for k, issue in enumerate(fc.scenario.issues):
        cells: list[RenderableType] = [Text(issue.name, style="bold")]
        for summary in summaries.values():
            cell = Text(_fmt(summary["median"][k]), style="bold")
            cell.append(f"\n{_fmt(summary['q05'][k])}–{_fmt(summary['q95'][k])}", style="dim")
            cells.append(cell)
        table.add_row(*cells)
    return table


def meaning_table(fc: ForecastResult) -> Table:
    """Tabulate what the forecasts mean on each issue's scale.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    Table
        Per issue, the models grouped by what their forecasts mean (the anchors they lie between).
    """
    table = plain_table(title="What the forecasts mean", title_justify="left", title_style="bold")
    table.add_column("issue")
    table.add_column("forecast", justify="right")
    table.add_column("models", max_width=40)
    table.add_column("meaning (the scale's labelled points)")
    for k, issue in enumerate(fc.scenario.issues):
        groups = group_by_meaning(issue, _values(fc, k))
        for n, (m, members) in enumerate(groups):
            lo, hi = members[0][1], members[-1][1]
            span = _fmt(lo) if _fmt(lo) == _fmt(hi) else f"{_fmt(lo)}–{_fmt(hi)}"
            table.add_row(Text(issue.name, style="bold") if n == 0 else "", span,
                          ", ".join(name for name, _ in members), m.rich() if m.anchors else Text("–"),
                          end_section=n == len(groups) - 1)
    return table


# ----------------------------------------------------------------------------- one block per issue
def issue_block(fc: ForecastResult, k: int) -> Table:
    """Tabulate the forecasts of one issue.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    k : int
        The issue's index in the scenario.

    Returns
    -------
    Table
        The status quo and the models sorted by forecast, each group of models that means the
        same followed by its meaning; with draws, each model's median and 90% interval.
    """
    issue = fc.scenario.issues[k]
    flagged = _flagged(fc)
    with_draws = _summaries(fc)
    values = _values(fc, k)
    spread = max(v for _, v in values) - min(v for _, v in values) if len(values) > 1 else math.nan
    title = Text(issue.name, style="bold")
    title.append(f"  scale {issue.scale.min:g}–{issue.scale.max:g}", style="dim")
    if math.isfinite(spread):
        title.append(f"; spread {_fmt(spread)}", style="dim")
    table = plain_table(title=title, title_justify="left")
    table.add_column("model")
    table.add_column("forecast", justify="right")
    if with_draws:
        table.add_column("over draws:\nmedian (90%)", justify="right")
    table.add_column("meaning")
    rows = list(values)
    if issue.status_quo is not None:
        rows.append((STATUS_QUO, float(issue.status_quo)))
    groups = group_by_meaning(issue, rows)
    for m, members in groups:
        for n, (name, value) in enumerate(members):
            quo = name == STATUS_QUO
            cells: list[RenderableType] = [
                Text(name, style="dim italic" if quo else ""),
                Text(_fmt(value) + (MARK if not quo and issue.id in flagged.get(name, ()) else ""),
                     style="dim" if quo else "bold"),
            ]
            if with_draws:
                cells.append(_band(with_draws[name], k) if name in with_draws else "")
            cells.append(m.rich() if n == 0 and m.anchors else "")
            table.add_row(*cells, end_section=n == len(members) - 1)
    return table


# ----------------------------------------------------------------------------- the views
def uses_blocks(fc: ForecastResult, width: int) -> bool:
    """Tell whether the forecast is shown as one block per issue.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    bool
        True when the issues x models tables do not fit ``width``.
    """
    wide = [wide_table(fc)] + ([wide_bands(fc)] if fc.n_draws else [])
    return not all(fits(t, width) for t in wide)


def forecast_tables(fc: ForecastResult, width: int = 80) -> RenderableType:
    """Tabulate the forecast per issue and model, with what it means.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        Issues x models tables, or one block per issue when those do not fit ``width``.
    """
    if uses_blocks(fc, width):
        blocks: list[RenderableType] = []
        for k in range(len(fc.scenario.issues)):
            blocks += [Text(), shape(issue_block(fc, k), width)]
        return Group(*blocks[1:])
    parts: list[RenderableType] = [shape(wide_table(fc), width)]
    if fc.n_draws:
        parts += [Text(f"Median and 90% interval (5%–95%) over {fc.n_draws:,} draws, seed {fc.seed}",
                       style="bold"), shape(wide_bands(fc), width)]
    if any(issue.scale.anchors for issue in fc.scenario.issues):
        parts.append(shape(meaning_table(fc), width))
    return Group(*parts)


def forecast_legend(fc: ForecastResult, blocks: bool) -> Text:
    """Explain the columns and marks of the forecast tables.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    blocks : bool
        Whether the forecast is shown as one block per issue (:func:`uses_blocks`).

    Returns
    -------
    Text
        The legend.
    """
    entries = [("forecast", "where the model expects the issue to settle, on the issue's own scale")]
    if blocks:
        entries.append(("status quo", "where the issue stands today (no agreement)"))
    else:
        entries.append(("status quo", "where the issue stands today (no agreement); "
                        "models' names are in full below"))
    if len(fc.completed) > 1:
        entries.append(("spread", "highest minus lowest forecast across the models: how far they disagree"))
    if fc.n_draws:
        entries.append(("median (90%)" if blocks else "draws", f"over {fc.n_draws:,} draws of the inputs' "
                        "stated uncertainty: the median outcome and the range holding 90% of them (5%–95%)"))
    if any(issue.scale.anchors for issue in fc.scenario.issues):
        entries.append(("meaning", "the scale's labelled points the forecast lies between; ≈: within "
                        f"{100 * NEAR:g}% of the scale of one"))
    if any(m.diagnostics for m in fc.models.values()):
        entries.append((MARK, "a warning about this forecast, listed below"))
    return legend(entries)


def model_legend(fc: ForecastResult) -> RenderableType:
    """Describe each model in one line.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    RenderableType
        Per model what it computes, and why it did not run or how many rounds it took.
    """
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


def warnings_text(fc: ForecastResult) -> RenderableType:
    """List each model's warnings.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    RenderableType
        One line per diagnostic (the ``!`` beside a number points here).
    """
    text = Text()
    for name, m in fc.models.items():
        for d in m.diagnostics:
            text.append(f"{MARK} {name}: ", style="bold yellow")
            text.append(d.message + "\n")
    return text


def missing_draws_text(fc: ForecastResult) -> list[Text]:
    """Note the models that gave no forecast on some draws.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    list[Text]
        One note per model and issue with missing draws (left out of its summary).
    """
    notes = []
    for name, summary in _summaries(fc).items():
        for issue_id, count in zip(fc.scenario.issue_ids, summary["missing"], strict=True):
            if count:
                notes.append(Text(f"{name} gave no forecast on {issue_id} in {int(count):,} of "
                                  f"{fc.n_draws:,} draws (left out of its summary)", style="yellow"))
    return notes


# ----------------------------------------------------------------------------- events
def event_table(fc: ForecastResult, width: int = 80) -> RenderableType:
    """Tabulate each event's probability per model over the draws.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        The probabilities ± their Monte Carlo standard errors, in one table or one per event;
        empty without events.
    """
    if not fc.events:
        return Group()
    names = list(fc.events[0].models)
    heading = Text("Event probabilities over the draws", style="bold")
    note = legend([("±", "the Monte Carlo standard error of the probability (more draws make it smaller)")])
    wide = plain_table()
    wide.add_column("event")
    for name in names:
        wide.add_column(header(name), justify="right")
    for event in fc.events:
        cells: list[RenderableType] = [event.expr]
        for name in names:
            p, se = event.models[name]
            cells.append(Text(f"{100 * p:.1f}%") + Text(f"\n±{100 * se:.1f}", style="dim"))
        wide.add_row(*cells)
    if fits(wide, width):
        return Group(heading, shape(wide, width), note)
    parts: list[RenderableType] = [heading]
    for event in fc.events:
        table = plain_table(title=Text(event.expr, style="bold"), title_justify="left")
        table.add_column("model")
        table.add_column("probability", justify="right")
        table.add_column("±", justify="right")
        for name in names:
            p, se = event.models[name]
            table.add_row(name, f"{100 * p:.1f}%", Text(f"{100 * se:.1f}", style="dim"))
        parts.append(shape(table, width))
    parts.append(note)
    return Group(*parts)


# ----------------------------------------------------------------------------- trajectories
ROUND_WIDTH = 6


def _round_groups(n_rounds: int, width: int, actor_width: int,
                  max_tables: int = 3) -> tuple[list[list[int]], bool]:
    """Split the rounds into tables that each fit ``width``.

    Every round while that takes at most ``max_tables`` tables, else an even sample of rounds
    (first and last included).
    """
    fit = max(2, (width - actor_width - 1) // (ROUND_WIDTH + 1))
    rounds = list(range(n_rounds))
    sampled = n_rounds > fit * max_tables
    if sampled:
        rounds = sorted(set(np.linspace(0, n_rounds - 1, fit).round().astype(int).tolist()))
    size = math.ceil(len(rounds) / math.ceil(len(rounds) / fit))  # balanced tables
    return [rounds[i : i + size] for i in range(0, len(rounds), size)], sampled


def trajectory_tables(fc: ForecastResult, model: str, width: int = 80) -> RenderableType:
    """Tabulate a dynamic model's rounds.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    model : str
        The model's name.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        Per issue, each stakeholder's position per round, the outcome last; a legend.
    """
    m = fc.models[model]
    assert m.positions is not None and m.rounds is not None
    scenario = fc.scenario
    actor_width = max(len("outcome"), *(len(a) for a in scenario.actor_ids))
    groups, sampled = _round_groups(m.n_rounds, width, actor_width)
    parts: list[RenderableType] = []
    for k, issue in enumerate(scenario.issues):
        for shown in groups:
            table = plain_table(title=Text(f"{model} · {issue.name}", style="bold"), title_justify="left")
            table.add_column("actor", min_width=actor_width)
            for r in shown:
                table.add_column(f"r{r}", justify="right", min_width=ROUND_WIDTH - 1)
            for a, actor_id in enumerate(scenario.actor_ids):
                if not np.isnan(m.positions[0, a, k]):
                    table.add_row(actor_id, *(_fmt(m.positions[r, a, k]) for r in shown))
            table.add_row(
                Text("outcome", style="bold"), *(Text(_fmt(m.rounds[r, k]), style="bold") for r in shown)
            )
            if sampled:
                table.caption = f"{len(sum(groups, []))} of {m.n_rounds} rounds shown; JSON has all"
            parts.append(shape(table, width))
    parts.append(legend([("r0, r1, ...", "round 0 is the input, each later round one step of the model"),
                         ("outcome", "the model's forecast after that round")]))
    return Group(*parts)


def status_quo_meaning(issue: Issue) -> str:
    """Say what an issue's status quo means in the scale's words.

    Parameters
    ----------
    issue : Issue
        The issue.

    Returns
    -------
    str
        The meaning; empty when the issue has no status quo.
    """
    if issue.status_quo is None:
        return ""
    return meaning(issue, issue.status_quo).text()
