"""Replay mode of the exchange model: the reference's decimal arithmetic and tie stream.

Stokman & van Oosten (1994), "The exchange of voting positions", in Bueno de Mesquita & Stokman
(eds.), *European Community Decision Making*; Decide's equal-gain variant as specified in
``docs/specs/exchange.md`` §1-§8, computed as §11 prescribes so that runs reproduce the
reference program (``decide-exchange-model``) exactly:

* Python ``decimal``, 28 significant digits, round-half-even; inputs are the decimals written in
  the file; 0.4 and 0.1 are the exact decimals of the binary floats;
* the operation order of §11.3, e.g. o_k = (sum_i (x s) c) / W_k summed in ``#D`` row order,
  D = ((|dx| s) c) / W, m = (D W) / (c s), G = |D_q ss_I - D_p sd_I|, preference update
  ((1 - s) 0.4) y + 0.1 y + ((1 - (1 - s) 0.4) - 0.1) x0;
* ties (|dG| < 1e-20 between the top two after a stable descending sort on the exact gains)
  broken by one ``random.Random(seed).random()`` per tie event, with the reference's protocol
  (§7, including the duplicated list entry).

Validation only: pure Python, far slower than the compiled deterministic mode (fine for the
shipped examples: seconds for 10 rounds of 15 actors x 13 issues).
"""

from __future__ import annotations

import decimal
import random
from decimal import Decimal
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.models.base import Trajectory
from accord.models.exchange.details import EXCHANGE_DTYPE, ExchangeDetails
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.io.decide import DecideExact, read_decide_exact

CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)
TINY = Decimal(1e-10)  # smallest move and gain (§4), the binary float's exact value
TIE = Decimal(1e-20)  # tie threshold on gains (§7, §11.4)
ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


def input_from_arrays(arrays: ScenarioArrays) -> DecideExact:
    """Make the replay input from compiled arrays.

    Each number is the shortest decimal that reads back as the same float (the number as
    written, for files with at most 15 significant digits), rows in actor order. Equals
    :func:`accord.scenario.io.decide.read_decide_exact` for Decide files whose ``#D`` rows of
    each issue follow the ``#A`` order.

    Parameters
    ----------
    arrays : ScenarioArrays
        Unbatched scenario arrays.

    Returns
    -------
    DecideExact
        The input in exact decimals.
    """
    if arrays.batch_shape:
        raise AccordError("exchange replay runs one scenario, not a batch of draws")

    def dec(value: float, what: str) -> Decimal:
        d = Decimal(repr(float(value)))
        if not d.is_finite() or len(d.as_tuple().digits) > 15:
            raise AccordError(f"exchange replay: {what} {value!r} is not a decimal as written in a file; "
                              "replay needs a Decide file: give it with --param source_file=FILE")
        return d

    n_a, n_i = arrays.stake.shape
    rows = [[(a, dec(arrays.position[a, k], "position"), dec(arrays.salience[a, k], "salience"),
              dec(arrays.capability[a, k], "capability")) for a in range(n_a) if arrays.stake[a, k]]
            for k in range(n_i)]
    return DecideExact(n_a, [dec(v, "scale bound") for v in arrays.lower],
                       [dec(v, "scale bound") for v in arrays.upper], rows)


