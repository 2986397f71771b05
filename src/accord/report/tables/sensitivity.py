"""A sensitivity analysis as a Rich table: inputs ranked by their influence on one outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from accord.runs.sensitivity_run import SensitivityRunResult


HEADINGS = {"sobol": "Sobol indices (total ST, first-order S1, 95% CI)",
            "morris": "Morris screening (mu*: mean absolute effect across each input's range)"}
TITLES = {"sobol": ("ST", "±", "S1", "±"), "morris": ("mu*", "±", "mu", "sigma")}


def sensitivity_table(result: SensitivityRunResult, top: int = 20) -> Table:
    """The ``top`` inputs, most influential first."""
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("input", overflow="fold")
    for name in TITLES[result.method]:
        table.add_column(name, justify="right")
    digits = 3 if result.method == "sobol" else 2
    for label, row in result.table.head(top).iterrows():
        table.add_row(Text(str(label)), *(f"{v:.{digits}f}" for v in row.to_numpy()))
    return table


def sensitivity_view(result: SensitivityRunResult, top: int = 20) -> RenderableType:
    """Heading, method and cost, and the ranking."""
    return Group(
        Text(f"{result.scenario.title}: what drives {result.issue} under {result.model}", style="bold"),
        Text(f"{HEADINGS[result.method]}; {result.n_runs:,} model runs", style="dim"),
        sensitivity_table(result, top),
    )
