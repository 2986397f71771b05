"""The smallest change that makes a package acceptable: fewest points changed, then least distance.

A mixed-integer linear program (scipy's HiGHS, ``scipy.optimize.milp``) over the acceptance
conditions of :mod:`accord.analysis.program`, which are exact for the linear-loss utilities:

    minimise   (n + 1) sum_j m_j + sum_j e_j
    s.t.       range_j e_j >= |p'_j - p_j|,  m_j >= e_j            (distance; changed flag)
               m_j >= 1 - s_j where the package moves j,  m_j >= s_j where it does not
               the package p' is accepted (every requirement that applies is met, a winning
               coalition gains), with the rounding margin below

The weight ``n + 1`` on the count makes the objective lexicographic: each ``e_j <= 1``, so no
saving in distance outweighs one more changed point. A repair may return a point to where it
stands without agreement (``s_j = 0``): the requirements of that issue then no longer apply, so
the veto it gave someone goes with it.

**Printed precision.** Repaired points are rounded to :func:`accord.analysis.program.step`
(0.1 on a 0-100 scale) and stored as printed, so typing the printed repair back in gives the
same package, and the rounded package is checked against the acceptance rules. The program is
solved exactly first; if its answer, rounded (first towards the original points, then to the
nearest printed value), fails the check, it is solved again asking each voter and coalition
member for ``sum_j w_ij step_j / 2`` more gain over the settled points, which the nearest
printed value of every point then keeps (and once more with four times that margin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from accord.analysis.acceptance import Assessment, Rules, assess
from accord.analysis.program import Program, add_agreement, decimals, round_points, step
from accord.analysis.utility import issue_weights, per_actor
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.decisions import Requirements, from_vetoes
from accord.scenario.schema import Proposal, Scale, Scenario


def fmt_point(value: float, scale: Scale) -> str:
    """Format a point at its scale's printed precision, trailing ``.0`` dropped.

    Parameters
    ----------
    value : float
        The point.
    scale : Scale
        Its issue's scale.

    Returns
    -------
    str
        E.g. ``21.7`` on a 0-100 scale.
    """
    text = f"{value:.{int(decimals(scale.max - scale.min))}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Move:
    """One point of the package changed, on its issue's named scale.

    Parameters
    ----------
    issue : str
        The issue's id.
    before : float
        The package's point; where the issue stands without agreement when the package is silent.
    after : float
        The repaired point; NaN: left open.
    in_package : bool
        False: the package was silent and ``before`` is the no-deal point.
    to_no_deal : bool
        The repair returns the point to where it stands without agreement.
    """

    issue: str
    before: float  # the package's point; where it stands without agreement when the package is silent
    after: float  # NaN: left open
    in_package: bool  # False: the package was silent; ``before`` is the no-deal point
    to_no_deal: bool = False  # the repair returns the point to where it stands without agreement

    def text(self, scale: Scale) -> str:
        """Describe the move in words.

        Parameters
        ----------
        scale : Scale
            The issue's scale (precision and named anchors).

        Returns
        -------
        str
            E.g. ``territory from 20 to 35``, with the nearest named anchor when one is close.
        """
        if math.isnan(self.after):
            return (f"{self.issue}: leave open (drop {fmt_point(self.before, scale)}; each actor's no-deal "
                    f"outcome stands; --open {self.issue})")
        label = nearest_anchor(scale, self.after)
        near = f" ({label})" if label else ""
        if not self.in_package:
            return (f"{self.issue}: add {fmt_point(self.after, scale)}{near} "
                    f"(package silent; {fmt_point(self.before, scale)} without it)")
        back = " — back to no deal" if self.to_no_deal else ""
        return (f"{self.issue} from {fmt_point(self.before, scale)} to {fmt_point(self.after, scale)}"
                f"{near}{back}")

    def to_dict(self, scale: Scale | None = None) -> dict[str, Any]:
        """Return the move as JSON-ready data.

        Parameters
        ----------
        scale : Scale, optional
            The issue's scale; with it, the ``text`` and the nearest ``anchor`` are added.

        Returns
        -------
        dict
            ``issue``, ``from``, ``to`` (None: left open), ``in_package``, ``to_no_deal``.
        """
        out: dict[str, Any] = {"issue": self.issue, "from": self.before,
                               "to": None if math.isnan(self.after) else self.after,
                               "in_package": self.in_package, "to_no_deal": self.to_no_deal}
        if scale is not None:
            out["text"] = self.text(scale)
            out["anchor"] = None if math.isnan(self.after) else nearest_anchor(scale, self.after)
        return out


@dataclass(frozen=True)
class Repair:
    """The outcome of the repair search: not needed, found (with moves), or impossible (why).

    Parameters
    ----------
    status : str
        ``not needed``, ``found`` or ``impossible``.
    moves : tuple of Move
        The changed points.
    proposal : Proposal or None
        The repaired package, ``ID-repaired``.
    assessment : Assessment or None
        The verdict on the repaired package (on the original one when no repair was made).
    reason : str or None
        Why no repair exists.
    best_share : float or None
        When impossible: the largest coalition share reachable.
    """

    status: str  # "not needed" | "found" | "impossible"
    moves: tuple[Move, ...] = ()
    proposal: Proposal | None = None
    assessment: Assessment | None = None
    reason: str | None = None
    best_share: float | None = None  # when impossible: the largest coalition share reachable

    @property
    def distance(self) -> float:
        """The summed absolute change of the points moved (those left open count 0)."""
        return sum(abs(m.after - m.before) for m in self.moves if not math.isnan(m.after))

    def lines(self, scenario: Scenario) -> list[str]:
        """Describe the repair in words, one line per move.

        Parameters
        ----------
        scenario : Scenario
            The scenario (the issues' scales).

        Returns
        -------
        list of str
            The moves, or one line saying that no repair is needed or none exists (and why).
        """
        if self.status == "not needed":
            return ["no repair needed: what the package settles is accepted as it stands"]
        if self.status == "impossible":
            return [f"no repair exists: {self.reason}"]
        return [m.text(scenario.issue(m.issue).scale) for m in self.moves]

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        """Return the repair as JSON-ready data.

        Parameters
        ----------
        scenario : Scenario
            The scenario (the issues' scales and ids).

        Returns
        -------
        dict
            ``status``, ``reason``, ``lines``, ``moves``; with a repaired package its ``points`` and
            ``open`` issues, with an assessment its ``support_share``, and ``best_share`` when known.
        """
        out: dict[str, Any] = {"status": self.status, "reason": self.reason, "lines": self.lines(scenario),
                               "moves": [m.to_dict(scenario.issue(m.issue).scale) for m in self.moves]}
        if self.proposal is not None:
            out["points"] = dict(self.proposal.points)
            out["open"] = [i for i in scenario.issue_ids if i not in self.proposal.points]
        if self.assessment is not None:
            out["support_share"] = float(self.assessment.support_share)
        if self.best_share is not None:
            out["best_share"] = self.best_share
        return out


def nearest_anchor(scale: Scale, value: float, within: float = 0.05) -> str | None:
    """Name the scale's anchor nearest a value.

    Parameters
    ----------
    scale : Scale
        The issue's scale.
    value : float
        The point.
    within : float
        The largest distance, as a share of the scale (0.05: 5%).

    Returns
    -------
    str or None
        ``"≈ 60: label"`` (``"60: label"`` on the anchor itself); None when no anchor is that near.
    """
    if not scale.anchors:
        return None
    point = min(scale.anchors, key=lambda a: abs(a - value))
    if abs(point - value) > within * (scale.max - scale.min):
        return None
    mark = "" if math.isclose(point, value, abs_tol=1e-9) else "≈ "
    return f"{mark}{fmt_point(point, scale)}: {scale.anchors[point]}"


def reference_point(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return where an open issue stands for display, and whether all actors share that point.

    Parameters
    ----------
    d : np.ndarray
        Each actor's no-deal outcome, shape (A, I); NaN where none.

    Returns
    -------
    ref : np.ndarray
        Per issue, the shared no-deal outcome, else the median of the actors' own, shape (I,).
    common : np.ndarray
        Whether all actors share it, shape (I,).
    """
    with np.errstate(all="ignore"):
        lo = np.where(np.isnan(d), np.inf, d).min(axis=0)
        hi = np.where(np.isnan(d), -np.inf, d).max(axis=0)
        common = np.isfinite(lo) & (hi - lo <= 1e-12 * np.maximum(1.0, np.abs(hi)))
        median = np.nanmedian(d, axis=0) if np.isfinite(lo).any() else np.full(d.shape[-1], np.nan)
        ref = np.where(common, lo, median)
    return ref, common


def find_repair(
    scenario: Scenario,
    arrays: ScenarioArrays,
    proposal: Proposal,
    package: np.ndarray,
    disagreement: np.ndarray,
    rules: Rules | None = None,
    hold: tuple[str, ...] = (),
    requirements: Requirements | None = None,
) -> Repair:
    """Find the smallest repair of a package.

    Issues without a disagreement point are never changed (nobody's gain depends on them).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    arrays : ScenarioArrays
        Its arrays, unbatched.
    proposal : Proposal
        The package as proposed.
    package : np.ndarray
        Its points, shape (I,); NaN where it leaves an issue open.
    disagreement : np.ndarray
        The no-deal outcomes, per actor with shape (A, I), or shared with shape (I,).
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    hold : tuple of str
        Ids of issues whose points the repair may not change.
    requirements : Requirements, optional
        The decision rules; default the arrays' vetoes.

    Returns
    -------
    Repair
        ``not needed``, ``found`` with the moves and the repaired package, or ``impossible`` with
        the reason.
    """
    rules = rules or Rules()
    req = requirements if requirements is not None else from_vetoes(np.asarray(arrays.veto))
    d = np.array(per_actor(arrays, disagreement))
    a0 = assess(arrays, package, d, rules, req)
    if bool(a0.accepted):
        return Repair("not needed", assessment=a0)
    ref, common = reference_point(d)
    movable = ~np.isnan(ref) & ~np.isin(np.array(scenario.issue_ids), list(hold))
    fixed = ~movable
    fixed_moved = a0.moved & fixed
    fixed_loss = a0.issue_gain < -rules.tol
    names = scenario.actor_ids
    if rules.veto_rule == "issue":
        stuck = [a for c, r in enumerate(req.items) if (req.issue_matrix[c] & fixed_moved).any()
                 and len(r.consents) == 1 for a in np.flatnonzero(r.consents[0].voters)
                 if r.consents[0].blocked_by(int(a))
                 and (req.issue_matrix[c] & fixed_moved & fixed_loss[a]).any()]
        if stuck:
            who = ", ".join(names[a] for a in dict.fromkeys(stuck))
            return Repair("impossible", assessment=a0,
                          reason=f"{who} would veto a point the repair may not move")
    setup = _Setup(arrays, d, ref, common, req, rules, movable, (a0.issue_gain * fixed).sum(axis=-1),
                   fixed_moved, fixed_loss, package, a0.moved)
    for factor in (0.0, 1.0, 4.0):  # exact first; a margin only when the printed points fall short
        sol = setup.solve(factor)
        if sol is None:
            return _explain(scenario, setup, a0)
        for toward in (True, False):  # the smallest printed change; else the nearest printed point
            new = setup.package(sol, toward)
            a1 = assess(arrays, new, d, rules, req)
            if bool(a1.accepted):
                break
        if bool(a1.accepted):
            break
    moves = setup.moves(scenario, new)
    points = {k: v for k, v in proposal.points.items()}
    for m in moves:
        if math.isnan(m.after):
            points.pop(m.issue, None)
        else:
            points[m.issue] = m.after
    repaired = Proposal(id=f"{proposal.id}-repaired", name=f"{proposal.name}, repaired", points=points)
    if not bool(a1.accepted):  # numerically on the edge; say so rather than claim success
        return Repair("impossible", moves, repaired, a1, reason="the optimiser's answer fails the "
                      "acceptance test by a rounding margin; try --veto-rule or --threshold")
    return Repair("found", moves, repaired, a1)


@dataclass(frozen=True)
class _Setup:
    """The fixed data of one repair program."""

    arrays: ScenarioArrays
    d: np.ndarray  # [A, I]
    ref: np.ndarray  # [I]
    common: np.ndarray  # [I]
    req: Requirements
    rules: Rules
    movable: np.ndarray  # [I]
    fixed_gain: np.ndarray  # [A]
    fixed_moved: np.ndarray  # [I]
    fixed_loss: np.ndarray  # [A, I]
    original: np.ndarray  # [I] the package, NaN open
    moved0: np.ndarray  # [I] the package moves the issue

    @property
    def J(self) -> np.ndarray:
        """The movable issues' indices."""
        return np.flatnonzero(self.movable)

    def start(self) -> np.ndarray:
        """Return the package's points on the movable issues, open ones at the reference point."""
        return np.where(np.isnan(self.original), self.ref, self.original)[self.J]

    def program(self, factor: float = 1.0, coalition: bool = True, threshold: bool = True,
                only: np.ndarray | None = None, changes: bool = True) -> tuple[Program, Any, np.ndarray]:
        """Build the repair program (with ``changes``: the distance and changed-point costs)."""
        J = self.J
        span = (self.arrays.upper - self.arrays.lower)[J]
        margin = factor * issue_weights(self.arrays)[:, J] * step(span) / 2
        prog = Program()
        ag = add_agreement(prog, self.arrays, self.d, self.ref, self.req, self.rules, self.movable,
                           self.fixed_gain, self.fixed_moved, self.fixed_loss, margin=margin,
                           coalition=coalition, threshold=threshold, only=only)
        n = len(J)
        m = prog.var(n, 0, 1, integer=True, cost=(n + 1.0) if changes else 0.0)
        e = prog.var(n, 0, 1, cost=1.0 if changes else 0.0)
        p0 = self.start()
        for j in range(n):
            prog.row([(e[j], span[j]), (ag.p[j], -1.0)], lb=-p0[j])
            prog.row([(e[j], span[j]), (ag.p[j], 1.0)], lb=p0[j])
            prog.row([(m[j], 1.0), (e[j], -1.0)], lb=0.0)
            assert ag.settle is not None
            if self.moved0[J[j]]:
                prog.row([(m[j], 1.0), (ag.settle[j], 1.0)], lb=1.0)
            else:
                prog.row([(m[j], 1.0), (ag.settle[j], -1.0)], lb=0.0)
        return prog, ag, m

    def solve(self, factor: float) -> tuple[np.ndarray, Any, np.ndarray] | None:
        """Solve the program with the rounding margin ``factor``; None when infeasible."""
        prog, ag, m = self.program(factor)
        x = prog.solve()
        return None if x is None else (x, ag, m)

    def package(self, sol: tuple[np.ndarray, Any, np.ndarray], toward: bool = False) -> np.ndarray:
        """Return the repaired package, shape (I,).

        Changed points go on the printed grid (the nearest grid point, or with ``toward`` the one on
        the side of the original point); open ones are NaN (or at the shared no-deal point, where every
        actor shares one).
        """
        x, ag, m = sol
        J = self.J
        span = (self.arrays.upper - self.arrays.lower)[J]
        new = self.original.copy()
        changed = x[m] > 0.5
        settled = x[ag.settle] > 0.5
        p0 = self.start()
        values = round_points(np.clip(x[ag.p], self.arrays.lower[J], self.arrays.upper[J]), span,
                              toward=p0 if toward else None)
        for j, k in enumerate(J):
            if not changed[j]:
                continue
            if settled[j]:
                new[k] = values[j]
            else:
                new[k] = self.ref[k] if self.common[k] else np.nan
        return new

    def moves(self, scenario: Scenario, new: np.ndarray) -> tuple[Move, ...]:
        """List the points that differ between the original package and ``new``."""
        out = []
        for k in self.J:
            before, after = self.original[k], new[k]
            same = (np.isnan(before) and np.isnan(after)) or (
                not np.isnan(before) and not np.isnan(after) and abs(after - before) <= 1e-12)
            if same:
                continue
            start = self.ref[k] if np.isnan(before) else before
            back = not np.isnan(after) and bool(self.common[k]) and abs(after - self.ref[k]) <= 1e-12
            out.append(Move(scenario.issue_ids[k], float(start), float(after), not np.isnan(before), back))
        return tuple(out)


def _explain(scenario: Scenario, setup: _Setup, a0: Assessment) -> Repair:
    """Say why no repair exists.

    Either requirements nothing can meet, or no winning coalition with the consents the best
    package needs.
    """
    names = scenario.actor_ids
    req, rules = setup.req, setup.rules
    if setup.program(coalition=False, changes=False)[0].solve() is None:
        forced = [c for c in range(len(req)) if (req.issue_matrix[c] & setup.fixed_moved).any()]
        for size in (1, 2, 3):
            for group in combinations(forced, size):
                only = np.zeros(len(req), dtype=bool)
                only[list(group)] = True
                if setup.program(coalition=False, only=only, changes=False)[0].solve() is None:
                    who = list(dict.fromkeys(names[a] for c in group
                                             for a in np.flatnonzero(req.items[c].voters)))
                    listed = " and ".join(who)
                    reason = (f"{listed} vetoes whatever the repair does" if len(who) == 1 else
                              f"no package keeps {listed} from vetoing")
                    return Repair("impossible", assessment=a0, reason=reason)
        return Repair("impossible", assessment=a0, reason="the veto players' demands conflict")
    prog, ag, m = setup.program(threshold=False, changes=False)
    c = a0.clout
    for i, z in enumerate(ag.coalition):
        prog.cost[z] = -float(c[i])
    x = prog.solve()
    share = 0.0 if x is None else float((np.round(x[ag.coalition]) * c).sum() / c.sum())
    on_board: list[str] = []
    if x is not None:
        best = assess(setup.arrays, setup.package((x, ag, m)), setup.d, rules, req)
        on_board = [names[a] for a in np.flatnonzero(best.holds_veto)]
    if not on_board:  # the best package moves nothing anyone must consent to: name who blocks moves
        on_board = [names[a] for a in np.flatnonzero(a0.holds_veto)]
    lead = f"keeping {', '.join(on_board)} on board" if on_board else "even with nobody's consent needed"
    return Repair(
        "impossible", assessment=a0, best_share=share,
        reason=(f"{lead}, the actors who gain hold at most {share:.0%} of the clout, not more than "
                f"the {rules.threshold:.0%} a winning coalition needs"),
    )
