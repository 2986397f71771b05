"""Static figures of a forecast: trajectories of the dynamic models and forecasts per issue."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.figures.base import colours, new_figure, save

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult


def _grid(n: int) -> tuple[int, int]:
    cols = min(3, n)
    return math.ceil(n / cols), cols


LABEL_LIMIT = 20  # above this many actors, end-of-line labels would clutter: legend only


def _end_labels(ax: Any, x: float, finals: dict[str, float], span: float) -> None:
    """Name the actors at the end of their lines, one label per group that ends together."""
    groups: dict[float, list[str]] = {}
    for actor_id, value in finals.items():
        groups.setdefault(round(value / span, 3), []).append(actor_id)
    placed: list[float] = []
    for key in sorted(groups):
        y = key * span
        while any(abs(y - other) < 0.045 * span for other in placed):  # keep labels apart
            y += 0.045 * span
        placed.append(y)
        ax.annotate(
            ", ".join(groups[key]),
            (x, key * span),
            xytext=(x + 0.15, y),
            fontsize=7,
            va="center",
            annotation_clip=False,
        )


def plot_trajectory(fc: ForecastResult, model: str, path: Path) -> Path:
    """Positions per round per actor (thin lines), the outcome on top (thick black line)."""
    m = fc.models[model]
    assert m.positions is not None and m.rounds is not None
    scenario = fc.scenario
    rows, cols = _grid(scenario_size := len(scenario.issues))
    single = scenario_size == 1
    fig = new_figure(*((7.5, 4.5) if single else (4.6 * cols, 3.4 * rows)))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    rounds = np.arange(m.n_rounds)
    palette = colours("tab20")
    label_ends = len(scenario.actors) <= LABEL_LIMIT
    for k, issue in enumerate(scenario.issues):
        ax = axes[k // cols][k % cols]
        finals = {}
        for a, actor_id in enumerate(scenario.actor_ids):
            if not np.isnan(m.positions[0, a, k]):
                line = m.positions[:, a, k]
                ax.plot(
                    rounds,
                    line,
                    lw=1.2,
                    color=palette(a % 20),
                    label=actor_id,
                    alpha=0.85,
                    marker="." if m.n_rounds < 30 else None,
                )
                finals[actor_id] = float(line[-1])
        ax.plot(rounds, m.rounds[:, k], lw=3, color="black", label="outcome")
        lo, hi = issue.scale.min, issue.scale.max
        margin = 0.04 * (hi - lo)
        ax.set_ylim(lo - margin, hi + margin)
        ax.set_title(issue.name, fontsize=10)
        ax.set_xlabel("round")
        ax.set_xlim(0, max(m.n_rounds - 1, 1))
        ax.grid(alpha=0.3)
        if label_ends:
            _end_labels(ax, m.n_rounds - 1, finals, hi - lo)
    for extra in range(scenario_size, rows * cols):
        axes[extra // cols][extra % cols].axis("off")
    if not label_ends:
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7)
    fig.suptitle(f"{scenario.title} · {model}: positions per round, outcome in black", fontsize=11)
    fig.tight_layout()
    return save(fig, path)


def plot_forecasts(fc: ForecastResult, path: Path) -> Path:
    """Each model's forecast per issue on the issue's scale, with stakeholders' positions."""
    scenario = fc.scenario
    outcomes = fc.outcomes()
    n = len(scenario.issues)
    stated = {(p.actor, p.issue): p.position for p in scenario.positions}
    fig = new_figure(8, 0.6 * n + 1.5)
    ax = fig.subplots()
    markers = "osD^v<>PX*"
    for k, issue in enumerate(scenario.issues):
        lo, hi = issue.scale.min, issue.scale.max
        y = n - 1 - k
        held = np.array([stated[a, issue.id] for a in scenario.actor_ids if (a, issue.id) in stated])
        scaled = (held - lo) / (hi - lo) * 100
        ax.scatter(scaled, np.full(scaled.shape, y), color="lightgray", s=25, zorder=1)
        if issue.status_quo is not None:
            ax.scatter(
                [(issue.status_quo - lo) / (hi - lo) * 100],
                [y],
                marker="|",
                s=300,
                color="red",
                zorder=2,
                label="status quo" if k == 0 else None,
            )
        for m, name in enumerate(outcomes.columns):
            value = (outcomes.iloc[k][name] - lo) / (hi - lo) * 100
            ax.scatter(
                [value], [y], marker=markers[m % len(markers)], s=45, zorder=3, label=name if k == 0 else None
            )
    ax.set_yticks(range(n), [i.name for i in reversed(scenario.issues)])
    ax.set_xlim(-2, 102)
    ax.set_xlabel("position on the issue's scale (% of range); grey dots: stakeholders")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(scenario.title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return save(fig, path)
