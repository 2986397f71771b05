"""The acceptance conditions of a package as a mixed-integer linear program (one input, no draws).

With the linear-loss utilities of :mod:`accord.analysis.utility` the conditions are piecewise
linear in the package, so they can be written exactly (Bertsimas & Tsitsiklis 1997, ch. 1 on
epigraphs; big-M switches for the either-or parts). For the issues ``j`` the program may set:

    p_j in [min_j, max_j]          the point
    s_j in {0, 1}                  the package settles j (0: left open, p_j = dbar_j)
    t_ij >= |p_j - x_ij| - range_j (1 - s_j),  t_ij >= 0          (epigraph of the loss)
    G_i := F_i + sum_j (s_j w_ij |d_ij - x_ij| - w_ij t_ij)       (a lower bound on i's gain,
                                                                   tight at the optimum)

with ``w_ij = 100 s_ij / range_j``, ``d_ij`` actor i's no-deal outcome, ``dbar_j`` the issue's
shared one and ``F_i`` i's gain from the issues the program may not change. A requirement applies
when the package moves one of its issues (``act_c >= s_j``); it is met when one of its consents is
(``sum_l y_cl >= act_c``); a consent is given when the voters who agree (``q_ci = 1`` only if
``G_i >= margin``, and under the per-issue rule only if i loses nothing on the requirement's
issues) reach its quota: ``sum_i v_li q_ci >= quota_l W_l y_cl``. A winning coalition:
``G_i >= eps + margin - M_i (1 - z_i)``, ``sum_i c_i z_i > threshold sum_i c_i``. The callers
add their objective: the repair, the fewest changed points; the zone of agreement, the nearest
package to the models' forecast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.acceptance import Rules
from accord.analysis.utility import issue_weights
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.decisions import Requirements

EPS = 1e-4  # the smallest gain, in utility points, the program gives a coalition member


@contextmanager
def silent_stdout() -> Iterator[None]:
    """Send what C code writes to the process's standard output (file descriptor 1) to nowhere.

    A solver's stray debug line then cannot corrupt the JSON a command prints. Without a
    standard output to protect, nothing is redirected.

    Yields
    ------
    None
        While the block runs, file descriptor 1 points at the null device.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output to protect
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class Program:
    """A growing MILP: variables with bounds, costs and integrality, and rows ``lb <= a.x <= ub``.

    Parameters
    ----------
    lower, upper : list of float
        The variables' bounds.
    integer : list of bool
        Whether each variable is an integer.
    cost : list of float
        The objective's coefficients (minimised).
    rows : list of dict of int to float
        Each row's coefficients, by variable index.
    lbs, ubs : list of float
        Each row's bounds.
    """

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    rows: list[dict[int, float]] = field(default_factory=list)
    lbs: list[float] = field(default_factory=list)
    ubs: list[float] = field(default_factory=list)

    def var(self, n: int, lower: Any = 0.0, upper: Any = 1.0, integer: bool = False,
            cost: Any = 0.0) -> np.ndarray:
        """Add ``n`` variables.

        Parameters
        ----------
        n : int
            How many.
        lower, upper : float or array_like
            Their bounds, broadcast to (n,).
        integer : bool
            Whether they are integers.
        cost : float or array_like
            Their costs, broadcast to (n,).

        Returns
        -------
        np.ndarray
            Their indices in the program's vector, shape (n,).
        """
        start = len(self.lower)
        self.lower += list(np.broadcast_to(np.asarray(lower, dtype=float), n))
        self.upper += list(np.broadcast_to(np.asarray(upper, dtype=float), n))
        self.integer += [integer] * n
        self.cost += list(np.broadcast_to(np.asarray(cost, dtype=float), n))
        return np.arange(start, start + n)

    def row(self, terms: list[tuple[Any, Any]], lb: float = -np.inf, ub: float = np.inf) -> None:
        """Add a row ``lb <= sum of coef * x <= ub``.

        Parameters
        ----------
        terms : list of tuple
            ``(indices, coefficients)`` pairs: one index or an array of them, with a coefficient
            broadcast to them; repeated indices add up.
        lb, ub : float
            The row's bounds.
        """
        coef: dict[int, float] = {}
        for idx, val in terms:
            where = np.atleast_1d(idx)
            for i, v in zip(where, np.broadcast_to(np.asarray(val, dtype=float), where.shape), strict=True):
                coef[int(i)] = coef.get(int(i), 0.0) + float(v)
        self.rows.append(coef)
        self.lbs.append(lb)
        self.ubs.append(ub)

    def solve(self, time_limit: float = 30.0) -> np.ndarray | None:
        """Solve the program with HiGHS (``scipy.optimize.milp``).

        Parameters
        ----------
        time_limit : float
            The solver's time limit, in seconds.

        Returns
        -------
        np.ndarray or None
            The optimal variable vector, or None when the program is infeasible (or no optimum was
            proved in time).
        """
        from scipy.optimize import Bounds, LinearConstraint, milp  # ~0.4 s: only where a program is solved

        n = len(self.lower)
        a = np.zeros((len(self.rows), n))
        for r, coef in enumerate(self.rows):
            for i, v in coef.items():
                a[r, i] = v
        constraints = LinearConstraint(a, self.lbs, self.ubs) if self.rows else ()
        with silent_stdout():  # HiGHS's MIP solver can print a debug line on the C stdout
                res = milp(np.array(self.cost), constraints=constraints,
                       integrality=np.array(self.integer, dtype=int),
                       bounds=Bounds(np.array(self.lower), np.array(self.upper)),
                       options={"time_limit": time_limit})
        return res.x if res.status == 0 and res.x is not None else None


