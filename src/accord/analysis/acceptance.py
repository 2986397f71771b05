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
    """Acceptance rules.

    Parameters
    ----------
    veto_rule : {"total", "issue"}
        When a voter refuses: on a negative total gain, or also on a loss on a moved issue of
        the requirement (see the module docstring).
    threshold : float
        The clout share the coalition must exceed to win, from 0 to below 1 (0.5: a simple majority).
    tol : float
        The indifference band, in utility points.

    Raises
    ------
    AccordError
        On an unknown veto rule or a threshold outside [0, 1).
    """

    veto_rule: VetoRule = "total"
    threshold: float = 0.5
    tol: float = 1e-6

    def __post_init__(self) -> None:
        if self.veto_rule not in ("total", "issue"):
            raise AccordError(f"veto rule {self.veto_rule!r}: expected 'total' or 'issue'")
        if not 0 <= self.threshold < 1:
            raise AccordError(f"coalition threshold {self.threshold}: expected a share from 0 to below 1")

    def to_dict(self) -> dict[str, Any]:
        """Return the rules as plain data (``tol`` is left out).

        Returns
        -------
        dict
            ``veto_rule`` and ``threshold``.
        """
        return {"veto_rule": self.veto_rule, "threshold": self.threshold}


def clout(arrays: ScenarioArrays) -> np.ndarray:
    """Compute each actor's salience-weighted mean capability.

    Where the actor has no salience on any issue, the plain mean of its capabilities.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).

    Returns
    -------
    np.ndarray
        Clout, shape (..., A).
    """
    s = arrays.salience * arrays.stake
    total = s.sum(axis=-1)
    weighted = (arrays.capability * s).sum(axis=-1)
    plain = arrays.capability.mean(axis=-1)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), plain)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one package, for one input or per draw (leading axes).

    Parameters
    ----------
    issue_gain : np.ndarray
        Each actor's gain on each issue, shape (..., A, I).
    gain : np.ndarray
        Each actor's total gain, shape (..., A).
    moved : np.ndarray
        Whether the package moves the issue away from the no-deal outcomes, shape (..., I).
    clout : np.ndarray
        Each actor's clout, shape (..., A).
    holds_veto : np.ndarray
        Whether the actor votes on a requirement that applies, shape (..., A).
    vetoes : np.ndarray
        Whether the actor refused a requirement that failed, shape (..., A).
    support_share : np.ndarray
        The clout share of the actors who gain, shape (...).
    rules : Rules
        The rules the verdict was reached under.
    settled : np.ndarray or None
        Whether the package sets a point on the issue, shape (I,).
    active : np.ndarray or None
        Whether the requirement applies, shape (..., C).
    met : np.ndarray or None
        Whether one of the requirement's consents is given, shape (..., C).
    requirements : Requirements or None
        The decision rules the package was judged under.
    """

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
        """Whether each actor gains (more than ``tol``), shape (..., A)."""
        return self.gain > self.rules.tol

    @property
    def loses(self) -> np.ndarray:
        """Whether each actor loses (more than ``tol``), shape (..., A)."""
        return self.gain < -self.rules.tol

    @property
    def accepts(self) -> np.ndarray:
        """Whether each actor agrees, i.e. does not lose, shape (..., A)."""
        return ~self.loses

    @property
    def coalition(self) -> np.ndarray:
        """Whether the coalition of the actors who gain wins, shape (...)."""
        return self.support_share > self.rules.threshold

    @property
    def vetoed(self) -> np.ndarray | np.bool_:
        """Whether a requirement that applies fails, shape (...) (a NumPy bool without draw axes)."""
        if self.active is None or self.met is None:
            return self.vetoes.any(axis=-1)
        return (self.active & ~self.met).any(axis=-1)

    @property
    def accepted(self) -> np.ndarray:
        """Whether the package is accepted: the coalition wins and nothing is vetoed, shape (...)."""
        return self.coalition & ~self.vetoed

    def failed(self) -> list[int]:
        """Return the requirements that apply and fail (an assessment without draw axes).

        Returns
        -------
        list of int
            Their indices in ``requirements``; empty when the assessment has no requirements.
        """
        if self.active is None or self.met is None:
            return []
        return [int(c) for c in np.flatnonzero(self.active & ~self.met)]


def moved_issues(arrays: ScenarioArrays, package: np.ndarray, d: np.ndarray, tol: float) -> np.ndarray:
    """Return which issues the package moves.

    An issue is moved when the package sets it somewhere other than some actor's no-deal outcome,
    by more than ``tol`` percent of the issue's scale.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes).
    package : np.ndarray
        The package, shape (..., I); NaN where it leaves the issue open.
    d : np.ndarray
        The no-deal outcomes per actor, shape (..., A, I).
    tol : float
        The tolerance, in percent of the scale.

    Returns
    -------
    np.ndarray
        Boolean, shape (..., I).
    """
    span = arrays.upper - arrays.lower
    p = np.asarray(package, dtype=float)[..., None, :]
    away = ~np.isnan(d) & ~np.isnan(p) & (np.abs(np.nan_to_num(p - d)) > tol * span / 100)
    return away.any(axis=-2)


def agreement(g: np.ndarray, gain: np.ndarray, moved: np.ndarray, req: Requirements,
              rules: Rules) -> np.ndarray:
    """Return whether each actor does not refuse each requirement (see the module docstring).

    Parameters
    ----------
    g : np.ndarray
        Gains per issue, shape (..., A, I).
    gain : np.ndarray
        Total gains, shape (..., A).
    moved : np.ndarray
        The issues the package moves, shape (..., I).
    req : Requirements
        The decision rules.
    rules : Rules
        The acceptance rules (veto rule and tolerance).

    Returns
    -------
    np.ndarray
        Boolean, shape (..., C, A).
    """
    agree = np.broadcast_to((gain >= -rules.tol)[..., None, :], (*gain.shape[:-1], len(req), gain.shape[-1]))
    if rules.veto_rule == "issue" and len(req):
        on = req.issue_matrix[:, None, :] & moved[..., None, None, :]  # [..., C, 1, I]
        loses_there = (on & (g[..., None, :, :] < -rules.tol)).any(axis=-1)  # [..., C, A]
        agree = agree & ~loses_there
    return agree


def assess(arrays: ScenarioArrays, package: np.ndarray, disagreement: np.ndarray, rules: Rules | None = None,
           requirements: Requirements | None = None) -> Assessment:
    """Judge a package against the no-deal outcomes.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (any leading batch axes, e.g. draws).
    package : np.ndarray
        The package, shape (..., I); NaN where it leaves the issue open.
    disagreement : np.ndarray
        The no-deal outcomes, per actor with shape (..., A, I), or shared with shape (..., I).
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    requirements : Requirements, optional
        The decision rules; default the scenario's vetoes.

    Returns
    -------
    Assessment
        The verdict, with the arrays' leading axes.
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
    weight = clout(arrays)
    share = (weight * (gain > rules.tol)).sum(axis=-1) / weight.sum(axis=-1)
    settled = ~np.isnan(np.asarray(package, dtype=float))
    return Assessment(g, gain, moved, weight, holds, vetoes, share, rules, settled, active, met, req)
