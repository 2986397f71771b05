"""Settlement or stalemate: is a comprehensive agreement possible, and who stands in its way.

Is a comprehensive agreement possible at all, what would it look like, and who stands in the way
when it is not.

For each draw, the **zone of possible agreement** (Raiffa 1982, *The Art and Science of
Negotiation*, ch. 4; Sebenius 1992) is the set of complete packages ``p`` (a point on every issue
that has a no-deal outcome) that every actor whose consent they need prefers, at least weakly, to
its own no-deal outcome ``d_i`` (its outside option), and that a winning coalition backs:

    Z = { p : g_v(p) >= 0 for every voter v of a requirement of the scenario's decision rules
              (all apply: a complete package settles every issue),
              sum over actors with g_i(p) > 0 of c_i  >  threshold * sum_i c_i }

with ``g_i(p) = u_i(p) - u_i(d_i)`` the linear-loss gain of :mod:`accord.analysis.utility`. The
report gives P(Z is not empty) over the draws, and:

* **the likely package**: in each draw with a zone, the point of the zone nearest (in percent of
  each scale, summed) to the models' forecast of that draw (per issue, the median of the chosen
  models' outcomes), each voter gaining at least ``min(1, width / 2)`` utility points (so that it
  gains rather than stays indifferent). Where the models expect talks to go, moved just far
  enough that no one whose consent is needed would refuse it. (The Nash bargaining point would
  pick the zone's most "balanced" package instead; the models already weigh the actors'
  bargaining power, so the projection keeps their forecast wherever it is acceptable.)
  Summarised per issue by the median and 5-95% range over the draws with a zone; the median
  package is then judged in every draw.
* **the blocker**: in a draw without a zone, for each voter ``v`` the smallest side payment (in
  utility points) that makes it agree while every other voter gains at least nothing: under
  rule ``total`` ``-max g_v s.t. g_u >= 0, u != v``; under rule ``issue`` also what it loses on
  each point it ratifies. The blocker is the voter who is cheapest to pay (its
  **compensation**). Where no single payment suffices (the others' demands conflict as well),
  the draw counts as blocked by several, with the smallest total payment
  ``min sum_v max(0, -g_v)``.
* **the zone's width**: ``max_p min_v g_v(p)``, what every voter can gain at once (below 0:
  how far the worst-off voter stays short), and, where a zone exists, the voter the likely
  package satisfies least (**closest to refusing**).

Vectorised: with consents that every voter must give (the usual veto players), the zone is
tested by one linear program per draw, ``max_p min_v g_v(p) >= 0`` (epigraph form), all draws
solved at once as block-diagonal programs (:mod:`accord.analysis.batched_lp`); the nearest
package and the payments are further batched programs. A voter whose rows have dual value 0 at
the max-min optimum cannot be a lone blocker (without its rows the optimum is unchanged, by
weak duality), so only the binding voters are priced. Rules with majorities or overrides are
bounded by the same programs — a zone when every voter must agree is a zone; no zone when only
the veto players must agree is none (its blocker one of them) — and the draws the bounds leave
open, like draws whose nearest package lacks a winning coalition, are solved exactly, one by
one, as the mixed-integer program of :mod:`accord.analysis.program`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from accord.analysis.acceptance import Rules, assess
from accord.analysis.batched_lp import Blocks
from accord.analysis.program import Program, add_agreement
from accord.analysis.repair import reference_point
from accord.analysis.utility import issue_weights
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.decisions import Requirements, requirements
from accord.scenario.outside import no_deal_values
from accord.scenario.sampling import sample_arrays, sample_no_deal
from accord.scenario.schema import Scenario

BIG = 1e4  # cost per utility point of a slack: larger than any gain on 0-100 scales
NONE, SEVERAL = -1, -2

DEFINITION = ("a complete package (a point on every issue) that every actor whose consent the decision "
              "rules require prefers to its own no-deal outcome, and that actors holding more than the "
              "threshold share of the clout gain from")


@dataclass(frozen=True)
class Zones:
    """Per draw: a zone exists, the package chosen in it, the blocker and its compensation.

    Parameters
    ----------
    zone : np.ndarray
        Whether the draw has a zone, boolean, shape (B,).
    package : np.ndarray
        The package chosen in the zone, shape (B, I); NaN without a zone (and on issues no package
        settles).
    blocker : np.ndarray
        The blocker's actor index, ``NONE`` (a zone exists) or ``SEVERAL``, shape (B,).
    compensation : np.ndarray
        The blocker's compensation in utility points, shape (B,); NaN with a zone, or when blocked
        by several.
    total : np.ndarray
        The smallest total side payment (where no single payment suffices), shape (B,).
    exact : np.ndarray
        Whether the draw was solved as a mixed-integer program, shape (B,).
    slack : np.ndarray
        ``max_p min_v g_v(p)``, what every voter can gain at once, shape (B,); NaN: not computed.
    tightest : np.ndarray
        With a zone, the voter the chosen package satisfies least (else ``NONE``), shape (B,).
    """

    zone: np.ndarray  # [B] bool
    package: np.ndarray  # [B, I], NaN without a zone (and on issues no package settles)
    blocker: np.ndarray  # [B] actor index, NONE (a zone exists) or SEVERAL
    compensation: np.ndarray  # [B] utility points (NaN with a zone, or blocked by several)
    total: np.ndarray  # [B] the smallest total side payment (where no single payment suffices)
    exact: np.ndarray  # [B] solved as a mixed-integer program
    slack: np.ndarray  # [B] max_p min_v g_v(p): what every voter can gain at once (NaN: not computed)
    tightest: np.ndarray  # [B] with a zone: the voter the chosen package satisfies least (else NONE)


@dataclass(frozen=True)
class Settlement:
    """The settlement-or-stalemate headline of a forecast (plain data, JSON round trip).

    Parameters
    ----------
    n_draws : int
        The number of draws analysed; 0: the coded values only.
    p_zone : float
        The share of the draws with a zone of possible agreement.
    zone_at_coded_values : bool
        Whether there is a zone at the coded values.
    consent_of : list of str
        The actors whose consent a complete package needs.
    package : dict or None
        The likely package: per issue, ``median``, ``q05`` and ``q95`` over the draws with a zone.
    package_at_coded_values : dict of str to float or None
        The likely package at the coded values, by issue.
    package_p_accepted : float or None
        The share of the draws in which the median package is accepted.
    blockers : list of dict
        Per blocker: ``actor``, ``share`` (of the draws without a zone), ``p`` (of all draws) and
        ``compensation`` (``median``, ``q05``, ``q95``), most frequent first.
    closest : list of dict
        With a zone, the voters the likely package satisfies least: ``actor`` and ``share``.
    several : float
        The share of the draws without a zone that no single actor's payment opens.
    total_compensation : dict of str to float or None
        The smallest total side payment over those draws (``median``, ``q05``, ``q95``).
    anchor : str
        What the likely package is drawn toward, in words.
    open_issues : list of str
        The issues no package can settle (no status quo or no-deal outcome to compare with).
    rules : dict
        The acceptance rules, as plain data.
    slack : dict of str to float or None
        ``max_p min_v g_v(p)`` over the draws: the zone's width (``median``, ``q05``, ``q95``).
    exact_draws : int
        How many draws were solved as mixed-integer programs.
    of_draws : int
        The forecast's number of draws when the analysis ran on the first ``n_draws`` of them
        (else 0).
    definition : str
        The zone's definition in words.
    notes : list of str
        Remarks for the reader.
    """

    n_draws: int  # 0: the coded values only
    p_zone: float
    zone_at_coded_values: bool
    consent_of: list[str]
    package: dict[str, dict[str, float]] | None  # issue -> {median, q05, q95} over draws with a zone
    package_at_coded_values: dict[str, float] | None
    package_p_accepted: float | None
    blockers: list[dict[str, Any]]  # {actor, share, p, compensation: {median, q05, q95}}
    closest: list[dict[str, Any]]  # {actor, share}: with a zone, whom the likely package satisfies least
    several: float  # share of draws without a zone that no single actor's payment opens
    total_compensation: dict[str, float] | None  # {median, q05, q95} over those draws
    anchor: str
    open_issues: list[str]
    rules: dict[str, Any]
    slack: dict[str, float] | None = None  # max_p min_v g_v(p) over the draws: the zone's width
    exact_draws: int = 0
    of_draws: int = 0  # the forecast's draws, when the analysis ran on the first n_draws of them
    definition: str = DEFINITION
    notes: list[str] = field(default_factory=list)

    @property
    def blocker(self) -> dict[str, Any] | None:
        """The most frequent blocker's entry, or None when nobody blocks."""
        return self.blockers[0] if self.blockers else None

    def to_dict(self) -> dict[str, Any]:
        """Return the headline as plain data.

        Returns
        -------
        dict
            One key per field.
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settlement:
        """Rebuild a headline from :meth:`to_dict`'s data.

        Parameters
        ----------
        data : dict
            The fields.

        Returns
        -------
        Settlement
            The headline.
        """
        return cls(**data)


# --- the per-draw analysis --------------------------------------------------------------------
def _voters(req: Requirements, settled: np.ndarray) -> np.ndarray:
    """Return the actors voting on a requirement that a package settling ``settled [I]`` needs, ``[A]``."""
    applies = (req.issue_matrix & settled).any(axis=1)
    return (req.voter_matrix & applies[:, None]).any(axis=0) if len(req) else np.zeros(req.n_actors, bool)


@dataclass(frozen=True)
class _Data:
    """The numbers of the linear programs, per draw."""

    J: np.ndarray  # [n] the issues a complete package settles
    V: np.ndarray  # [m] voters (actors whose consent is needed) with a stake in them
    pairs: list[tuple[int, int]]  # (voter row in V, j) with a stake
    per_issue: list[int]  # pairs whose issue gain must not be negative (per-issue veto rule)
    w: np.ndarray  # [B, m, n]
    x: np.ndarray  # [B, m, n]
    reach: np.ndarray  # [B, m, n] |d - x|
    lo: np.ndarray  # [n]
    hi: np.ndarray
    span: np.ndarray

    @property
    def R(self) -> np.ndarray:
        """``[B, m]``: each voter's loss at its no-deal outcome, ``sum_j w |d - x|``."""
        return (self.w * self.reach).sum(axis=-1)


