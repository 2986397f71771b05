"""Who accepts a package, who can block it, and whether a winning coalition backs it.

Rules (all vectorised over leading draw axes):

* An actor **gains** when ``g_i > tol``, **loses** when ``g_i < -tol``, else is indifferent;
  it **accepts** (does not object) when it does not lose.
* Its **clout** is its capability averaged over issues with its saliences as weights,
  ``c_i = sum_k c_ik s_ik / sum_k s_ik`` (the plain mean where it has no stake), so the same
  clout counts for every package.
* An actor **holds a veto** on the package when it can veto an issue the package moves
  (``|p_k - d_k| > tol``). Rule ``total``: it exercises the veto when its total gain is
  negative. Rule ``issue``: also when it loses on any vetoed issue the package moves, however
  much it gains elsewhere (a parliament that must ratify a territorial change).
* The **coalition** for the package is the actors who gain; it wins when their clout share
  ``sum_{g_i > tol} c_i / sum_i c_i`` is above ``threshold`` (default 0.5: a simple majority).
* The package is **accepted** when no veto is exercised and the coalition wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from accord.analysis.utility import issue_gains
from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays

VetoRule = Literal["total", "issue"]


@dataclass(frozen=True)
class Rules:
    """Acceptance rules; ``tol`` is in utility points."""

    veto_rule: VetoRule = "total"
    threshold: float = 0.5
    tol: float = 1e-6

    def __post_init__(self) -> None:
        if self.veto_rule not in ("total", "issue"):
            raise AccordError(f"veto rule {self.veto_rule!r}: expected 'total' or 'issue'")
        if not 0 <= self.threshold < 1:
            raise AccordError(f"coalition threshold {self.threshold}: expected a share from 0 to below 1")

    def to_dict(self) -> dict[str, Any]:
        return {"veto_rule": self.veto_rule, "threshold": self.threshold}


def clout(arrays: ScenarioArrays) -> np.ndarray:
    """Salience-weighted mean capability per actor ``[..., A]``."""
    s = arrays.salience * arrays.stake
    total = s.sum(axis=-1)
    weighted = (arrays.capability * s).sum(axis=-1)
    plain = arrays.capability.mean(axis=-1)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), plain)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one package, for one input or per draw (leading axes)."""

    issue_gain: np.ndarray  # [..., A, I]
    gain: np.ndarray  # [..., A]
    moved: np.ndarray  # [..., I] the package moves the issue away from the disagreement point
    clout: np.ndarray  # [..., A]
    holds_veto: np.ndarray  # [..., A]
    vetoes: np.ndarray  # [..., A]
    support_share: np.ndarray  # [...]
    rules: Rules

    @property
    def gains(self) -> np.ndarray:
        return self.gain > self.rules.tol

    @property
    def loses(self) -> np.ndarray:
        return self.gain < -self.rules.tol

    @property
    def accepts(self) -> np.ndarray:
        return ~self.loses

    @property
    def coalition(self) -> np.ndarray:
        return self.support_share > self.rules.threshold

    @property
    def vetoed(self) -> np.ndarray:
        return self.vetoes.any(axis=-1)

    @property
    def accepted(self) -> np.ndarray:
        return self.coalition & ~self.vetoed


def assess(
    arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray, rules: Rules | None = None
) -> Assessment:
    """Judge ``package [..., I]`` (NaN: left open) against ``disagreement [..., I]``."""
    rules = rules or Rules()
    d = np.broadcast_to(np.asarray(disagreement, dtype=float), (*arrays.batch_shape, arrays.n_issues))
    p = np.where(np.isnan(package), d, package)
    g = issue_gains(arrays, p, d)
    gain = g.sum(axis=-1)
    span = arrays.upper - arrays.lower
    moved = ~np.isnan(d) & (np.abs(np.nan_to_num(p - d)) > rules.tol * span / 100)
    on_vetoed = arrays.veto & moved[..., None, :]  # [..., A, I]
    holds = on_vetoed.any(axis=-1)
    vetoes = holds & (gain < -rules.tol)
    if rules.veto_rule == "issue":
        vetoes = vetoes | (on_vetoed & (g < -rules.tol)).any(axis=-1)
    c = clout(arrays)
    share = (c * (gain > rules.tol)).sum(axis=-1) / c.sum(axis=-1)
    return Assessment(g, gain, moved, c, holds, vetoes, share, rules)
