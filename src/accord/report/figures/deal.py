"""Grouped bar chart: per actor, the utility gain of each package."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from accord.analysis.deal import DealResult
from accord.report.figures.base import colours, new_figure, save


def plot_gains(results: list[DealResult], path: Path) -> Path:
    """Plot each actor's gain from each package: a group of bars per actor, a bar per package.

    Hatched bars mark a veto.

    Parameters
    ----------
    results : list[DealResult]
        The packages' evaluations, on one scenario.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    s = results[0].scenario
    n_a, n_p = len(s.actors), len(results)
    width = 0.8 / n_p
    fig = new_figure(min(16.0, max(6.0, 0.22 * n_a * n_p + 2)), 4.5)
    ax = fig.subplots()
    x = np.arange(n_a)
    palette = colours("tab10")
    for j, r in enumerate(results):
        bars = ax.bar(x - 0.4 + width * (j + 0.5), r.point.gain, width, color=palette(j % 10),
                      label=f"{r.proposal.id} ({'accepted' if r.point.accepted else 'rejected'})")
        for bar, veto in zip(bars, r.point.vetoes, strict=True):
            if veto:
                bar.set_hatch("///")
                bar.set_edgecolor("black")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, s.actor_ids, rotation=45, ha="right")
    ax.set_ylabel("utility gain over no deal")
    ax.set_title(f"{s.title} · against {results[0].setting.against.label()} (hatched: veto)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    from matplotlib.patches import Patch

    handles = [Patch(color=palette(j % 10), label=h.get_label())
               for j, h in enumerate(ax.get_legend_handles_labels()[0])]
    ax.legend(handles=handles, fontsize=8)
    fig.tight_layout()
    return save(fig, path, tight=False)
