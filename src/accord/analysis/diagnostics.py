"""Diagnostics that stop a pathological run from being read as a forecast.

Dynamic models (the expected-utility models, exchange, SMP) can cycle, fail to settle, or drive
an actor across its whole scale; Monte Carlo draws can split into camps, so that one median
describes no draw. Each check is a pure function of arrays and returns plain records, which
results carry next to the numbers (tables, JSON, the web).

* **Cycle** — the outcome swings back and forth: at least three swings of more than
  :data:`SWING` of the issue's span in alternating directions (a zig-zag filter with that
  threshold: a swing ends where the outcome has come back by more than the threshold from its
  running extreme). Reported with the low and high states it alternates between and the rounds
  of the turns.
* **Not settled** — the outcome or a stakeholder's position still moved by more than
  :data:`MOVING` of the span in the last round (and no cycle explains it).
* **Capitulation** — an actor crossed more than :data:`CROSSING` of the scale although the issue
  matters to it (salience at least :data:`SALIENT` on 0..1).
* **Multimodal draws** — the draws' density (a Gaussian kernel estimate, Silverman's bandwidth,
  Silverman 1986 §3.4.2, on a grid) has more than one mode holding at least :data:`MODE_SHARE` of
  the draws, with a valley between neighbours below :data:`VALLEY` of the lower peak.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

SWING = 0.10
MOVING = 0.01
CROSSING = 0.6
SALIENT = 0.7
MODE_SHARE = 0.10
VALLEY = 0.6
GRID = 256


@dataclass(frozen=True)
class Diagnostic:
    """One warning: what (``kind``), where (issue, actor), a sentence, and its numbers.

    Parameters
    ----------
    kind : str
        ``cycle``, ``not-settled``, ``capitulation`` or ``multimodal``.
    message : str
        The warning in one sentence.
    issue : str or None
        The issue's id.
    actor : str or None
        The actor's id (a capitulation).
    data : dict
        The numbers behind the warning.
    """

    kind: str  # "cycle" | "not-settled" | "capitulation" | "multimodal"
    message: str
    issue: str | None = None
    actor: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the warning as plain data.

        Returns
        -------
        dict
            One key per field.
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        """Rebuild a warning from :meth:`to_dict`'s data.

        Parameters
        ----------
        data : dict
            The fields.

        Returns
        -------
        Diagnostic
            The warning.
        """
        return cls(**data)


def _fmt(x: float) -> str:
    """Format a value with one decimal."""
    return f"{x:.1f}"


def swings(series: np.ndarray, threshold: float) -> list[int]:
    """Find round 0 and the turning points of a series under a zig-zag filter.

    A turn is the extreme of a move of more than ``threshold`` that then reverses by more than
    ``threshold``; the last entry is the extreme of the final move. A series that only converges
    has two entries; one that swings three times has at least four.

    Parameters
    ----------
    series : np.ndarray
        Values per round, shape (R,).
    threshold : float
        The smallest move that counts, in the series' units.

    Returns
    -------
    list of int
        The rounds: 0, then the turns.
    """
    turns = [0]
    trend, extreme = 0, 0
    for r in range(1, len(series)):
        x = series[r]
        if trend == 0:
            if abs(x - series[0]) > threshold:
                trend, extreme = (1 if x > series[0] else -1), r
        elif trend * (x - series[extreme]) >= 0:
            extreme = r
        elif abs(series[extreme] - x) > threshold:
            turns.append(extreme)
            trend, extreme = -trend, r
    if trend != 0:
        turns.append(extreme)
    return turns


def trajectory_diagnostics(
    outcome: np.ndarray,
    positions: np.ndarray,
    salience: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    actor_ids: list[str],
    issue_ids: list[str],
) -> list[Diagnostic]:
    """Find the cycles, unsettled ends and capitulations of one dynamic run.

    Parameters
    ----------
    outcome : np.ndarray
        The outcome per round, shape (R, I) (round 0 the input).
    positions : np.ndarray
        The positions per round, shape (R, A, I); NaN where an actor has no stake.
    salience : np.ndarray
        Saliences on 0..1, shape (A, I).
    lower, upper : np.ndarray
        The scales' ends, shape (I,).
    actor_ids, issue_ids : list of str
        Labels.

    Returns
    -------
    list of Diagnostic
        The warnings; empty for a run of fewer than two rounds.
    """
    out: list[Diagnostic] = []
    n_rounds = outcome.shape[0]
    if n_rounds < 2:
        return out
    span = upper - lower
    for k, issue in enumerate(issue_ids):
        series = outcome[:, k]
        if not np.all(np.isfinite(series)):
            continue
        turns = swings(series, SWING * span[k])
        cycled = len(turns) >= 4  # three swings: up-down-up or down-up-down
        if cycled:
            values = series[turns[1:]]
            low, high = float(values.min()), float(values.max())
            out.append(Diagnostic(
                "cycle", f"{issue}: the outcome cycles between about {_fmt(low)} and {_fmt(high)} "
                f"(turns in rounds {', '.join(map(str, turns[1:]))}); the last round's value is one state of "
                "the cycle, not a settled forecast", issue,
                data={"low": low, "high": high, "turns": turns[1:]}))
        moved = np.nanmax(np.abs(positions[-1, :, k] - positions[-2, :, k]), initial=0.0)
        last = max(abs(series[-1] - series[-2]), float(moved))
        if not cycled and last > MOVING * span[k]:
            out.append(Diagnostic(
                "not-settled", f"{issue}: still moving in the last round (by {_fmt(last)}); more rounds "
                "may change the forecast", issue, data={"last_change": last}))
        start, end = positions[0, :, k], positions[-1, :, k]
        crossed = np.abs(end - start) > CROSSING * span[k]
        for a in np.flatnonzero(crossed & (salience[:, k] >= SALIENT)):
            out.append(Diagnostic(
                "capitulation", f"{issue}: {actor_ids[a]} moves from {_fmt(start[a])} to {_fmt(end[a])} "
                f"although the issue matters to it (salience {salience[a, k]:.2f})", issue, actor_ids[a],
                data={"from": float(start[a]), "to": float(end[a]), "salience": float(salience[a, k])}))
    return out


def modes(values: np.ndarray, lower: float, upper: float) -> list[tuple[float, float]]:
    """Find the modes of a sample, with the share of the draws around each.

    See the module docstring for the density estimate and what counts as a mode.

    Parameters
    ----------
    values : np.ndarray
        The sample (non-finite values are dropped).
    lower, upper : float
        The scale's ends.

    Returns
    -------
    list of tuple of float
        ``(mode, share)``, largest share first; one entry (the median, share 1) for a unimodal
        sample, none for an empty one.

    References
    ----------
    B. W. Silverman, *Density Estimation for Statistics and Data Analysis*, Chapman & Hall, 1986,
    section 3.4.2.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 20 or np.ptp(x) <= 1e-9 * (upper - lower):
        return [(float(np.median(x)), 1.0)] if x.size else []
    sd = x.std(ddof=1)
    iqr = np.subtract(*np.quantile(x, [0.75, 0.25]))
    spread = min(sd, iqr / 1.34) if iqr > 0 else sd
    h = 0.9 * spread * x.size ** -0.2
    h = max(h, (upper - lower) / GRID)
    grid = np.linspace(lower - 3 * h, upper + 3 * h, GRID)
    step = grid[1] - grid[0]
    counts = np.bincount(np.clip(((x - grid[0]) / step).round().astype(int), 0, GRID - 1), minlength=GRID)
    offsets = np.arange(-int(np.ceil(4 * h / step)), int(np.ceil(4 * h / step)) + 1) * step
    density = np.convolve(counts, np.exp(-0.5 * (offsets / h) ** 2), mode="same")
    peaks = [i for i in range(1, GRID - 1) if density[i] > density[i - 1] and density[i] >= density[i + 1]]
    peaks = [i for i in peaks if density[i] > 0.02 * density.max()]
    if len(peaks) < 2:
        return [(float(np.median(x)), 1.0)]
    merged = [peaks[0]]
    for p in peaks[1:]:  # neighbours separated by a shallow valley are one mode
        q = merged[-1]
        valley = density[q:p + 1].min()
        if valley >= VALLEY * min(density[q], density[p]):
            merged[-1] = q if density[q] >= density[p] else p
        else:
            merged.append(p)
    cuts = [grid[q + int(np.argmin(density[q:p + 1]))] for q, p in zip(merged, merged[1:], strict=False)]
    groups = np.searchsorted(np.array(cuts), x)
    found = []
    for g, p in enumerate(merged):
        share = float(np.mean(groups == g))
        if share >= MODE_SHARE:
            found.append((float(np.clip(grid[p], lower, upper)), share))
    if len(found) < 2:
        return [(float(np.median(x)), 1.0)]
    return sorted(found, key=lambda m: -m[1])


def draw_diagnostics(finals: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                     issue_ids: list[str]) -> list[Diagnostic]:
    """Warn about each issue whose draws split into several modes.

    Parameters
    ----------
    finals : np.ndarray
        The final outcome per draw, shape (B, I).
    lower, upper : np.ndarray
        The scales' ends, shape (I,).
    issue_ids : list of str
        Labels.

    Returns
    -------
    list of Diagnostic
        One ``multimodal`` warning per such issue.
    """
    out = []
    for k, issue in enumerate(issue_ids):
        found = modes(finals[:, k], float(lower[k]), float(upper[k]))
        if len(found) > 1:
            text = ", ".join(f"{_fmt(v)} ({100 * s:.0f}%)" for v, s in found)
            out.append(Diagnostic(
                "multimodal", f"{issue}: the draws split into {len(found)} camps around {text}; no single "
                "median describes them", issue, data={"modes": [[v, s] for v, s in found]}))
    return out
