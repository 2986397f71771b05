"""The strategy chart: the evaluated levers' gains per model, and the relations quadrant chart.

Left: one row per evaluated lever (best at the top), one dot per model at its mean gain with the
90% paired-bootstrap interval. Right: Bueno de Mesquita's quadrant chart from the client's point
of view, one point per other actor and issue at (E_cj, E_jc). Both read the result's JSON form.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from accord.report.figures.base import colours, new_figure, save

QUADRANTS = (
    (0.5, 0.95, "confrontation", "center"),
    (0.03, 0.95, "client gives ground\n(compromise / capitulation)", "left"),
    (0.97, 0.05, "actor gives ground\n(compromise / capitulation)", "right"),
    (0.03, 0.05, "stalemate", "left"),
)


def _levers_axis(ax: Any, payload: dict[str, Any]) -> None:
    levers = [lv for lv in payload["levers"] if lv["evaluated"]]
    if payload.get("plan") and payload["plan"]["family"] == "plan":
        levers = [payload["plan"], *levers]
    models = payload["models"]
    n_m = max(len(models), 1)
    palette = colours("tab10" if n_m <= 10 else "tab20")
    for row, lever in enumerate(levers):
        for m_i, model in enumerate(models):
            g = lever["gains"].get(model)
            if g is None or g["mean"] is None:
                continue
            y = row + (m_i - (n_m - 1) / 2) * (0.7 / n_m)
            lo = g["mean"] - g["low"] if g["low"] is not None else 0.0
            hi = g["high"] - g["mean"] if g["high"] is not None else 0.0
            ax.errorbar(g["mean"], y, xerr=[[lo], [hi]], fmt="o", ms=4, color=palette(m_i % 20), lw=1,
                        label=model if row == 0 else None)
    labels = [("PLAN: " if lv["family"] == "plan" else "") + lv["label"] for lv in levers]
    ax.set_yticks(np.arange(len(levers)), [textwrap.fill(t, 48) for t in labels], fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"gain for {payload['actor']} (utility points), mean and 90% interval over draws")
    ax.grid(axis="x", alpha=0.3)
    if models:
        ax.legend(fontsize=7, loc="lower right")


def _relations_axis(ax: Any, payload: dict[str, Any]) -> None:
    rel = [r for r in payload["relations"] if r["E_cj"] is not None and r["E_jc"] is not None]
    actors = list(dict.fromkeys(r["actor"] for r in rel))
    palette = colours("tab20")
    for n, actor in enumerate(actors):
        pts = [(r["E_cj"], r["E_jc"], r["issue"]) for r in rel if r["actor"] == actor]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=18, color=palette(n % 20), label=actor)
        for x, y, issue in pts:
            ax.annotate(issue[:10], (x, y), fontsize=5, alpha=0.7, xytext=(2, 2), textcoords="offset points")
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    lim = max([abs(v) for r in rel for v in (r["E_cj"], r["E_jc"])] + [0.1]) * 1.1
    ax.plot([0, lim], [0, lim], color="grey", lw=0.6, ls="--")
    ax.plot([-lim, 0], [lim, 0], color="grey", lw=0.6, ls=":")
    ax.plot([0, lim], [0, -lim], color="grey", lw=0.6, ls=":")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    for x, y, text, align in QUADRANTS:
        ax.text(x, y, text, transform=ax.transAxes, fontsize=7, ha=align, va="top" if y > 0.5 else "bottom",
                color="dimgray")
    ax.set_xlabel(f"E_cj: what {payload['actor']} expects from challenging the actor")
    ax.set_ylabel(f"E_jc: what {payload['actor']} thinks the actor expects from challenging it")
    ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))


def plot_strategy(payload: dict[str, Any], path: Path) -> Path:
    """Plot the levers' gains and the relations quadrant chart side by side.

    Parameters
    ----------
    payload : dict[str, Any]
        A strategy result's JSON form.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``. The relations panel is drawn only when there are relations.
    """
    with_rel = bool(payload.get("relations"))
    fig = new_figure(16.0 if with_rel else 9.0, 6.0)
    axes = fig.subplots(1, 2, width_ratios=[1.1, 1]) if with_rel else [fig.subplots()]
    _levers_axis(axes[0], payload)
    axes[0].set_title(f"Levers of {payload['actor']} ({payload['draws']} draws, seed {payload['seed']})",
                      fontsize=10)
    if with_rel:
        _relations_axis(axes[1], payload)
        axes[1].set_title(f"Relations as {payload['actor']} sees them (expected-utility model, "
                          "dashed: E_cj = E_jc, dotted: |E_cj| = |E_jc|)", fontsize=9)
    fig.tight_layout()
    return save(fig, path, tight=False)
