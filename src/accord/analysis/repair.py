"""The smallest change that makes a package acceptable: fewest points moved, then least distance.

A mixed-integer linear program (scipy's HiGHS, ``scipy.optimize.milp``). With the linear-loss
utilities of :mod:`accord.analysis.utility` the acceptance conditions are piecewise linear in
the package, so the program is exact (no local optima):

    minimise   (n + 1) sum_j m_j + sum_j e_j
    over       p'_j in [min_j, max_j], e_j in [0, 1], m_j in {0, 1}, t_ij in [0, range_j],
               z_i in {0, 1}                        (j: the issues the repair may move)
    s.t.       range_j e_j >= |p'_j - p_j|,  e_j <= m_j               (distance; moved flag)
               t_ij >= |p'_j - x_ij|                                  (epigraph of the loss)
               G_i := C_i - sum_j w_ij t_ij,  C_i = sum_j w_ij |d_j - x_ij| + F_i
               G_v >= 0 for every veto player v                      (rule "total")
               t_vj <= |d_j - x_vj| on each vetoed issue j           (rule "issue", in addition)
               G_i >= eps - M_i (1 - z_i)                             (z_i = 1: i gains)
               sum_i c_i z_i >= threshold sum_i c_i + delta           (a winning coalition)

with ``w_ij = 100 s_ij / range_j``, ``F_i`` the gain from the points the repair may not move,
and ``G_i`` a lower bound on the true gain that is tight at the optimum. The weight ``n + 1``
on the count makes the objective lexicographic: each ``e_j <= 1``, so no saving in distance
outweighs one more moved point. Veto players are those holding a veto over an issue the
package moves; the program keeps them on board, and if the repaired package moves a vetoed
issue whose holder was not yet constrained, that actor is added and the program re-solved.
(Holders whose vetoed issue the repair returns to the disagreement point stay constrained:
the answer is then safe but possibly not minimal.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from accord.analysis.acceptance import Assessment, Rules, assess
from accord.analysis.utility import issue_weights
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.schema import Proposal, Scale, Scenario

EPS = 1e-4  # the smallest gain, in utility points, that the repair gives a coalition member


@dataclass(frozen=True)
class Move:
    """One point of the package moved, on its issue's named scale."""

    issue: str
    before: float
    after: float
    in_package: bool  # False: the package was silent; ``before`` is the disagreement point

    def text(self, scale: Scale) -> str:
        label = nearest_anchor(scale, self.after)
        near = f" ({label})" if label else ""
        if not self.in_package:
            return (f"{self.issue}: add {_num(self.after)}{near} "
                    f"(package silent; {_num(self.before)} without it)")
        return f"{self.issue} from {_num(self.before)} to {_num(self.after)}{near}"

    def to_dict(self, scale: Scale | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"issue": self.issue, "from": self.before, "to": self.after,
                               "in_package": self.in_package}
        if scale is not None:
            out["text"] = self.text(scale)
            out["anchor"] = nearest_anchor(scale, self.after)
        return out


@dataclass(frozen=True)
class Repair:
    """The outcome of the repair search: not needed, found (with moves), or impossible (why)."""

    status: str  # "not needed" | "found" | "impossible"
    moves: tuple[Move, ...] = ()
    proposal: Proposal | None = None
    assessment: Assessment | None = None
    reason: str | None = None
    best_share: float | None = None  # when impossible: the largest coalition share reachable

    @property
    def distance(self) -> float:
        return sum(abs(m.after - m.before) for m in self.moves)

    def lines(self, scenario: Scenario) -> list[str]:
        if self.status == "not needed":
            return ["no repair needed: the package is accepted as it stands"]
        if self.status == "impossible":
            return [f"no repair exists: {self.reason}"]
        return [m.text(scenario.issue(m.issue).scale) for m in self.moves]

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "reason": self.reason,
                               "moves": [m.to_dict(scenario.issue(m.issue).scale) for m in self.moves]}
        if self.proposal is not None:
            out["points"] = dict(self.proposal.points)
        if self.assessment is not None:
            out["support_share"] = float(self.assessment.support_share)
        if self.best_share is not None:
            out["best_share"] = self.best_share
        return out


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def nearest_anchor(scale: Scale, value: float, within: float = 0.05) -> str | None:
    """``"≈ 60: label"`` for the anchor nearest ``value`` if within 5% of the scale, else None."""
    if not scale.anchors:
        return None
    point = min(scale.anchors, key=lambda a: abs(a - value))
    if abs(point - value) > within * (scale.max - scale.min):
        return None
    mark = "" if math.isclose(point, value, abs_tol=1e-9) else "≈ "
    return f"{mark}{_num(point)}: {scale.anchors[point]}"