@dataclass(frozen=True)
class Agreement:
    """The variables of :func:`add_agreement` (indices into the program's vector).

    Parameters
    ----------
    J : np.ndarray
        The indices of the issues the program sets, shape (n,).
    p : np.ndarray
        The points, shape (n,).
    settle : np.ndarray or None
        The 0/1 settle switches, shape (n,); None when every issue in ``J`` is settled.
    gain : list of list of tuple
        Per actor, the terms of ``G_i`` (its constant part in ``gain_const``).
    gain_const : np.ndarray
        The constant part of each ``G_i``, shape (A,).
    coalition : np.ndarray or None
        The coalition switches ``z_i``, shape (A,).
    active : list of np.ndarray
        Per requirement, its ``y`` variables (empty: it does not apply).
    reference : np.ndarray
        ``dbar_j``, where an open issue stands, shape (n,).
    """

    J: np.ndarray  # issue indices the program sets
    p: np.ndarray  # [n] points
    settle: np.ndarray | None  # [n] 0/1, None when every issue in J is settled
    gain: list[list[tuple[Any, Any]]]  # per actor: terms of G_i (constant part in gain_const)
    gain_const: np.ndarray  # [A]
    coalition: np.ndarray | None  # [A] z_i
    active: list[np.ndarray]  # per requirement: the y variables (empty: does not apply)
    reference: np.ndarray  # [n] dbar_j


