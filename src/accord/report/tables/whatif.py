"""A what-if as Rich tables: per issue and model, baseline -> what-if and the effect.

Issues as rows and models as columns when that fits the width without breaking a word; else one
block per issue with the models as rows (:func:`accord.report.fit.fits`). Where the what-if moves
an outcome across a labelled point of the scale, the block says so in the scale's words.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.report.fit import fits, header, legend, plain_table, shape
from accord.report.meaning import meaning
from accord.report.numbers import fmt_number

if TYPE_CHECKING:
    from accord.runs.whatif_result import WhatIfResult

LEGEND = [
    ("baseline → what-if", "each model's median outcome over the same draws, without and with the change"),
    ("Δ (effect)", "the what-if's median minus the baseline's; ≈0: under 0.05 although some draws moved"),
    ("90% interval", "of the effect, from a paired bootstrap of the draws"),
    ("moved", "the share of draws whose outcome changed at all"),
]


def effect_text(effect: float, moved: float) -> str:
    """Write an effect as ``Δ +1.2``.

    Parameters
    ----------
    effect : float
        The change of the median.
    moved : float
        The share of draws whose outcome changed.

    Returns
    -------
    str
        ``Δ ≈0`` when the median moved by less than 0.05 while some draws moved (never a bare
        ``+0.0`` beside a distribution that shifted).
    """
    return f"Δ {effect_value(effect, moved)}"


def effect_value(effect: float, moved: float) -> str:
    """Write an effect as a signed number.

    Parameters
    ----------
    effect : float
        The change of the median.
    moved : float
        The share of draws whose outcome changed.

    Returns
    -------
    str
        ``+1.2``, or ``≈0`` (see :func:`effect_text`).
    """
    if math.isfinite(effect) and abs(effect) < 0.05 and math.isfinite(moved) and moved > 0:
        return "≈0"
    return fmt_number(effect, True)


def interval_text(low: float, high: float) -> str:
    """Write an effect's interval.

    Parameters
    ----------
    low, high : float
        Its ends.

    Returns
    -------
    str
        ``-0.3…+1.2``; a dash when there is no interval.
    """
    return f"{fmt_number(low, True)}…{fmt_number(high, True)}" if math.isfinite(low) else "–"


def moved_text(moved: float) -> str:
    """Write the share of draws moved as a percentage.

    Parameters
    ----------
    moved : float
        The share of draws whose outcome changed.

    Returns
    -------
    str
        A whole percentage; a dash when unknown.
    """
    return f"{100 * moved:.0f}%" if math.isfinite(moved) else "–"


def effect_cell(base: float, new: float, effect: float, low: float, high: float, moved: float) -> Text:
    """Write one model's effect on one issue as a table cell.

    Parameters
    ----------
    base, new : float
        The medians without and with the change.
    effect : float
        The change of the median.
    low, high : float
        The effect's 90% interval.
    moved : float
        The share of draws whose outcome changed.

    Returns
    -------
    Text
        baseline → what-if (medians), the effect, its interval, the share of draws moved.
    """
    cell = Text(f"{fmt_number(base)}→{fmt_number(new)}\n")
    cell.append(effect_text(effect, moved), style="bold")
    if math.isfinite(low):
        cell.append(f"\n{interval_text(low, high)}", style="dim")
    if math.isfinite(moved):
        cell.append(f"\n{moved_text(moved)} moved", style="dim")
    return cell


def whatif_table(result: WhatIfResult, names: list[str]) -> Table:
    """Tabulate the effects with issues down and models across.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.
    names : list[str]
        The models, in column order.

    Returns
    -------
    Table
        One cell per issue and model (:func:`effect_cell`).
    """
    table = plain_table(show_lines=True)
    table.add_column("issue")
    for name in names:
        table.add_column(header(name), justify="right")
    for k, issue in enumerate(result.scenario.issues):
        cells: list[RenderableType] = [Text(issue.name, style="bold")]
        for name in names:
            m = result.models[name]
            cells.append(effect_cell(m.baseline["median"][k], m.whatif["median"][k], m.effect[k],
                                     m.effect_low[k], m.effect_high[k], m.moved[k]))
        table.add_row(*cells)
    return table


def issue_block(result: WhatIfResult, k: int) -> Table:
    """Tabulate the effects on one issue.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.
    k : int
        The issue's index in the scenario.

    Returns
    -------
    Table
        One row per model: baseline, what-if, effect, its interval, draws moved, and the
        what-if's outcome in the scale's words where it crosses a labelled point.
    """
    issue = result.scenario.issues[k]
    table = plain_table(title=Text(issue.name, style="bold"), title_justify="left")
    table.add_column("model")
    for title in ("base-\nline", "what-\nif", "Δ", "90%\ninterval", "moved"):
        table.add_column(title, justify="right")
    table.add_column("in words, where it changes")
    for name, m in result.models.items():
        base, new = m.baseline["median"][k], m.whatif["median"][k]
        before, after = meaning(issue, base), meaning(issue, new)
        words = Text("now ") + after.rich() if after != before and after.anchors else Text("")
        table.add_row(name, fmt_number(base), fmt_number(new),
                      Text(effect_value(m.effect[k], m.moved[k]), style="bold"),
                      Text(interval_text(m.effect_low[k], m.effect_high[k]), style="dim"),
                      Text(moved_text(m.moved[k]), style="dim"), words)
    return table


def event_shift_table(result: WhatIfResult) -> Table:
    """Tabulate each event's probability under the baseline and the what-if, per model.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.

    Returns
    -------
    Table
        Per event and model the two probabilities and the change ± its paired Monte Carlo standard
        error.
    """
    table = plain_table()
    table.add_column("event")
    table.add_column("model")
    for title in ("base-\nline", "what-\nif", "change"):
        table.add_column(title, justify="right")
    for event in result.events:
        for n, (name, (pb, pw, se)) in enumerate(event.models.items()):
            change = Text(f"{100 * (pw - pb):+.1f}", style="bold")
            if math.isfinite(se):
                change.append(f" ±{100 * se:.1f}", style="dim")
            table.add_row(event.expr if n == 0 else "", name, f"{100 * pb:.1f}%", f"{100 * pw:.1f}%", change,
                          end_section=n == len(event.models) - 1)
    return table


def whatif_view(result: WhatIfResult, width: int = 80) -> RenderableType:
    """Show a what-if as tables.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        The what-if's heading, its changes, the effects (in the layout that fits) and events.
    """
    change = result.change
    parts: list[RenderableType] = [Text(f"What-if: {change.get('name') or change.get('id')}", style="bold")]
    parts += [Text(f"  {line}") for line in change.get("changes") or []]
    parts.append(Text(f"{result.scenario.title}: {result.n_draws:,} draws (seed {result.seed})", style="dim"))
    wide = whatif_table(result, list(result.models))
    if fits(wide, width):
        parts.append(shape(wide, width))
    else:
        for k in range(len(result.scenario.issues)):
            parts += [Text(), shape(issue_block(result, k), width)]
    parts.append(legend(LEGEND))
    if result.events:
        parts.append(Text("Event probabilities (change ± paired Monte Carlo standard error, in points)",
                          style="bold"))
        parts.append(shape(event_shift_table(result), width))
    for name, reason in result.skipped.items():
        parts.append(Text(f"{name}: not run ({reason})", style="yellow"))
    parts.append(Text(result.effect_definition, style="dim"))
    return Group(*parts)
