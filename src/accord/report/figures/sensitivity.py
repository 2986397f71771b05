"""Bar chart of a sensitivity analysis: the most influential inputs with their intervals."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.figures.base import new_figure, save
from accord.report.figures.palette import NEUTRAL, TEN

if TYPE_CHECKING:
    from accord.runs.sensitivity_run import SensitivityRunResult


def plot_sensitivity(result: SensitivityRunResult, path: Path, top: int = 20) -> Path:
    """Draw :func:`draw_sensitivity` and write it to a file.

    Parameters
    ----------
    result : SensitivityRunResult
        The sensitivity analysis.
    path : Path
        The file to write; its suffix picks the format.
    top : int
        The number of inputs shown, most influential first.

    Returns
    -------
    Path
        ``path``.
    """
    return save(draw_sensitivity(result, top), path, tight=False)


def draw_sensitivity(result: SensitivityRunResult, top: int = 20) -> Any:
    """Draw the most influential inputs as horizontal bars with their confidence intervals.

    Parameters
    ----------
    result : SensitivityRunResult
        The sensitivity analysis.
    top : int
        The number of inputs shown, most influential first.

    Returns
    -------
    Any
        A matplotlib figure: Sobol's ST (with S1 beside it) or Morris's mu*.
    """
    table = result.table.head(top).iloc[::-1]
    fig = new_figure(7, 0.35 * len(table) + 1.5)
    ax = fig.subplots()
    y = np.arange(len(table))
    if result.method == "sobol":
        ax.barh(y + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="total (ST)", color=TEN[0])
        ax.barh(y - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="first order (S1)",
                color=TEN[1])
        ax.set_xlabel("Sobol index (share of the outcome's variance)")
        ax.legend(loc="lower right")
    else:
        ax.barh(y, table["mu_star"], 0.6, xerr=table["mu_star_conf"], color=NEUTRAL)
        ax.set_xlabel("Morris mu* (outcome change across the input's range)")
    ax.set_yticks(y, table.index)
    ax.set_title(f"{result.model}: what drives {result.issue}")
    fig.tight_layout()
    return fig