def add_agreement(
    prog: Program, arrays: ScenarioArrays, d: np.ndarray, reference: np.ndarray, req: Requirements,
    rules: Rules, movable: np.ndarray, fixed_gain: np.ndarray, fixed_moved: np.ndarray,
    fixed_loss: np.ndarray, settle_all: bool = False, margin: np.ndarray | None = None,
    coalition: bool = True, only: np.ndarray | None = None, threshold: bool = True,
    exempt: int | None = None,
) -> Agreement:
    """Add the acceptance conditions of a package to a program (see the module docstring).

    Parameters
    ----------
    prog : Program
        The program to add to.
    arrays : ScenarioArrays
        The scenario's arrays, unbatched.
    d : np.ndarray
        Each actor's no-deal outcome, shape (A, I).
    reference : np.ndarray
        Where an open issue stands, shape (I,).
    req : Requirements
        The decision rules.
    rules : Rules
        The acceptance rules.
    movable : np.ndarray
        The issues the program sets, boolean, shape (I,).
    fixed_gain : np.ndarray
        Each actor's gain from the other issues, shape (A,).
    fixed_moved : np.ndarray
        Which of those other issues the package moves, shape (I,).
    fixed_loss : np.ndarray
        Whether actor i loses on that fixed, moved issue (per-issue rule), shape (A, I).
    settle_all : bool
        Every movable issue is settled (no settle switches).
    margin : np.ndarray, optional
        Extra gain demanded per settled issue (room for rounding the points), shape (A, n).
    coalition : bool
        Whether to add the winning-coalition conditions.
    only : np.ndarray, optional
        Keep just these requirements, boolean, shape (C,).
    threshold : bool
        Whether the coalition must reach the rules' threshold.
    exempt : int, optional
        A voter whose consent is not tied to its gain (it may consent whatever it gets: the
        settlement analysis asks what a blocker would need).

    Returns
    -------
    Agreement
        The variables added.
    """
    J = np.flatnonzero(movable)
    n, A = len(J), arrays.n_actors
    span = (arrays.upper - arrays.lower)[J]
    lo, hi = arrays.lower[J], arrays.upper[J]
    w_all = issue_weights(arrays)
    w, x, dj = w_all[:, J], arrays.position[:, J], d[:, J]
    live = (w > 0) & ~np.isnan(dj)
    reach = np.where(live, np.abs(np.nan_to_num(dj) - x), 0.0)  # |d_ij - x_ij|
    margin = np.zeros((A, n)) if margin is None else margin
    p = prog.var(n, lo, hi)
    settle = None if settle_all else prog.var(n, 0, 1, integer=True)
    if settle is not None:  # open: at the reference point
        for j in range(n):
            prog.row([(p[j], 1.0), (settle[j], -span[j])], ub=reference[J][j])
            prog.row([(p[j], 1.0), (settle[j], span[j])], lb=reference[J][j])
    gain: list[list[tuple[Any, Any]]] = [[] for _ in range(A)]
    bound = np.abs(fixed_gain) + (w * span).sum(axis=1) + 2 * reach.sum(axis=1) + margin.sum(axis=1) + 1.0
    t_index = np.full((A, n), -1)
    for a in range(A):
        for j in np.flatnonzero(live[a]).tolist():  # Python ints, like the j above
            t = prog.var(1, 0.0, span[j])[0]
            t_index[a, j] = t
            if settle is None:
                prog.row([(t, 1.0), (p[j], -1.0)], lb=-x[a, j])
                prog.row([(t, 1.0), (p[j], 1.0)], lb=x[a, j])
                gain[a] += [(t, -w[a, j])]
            else:
                prog.row([(t, 1.0), (p[j], -1.0), (settle[j], -span[j])], lb=-x[a, j] - span[j])
                prog.row([(t, 1.0), (p[j], 1.0), (settle[j], -span[j])], lb=x[a, j] - span[j])
                gain[a] += [(t, -w[a, j]), (settle[j], w[a, j] * reach[a, j])]
    const = fixed_gain + (reach * w).sum(axis=1) * (settle is None)

    def need(a: int, extra: float, q: int | None) -> None:
        """G_a >= extra + margins, switched off by q = 0 (when q is given)."""
        terms = list(gain[a])
        if settle is None:
            rhs = extra + margin[a].sum() - const[a]
        else:
            terms += [(settle, -margin[a])]
            rhs = extra - const[a]
        if q is not None:
            terms.append((q, -bound[a]))
            rhs -= bound[a]
        prog.row(terms, lb=rhs)

    active: list[np.ndarray] = []
    mat = req.issue_matrix
    for c, r in enumerate(req.items):
        if only is not None and not only[c]:
            active.append(np.array([], dtype=int))
            continue
        forced = bool((mat[c] & fixed_moved).any())
        switches = [j for j in range(n) if mat[c, J[j]]]
        if not forced and not switches:
            active.append(np.array([], dtype=int))
            continue
        y = prog.var(len(r.consents), 0, 1, integer=True)
        active.append(y)
        if forced or settle is None:
            prog.row([(y, 1.0)], lb=1.0)
        else:
            for j in switches:
                prog.row([(y, 1.0), (settle[j], -1.0)], lb=0.0)
        voters = np.flatnonzero(r.voters)
        q = prog.var(len(voters), 0, 1, integer=True)
        for v, a in zip(q, voters.tolist(), strict=True):  # Python ints, like the a above
            if rules.veto_rule == "issue" and (mat[c] & fixed_moved & fixed_loss[a]).any():
                prog.row([(v, 1.0)], ub=0.0)  # loses on a fixed point of this requirement
            if a == exempt:
                continue
            need(int(a), -rules.tol, int(v))
            if rules.veto_rule == "issue":
                for j in switches:
                    if t_index[a, j] >= 0:  # its gain on j: s_j w |d - x| - w t >= margin - M (1 - q)
                        terms = [(t_index[a, j], -w[a, j]), (v, -bound[a])]
                        if settle is None:
                            prog.row(terms, lb=margin[a, j] - w[a, j] * reach[a, j] - rules.tol - bound[a])
                        else:
                            terms += [(settle[j], w[a, j] * reach[a, j] - margin[a, j])]
                            prog.row(terms, lb=-rules.tol - bound[a])
        for consent, yl in zip(r.consents, y, strict=True):
            total = float(consent.voters.sum())
            need_weight = consent.quota * total + (1e-6 * total if consent.strict else 0.0)
            prog.row([(q, consent.voters[voters]), (yl, -need_weight)], lb=-1e-9 * total)
    z = None
    if coalition:
        c_all = _clout(arrays)
        z = prog.var(A, 0, 1, integer=True)
        for a in range(A):
            need(a, EPS, int(z[a]))
        if threshold:
            prog.row([(z, c_all)], lb=rules.threshold * c_all.sum() + 1e-9 * c_all.sum())
    return Agreement(J, p, settle, gain, const, z, active, reference[J])