@dataclass(frozen=True)
class _Problem:
    """The fixed data of one repair program (issues ``J`` the repair may move)."""

    J: np.ndarray
    p: np.ndarray  # [n] current points
    d: np.ndarray  # [n]
    lo: np.ndarray
    hi: np.ndarray
    span: np.ndarray
    x: np.ndarray  # [A, n]
    w: np.ndarray  # [A, n]
    C: np.ndarray  # [A] gain when every movable issue sits at d, plus the fixed points' gain
    c: np.ndarray  # [A] clout
    veto: np.ndarray  # [A, n] vetoed movable issues
    fixed_veto_loss: np.ndarray  # [A] loses on a vetoed issue the repair may not move


def _setup(arrays: ScenarioArrays, package: np.ndarray, d: np.ndarray, a0: Assessment,
           movable: np.ndarray) -> _Problem:
    J = np.flatnonzero(movable)
    p = np.where(np.isnan(package), d, package)
    w_all = issue_weights(arrays)
    w, x = w_all[:, J], arrays.position[:, J]
    fixed = ~movable
    F = (a0.issue_gain * fixed).sum(axis=-1)
    C = (w * np.abs(d[J] - x)).sum(axis=-1) + F
    tol = a0.rules.tol
    fixed_veto_loss = (arrays.veto & fixed & a0.moved & (a0.issue_gain < -tol)).any(axis=-1)
    return _Problem(J, p[J], d[J], arrays.lower[J], arrays.upper[J], (arrays.upper - arrays.lower)[J],
                    x, w, C, a0.clout, arrays.veto[:, J], fixed_veto_loss)


def _solve(pr: _Problem, vetoers: np.ndarray, rules: Rules, coalition: bool,
           maximise_support: bool = False) -> np.ndarray | None:
    """Solve the program; return the variable vector or None when infeasible."""
    n, A = len(pr.J), len(pr.C)
    ip, ie, im = np.arange(n), n + np.arange(n), 2 * n + np.arange(n)
    it = 3 * n + np.arange(A * n).reshape(A, n)
    iz = 3 * n + A * n + np.arange(A)
    nv = 3 * n + A * n + A
    rows: list[np.ndarray] = []
    lbs: list[float] = []
    ubs: list[float] = []

    def row(coef: list[tuple[Any, Any]], lb: float, ub: float) -> None:
        r = np.zeros(nv)
        for idx, val in coef:
            r[idx] += val
        rows.append(r)
        lbs.append(lb)
        ubs.append(ub)

    for j in range(n):
        row([(ie[j], pr.span[j]), (ip[j], -1.0)], -pr.p[j], np.inf)
        row([(ie[j], pr.span[j]), (ip[j], 1.0)], pr.p[j], np.inf)
        row([(ie[j], 1.0), (im[j], -1.0)], -np.inf, 0.0)
        for a in range(A):
            if pr.w[a, j] > 0:
                row([(it[a, j], 1.0), (ip[j], -1.0)], -pr.x[a, j], np.inf)
                row([(it[a, j], 1.0), (ip[j], 1.0)], pr.x[a, j], np.inf)
    for a in np.flatnonzero(vetoers):
        row([(it[a], pr.w[a])], -np.inf, pr.C[a])
        if rules.veto_rule == "issue":
            for j in np.flatnonzero(pr.veto[a] & (pr.w[a] > 0)):
                row([(it[a, j], 1.0)], -np.inf, abs(pr.d[j] - pr.x[a, j]))
    total = pr.c.sum()
    if coalition or maximise_support:
        for a in range(A):
            big = EPS + max(0.0, float((pr.w[a] * pr.span).sum() - pr.C[a])) + 1.0
            row([(it[a], pr.w[a]), (iz[a], big)], -np.inf, pr.C[a] - EPS + big)
    if coalition:
        row([(iz, pr.c)], rules.threshold * total + 1e-9 * total, np.inf)
    lower = np.zeros(nv)
    upper = np.ones(nv)
    lower[ip], upper[ip] = pr.lo, pr.hi
    upper[it] = np.broadcast_to(pr.span, (A, n))
    integrality = np.zeros(nv)
    integrality[im] = 1
    integrality[iz] = 1
    cost = np.zeros(nv)
    if maximise_support:
        cost[iz] = -pr.c
    else:
        cost[im], cost[ie] = n + 1.0, 1.0
    if not (coalition or maximise_support):
        upper[iz] = 0
    constraints = LinearConstraint(np.array(rows), lbs, ubs) if rows else ()
    res = milp(cost, constraints=constraints, integrality=integrality, bounds=Bounds(lower, upper))
    return res.x if res.status == 0 and res.x is not None else None


