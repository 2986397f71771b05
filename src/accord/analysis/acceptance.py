"""Who accepts a package, whose consent it needs, and whether a winning coalition backs it.

Rules (all vectorised over leading draw axes):

* An actor **gains** when ``g_i > tol``, **loses** when ``g_i < -tol``, else is indifferent,
  each against its own no-deal outcome; it **agrees** (does not object) when it does not lose.
* Its **clout** is its capability averaged over issues with its saliences as weights,
  ``c_i = sum_k c_ik s_ik / sum_k s_ik`` (the plain mean where it has no stake), so the same
  clout counts for every package.
* The package **moves** an issue when it sets a point that differs from some actor's no-deal
  outcome there (by more than ``tol`` percent of the scale); an issue it leaves open, or sets
  where everyone's no-deal outcome lies, is not moved.
* The scenario's decision rules (:mod:`accord.scenario.decisions`) say whose consent a package
  moving each issue needs; an actor **holds a veto** on the package when it votes on a
  requirement that applies. A voter refuses under rule ``total`` when its total gain is
  negative; under rule ``issue`` also when it loses on a moved issue of that requirement, however
  much it gains elsewhere (a parliament that must ratify a territorial change). A requirement
  **fails** when none of its consents reaches its quota; the voters who refused it **block** it
  (``vetoes``).
* The **coalition** for the package is the actors who gain; it wins when their clout share
  ``sum_{g_i > tol} c_i / sum_i c_i`` is above ``threshold`` (default 0.5: a simple majority).
* The package is **accepted** when no requirement fails and the coalition wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from accord.analysis.utility import issue_gains, per_actor
from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.decisions import Requirements, from_vetoes

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
    moved: np.ndarray  # [..., I] the package moves the issue away from the no-deal outcomes
    clout: np.ndarray  # [..., A]
    holds_veto: np.ndarray  # [..., A] votes on a requirement that applies
    vetoes: np.ndarray  # [..., A] refused a requirement that failed
    support_share: np.ndarray  # [...]
    rules: Rules
    settled: np.ndarray | None = None  # [I] the package sets a point on the issue
    active: np.ndarray | None = None  # [..., C] the requirement applies
    met: np.ndarray | None = None  # [..., C] one of its consents is given
    requirements: Requirements | None = None

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
        if self.active is None or self.met is None:
            return self.vetoes.any(axis=-1)
        return (self.active & ~self.met).any(axis=-1)

    @property
    def accepted(self) -> np.ndarray:
        return self.coalition & ~self.vetoed

    def failed(self) -> list[int]:
        """Indices of the requirements that apply and fail (an assessment without draw axes)."""
        if self.active is None or self.met is None:
            return []
        return [int(c) for c in np.flatnonzero(self.active & ~self.met)]


def moved_issues(arrays: ScenarioArrays, package: np.ndarray, d: np.ndarray, tol: float) -> np.ndarray:
    """``[..., I]``: the package sets the issue somewhere other than some actor's no-deal outcome."""
    span = arrays.upper - arrays.lower
    p = np.asarray(package, dtype=float)[..., None, :]
    away = ~np.isnan(d) & ~np.isnan(p) & (np.abs(np.nan_to_num(p - d)) > tol * span / 100)
    return away.any(axis=-2)


def agreement(g: np.ndarray, gain: np.ndarray, moved: np.ndarray, req: Requirements,
              rules: Rules) -> np.ndarray:
    """``[..., C, A]``: the actor does not refuse requirement c (see the module docstring)."""
    agree = np.broadcast_to((gain >= -rules.tol)[..., None, :], (*gain.shape[:-1], len(req), gain.shape[-1]))
    if rules.veto_rule == "issue" and len(req):
        on = req.issue_matrix[:, None, :] & moved[..., None, None, :]  # [..., C, 1, I]
        loses_there = (on & (g[..., None, :, :] < -rules.tol)).any(axis=-1)  # [..., C, A]
        agree = agree & ~loses_there
    return agree


def assess(arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray, rules: Rules | None = None,
           requirements: Requirements | None = None) -> Assessment:
    """Judge ``package [..., I]`` (NaN: left open) against ``disagreement`` (``[..., A, I]`` per
    actor, or ``[..., I]`` shared) under the scenario's ``requirements`` (default: its vetoes).
    """
    rules = rules or Rules()
    req = requirements if requirements is not None else from_vetoes(np.asarray(arrays.veto))
    d = per_actor(arrays, disagreement)
    p = np.broadcast_to(np.asarray(package, dtype=float), (*arrays.batch_shape, arrays.n_issues))
    g = issue_gains(arrays, p, d)
    gain = g.sum(axis=-1)
    moved = moved_issues(arrays, p, d, rules.tol)
    applies = req.issue_matrix  # [C, I]
    active = (applies & moved[..., None, :]).any(axis=-1)  # [..., C]
    agree = agreement(g, gain, moved, req, rules)
    met = np.zeros(active.shape, dtype=bool)
    for c, r in enumerate(req.items):
        met[..., c] = np.any([consent.passes(agree[..., c, :]) for consent in r.consents], axis=0)
    voters = req.voter_matrix  # [C, A]
    holds = (active[..., None] & voters).any(axis=-2)
    vetoes = ((active & ~met)[..., None] & voters & ~agree).any(axis=-2)
    c = clout(arrays)
    share = (c * (gain > rules.tol)).sum(axis=-1) / c.sum(axis=-1)
    settled = ~np.isnan(np.asarray(package, dtype=float))
    return Assessment(g, gain, moved, c, holds, vetoes, share, rules, settled, active, met, req)