class _Side:
    """One role of a candidate (§3).

    One role of a candidate (§3): supply issue ``sup``, demand issue ``dem``, positions
    (normalised), saliences and power, current move ``m``, voting position ``y``, history.
    """

    __slots__ = ("actor", "sup", "dem", "xs", "x0", "xd", "ss", "cs", "sd", "m", "y", "hist")

    def __init__(self, actor: int, sup: int, dem: int, x: list[dict[int, Decimal]],
                 s: list[dict[int, Decimal]], c: list[dict[int, Decimal]]) -> None:
        self.actor, self.sup, self.dem = actor, sup, dem
        self.xs = self.x0 = x[sup][actor]
        self.xd = x[dem][actor]
        self.ss, self.cs, self.sd = s[sup][actor], c[sup][actor], s[dem][actor]
        self.m = self.y = ZERO
        self.hist: list[Decimal] = []

    def push(self, m: Decimal, replace: bool = False) -> None:
        if replace:
            self.hist.pop()
        self.hist.append(m)
        self.m, self.y = m, self.xs + m

    def ok(self) -> bool:
        """``ok(X, m)`` of §4 (the history already holds m)."""
        m = self.m
        if not (abs(m) <= HUNDRED and abs(m) > TINY and ZERO <= self.xs + m <= HUNDRED):
            return False
        if sum(self.hist, ZERO) > HUNDRED:
            return False
        return all(h > 0 for h in self.hist) or all(h < 0 for h in self.hist)


class _Exchange:
    __slots__ = ("i", "j", "gain", "valid", "updates")

    def __init__(self, i: _Side, j: _Side) -> None:
        self.i, self.j = i, j
        self.gain, self.valid = ZERO, False
        self.updates: dict[int, dict[int, Decimal]] = {}  # issue -> actor -> learned position


