"""A what-if as Rich tables: per issue and model, baseline -> what-if and the effect."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.report.numbers import fmt_number

if TYPE_CHECKING:
    from accord.runs.whatif_result import WhatIfResult

CELL_WIDTH = 12
LEGEND = ("per model: baseline → what-if median; Δ = the effect (difference of the medians) and its "
          "90% paired-bootstrap interval; the share of draws whose outcome moved")


def effect_text(effect: float, moved: float) -> str:
    """``Δ +1.2``; ``Δ ≈0`` when the median moved by less than 0.05 while some draws moved (never a
    bare ``+0.0`` beside a distribution that shifted)."""
    if math.isfinite(effect) and abs(effect) < 0.05 and math.isfinite(moved) and moved > 0:
        return "Δ ≈0"
    return f"Δ {fmt_number(effect, True)}"


def effect_cell(base: float, new: float, effect: float, low: float, high: float, moved: float) -> Text:
    """One cell: baseline → what-if (medians), the effect, its interval, the share of draws moved."""
    cell = Text(f"{fmt_number(base)}→{fmt_number(new)}\n")
    cell.append(effect_text(effect, moved), style="bold")
    if math.isfinite(low):
        cell.append(f"\n{fmt_number(low, True)}…{fmt_number(high, True)}", style="dim")
    if math.isfinite(moved):
        cell.append(f"\n{100 * moved:.0f}% moved", style="dim")
    return cell


def whatif_table(result: WhatIfResult, names: list[str], width: int = 80) -> Table:
    """Issues down, the ``names`` models across."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, padding=(0, 1),
                  collapse_padding=True, show_lines=True)
    table.add_column("issue", width=max(14, width - len(names) * (CELL_WIDTH + 1) - 1), overflow="fold")
    for name in names:
        table.add_column(name, justify="right", width=CELL_WIDTH, overflow="fold")
    for k, issue in enumerate(result.scenario.issues):
        cells: list[RenderableType] = [Text(issue.name, style="bold")]
        for name in names:
            m = result.models[name]
            cells.append(effect_cell(m.baseline["median"][k], m.whatif["median"][k], m.effect[k],
                                     m.effect_low[k], m.effect_high[k], m.moved[k]))
        table.add_row(*cells)
    return table


def event_shift_table(result: WhatIfResult) -> Table:
    """Each event's probability under the baseline and the what-if, per model."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("event", overflow="fold")
    table.add_column("model")
    for title in ("baseline", "what-if", "change"):
        table.add_column(title, justify="right")
    for event in result.events:
        for n, (name, (pb, pw, se)) in enumerate(event.models.items()):
            change = Text(f"{100 * (pw - pb):+.1f}", style="bold")
            if math.isfinite(se):
                change.append(f" ±{100 * se:.1f}", style="dim")
            table.add_row(event.expr if n == 0 else "", name, f"{100 * pb:.1f}%", f"{100 * pw:.1f}%", change,
                          end_section=n == len(event.models) - 1)
    return table


def whatif_view(result: WhatIfResult, width: int = 100) -> RenderableType:
    """The what-if's heading, its changes, the effect tables (models split to fit) and events."""
    change = result.change
    parts: list[RenderableType] = [Text(f"What-if: {change.get('name') or change.get('id')}", style="bold")]
    parts += [Text(f"  {line}") for line in change.get("changes") or []]
    parts.append(Text(f"{result.scenario.title}: {result.n_draws:,} draws (seed {result.seed}); {LEGEND}",
                      style="dim"))
    names = list(result.models)
    per_table = max(1, (min(width, 100) - 20) // (CELL_WIDTH + 1))
    for start in range(0, len(names), per_table):
        parts.append(whatif_table(result, names[start:start + per_table], min(width, 100)))
    if result.events:
        parts.append(Text("Event probabilities (change ± paired Monte Carlo standard error, in points)",
                          style="bold"))
        parts.append(event_shift_table(result))
    for name, reason in result.skipped.items():
        parts.append(Text(f"{name}: not run ({reason})", style="yellow"))
    parts.append(Text(result.effect_definition, style="dim"))
    return Group(*parts)
