"""A sensitivity analysis as a Rich table: inputs ranked by their influence on one outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from accord.report.fit import Cell, ColumnSpec, fitted_tables, legend

if TYPE_CHECKING:
    from accord.runs.sensitivity_run import SensitivityRunResult


HEADINGS = {"sobol": "Sobol indices: the share of the outcome's variance each input explains",
            "morris": "Morris screening: how much the outcome moves across each input's range"}
TITLES = {"sobol": ("ST", "±", "S1", "±"), "morris": ("mu*", "±", "mu", "sigma")}
LEGENDS = {
    "sobol": [("ST", "total index: the share of the variance due to the input, alone and through its "
                     "interactions with others"),
              ("S1", "first-order index: the share due to the input alone (ST - S1: its interactions)"),
              ("±", "half the width of the index's 95% confidence interval")],
    "morris": [("mu*", "the mean absolute change of the outcome when the input moves across its range, "
                       "in points of the issue's scale"),
               ("±", "half the width of mu*'s 95% confidence interval"),
               ("mu", "the mean change with its sign (+: the outcome rises with the input)"),
               ("sigma", "the spread of the changes: large where the input acts through others or "
                         "unevenly")],
}
INPUTS = ("input", "position[actor, issue], salience[actor, issue] or capability[actor], varied over "
          "its stated uncertainty")


def sensitivity_table(result: SensitivityRunResult, top: int = 20, width: int = 80) -> RenderableType:
    """Tabulate the most influential inputs of a sensitivity analysis.

    Parameters
    ----------
    result : SensitivityRunResult
        The sensitivity analysis.
    top : int
        The number of inputs shown, most influential first.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        The ranking, with the method's indices as columns (split to fit).
    """
    columns: list[ColumnSpec] = [("input", {})]
    columns += [(name, {"justify": "right"}) for name in TITLES[result.method]]
    digits = 3 if result.method == "sobol" else 2
    rows: list[list[Cell]] = [[Text(str(label)), *(f"{v:.{digits}f}" for v in row.to_numpy())]
                              for label, row in result.table.head(top).iterrows()]
    return fitted_tables(columns, rows, width)


def sensitivity_view(result: SensitivityRunResult, top: int = 20, width: int = 80) -> RenderableType:
    """Show a sensitivity analysis as tables.

    Parameters
    ----------
    result : SensitivityRunResult
        The sensitivity analysis.
    top : int
        The number of inputs shown, most influential first.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        Heading, method and cost, the ranking and what its columns mean.
    """
    return Group(
        Text(f"{result.scenario.title}: what drives {result.issue} under {result.model}", style="bold"),
        Text(f"{HEADINGS[result.method]}; {result.n_runs:,} model runs", style="dim"),
        sensitivity_table(result, top, width),
        legend([INPUTS, *LEGENDS[result.method]]),
    )
