"""The effect of a what-if per issue and model: the change of the median with its interval.

One row per issue, one marker per model (its colour names the model, never a direction: a
rise is not "good" on a scale where up means more conceded to one side), the 90% paired
bootstrap interval as a line through it, and a black line at no change. Issues on different
scales are drawn in shares of their range.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.figures.base import new_figure, save
from accord.report.figures.forecast import issue_label, same_scale
from accord.report.figures.palette import STATUS_QUO, distinct, marker

if TYPE_CHECKING:
    from accord.runs.whatif_result import WhatIfResult


def draw_effects(result: WhatIfResult) -> Any:
    """Draw each model's effect on each issue with its interval.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.

    Returns
    -------
    Any
        A matplotlib figure: per issue, each model's effect (what-if median minus baseline
        median) and its 90% paired bootstrap interval.
    """
    issues = result.scenario.issues
    names = list(result.models)
    n, m = len(issues), max(len(names), 1)
    uniform = same_scale(issues)
    spans = np.array([1.0 if uniform else (i.scale.max - i.scale.min) / 100 for i in issues])
    fig = new_figure(8.5, max(3.0, n * (0.35 + 0.08 * m) + 1.2), constrained=True)
    ax = fig.subplots()
    palette = distinct(len(names))
    offsets = np.linspace(-0.3, 0.3, m) if m > 1 else np.zeros(1)
    for j, name in enumerate(names):
        e = result.models[name]
        y = np.arange(n)[::-1] + offsets[::-1][j]
        low, high, value = e.effect_low / spans, e.effect_high / spans, e.effect / spans
        finite = np.isfinite(low) & np.isfinite(high)
        ax.hlines(y[finite], low[finite], high[finite], color=palette[j], lw=2.5, alpha=0.45)
        ax.scatter(value, y, marker=marker(j), s=36, color=palette[j], edgecolor="white", linewidth=0.5,
                   label=name, zorder=3)
    ax.axvline(0, color=STATUS_QUO, lw=1)
    for k in range(1, n):
        ax.axhline(k - 0.5, color="#dddddd", lw=0.8, zorder=0)
    ax.set_yticks(range(n), [issue_label(i, not uniform) for i in reversed(issues)], fontsize=8)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlabel("effect: what-if median minus baseline median, " +
                  ("points on the issues' scale" if uniform else "% of each issue's scale"))
    ax.grid(axis="x", alpha=0.3)
    change = result.change
    ax.set_title(f"{change.get('name') or change.get('id')}\n{result.n_draws:,} draws; lines: 90% paired "
                 "bootstrap interval", fontsize=10, loc="left")
    fig.legend(loc="outside right upper", fontsize=8, frameon=False)
    return fig


def plot_effects(result: WhatIfResult, path: Path) -> Path:
    """Draw :func:`draw_effects` and write it to a file.

    Parameters
    ----------
    result : WhatIfResult
        The what-if.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    return save(draw_effects(result), path)
