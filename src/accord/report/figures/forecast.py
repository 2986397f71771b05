"""Static figures of a forecast: every model's forecast per issue with its band, and rounds.

* :func:`draw_forecasts`: one row per issue; each model's forecast, and with draws the range
  holding 90% of them (5%–95%); the stakeholders' positions and the status quo behind them.
  Issues on different scales are drawn as shares of their own range (0% = the low end).
* :func:`draw_trajectory`: one dynamic model, one panel per issue: every stakeholder's position
  per round and the outcome.
* :func:`draw_outcome_paths`: several dynamic models, one panel per issue: each model's outcome
  per round.

Legends sit outside the axes (constrained layout gives them room), so labels never squeeze the
plotting area; colours tell series apart and carry no judgement (:mod:`.palette`).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.figures.base import new_figure, save
from accord.report.figures.palette import STATUS_QUO, distinct, marker

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult
    from accord.scenario import Issue

STAKEHOLDER = "#9a9a9a"


def same_scale(issues: Sequence[Issue]) -> bool:
    """Tell whether every issue has the same scale (then values are drawn in its units).

    Parameters
    ----------
    issues : Sequence[Issue]
        The issues.

    Returns
    -------
    bool
        True when all share one minimum and maximum.
    """
    return len({(i.scale.min, i.scale.max) for i in issues}) <= 1


def scaler(issues: Sequence[Issue]) -> tuple[Callable[[Issue, Any], Any], str, tuple[float, float]]:
    """Place values of several issues on a shared axis.

    One scale for all issues: its own units. Scales that differ: the share of each issue's
    range, in percent, so that a 0–50 issue and a 0–100 issue are compared by position, not
    by number.

    Parameters
    ----------
    issues : Sequence[Issue]
        The issues.

    Returns
    -------
    tuple[Callable[[Issue, Any], Any], str, tuple[float, float]]
        ``(to_axis(issue, values), axis label, limits)``.
    """
    if same_scale(issues):
        lo, hi = issues[0].scale.min, issues[0].scale.max
        label = f"position on the issues' scale ({lo:g}–{hi:g})"
        return (lambda issue, v: np.asarray(v, dtype=float)), label, (lo, hi)

    def share(issue: Issue, v: Any) -> Any:
        return (np.asarray(v, dtype=float) - issue.scale.min) / (issue.scale.max - issue.scale.min) * 100

    return share, "position as a share of each issue's own scale (%; 0 = its low end)", (0.0, 100.0)


def issue_label(issue: Issue, with_scale: bool, width: int = 22) -> str:
    """Label an issue on an axis.

    Parameters
    ----------
    issue : Issue
        The issue.
    with_scale : bool
        Whether to add its scale (when the issues' scales differ).
    width : int
        The line width to wrap at, in characters.

    Returns
    -------
    str
        The issue's name wrapped at word boundaries, with its scale when asked.
    """
    text = "\n".join(textwrap.wrap(issue.name, width)) or issue.id
    return text + (f"\n({issue.scale.min:g}–{issue.scale.max:g})" if with_scale else "")


def draw_forecasts(fc: ForecastResult) -> Any:
    """Draw each model's forecast per issue.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.

    Returns
    -------
    Any
        A matplotlib figure: the forecasts, with each model's 90% band over the draws when there
        are draws.
    """
    scenario = fc.scenario
    issues = scenario.issues
    outcomes = fc.outcomes()
    names = list(outcomes.columns)
    n, m = len(issues), max(len(names), 1)
    to_axis, xlabel, (lo, hi) = scaler(issues)
    pad = 0.02 * (hi - lo)
    stated: dict[str, list[float]] = {}
    for p in scenario.positions:
        stated.setdefault(p.issue, []).append(p.position)
    fig = new_figure(9.5, max(3.5, n * (0.45 + 0.1 * m) + 1.2), constrained=True)
    ax = fig.subplots()
    palette = distinct(len(names))
    offsets = np.linspace(-0.32, 0.32, m) if m > 1 else np.zeros(1)
    summaries = {name: fc.draws_summary(name) for name in names if fc.models[name].draws is not None}
    for k, issue in enumerate(issues):
        y = n - 1 - k
        if k:
            ax.axhline(y + 0.5, color="#dddddd", lw=0.8, zorder=0)
        held = to_axis(issue, stated.get(issue.id, []))
        ax.scatter(held, np.full(held.shape, y), marker="|", s=260, color=STAKEHOLDER, alpha=0.6, zorder=1,
                   label="stakeholders' positions" if k == 0 else None)
        if issue.status_quo is not None:
            x = float(to_axis(issue, issue.status_quo))
            ax.plot([x, x], [y - 0.45, y + 0.45], color=STATUS_QUO, lw=1.4, ls="--", zorder=2,
                    label="status quo" if k == 0 else None)
        for j, name in enumerate(names):
            yy = y + offsets[::-1][j]
            if name in summaries:
                row = summaries[name].loc[issue.id]
                band = to_axis(issue, [row["q05"], row["q95"]])
                ax.plot(band, [yy, yy], color=palette[j], lw=3, alpha=0.45, solid_capstyle="butt", zorder=3)
            ax.scatter([float(to_axis(issue, outcomes.iloc[k][name]))], [yy], marker=marker(j), s=42,
                       color=palette[j], edgecolor="white", linewidth=0.6, zorder=4,
                       label=name if k == 0 else None)
    ax.set_yticks(range(n), [issue_label(i, not same_scale(issues)) for i in reversed(issues)], fontsize=8)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_xlabel(xlabel)
    ax.tick_params(labeltop=n > 4, top=n > 4)  # a tall chart: the scale at the top as well
    ax.grid(axis="x", alpha=0.3)
    note = "markers: each model's forecast at the coded inputs"
    if summaries:
        note += f"; bands: the middle 90% of {fc.n_draws:,} draws of the inputs (seed {fc.seed})"
    ax.set_title("\n".join([scenario.title, *textwrap.wrap(note, 80)]), fontsize=10, loc="left")
    fig.legend(loc="outside right upper", fontsize=8, frameon=False)
    return fig


def plot_forecasts(fc: ForecastResult, path: Path) -> Path:
    """Draw :func:`draw_forecasts` and write it to a file.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    return save(draw_forecasts(fc), path)


def _grid(n: int) -> tuple[int, int]:
    cols = min(3, n)
    return math.ceil(n / cols), cols


def _panels(n: int, width_per: float = 4.0, height_per: float = 2.9, legend: float = 2.0) -> tuple[Any, Any]:
    rows, cols = _grid(n)
    fig = new_figure(width_per * cols + legend, height_per * rows + 0.6, constrained=True)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    for extra in range(n, rows * cols):
        axes[extra // cols][extra % cols].set_visible(False)
    return fig, axes


def _issue_axes(ax: Any, issue: Issue, n_rounds: int, show_xlabel: bool) -> None:
    lo, hi = issue.scale.min, issue.scale.max
    margin = 0.04 * (hi - lo)
    ax.set_ylim(lo - margin, hi + margin)
    ax.set_xlim(0, max(n_rounds - 1, 1))
    ax.set_title("\n".join(textwrap.wrap(issue.name, 34)), fontsize=9)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=8)
    if show_xlabel:  # the lowest panel of its column: its round numbers are shown
        ax.set_xlabel("round", fontsize=8)
        ax.tick_params(labelbottom=True)


def draw_trajectory(fc: ForecastResult, model: str) -> Any:
    """Draw a dynamic model's rounds, one panel per issue.

    Positions per round per actor (thin lines, one colour per actor in every panel), the outcome
    on top (thick black line); the actors are named in one legend beside the panels.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    model : str
        The model's name.

    Returns
    -------
    Any
        A matplotlib figure.
    """
    m = fc.models[model]
    assert m.positions is not None and m.rounds is not None
    scenario = fc.scenario
    n = len(scenario.issues)
    fig, axes = _panels(n, legend=2.2 if len(scenario.actors) <= 25 else 4.0)
    rows, cols = axes.shape
    rounds = np.arange(m.n_rounds)
    palette = distinct(len(scenario.actors))
    handles: dict[str, Any] = {}
    for k, issue in enumerate(scenario.issues):
        ax = axes[k // cols][k % cols]
        for a, actor_id in enumerate(scenario.actor_ids):
            if np.isnan(m.positions[0, a, k]):
                continue
            (line,) = ax.plot(rounds, m.positions[:, a, k], lw=1.2, color=palette[a], alpha=0.85,
                              marker="." if m.n_rounds < 30 else None, markersize=4)
            handles.setdefault(actor_id, line)
        (line,) = ax.plot(rounds, m.rounds[:, k], lw=3, color="black")
        handles["outcome"] = line
        _issue_axes(ax, issue, m.n_rounds, show_xlabel=k // cols == rows - 1 or k + cols >= n)
    names = {a.id: a.id for a in scenario.actors}
    order = [a for a in scenario.actor_ids if a in handles] + ["outcome"]
    fig.legend([handles[a] for a in order], [names.get(a, a) for a in order], loc="outside right upper",
               fontsize=8, frameon=False, ncols=1 if len(order) <= 25 else 2)
    fig.suptitle(f"{scenario.title} · {model}: positions per round (round 0: the input), outcome in black",
                 fontsize=10)
    return fig


def plot_trajectory(fc: ForecastResult, model: str, path: Path) -> Path:
    """Draw :func:`draw_trajectory` and write it to a file.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    model : str
        The model's name.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    return save(draw_trajectory(fc, model), path)


def draw_outcome_paths(fc: ForecastResult, models: Sequence[str]) -> Any:
    """Draw several dynamic models in one figure: per issue, each model's outcome round by round.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    models : Sequence[str]
        The models' names.

    Returns
    -------
    Any
        A matplotlib figure.
    """
    scenario = fc.scenario
    n = len(scenario.issues)
    fig, axes = _panels(n)
    rows, cols = axes.shape
    palette = distinct(len(models))
    longest = max(fc.models[name].n_rounds for name in models)
    handles = []
    for k, issue in enumerate(scenario.issues):
        ax = axes[k // cols][k % cols]
        for j, name in enumerate(models):
            outcome = fc.models[name].rounds
            assert outcome is not None
            (line,) = ax.plot(np.arange(outcome.shape[0]), outcome[:, k], lw=1.8, color=palette[j],
                              marker=marker(j), markersize=3.5)
            if k == 0:
                handles.append(line)
        if issue.status_quo is not None:
            ax.axhline(issue.status_quo, color=STATUS_QUO, lw=1, ls="--")
        _issue_axes(ax, issue, longest, show_xlabel=k // cols == rows - 1 or k + cols >= n)
    from matplotlib.lines import Line2D

    handles.append(Line2D([], [], color=STATUS_QUO, lw=1, ls="--"))
    fig.legend(handles, [*models, "status quo"], loc="outside right upper", fontsize=8, frameon=False)
    fig.suptitle(f"{scenario.title}: each dynamic model's outcome per round (round 0: the input)",
                 fontsize=10)
    return fig


def plot_outcome_paths(fc: ForecastResult, models: Sequence[str], path: Path) -> Path:
    """Draw :func:`draw_outcome_paths` and write it to a file.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    models : Sequence[str]
        The models' names.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    return save(draw_outcome_paths(fc, models), path)