class _Round:
    """One round (§3-§8) from the round-start positions ``x`` (normalised, per issue)."""

    def __init__(self, x: list[dict[int, Decimal]], s: list[dict[int, Decimal]],
                 c: list[dict[int, Decimal]], W: list[Decimal], rng: random.Random) -> None:
        self.x, self.s, self.c, self.W, self.rng = x, s, c, W, rng
        self.ties = 0
        self.skipped = 0

    def total(self, k: int, over: dict[int, Decimal]) -> Decimal:
        """sum_i (x_i s_i) c_i on issue k in row order, with positions overridden by ``over``."""
        acc = ZERO
        for a, xa in self.x[k].items():
            acc += (over.get(a, xa) * self.s[k][a]) * self.c[k][a]
        return acc

    def adj(self, k: int, over: dict[int, Decimal]) -> Decimal:
        return self.total(k, over) / self.W[k] if self.W[k] else ZERO

    def candidates(self, n_issues: int) -> list[_Exchange]:
        """§3: pairs on opposite sides of the outcome on both issues, in creation order."""
        o = [self.adj(k, {}) for k in range(n_issues)]
        out = []
        for p in range(n_issues):
            for q in range(p + 1, n_issues):
                both = sorted(set(self.x[p]) & set(self.x[q]))
                group: dict[tuple[bool, bool], list[int]] = {}
                for a in both:
                    group.setdefault((self.x[p][a] <= o[p], self.x[q][a] <= o[q]), []).append(a)
                for g1, g2 in (((False, False), (True, True)), ((True, False), (False, True))):
                    for a in group.get(g1, []):
                        for b in group.get(g2, []):
                            e = self.make(a, b, p, q)
                            if e is None:
                                self.skipped += 1
                            else:
                                out.append(e)
        return out

    def make(self, a: int, b: int, p: int, q: int) -> _Exchange | None:
        s = self.s
        if s[q][a] == 0 or s[q][b] == 0:
            return None
        ai, aj = (b, a) if s[p][a] / s[q][a] < s[p][b] / s[q][b] else (a, b)
        if s[q][ai] == 0 or self.c[q][ai] == 0 or s[p][aj] == 0 or self.c[p][aj] == 0:
            return None
        return _Exchange(_Side(ai, q, p, self.x, s, self.c), _Side(aj, p, q, self.x, s, self.c))

    def evaluate(self, e: _Exchange) -> None:
        """§4 equal-gain evaluation (with §5 for both sides)."""
        si, sj = e.i, e.j
        Wp, Wq = self.W[sj.sup], self.W[si.sup]
        dxj = abs(si.xd - sj.xs)
        dp = ((dxj * sj.ss) * sj.cs) / Wp
        dq = ((sj.ss + si.sd) / (sj.sd + si.ss)) * dp
        mi = (dq * Wq) / (si.cs * si.ss)
        mj = dxj
        dxi = abs(sj.xd - si.xs)
        if mi > dxi:
            dq = ((dxi * si.ss) * si.cs) / Wq
            dp = ((si.ss + sj.sd) / (si.sd + sj.ss)) * dq
            mi = dxi
            mj = (dp * Wp) / (sj.cs * sj.ss)
        if si.xs > sj.xd:
            mi = -mi
        if sj.xs > si.xd:
            mj = -mj
        si.push(mi)
        sj.push(mj)
        e.gain = abs(dq * si.ss - dp * si.sd)
        e.valid = si.ok() and sj.ok() and e.gain >= TINY
        if not e.valid:
            return
        self.overshoot(e, si, sj)
        self.overshoot(e, sj, si)
        e.valid = si.ok() and sj.ok()

    def overshoot(self, e: _Exchange, sa: _Side, so: _Side) -> None:
        """Cap the trade at the demander's position (§5).

        §5: cap the trade so the supplier (side ``sa``) does not carry the outcome of its supply
        issue past the demander (side ``so``).
        """
        k, t = sa.sup, so.xd
        upd = e.updates.get(k, {})
        nu0 = self.adj(k, {**upd, sa.actor: sa.xs})
        nu1 = self.adj(k, {**upd, sa.actor: sa.y})
        d0, d1 = t - nu0, t - nu1
        if not ((d0 > 0 and d1 < 0) or (d0 < 0 and d1 > 0)):
            return
        S = self.total(k, {sa.actor: sa.xs, **upd})
        delta = abs(((t * self.W[k]) - S) / (sa.ss * sa.cs))
        d_a = ((delta * sa.ss) * sa.cs) / self.W[k]
        d_o = ((sa.ss + so.sd) / (sa.sd + so.ss)) * d_a
        m_o = abs((d_o * self.W[so.sup]) / (so.cs * so.ss))
        m_a = delta
        if so.xs > sa.xd:
            m_o = -m_o
        if sa.xs > so.xd:
            m_a = -m_a
        so.push(m_o, replace=True)
        sa.push(m_a, replace=True)
        e.gain = abs(d_o * so.ss - d_a * so.sd)
        e.valid = so.ok() and sa.ok()

    def refresh(self, e: _Exchange, X: _Exchange) -> None:
        """§6 refresh(E, X) after X was executed."""
        synced = []
        for side in (e.i, e.j):
            if side.actor == X.i.actor and side.sup == X.i.sup:
                side.xs = X.i.y
            elif side.actor == X.j.actor and side.sup == X.j.sup:
                side.xs = X.j.y
            else:
                continue
            synced.append(side)
        if len(synced) == 1:
            (e.j if synced[0] is e.i else e.i).hist.pop()
        applied = bool(synced)
        for demander, mover in ((X.j, X.i), (X.i, X.j)):
            if not any(side.actor == demander.actor and side.dem == demander.dem for side in (e.i, e.j)):
                continue
            table = e.updates.setdefault(demander.dem, {})
            old = table.get(mover.actor)
            if old is None:
                table[mover.actor] = mover.y
            else:  # rule R
                table[mover.actor] = min(old, mover.y) if mover.x0 <= old else max(old, mover.y)
            if not applied:
                e.i.hist.pop()
                e.j.hist.pop()
            applied = True
        if applied:
            self.evaluate(e)

    def select(self, lst: list[_Exchange]) -> _Exchange:
        """§7: best gain first (stable sort); a tie with the runner-up is settled by one draw."""
        lst.sort(key=lambda e: e.gain, reverse=True)
        best = lst.pop(0)
        if lst and abs(best.gain - lst[0].gain) < TIE:
            self.ties += 1
            if self.rng.random() >= 0.5:
                lst.append(best)
                return lst.pop(0)
            lst.append(lst[0])  # the runner-up is now in the list twice (same record)
        return best

    def execute(self, n_issues: int) -> list[_Exchange]:
        """§6: build, evaluate, then execute greedily; returns the realised exchanges."""
        lst = self.candidates(n_issues)
        for e in lst:
            self.evaluate(e)
        realised: list[_Exchange] = []
        while lst:
            best = self.select(lst)
            if not best.valid:
                continue
            kept = []
            for e in lst:
                if e.valid:
                    self.refresh(e, best)
                    if e.valid:
                        kept.append(e)
            lst = kept
            realised.append(best)
        return realised