def _data(arrays: ScenarioArrays, d: np.ndarray, req: Requirements, rules: Rules) -> _Data:
    """Gather the linear programs' numbers for the draws of ``arrays``."""
    J = np.flatnonzero((~np.isnan(d)).any(axis=(0, 1)))
    voters = _voters(req, np.isin(np.arange(arrays.n_issues), J))
    stake = arrays.stake[:, J] & (~np.isnan(d[:, :, J])).all(axis=0)
    V = np.flatnonzero(voters & stake.any(axis=1))
    w = issue_weights(arrays)[:, V][:, :, J]
    x = arrays.position[:, V][:, :, J]
    dj = d[:, V][:, :, J]
    reach = np.where(np.isnan(dj), 0.0, np.abs(np.nan_to_num(dj) - x))
    pairs = [(r, j) for r in range(len(V)) for j in range(len(J)) if stake[V[r], j]]
    per_issue: list[int] = []
    if rules.veto_rule == "issue":
        votes = req.voter_issues()[V][:, J]
        per_issue = [n for n, (r, j) in enumerate(pairs) if votes[r, j]]
    return _Data(J, V, pairs, per_issue, w, x, reach, arrays.lower[J], arrays.upper[J],
                 (arrays.upper - arrays.lower)[J])


def _epigraph(blocks: Blocks, dt: _Data, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add the points ``p`` and the loss epigraphs ``t >= |p_j - x_vj|`` of the selected draws."""
    p = blocks.var(len(dt.J), dt.lo, dt.hi)
    t = blocks.var(len(dt.pairs), 0.0, dt.span[[j for _, j in dt.pairs]])
    for n, (r, j) in enumerate(dt.pairs):
        blocks.row([t[n], p[j]], [1.0, -1.0], lb=-dt.x[sel, r, j])
        blocks.row([t[n], p[j]], [1.0, 1.0], lb=dt.x[sel, r, j])
    return p, t


def _gains(blocks: Blocks, dt: _Data, t: np.ndarray, sel: np.ndarray, voters: list[int],
           lam: int | None = None, slack_cost: float | None = None, margin: object = 0.0) -> np.ndarray:
    """Add rows "each of ``voters`` gains at least ``margin``" and return their slack variables.

    The rows are ``g_v >= margin``, and under the per-issue rule also ``g_vj >= 0`` on the issues
    the voter ratifies, with ``+ lam`` on the left (the max-min form) or a slack per row costing
    ``slack_cost``.
    """
    rows: list[tuple[list[int], np.ndarray, np.ndarray]] = []
    for r in voters:
        mine = [n for n, (rr, _) in enumerate(dt.pairs) if rr == r]
        js = [dt.pairs[n][1] for n in mine]
        rows.append((list(t[mine]), dt.w[sel][:, r, js], dt.R[sel, r] - margin))
        for n in (n for n in dt.per_issue if dt.pairs[n][0] == r):
            j = dt.pairs[n][1]
            rows.append(([int(t[n])], dt.w[sel][:, r, [j]], dt.w[sel, r, j] * dt.reach[sel, r, j]))
    slack = blocks.var(len(rows), 0.0, BIG, cost=slack_cost) if slack_cost is not None else np.zeros(0, int)
    for k, (cols, coefs, rhs) in enumerate(rows):
        if lam is not None:
            cols, coefs = [*cols, lam], np.concatenate([coefs, np.ones((len(sel), 1))], axis=1)
        elif slack_cost is not None:
            cols, coefs = [*cols, int(slack[k])], np.concatenate([coefs, -np.ones((len(sel), 1))], axis=1)
        blocks.row(cols, coefs, ub=rhs)
    return slack


def _own_loss(dt: _Data, t: np.ndarray, r: int, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return voter ``r``'s loss ``sum_j w_rj t_rj`` as (columns, coefficients ``[b, k]``)."""
    mine = [n for n, (rr, _) in enumerate(dt.pairs) if rr == r]
    js = np.array([dt.pairs[n][1] for n in mine], dtype=int)
    return t[mine], dt.w[sel][:, r, js]


def _maxmin(dt: _Data, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Compute ``max_p min_v g_v(p)`` per selected draw, and which voters' rows bind it.

    Returns ``[b]`` (with the per-issue gains under that rule) and ``[b, m]`` (a positive dual
    value). A voter whose rows all have dual value 0 cannot be a lone blocker: without its rows the
    optimum stays the same (the dual solution stays feasible; weak duality), so the others still
    cannot all gain at once.
    """
    blocks = Blocks(len(sel))
    _, t = _epigraph(blocks, dt, sel)
    lam = blocks.var(1, -BIG, BIG, cost=-1.0)
    first = len(blocks.cols)
    _gains(blocks, dt, t, sel, list(range(len(dt.V))), lam=int(lam[0]))
    x, duals = blocks.solve_with_duals()
    owner = _row_owners(dt, list(range(len(dt.V))))
    binding = np.zeros((len(sel), len(dt.V)), dtype=bool)
    for k, r in enumerate(owner):
        binding[:, r] |= duals[:, first + k] > 1e-9
    return x[:, lam[0]], binding


def _row_owners(dt: _Data, voters: list[int]) -> list[int]:
    """Return the voter of each row :func:`_gains` adds, in its order."""
    out = []
    for r in voters:
        out.append(r)
        out += [r for n in dt.per_issue if dt.pairs[n][0] == r]
    return out


def _nearest(dt: _Data, sel: np.ndarray, anchor: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Find the point of the zone nearest ``anchor [b, n]``, shape ``[b, n]``.

    Distance is the sum of ``|p - a| / span``; each voter gains at least ``margin [b]``.
    """
    blocks = Blocks(len(sel))
    p, t = _epigraph(blocks, dt, sel)
    u = blocks.var(len(dt.J), 0.0, dt.span, cost=1.0 / dt.span)
    for j in range(len(dt.J)):
        blocks.row([u[j], p[j]], [1.0, -1.0], lb=-anchor[:, j])
        blocks.row([u[j], p[j]], [1.0, 1.0], lb=anchor[:, j])
    _gains(blocks, dt, t, sel, list(range(len(dt.V))), slack_cost=BIG, margin=margin)
    return blocks.solve()[:, p]


def _payment(dt: _Data, sel: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Price the smallest side payment that makes voter ``r`` agree while every other voter agrees.

    Returns the payment ``[b]`` and whether the others can agree at all ``[b]``. Under rule
    ``total`` the payment is ``max(0, -g_r)``. Under rule ``issue`` the voter is also paid what it
    loses on each point it ratifies: ``e_j = max(0, -g_rj)``, then ``max(0, -(g_r + sum_j e_j))``
    on the whole.
    """
    blocks = Blocks(len(sel))
    _, t = _epigraph(blocks, dt, sel)
    s = _gains(blocks, dt, t, sel, [q for q in range(len(dt.V)) if q != r], slack_cost=BIG)
    own_cols, own = _own_loss(dt, t, r, sel)
    ratified = [n for n in dt.per_issue if dt.pairs[n][0] == r]
    e = blocks.var(len(ratified), 0.0, BIG, cost=1.0)
    for k, n in enumerate(ratified):  # e_j >= w t_j - w |d_j - x_j|: the loss on point j
        j = dt.pairs[n][1]
        blocks.row([int(e[k]), int(t[n])], np.stack([np.ones(len(sel)), -dt.w[sel, r, j]], axis=1),
                   lb=-dt.w[sel, r, j] * dt.reach[sel, r, j])
    f = blocks.var(1, 0.0, BIG, cost=1.0)  # f >= -(g_r + sum e) = sum w t - R - sum e
    blocks.row([int(f[0]), *e.tolist(), *own_cols.tolist()],
               np.concatenate([np.ones((len(sel), 1 + len(e))), -own], axis=1), lb=-dt.R[sel, r])
    x = blocks.solve()
    payment = x[:, f[0]] + (x[:, e].sum(axis=1) if len(e) else 0.0)
    feasible = x[:, s].sum(axis=1) <= 1e-6 if len(s) else np.ones(len(sel), dtype=bool)
    return payment, feasible


def _total(dt: _Data, sel: np.ndarray) -> np.ndarray:
    """Price the smallest total side payment ``min_p sum_v max(0, -g_v(p))``, shape ``[b]``.

    Under the per-issue rule, plus what the voters lose on the points they ratify.
    """
    blocks = Blocks(len(sel))
    _, t = _epigraph(blocks, dt, sel)
    s = _gains(blocks, dt, t, sel, list(range(len(dt.V))), slack_cost=1.0)
    x = blocks.solve()
    return x[:, s].sum(axis=1)


def _draw(arrays: ScenarioArrays, b: int) -> ScenarioArrays:
    """Return draw ``b`` of batched arrays as unbatched arrays."""
    sq = arrays.status_quo[b] if arrays.status_quo.ndim > 1 else arrays.status_quo
    return arrays.replace(position=arrays.position[b], salience=arrays.salience[b],
                          capability=arrays.capability[b], status_quo=sq)


def _exact(arrays: ScenarioArrays, d: np.ndarray, anchor: np.ndarray, req: Requirements, rules: Rules,
           J: np.ndarray) -> tuple[np.ndarray | None, int, float]:
    """Solve one draw by the mixed-integer program.

    Returns the nearest package in the zone (None: no zone), else the blocker (actor index or
    ``SEVERAL``) and its compensation.
    """
    movable = np.isin(np.arange(arrays.n_issues), J)
    ref = reference_point(d)[0]
    zeros_a, zeros_i = np.zeros(arrays.n_actors), np.zeros(arrays.n_issues, dtype=bool)
    loss = np.zeros((arrays.n_actors, arrays.n_issues), dtype=bool)
    prog = Program()
    ag = add_agreement(prog, arrays, d, ref, req, rules, movable, zeros_a, zeros_i, loss, settle_all=True)
    span = (arrays.upper - arrays.lower)[J]
    u = prog.var(len(J), 0.0, span, cost=1.0 / span)
    for j in range(len(J)):
        prog.row([(u[j], 1.0), (ag.p[j], -1.0)], lb=-anchor[J[j]])
        prog.row([(u[j], 1.0), (ag.p[j], 1.0)], lb=anchor[J[j]])
    x = prog.solve()
    if x is not None:
        out = np.full(arrays.n_issues, np.nan)
        out[J] = x[ag.p]
        return out, NONE, np.nan
    best, who = np.inf, SEVERAL
    for a in np.flatnonzero(_voters(req, movable)):
        prog = Program()
        ag = add_agreement(prog, arrays, d, ref, req, rules, movable, zeros_a, zeros_i, loss, settle_all=True,
                           exempt=int(a))
        for col, coef in ag.gain[a]:
            prog.cost[int(col)] -= float(coef)
        x = prog.solve()
        if x is None:
            continue
        gain = ag.gain_const[a] + sum(float(coef) * x[int(col)] for col, coef in ag.gain[a])
        if -gain < best:
            best, who = max(0.0, -gain), int(a)
    return None, who, best if who != SEVERAL else np.nan


def zones(arrays: ScenarioArrays, d: np.ndarray, anchor: np.ndarray, req: Requirements,
          rules: Rules | None = None) -> Zones:
    """Analyse the zone of every draw (see the module docstring).

    Rules with majorities or overrides are bounded first by linear programs: where a zone exists
    even when every voter must agree, it exists; where none exists even when only the veto players
    must agree, none does (and the blocker is one of them); only the draws in between are solved
    exactly.

    Parameters
    ----------
    arrays : ScenarioArrays
        The draws, batched with shape (B, ...).
    d : np.ndarray
        The actors' no-deal outcomes per draw, shape (B, A, I).
    anchor : np.ndarray
        The models' forecast per draw, shape (B, I); where NaN, the no-deal reference point, else
        the scale's midpoint.
    req : Requirements
        The decision rules.
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.

    Returns
    -------
    Zones
        Per draw: the zone, its package, the blocker and its compensation.
    """
    rules = rules or Rules()
    anchor = np.where(np.isnan(anchor), reference_point(d[0])[0], anchor)
    anchor = np.where(np.isnan(anchor), (arrays.lower + arrays.upper) / 2, anchor)
    if req.simple:
        found = _simple(arrays, d, anchor, req, rules, judge=req)
    else:
        found = _simple(arrays, d, anchor, req.every_voter(), rules, judge=req)
        rest = np.flatnonzero(~found.zone)
        if len(rest):
            sub = _subset(arrays, rest)
            weak = _simple(sub, d[rest], anchor[rest], req.veto_players_only(), rules, judge=None)
            for name in ("blocker", "compensation", "total", "slack"):
                getattr(found, name)[rest] = getattr(weak, name)
            undecided = ~(weak.slack < -rules.tol)  # the veto players alone leave room (or there are none)
            for b in rest[undecided]:  # the bounds disagree: solve exactly
                _solve_exactly(found, arrays, d, anchor, req, rules, int(b))
    return _with_tightest(found, arrays, d, req, rules)


def _subset(arrays: ScenarioArrays, rows: np.ndarray) -> ScenarioArrays:
    """Return the draws ``rows`` of batched arrays."""
    sq = arrays.status_quo[rows] if arrays.status_quo.ndim > 1 else arrays.status_quo
    return arrays.replace(position=arrays.position[rows], salience=arrays.salience[rows],
                          capability=arrays.capability[rows], status_quo=sq)


def _simple(arrays: ScenarioArrays, d: np.ndarray, anchor: np.ndarray, req: Requirements, rules: Rules,
            judge: Requirements | None) -> Zones:
    """Run the linear programs for requirements ``req`` that every voter must meet.

    The nearest package is judged under ``judge`` (the scenario's own requirements); draws where
    it fails although ``req`` leaves room are solved exactly under ``judge``. Without ``judge`` (a
    bound only) nothing is judged: the zones, packages and blockers are those of ``req``.
    """
    B, n_i = arrays.batch_shape[0], arrays.n_issues
    dt = _data(arrays, d, req, rules)
    zone = np.zeros(B, dtype=bool)
    package = np.full((B, n_i), np.nan)
    blocker = np.full(B, NONE)
    comp = np.full(B, np.nan)
    total = np.full(B, np.nan)
    exact = np.zeros(B, dtype=bool)
    slack = np.full(B, np.nan)
    found = Zones(zone, package, blocker, comp, total, exact, slack, np.full(B, NONE))
    everyone = np.arange(B)
    if len(dt.J) == 0:
        return found
    if len(dt.V):
        lam, binding = _maxmin(dt, everyone)
        slack[:] = lam
    else:
        lam, binding = np.full(B, BIG), np.zeros((B, 0), dtype=bool)
    weak = lam >= -rules.tol
    sel = everyone[weak]
    if len(sel):
        margin = np.clip(lam[sel] / 2, 0.0, 1.0)
        package[np.ix_(sel, dt.J)] = _nearest(dt, sel, anchor[np.ix_(sel, dt.J)], margin)
    ok = (assess(arrays, package, d, rules, judge or req).accepted if len(sel)
          else np.zeros(B, dtype=bool))
    zone[:] = weak & ok
    package[~zone] = np.nan
    blocked = everyone[~weak]
    if len(blocked) and len(dt.V):
        costs = np.full((len(blocked), len(dt.V)), np.inf)
        for r in range(len(dt.V)):
            candidates = binding[blocked, r]  # the others' demands bind too where it does not
            if candidates.any():
                payment, feasible = _payment(dt, blocked[candidates], r)
                rows = np.flatnonzero(candidates)[feasible]
                costs[rows, r] = payment[feasible]
        cheapest = costs.argmin(axis=1)
        single = np.isfinite(costs.min(axis=1))
        blocker[blocked] = np.where(single, dt.V[cheapest], SEVERAL)
        comp[blocked] = np.where(single, costs.min(axis=1), np.nan)
        if (~single).any():
            total[blocked[~single]] = _total(dt, blocked[~single])
    if judge is not None:
        for b in everyone[weak & ~ok]:  # room for the voters, but the nearest package fails the judge
            _solve_exactly(found, arrays, d, anchor, judge, rules, int(b))
    return found


def _solve_exactly(found: Zones, arrays: ScenarioArrays, d: np.ndarray, anchor: np.ndarray,
                   req: Requirements, rules: Rules, b: int) -> None:
    """Solve draw ``b`` by the mixed-integer program, writing into ``found``."""
    J = np.flatnonzero((~np.isnan(d)).any(axis=(0, 1)))
    package, who, cost = _exact(_draw(arrays, b), d[b], anchor[b], req, rules, J)
    found.exact[b] = True
    if package is not None:
        found.zone[b], found.package[b], found.blocker[b], found.compensation[b] = True, package, NONE, np.nan
    else:
        found.zone[b], found.package[b], found.blocker[b], found.compensation[b] = False, np.nan, who, cost


def _with_tightest(found: Zones, arrays: ScenarioArrays, d: np.ndarray, req: Requirements,
                   rules: Rules) -> Zones:
    """Return ``found`` with, for each draw with a zone, the voter the chosen package satisfies least."""
    B = arrays.batch_shape[0]
    J = (~np.isnan(d)).any(axis=(0, 1))
    voters = _voters(req, J) & (arrays.stake[:, J].any(axis=1))  # with a stake: the others gain 0 always
    tightest = np.full(B, NONE)
    if found.zone.any() and voters.any():
        gain = assess(arrays, found.package, d, rules, req).gain  # [B, A]
        tightest = np.where(found.zone, np.where(voters, gain, np.inf).argmin(axis=-1), NONE)
    return Zones(found.zone, found.package, found.blocker, found.compensation, found.total, found.exact,
                 found.slack, tightest)


# --- the headline -----------------------------------------------------------------------------
def _stats(values: np.ndarray) -> dict[str, float] | None:
    """Summarise the finite values by their median and 5% and 95% quantiles (None: none finite)."""
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    q05, med, q95 = np.quantile(values, [0.05, 0.5, 0.95])
    return {"median": float(med), "q05": float(q05), "q95": float(q95)}


def forecast_draws(scenario: Scenario, n_draws: int,
                   seed: int | None) -> tuple[ScenarioArrays, np.random.Generator]:
    """Redraw the draws the forecast's models ran on.

    They come from the draws' stream of ``seed``, as in
    :func:`accord.experiments.uncertainty.run_ensemble`; that stream's generator then draws the
    stated no-deal outcomes.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    n_draws : int
        The number of draws.
    seed : int or None
        The forecast's seed; None: the default seed.

    Returns
    -------
    arrays : ScenarioArrays
        The draws, batched with shape (n_draws, ...).
    rng : np.random.Generator
        The stream's generator, after the draws.
    """
    from accord.rng import DEFAULT_SEED, DRAWS, stream

    rng = np.random.default_rng(stream(DEFAULT_SEED if seed is None else seed, DRAWS))
    return sample_arrays(scenario, n_draws, rng), rng


def settle(
    scenario: Scenario,
    anchors: np.ndarray | None,
    central_anchor: np.ndarray | None,
    n_draws: int = 0,
    seed: int | None = None,
    anchor_label: str = "the status quo (no model forecast)",
    rules: Rules | None = None,
    max_draws: int | None = None,
) -> Settlement:
    """Run the settlement analysis of a forecast.

    It runs on ``n_draws`` draws of the scenario (the same draws as the forecast's models, from
    ``seed``), or on the first ``max_draws`` of them, and at the coded values. Its linear
    programs cost about 3 ms of CPU a draw, more than most models: ``max_draws`` bounds that
    cost for large forecasts; each draw's results are the same either way.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    anchors : np.ndarray or None
        The models' forecast per draw, shape (B, I); None: ``central_anchor`` in every draw.
    central_anchor : np.ndarray or None
        The models' forecast at the coded values, shape (I,); None (or NaN on an issue): the
        no-deal reference point.
    n_draws : int
        The number of draws; 0: the coded values only.
    seed : int, optional
        The forecast's seed.
    anchor_label : str
        What the anchor is, in words.
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    max_draws : int, optional
        Analyse only the first this many draws (None: all).

    Returns
    -------
    Settlement
        The headline.

    References
    ----------
    H. Raiffa, *The Art and Science of Negotiation*, Harvard University Press, 1982, ch. 4.

    J. K. Sebenius, "Negotiation analysis: a characterization and review", *Management Science*
    38(1), 1992.
    """
    rules = rules or Rules()
    req = requirements(scenario)
    base = compile_scenario(scenario)
    d0 = no_deal_values(scenario)
    one = base.broadcast(1)
    fallback = reference_point(d0)[0]
    c_anchor = fallback if central_anchor is None else np.where(np.isnan(central_anchor), fallback,
                                                                central_anchor)
    central = zones(one, d0[None], c_anchor[None], req, rules)
    used = n_draws if max_draws is None else min(n_draws, max_draws)
    if used:
        arrays, rng = forecast_draws(scenario, n_draws, seed)
        d = sample_no_deal(scenario, np.broadcast_to(arrays.status_quo, (n_draws, base.n_issues)), rng)
        anchor = np.broadcast_to(c_anchor, (n_draws, base.n_issues)) if anchors is None else anchors
        if used < n_draws:  # the first draws: sampled with all of them, so they are the same draws
            first = np.arange(used)
            arrays, d, anchor = _subset(arrays, first), d[:used], anchor[:used]
        found = zones(arrays, d, anchor, req, rules)
    else:
        arrays, d, found = one, d0[None], central
    settlement = _summary(scenario, req, arrays, d, found, central, used, anchor_label, rules)
    return replace(settlement, of_draws=n_draws) if used < n_draws else settlement


def _summary(scenario: Scenario, req: Requirements, arrays: ScenarioArrays, d: np.ndarray, found: Zones,
             central: Zones, n_draws: int, anchor_label: str, rules: Rules) -> Settlement:
    """Summarise the zones of the draws and at the coded values as the headline."""
    ids = scenario.issue_ids
    settled = (~np.isnan(d)).any(axis=(0, 1))
    voters = _voters(req, settled)
    package = central_package = None
    p_accepted = None
    if found.zone.any():
        stats = {i: _stats(found.package[found.zone, k]) for k, i in enumerate(ids) if settled[k]}
        package = {i: v for i, v in stats.items() if v is not None}
        median = np.array([package[i]["median"] if i in package else np.nan for i in ids])
        p_accepted = float(assess(arrays, median, d, rules, req).accepted.mean())
    if central.zone[0]:
        central_package = {i: float(central.package[0, k]) for k, i in enumerate(ids) if settled[k]}
    none = ~found.zone
    blockers = []
    if none.any():
        who = found.blocker[none]
        for a in np.unique(who[who >= 0]):
            mask = found.blocker == a
            blockers.append({"actor": scenario.actor_ids[a], "share": float((who == a).mean()),
                             "p": float(mask.mean()), "compensation": _stats(found.compensation[mask])})
        blockers.sort(key=lambda e: (-e["share"], e["actor"]))
    closest = []
    if found.zone.any():
        tight = found.tightest[found.zone]
        closest = sorted(({"actor": scenario.actor_ids[a], "share": float((tight == a).mean())}
                          for a in np.unique(tight[tight >= 0])), key=lambda e: (-e["share"], e["actor"]))
    several = float((found.blocker[none] == SEVERAL).mean()) if none.any() else 0.0
    notes = []
    if not settled.all():
        notes.append("no package can settle " + ", ".join(i for k, i in enumerate(ids) if not settled[k])
                     + " (no status quo or no-deal outcome to compare with): left open")
    if found.exact.any():
        notes.append(f"{int(found.exact.sum())} draw(s) solved exactly as mixed-integer programs "
                     "(majority or override rules, or no winning coalition at the nearest point)")
    return Settlement(
        n_draws=n_draws, p_zone=float(found.zone.mean()), zone_at_coded_values=bool(central.zone[0]),
        consent_of=[scenario.actor_ids[a] for a in np.flatnonzero(voters)], package=package,
        package_at_coded_values=central_package, package_p_accepted=p_accepted, blockers=blockers,
        closest=closest,
        several=several, total_compensation=_stats(found.total[none]) if none.any() else None,
        anchor=anchor_label, open_issues=[i for k, i in enumerate(ids) if not settled[k]],
        rules=rules.to_dict(), slack=_stats(found.slack), exact_draws=int(found.exact.sum()), notes=notes,
    )

