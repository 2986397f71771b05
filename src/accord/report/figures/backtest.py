"""Predicted against actual outcome, one panel per model.

Drawn on a :class:`matplotlib.figure.Figure` of its own (matplotlib's object API), so the
caller's pyplot state and backend are left alone.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from accord.evaluate.backtest import LOPO, Backtest


def panel_title(name: str, errors: np.ndarray, protocol: str) -> str:
    """Title a model's panel with its mean absolute error.

    Parameters
    ----------
    name : str
        The model's name.
    errors : np.ndarray
        Its absolute errors, one per scored issue.
    protocol : str
        How its forecasts were made; :data:`LOPO` is marked ``CV`` (out-of-fold forecasts).

    Returns
    -------
    str
        ``"name: MAE m (n=N, CV)"``.
    """
    cv = ", CV" if protocol == LOPO else ""
    return f"{name}: MAE {errors.mean():.2f} (n={errors.size}{cv})"


def plot_backtest(bt: Backtest, path: Path) -> Path:
    """Plot forecast (x) against outcome (y) per completed model, with the diagonal.

    Parameters
    ----------
    bt : Backtest
        The backtest.
    path : Path
        The file to write; its suffix picks the format.

    Returns
    -------
    Path
        ``path``.
    """
    done = bt.completed
    cols = min(3, max(len(done), 1))
    rows = max(math.ceil(len(done) / cols), 1)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.6 * cols, 3.4 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    jitter = np.random.default_rng(0).uniform(-1, 1, size=bt.outcome.shape)  # display only
    for n, (name, res) in enumerate(done.items()):
        ax = axes[n // cols][n % cols]
        on = res.scored(bt.outcome.size)  # models scored on a subset are shown on it only
        err = np.abs(res.forecast[on] - bt.outcome[on])  # type: ignore[index]
        ax.scatter(res.forecast[on], (bt.outcome + jitter)[on], s=10, alpha=0.5)  # type: ignore[index]
        ax.plot([0, 100], [0, 100], color="black", lw=1)
        ax.set(xlim=(-3, 103), ylim=(-3, 103), xlabel="forecast", ylabel="outcome")
        ax.set_title(panel_title(name, err, res.protocol), fontsize=10)
        ax.grid(alpha=0.3)
    for extra in range(len(done), rows * cols):
        axes[extra // cols][extra % cols].axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