def _records(realised: list[_Exchange], lower: list[Decimal], scale: list[Decimal],
             rnd: _Round) -> np.ndarray:
    """Return the executed trades as records, in issue units.

    Of dtype :data:`~accord.models.exchange.details.EXCHANGE_DTYPE`.
    """
    out = np.empty(len(realised), dtype=EXCHANGE_DTYPE)
    for n, e in enumerate(realised):
        si, sj = e.i, e.j
        d_q = abs(si.m) * si.ss * si.cs / rnd.W[si.sup]  # outcome shifts of the two moves
        d_p = abs(sj.m) * sj.ss * sj.cs / rnd.W[sj.sup]
        out[n] = (si.actor, sj.actor, si.sup, sj.sup,
                  _unscale(si.x0, si.sup, lower, scale), _unscale(si.y, si.sup, lower, scale),
                  _unscale(sj.x0, sj.sup, lower, scale), _unscale(sj.y, sj.sup, lower, scale),
                  float(si.sd * d_p - si.ss * d_q), float(sj.sd * d_q - sj.ss * d_p))
    return out


def _unscale(x: Decimal, k: int, lower: list[Decimal], scale: list[Decimal]) -> float:
    """X / (100 / (upper - lower)) + lower (§11.3); ``lower`` when the scale is a point."""
    return float(x / scale[k] + lower[k]) if scale[k] else float(lower[k])


def replay(inp: DecideExact, rounds: int = 10, seed: int = 1, fixed_weight: float = 0.1,
           salience_weight: float = 0.4, stop_when_idle: bool = False) -> Trajectory:
    """Run the exchange model as the reference does (§11), ``random.Random(seed)`` for ties.

    Parameters
    ----------
    inp
        The numbers as decimals (:func:`accord.scenario.io.decide.read_decide_exact` or
        :func:`input_from_arrays`).
    rounds, seed
        Rounds to run; seed of the tie stream.
    fixed_weight, salience_weight, stop_when_idle
        As the exchange model's parameters.

    Returns
    -------
    Trajectory
        Shaped as in the deterministic mode: ``positions`` ``[R+1, A, I]`` (NaN where an actor
        has no stake), ``outcome`` ``[R+1, I]`` (end-of-round outcome; row 0 = start of round 1),
        with :class:`~accord.models.exchange.details.ExchangeDetails`.
    """
    with decimal.localcontext(CONTEXT):
        return _replay(inp, rounds, seed, Decimal(fixed_weight), Decimal(salience_weight), stop_when_idle)