def find_repair(
    scenario: Scenario,
    arrays: ScenarioArrays,
    proposal: Proposal,
    package: np.ndarray,
    disagreement: np.ndarray,
    rules: Rules | None = None,
    hold: tuple[str, ...] = (),
) -> Repair:
    """The smallest repair of ``package [I]`` against ``disagreement [I]`` (unbatched arrays).

    ``hold`` names issues whose points the repair may not move. Issues without a
    disagreement point are never moved (nobody's gain depends on them).
    """
    rules = rules or Rules()
    a0 = assess(arrays, package, disagreement, rules)
    if bool(a0.accepted):
        return Repair("not needed", assessment=a0)
    movable = ~np.isnan(disagreement) & ~np.isin(np.array(scenario.issue_ids), list(hold))
    pr = _setup(arrays, package, disagreement, a0, movable)
    names = scenario.actor_ids
    if rules.veto_rule == "issue" and (pr.fixed_veto_loss & a0.holds_veto).any():
        who = ", ".join(names[a] for a in np.flatnonzero(pr.fixed_veto_loss & a0.holds_veto))
        return Repair("impossible", assessment=a0,
                      reason=f"{who} would veto a point the repair may not move")
    vetoers = a0.holds_veto.copy()
    for _ in range(len(names) + 1):
        sol = _solve(pr, vetoers, rules, coalition=True)
        if sol is None:
            return _explain(scenario, pr, vetoers, rules, a0)
        new = _apply(pr, package, disagreement, sol)
        a1 = assess(arrays, new, disagreement, rules)
        missing = a1.holds_veto & ~vetoers
        if bool(a1.accepted) or not missing.any():
            break
        vetoers = vetoers | missing
    moves = tuple(
        Move(scenario.issue_ids[k], float(pr.p[j]), float(new[k]), not np.isnan(package[k]))
        for j, k in enumerate(pr.J) if abs(new[k] - pr.p[j]) > 1e-9 * pr.span[j]
    )
    points = dict(proposal.points)
    points.update({m.issue: m.after for m in moves})
    # a changed package's id ends in "+" (with_points), which an id may not hold: spell it out
    base = proposal.id.replace("+", "-changed")
    repaired = Proposal(id=f"{base}-repaired", name=f"{proposal.name}, repaired", points=points)
    if not bool(a1.accepted):  # numerically on the edge; say so rather than claim success
        return Repair("impossible", moves, repaired, a1, reason="the optimiser's answer fails the "
                      "acceptance test by a rounding margin; try --veto-rule or --threshold")
    return Repair("found", moves, repaired, a1)


def _apply(pr: _Problem, package: np.ndarray, d: np.ndarray, sol: np.ndarray) -> np.ndarray:
    n = len(pr.J)
    new = np.where(np.isnan(package), d, package).copy()
    moved = sol[2 * n: 3 * n] > 0.5
    values = np.clip(sol[:n], pr.lo, pr.hi)
    new[pr.J] = np.where(moved, values, pr.p)
    return new


def _explain(scenario: Scenario, pr: _Problem, vetoers: np.ndarray, rules: Rules, a0: Assessment) -> Repair:
    """Why no repair exists: conflicting veto players, or no winning coalition with them aboard."""
    names = scenario.actor_ids
    who = np.flatnonzero(vetoers)
    if _solve(pr, vetoers, rules, coalition=False) is None:
        for size in (1, 2, 3):
            for group in combinations(who, size):
                mask = np.zeros_like(vetoers)
                mask[list(group)] = True
                if _solve(pr, mask, rules, coalition=False) is None:
                    listed = " and ".join(names[a] for a in group)
                    reason = (f"no package keeps {listed} from vetoing" if size > 1 else
                              f"{listed} vetoes whatever the repair does")
                    return Repair("impossible", assessment=a0, reason=reason)
        return Repair("impossible", assessment=a0, reason="the veto players' demands conflict")
    sol = _solve(pr, vetoers, rules, coalition=False, maximise_support=True)
    share = 0.0 if sol is None else float((np.round(sol[-len(names):]) * pr.c).sum() / pr.c.sum())
    vetolist = ", ".join(names[a] for a in who) or "no veto player"
    return Repair(
        "impossible", assessment=a0, best_share=share,
        reason=(f"keeping {vetolist} on board, the actors who gain hold at most {share:.0%} of "
                f"the clout, not more than the {rules.threshold:.0%} a winning coalition needs"),
    )