def _clout(arrays: ScenarioArrays) -> np.ndarray:
    """Return each actor's clout (:func:`accord.analysis.acceptance.clout`)."""
    from accord.analysis.acceptance import clout

    return clout(arrays)


def round_points(values: np.ndarray, span: np.ndarray, toward: np.ndarray | None = None) -> np.ndarray:
    """Put points on the printed grid (:func:`step`).

    Parameters
    ----------
    values : np.ndarray
        The points.
    span : np.ndarray
        Their scales' widths.
    toward : np.ndarray, optional
        Without it, each point goes to the nearest grid point; with it, to the grid point next to
        the value on the side of ``toward`` (the smallest change of a package).

    Returns
    -------
    np.ndarray
        The rounded points.
    """
    s = step(span)
    down, up = np.floor(values / s + 1e-6) * s, np.ceil(values / s - 1e-6) * s
    pick_up = (up - values) < (values - down) if toward is None else toward > values
    return np.round(np.where(pick_up, up, down), int(decimals(span).max(initial=0)) + 2)


def decimals(span: np.ndarray | float) -> np.ndarray:
    """Return the decimals printed for points on a scale of width ``span``.

    Parameters
    ----------
    span : np.ndarray or float
        The scale's width.

    Returns
    -------
    np.ndarray
        1 on a 0-100 scale, 3 on 0-1.
    """
    return np.maximum(0, 3 - np.floor(np.log10(np.asarray(span, dtype=float)))).astype(int)


def step(span: np.ndarray | float) -> np.ndarray:
    """Return the printed precision of a point on a scale of width ``span``.

    Parameters
    ----------
    span : np.ndarray or float
        The scale's width.

    Returns
    -------
    np.ndarray
        The grid step: 0.1 on a 0-100 scale.
    """
    return 10.0 ** -decimals(span)