def _replay(inp: DecideExact, rounds: int, seed: int, fw: Decimal, sw: Decimal,
            stop_when_idle: bool) -> Trajectory:
    n_a, n_i = inp.n_actors, len(inp.rows)
    rng = random.Random(seed)
    scale = [HUNDRED / (u - lo) if u != lo else ZERO for lo, u in zip(inp.lower, inp.upper, strict=True)]
    x = [{a: (pos - inp.lower[k]) * scale[k] for a, pos, _, _ in rows} for k, rows in enumerate(inp.rows)]
    s = [{a: sal for a, _, sal, _ in rows} for rows in inp.rows]
    c = [{a: pw for a, _, _, pw in rows} for rows in inp.rows]
    W = []
    for k in range(n_i):
        acc = ZERO
        for a in x[k]:
            acc += s[k][a] * c[k][a]
        W.append(acc)
    positions = np.full((rounds + 1, n_a, n_i), np.nan)
    outcome = np.full((rounds + 1, n_i), np.nan)
    vote_o = np.full((rounds + 1, n_i), np.nan)
    ties, n_ex, skipped = (np.zeros(rounds + 1, dtype=np.int64) for _ in range(3))
    exchanges: list[Any] = [_records([], inp.lower, scale, _Round(x, s, c, W, rng))]

    def record(r: int, xr: list[dict[int, Decimal]], rnd: _Round) -> None:
        for k in range(n_i):
            for a, xa in xr[k].items():
                positions[r, a, k] = _unscale(xa, k, inp.lower, scale)
            outcome[r, k] = _unscale(rnd.adj(k, {}), k, inp.lower, scale)

    record(0, x, _Round(x, s, c, W, rng))
    for r in range(1, rounds + 1):
        if stop_when_idle and r > 1 and n_ex[r - 1] == 0:
            positions[r], outcome[r], vote_o[r] = positions[r - 1], outcome[r - 1], vote_o[r - 1]
            exchanges.append(exchanges[0])
            continue
        rnd = _Round(x, s, c, W, rng)
        realised = rnd.execute(n_i)
        vote = [dict(xk) for xk in x]
        pref = [dict(xk) for xk in x]
        for e in realised:  # §8: last trade wins; preference update with the §11.3 order
            for side in (e.i, e.j):
                vote[side.sup][side.actor] = side.y
                keep = (ONE - side.ss) * sw
                pref[side.sup][side.actor] = keep * side.y + fw * side.y + ((ONE - keep) - fw) * side.x0
        voting = _Round(vote, s, c, W, rng)
        vote_o[r] = [_unscale(voting.adj(k, {}), k, inp.lower, scale) for k in range(n_i)]
        ties[r], n_ex[r], skipped[r] = rnd.ties, len(realised), rnd.skipped
        exchanges.append(_records(realised, inp.lower, scale, rnd))
        x = pref
        record(r, x, _Round(x, s, c, W, rng))
    details = ExchangeDetails(voting_outcome=vote_o, tie_events=ties, n_exchanges=n_ex, skipped=skipped,
                              exchanges=exchanges)
    return Trajectory(positions=positions, outcome=outcome, details=details)


def run_replay(model: Any, arrays: ScenarioArrays) -> Trajectory:
    """Run ``exchange`` with ``mode="replay"``, in exact decimal arithmetic.

    The input comes from ``model.source_file`` when given (read exactly by
    :func:`accord.scenario.io.decide.read_decide_exact`), else from the arrays
    (:func:`input_from_arrays`); ties use ``random.Random(model.replay_seed)``, never the numpy
    generator.

    Parameters
    ----------
    model : Any
        The exchange model (``p`` is 0: its parameters are checked when it is made).
    arrays : ScenarioArrays
        Checked, unbatched scenario arrays.

    Returns
    -------
    Trajectory
        Positions and outcomes per round, with the executed trades in its details.

    Raises
    ------
    AccordError
        When ``source_file`` has other numbers of actors or issues than the scenario.
    """
    if model.source_file:
        inp = read_decide_exact(model.source_file)
        if (inp.n_actors, len(inp.rows)) != arrays.stake.shape:
            raise AccordError(f"exchange replay: {model.source_file} has {inp.n_actors} actors and "
                              f"{len(inp.rows)} issues, the scenario {arrays.stake.shape}; "
                              "source_file must be the scenario's own Decide file")
    else:
        inp = input_from_arrays(arrays)
    traj = replay(inp, model.rounds, model.replay_seed, model.fixed_weight, model.salience_weight,
                  model.stop_when_idle)
    positions = np.where(arrays.stake, traj.positions, arrays.position)
    return Trajectory(positions=positions, outcome=traj.outcome, details=traj.details)
