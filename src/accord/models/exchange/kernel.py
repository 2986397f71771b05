"""Compiled core of the exchange model: evaluating candidates and executing one round.

Equal-gain exchange (Stokman & van Oosten 1994, "The exchange of voting positions", in Bueno de
Mesquita & Stokman (eds.), *European Community Decision Making*; Decide's equal-gain variant),
following ``docs/specs/exchange.md`` §3-§8 in its ``deterministic`` mode. The round is
inherently sequential (each executed trade changes the candidates it shares an actor and issue
with, and the next trade is the best of the updated list), so it is compiled with numba; so is
the candidate construction, whose numpy statement is :mod:`accord.models.exchange.candidates`.

Candidate record (one row of ``F`` floats and ``K`` ints; ``+ side`` with side 0 = I, 1 = J):
I demands issue ``p`` and supplies ``q``; J demands ``q`` and supplies ``p``. All positions are
on the normalised 0..100 scale. ``U``/``dU`` hold the round's "updates" (§6 refresh step 2):
because the candidate list only ever shrinks, the updates a live candidate has learned depend
only on (its demanding actor, demand issue), so one table per round serves every candidate:
``U[demander, issue, supplier]`` (NaN = no entry) and ``dU[demander, issue]`` = the change of
``sum x s c`` on that issue that the entries make.

The round's constant arrays and the update tables live in one flat ``env`` array (see
:func:`make_env`). Speed (issue 15): the round is one loop (:func:`run_round`) that reads a
candidate's row into locals and hands them, as tuples of scalars, to functions that take no
arrays (:func:`_evaluate`, :func:`_refreshed`); numba inlines them and keeps no reference counts
in the loop (a helper that takes an array costs an atomic increment and decrement per call).
Each candidate carries its exchange rates (:func:`candidates`) and rows are small (int32 ints).
The §5 overshoot test needs no branch (:func:`_crossing`); only a trade that overshoots (rare)
or a random rate goes through :func:`_cap` and :func:`_rex`. With random rates (p > 0) every
valid candidate takes :func:`_rex`, so it is inlined (a call of it cost a third of a draw of
``exchange-random``). After a trade only the candidates
that §6 refreshes are visited: the per-(actor, issue) lists are split by role (supplier or
demander), and dead candidates are dropped from them as they are read; the max-tree of gains is
brought up to date once per trade. The arithmetic is the same, operation for operation, and
candidates are evaluated in the same order, so results are unchanged bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

# float columns (side-indexed: column + side). Constant for a candidate within its round: X0
# (supply position at creation), XD (demand position), SS, CS, SD (salience on the supply issue,
# capability there, salience on the demand issue) and RATIO = (s_S + s_D') / (s_D + s_S') (the
# equal-gain exchange rate, ' = the other side; worked out once when the candidate is made).
# Changing: XS (supply position, synchronised by refreshes), M (move; also the last entry of
# the move history), the move history's sum, GAIN. The position a side moves to is XS + M
# (:func:`_y`). A row is small (19 floats, 11 int32) because the trade loop visits candidates
# in no particular order: the fewer cache lines a candidate spans, the faster a round.
XS, X0, XD, SS, CS, SD, M, HSUM, GAIN, RATIO = 0, 2, 4, 6, 8, 10, 12, 14, 16, 17
NF = 19
# int columns (int32: a row fits in one cache line): actor of side, supply issue of side (demand
# issue = supply issue of the other side), history length, numbers of positive and of negative
# history entries, validity
ACT, SUP, HLEN, HPOS, HNEG, VALID = 0, 2, 4, 6, 8, 10
NK = 11

TINY = 1e-10  # smallest move and gain (spec §4)
JIT: dict[str, Any] = {"cache": True, "error_model": "numpy"}


def make_env(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Lay out a round's state flat, as the compiled kernels read it.

    The order is x [A,I], w = s c [A,I], S0 = sum x w [I], W = sum w [I], dU [A,I],
    U [A,I,A] (NaN).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (A, I).
    w : np.ndarray
        Weights s c (salience x capability), shape (A, I).

    Returns
    -------
    np.ndarray
        The state, one dimension.
    """
    na, ni = x.shape
    return np.concatenate([x.ravel(), w.ravel(), (x * w).sum(axis=0), w.sum(axis=0),
                           np.zeros(na * ni), np.full(na * ni * na, np.nan)])


@njit(**JIT)
def _x_at(na, ni, a, k):
    return a * ni + k


@njit(**JIT)
def _w_at(na, ni, a, k):
    return na * ni + a * ni + k


@njit(**JIT)
def _s0_at(na, ni, k):
    return 2 * na * ni + k


@njit(**JIT)
def _big_w_at(na, ni, k):
    return 2 * na * ni + ni + k


@njit(**JIT)
def _y(F, e, side):
    """Where side ``side`` of candidate ``e`` moves to: its supply position plus its move."""
    return F[e, XS + side] + F[e, M + side]


@njit(**JIT)
def _du_at(na, ni, d, k):
    return 2 * na * ni + 2 * ni + d * ni + k


@njit(**JIT)
def _u_at(na, ni, d, k, s):
    return 3 * na * ni + 2 * ni + (d * ni + k) * na + s


# --- scalar pieces of an evaluation (they take no arrays, so the compiler inlines them) -------


@njit(**JIT)
def _ok(m, xs, hsum, hlen, hpos, hneg):
    """Move validity ``ok(X, m)`` of spec §4 (the history already holds ``m``)."""
    am = abs(m)
    y = xs + m
    return ((am <= 100.0) & (am > TINY) & (y >= 0.0) & (y <= 100.0) & (not hsum > 100.0)
            & ((hpos == hlen) | (hneg == hlen)))


@njit(**JIT)
def _push(hsum, hlen, hpos, hneg, m):
    """Return a move history (sum, length, positive and negative entries) after appending ``m``."""
    return hsum + m, hlen + 1, hpos + (1 if m > 0 else 0), hneg + (1 if m < 0 else 0)


@njit(**JIT)
def _pop(hsum, hlen, hpos, hneg, last):
    """Return a move history without its last entry ``last``.

    A pop is always followed by a push before the next pop, so the last entry is always known.
    """
    return hsum - last, hlen - 1, hpos - (1 if last > 0 else 0), hneg - (1 if last < 0 else 0)


@njit(**JIT)
def _replace_last(hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j, old_i, old_j, new_i, new_j):
    """Return both sides' move histories with their last moves ``old`` replaced by ``new``."""
    hs_i, hl_i, hp_i, hn_i = _pop(hs_i, hl_i, hp_i, hn_i, old_i)
    hs_j, hl_j, hp_j, hn_j = _pop(hs_j, hl_j, hp_j, hn_j, old_j)
    hs_i, hl_i, hp_i, hn_i = _push(hs_i, hl_i, hp_i, hn_i, new_i)
    hs_j, hl_j, hp_j, hn_j = _push(hs_j, hl_j, hp_j, hn_j, new_j)
    return hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j


@njit(**JIT)
def _adjusted(base, u, xa, wa, z):
    """Compute sum x s c over a supply issue with the supplier moved to ``z``.

    Sum x s c over a supply issue with the supplier (at ``xa``, weight ``wa``) moved to ``z``,
    on top of the updates the demander has learned (spec §2 "adjusted outcome"): ``base`` is the
    issue's S0 plus the demander's dU, ``u`` the demander's update entry for the supplier (NaN:
    none). Returns (updates then actor, actor then updates).
    """
    shift = (z - xa) * wa
    if u == u:  # the updates hold an entry for this actor
        return base - (u - xa) * wa + shift, base
    return base + shift, base + shift


@njit(**JIT)
def _crosses(d0, d1):
    return ((d0 > 0.0) & (d1 < 0.0)) | ((d0 < 0.0) & (d1 > 0.0))


@njit(**JIT)
def _crossing(base, u, xa, wa, wk, t, xs, y):
    """Test whether side a, moving from ``xs`` to ``y``, overshoots ``t`` (spec §5, no branches).

    With ``base``, ``u``, ``xa``, ``wa`` as in :func:`_adjusted` and ``wk`` = W of the supply
    issue: nu0 = S(a at xs) / wk, and the move overshoots when t - nu0 and t - S(a at y) / wk have
    opposite signs (S = sum x s c with the updates then the actor, the first value of
    :func:`_adjusted`, computed here the same way operation for operation). Returns (nu0, overshoots);
    :func:`_cap` repeats the test when it holds and then caps the trade.
    """
    has = u == u
    off = base - (u - xa) * wa
    shift0 = (xs - xa) * wa
    shift1 = (y - xa) * wa
    s0 = off + shift0 if has else base + shift0
    s1 = off + shift1 if has else base + shift1
    nu0 = s0 / wk
    return nu0, _crosses(t - nu0, t - s1 / wk)


@njit(**JIT)
def _cap(base, u, xa, wa, wk, wo, t, xs, y, ss_a, cs_a, sd_a, ss_o, sd_o, sc_o, rate, xs_o, xd_a):
    """Cap a trade so that side a does not carry its supply issue's outcome past o's demand (spec §5).

    Spec §5 for side a against the other side o: cap the trade so that a, supplying at ``xs``
    and moving to ``y``, does not carry its supply issue's outcome past o's demand ``t``.

    Returns (nu0, capped, m_a, m_o, gain): nu0 is the adjusted outcome with a at ``xs``; when
    ``capped``, the new moves of a and o and the new gain.
    """
    s_u_a, s_a_u = _adjusted(base, u, xa, wa, xs)
    nu0 = s_u_a / wk
    s_y, _ = _adjusted(base, u, xa, wa, y)
    if not _crosses(t - nu0, t - s_y / wk):
        return nu0, False, 0.0, 0.0, 0.0
    delta = abs((t * wk - s_a_u) / wa)
    d_a = delta * ss_a * cs_a / wk
    d_o = rate * d_a
    m_o = abs(d_o * wo / sc_o)
    m_a = delta
    if xs_o > xd_a:
        m_o = -m_o
    if xs > t:
        m_a = -m_a
    return nu0, True, m_a, m_o, abs(d_o * ss_o - d_a * sd_o)


@njit(inline='always', **JIT)
def _rex_side(target, nu0, base, u, x0_x, wx, wo, ss_x, cs_x, sd_x, sc_x, ss_o, cs_o, sc_o,
              xs_x, xs_o, xd_x, xd_o):
    """Appendix A.2 for the randomised side X against O; returns (m_X, m_O)."""
    m_x = abs(xs_x - xd_o)
    d_x = m_x * ss_x * cs_x / wx
    d_o = (target + d_x * ss_x) / sd_x
    m_o = d_o * wo / sc_o
    if abs(m_o) > abs(xs_o - xd_x):
        d_o = abs(xs_o - xd_x) * ss_o * cs_o / wo
        d_x = abs((target - d_o * sd_x) / ss_x)
        m_o = abs(xs_o - xd_x)
        m_x = d_x * wx / sc_x
    else:
        signed = m_x if xd_o >= xs_x else -m_x
        s_y, _ = _adjusted(base, u, x0_x, sc_x, xs_x + signed)
        if _crosses(xd_o - nu0, xd_o - s_y / wx):
            _, s_a_u = _adjusted(base, u, x0_x, sc_x, xs_x)
            delta = abs((xd_o * wx - s_a_u) / sc_x)
            d_x = delta * ss_x * cs_x / wx
            d_o = (target + d_x * ss_x) / sd_x
            m_o = d_o * wo / sc_o
            m_x = signed  # the reference keeps the uncapped, signed move (spec A.2 step 4)
    if xs_x > xd_o:
        m_x = -m_x
    if xs_o > xd_x:
        m_o = -m_o
    return m_x, m_o


@njit(inline='always', **JIT)
def _rex(m_i, m_j, gain, nu0_i, nu0_j, p, u, v, z, base_i, u_i, base_j, u_j, x0_i, x0_j,
         xs_i, xs_j, xd_i, xd_j, ss_i, ss_j, cs_i, cs_j, sd_i, sd_j, sc_i, sc_j, wq, wp):
    """Draw random exchange rates (spec Appendix A).

    Random exchange rates, spec Appendix A (documented from the reference, unverified):
    the new moves (m_I, m_J) from the uniforms u, v, z.
    """
    flag_i = xd_i == xs_i + m_i
    flag_j = xd_j == xs_j + m_j
    s_i, _ = _adjusted(base_i, u_i, x0_i, sc_i, xs_i + m_i if flag_i else xd_j)
    s_j, _ = _adjusted(base_j, u_j, x0_j, sc_j, xs_j + m_j if flag_j else xd_i)
    d_i = abs(nu0_i - s_i / wq)
    d_j = abs(nu0_j - s_j / wp)
    l1, g2, l2, g1 = d_j * ss_j, d_j * sd_i, d_i * ss_i, d_i * sd_j
    override = 0.0
    if flag_i and g1 - l1 > 0.0:
        override = g2 - (l1 / sd_j) * ss_i
    if flag_j and g2 - l2 > 0.0:
        override = g1 - (l2 / sd_i) * ss_j
    if g2 > g1:
        y_side, g, ell, ss_y, sd_ybar = 1, g1, l2, ss_j, sd_i
    else:
        y_side, g, ell, ss_y, sd_ybar = 0, g2, l1, ss_i, sd_j
    eu_y = g - ell * ss_y / sd_ybar
    eu_ybar = override if override != 0.0 else g * sd_ybar / ss_y - ell
    side = 0 if u < 0.5 else 1
    eu_x = eu_y if side == y_side else eu_ybar
    target = gain + p * z * (eu_x - gain) if v < 0.5 else gain - p * z * gain
    if side == 0:
        return _rex_side(target, nu0_i, base_i, u_i, x0_i, wq, wp, ss_i, cs_i, sd_i, sc_i, ss_j, cs_j,
                         sc_j, xs_i, xs_j, xd_i, xd_j)
    m_x, m_o = _rex_side(target, nu0_j, base_j, u_j, x0_j, wp, wq, ss_j, cs_j, sd_j, sc_j, ss_i, cs_i,
                         sc_i, xs_j, xs_i, xd_j, xd_i)
    return m_o, m_x


# --- one evaluation -------------------------------------------------------------------------


@njit(inline='always', **JIT)
def _evaluate(side_i, side_j, hist_i, hist_j, issues, draws):
    """Evaluate a candidate for equal gain (spec §4, with §5; Appendix A when p > 0).

    ``side_i``/``side_j``: (supply position xs, demand position xd, supply position at the
    round's start x0, s_S, c_S, s_D, exchange rate, w = s c on the supply issue) of each side;
    ``hist_i``/``hist_j``: the move histories (sum, length, positive and negative entries);
    ``issues``: (W_q, W_p, base and update entry of I's supply issue q as J's demand, the same
    for p as I's demand; see :func:`_adjusted`); ``draws``: (p, u, v, z). Returns the moves
    (m_I, m_J), the histories with them pushed, the gain and the validity.

    §4: J moves all the way to I's demand, d_p = |xd_I - xs_J| s_SJ c_SJ / W_p, d_q = rate_J d_p,
    m_I = d_q W_q / w_I, unless I would then move past J's demand (then I moves all the way and
    J by rate_I); gain G = |d_q s_SI - d_p s_DI|. The §5 overshoot test of each side
    (:func:`_crossing`) is computed for every candidate; only a valid candidate that overshoots,
    or any valid one when p > 0, goes through :func:`_cap` (and :func:`_rex`). A valid candidate
    that does neither keeps its §4 moves, so its validity is not checked a second time.
    """
    xs_i, xd_i, x0_i, ss_i, cs_i, sd_i, rate_i, sc_i = side_i
    xs_j, xd_j, x0_j, ss_j, cs_j, sd_j, rate_j, sc_j = side_j
    hs_i, hl_i, hp_i, hn_i = hist_i
    hs_j, hl_j, hp_j, hn_j = hist_j
    wq, wp, base_i, u_i, base_j, u_j = issues
    p, u, v, z = draws
    # §4: J moves all the way to I's demand unless I would then move past J's (then I does)
    dx_j = abs(xd_i - xs_j)
    dx_i = abs(xd_j - xs_i)
    d_p_a = dx_j * ss_j * cs_j / wp
    d_q_a = rate_j * d_p_a
    m_i_a = d_q_a * wq / sc_i
    d_q_b = dx_i * ss_i * cs_i / wq
    d_p_b = rate_i * d_q_b
    m_j_b = d_p_b * wp / sc_j
    i_moves = m_i_a > dx_i
    d_q = d_q_b if i_moves else d_q_a
    d_p = d_p_b if i_moves else d_p_a
    m_i = dx_i if i_moves else m_i_a
    m_j = m_j_b if i_moves else dx_j
    if xs_i > xd_j:
        m_i = -m_i
    if xs_j > xd_i:
        m_j = -m_j
    hs_i, hl_i, hp_i, hn_i = _push(hs_i, hl_i, hp_i, hn_i, m_i)
    hs_j, hl_j, hp_j, hn_j = _push(hs_j, hl_j, hp_j, hn_j, m_j)
    gain = abs(d_q * ss_i - d_p * sd_i)
    valid = (_ok(m_i, xs_i, hs_i, hl_i, hp_i, hn_i) & _ok(m_j, xs_j, hs_j, hl_j, hp_j, hn_j)
             & (gain >= TINY))
    nu0_i, cross_i = _crossing(base_i, u_i, x0_i, sc_i, wq, xd_j, xs_i, xs_i + m_i)
    nu0_j, cross_j = _crossing(base_j, u_j, x0_j, sc_j, wp, xd_i, xs_j, xs_j + m_j)
    if valid & (cross_i | cross_j | (p > 0.0)):
        changed = p > 0.0
        if cross_i | cross_j:
            # §5, side I then side J (J sees I's capped move)
            nu0_i, capped, m_a, m_o, g = _cap(base_i, u_i, x0_i, sc_i, wq, wp, xd_j, xs_i, xs_i + m_i,
                                              ss_i, cs_i, sd_i, ss_j, sd_j, sc_j, rate_i, xs_j, xd_i)
            changed = changed or capped
            if capped:
                hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j = _replace_last(
                    hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j, m_i, m_j, m_a, m_o)
                m_i, m_j, gain = m_a, m_o, g
            nu0_j, capped, m_a, m_o, g = _cap(base_j, u_j, x0_j, sc_j, wp, wq, xd_i, xs_j, xs_j + m_j,
                                              ss_j, cs_j, sd_j, ss_i, sd_i, sc_i, rate_j, xs_i, xd_j)
            changed = changed or capped
            if capped:
                hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j = _replace_last(
                    hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j, m_i, m_j, m_o, m_a)
                m_i, m_j, gain = m_o, m_a, g
        if p > 0.0:  # the ranking gain stays the p = 0 one
            r_i, r_j = _rex(m_i, m_j, gain, nu0_i, nu0_j, p, u, v, z, base_i, u_i, base_j, u_j, x0_i,
                            x0_j, xs_i, xs_j, xd_i, xd_j, ss_i, ss_j, cs_i, cs_j, sd_i, sd_j, sc_i, sc_j,
                            wq, wp)
            hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j = _replace_last(
                hs_i, hl_i, hp_i, hn_i, hs_j, hl_j, hp_j, hn_j, m_i, m_j, r_i, r_j)
            m_i, m_j = r_i, r_j
        if changed:
            valid = _ok(m_i, xs_i, hs_i, hl_i, hp_i, hn_i) & _ok(m_j, xs_j, hs_j, hl_j, hp_j, hn_j)
    return m_i, m_j, (hs_i, hl_i, hp_i, hn_i), (hs_j, hl_j, hp_j, hn_j), gain, valid


@njit(inline='always', **JIT)
def _refreshed(a, k, xs, hs, hl, hp, hn, last, xa_i, xa_j, xq, xp, y_i, y_j):
    """Refresh one side of a candidate that the executed trade X changes (spec §6, steps 1-2).

    The side (actor ``a`` supplying ``k`` from ``xs``, history ``hs, hl, hp, hn`` whose last
    entry is ``last``) belongs to a candidate that X (actors ``xa_i``, ``xa_j`` supplying ``xq``,
    ``xp`` and moving to ``y_i``, ``y_j``) changes. Step 1: a side with X's actor and supply
    issue starts from where X moved it and keeps its history. Otherwise the last entry of its
    history goes: when the other side was synchronised (step 1), and when neither was (then the
    candidate learned an update, step 2, which removes the last entry of both histories). No
    live candidate has both sides synchronised (that is X itself). Returns the side's supply
    position and history.
    """
    if a == xa_i and k == xq:
        return y_i, hs, hl, hp, hn
    if a == xa_j and k == xp:
        return y_j, hs, hl, hp, hn
    hs, hl, hp, hn = _pop(hs, hl, hp, hn, last)
    return xs, hs, hl, hp, hn


@njit(inline='always', **JIT)
def _update(env, na, ni, demander, k, supplier, x0, y):
    """Record ``supplier`` at ``y`` on ``k`` for candidates where ``demander`` demands ``k``.

    An existing entry v becomes min(v, y) if x0 <= v else max(v, y) (spec §6, rule R).
    """
    at = _u_at(na, ni, demander, k, supplier)
    old = env[at]
    if old == old:
        new = min(old, y) if x0 <= old else max(old, y)
    else:
        new, old = y, env[_x_at(na, ni, supplier, k)]
    env[_du_at(na, ni, demander, k)] += (new - old) * env[_w_at(na, ni, supplier, k)]
    env[at] = new


@njit(**JIT)
def _tree_at_least(tree, size, threshold, out, stack):
    """Write the leaves with value >= threshold into ``out`` in index order; return how many."""
    n_out = 0
    top = 0
    stack[0] = 1
    while top >= 0:
        i = stack[top]
        top -= 1
        if tree[i] < threshold:
            continue
        if i >= size:
            out[n_out] = i - size
            n_out += 1
        else:
            stack[top + 1] = 2 * i + 1  # right child below the left: left is visited first
            stack[top + 2] = 2 * i
            top += 2
    return n_out


@njit(**JIT)
def key_index(K, na, ni):
    """CSR lists of the candidates by actor, issue and role, each in creation order.

    Key ``(a * ni + k) * 2 + role``: role 0 lists the candidates in which actor a supplies issue
    k, role 1 those in which a demands k. Returns ``start`` (``[2 A I + 1]``) and ``items``.
    """
    start = np.zeros(2 * na * ni + 1, dtype=np.int64)
    for e in range(K.shape[0]):
        for side in range(2):
            a = K[e, ACT + side]
            start[(a * ni + K[e, SUP + side]) * 2 + 1] += 1
            start[(a * ni + K[e, SUP + 1 - side]) * 2 + 2] += 1
    for i in range(2 * na * ni):
        start[i + 1] += start[i]
    fill = start[:-1].copy()
    items = np.empty(start[-1], dtype=np.int32)
    for e in range(K.shape[0]):
        for side in range(2):
            a = K[e, ACT + side]
            for key in ((a * ni + K[e, SUP + side]) * 2, (a * ni + K[e, SUP + 1 - side]) * 2 + 1):
                items[fill[key]] = e
                fill[key] += 1
    return start, items


@njit(**JIT)
def run_round(F, K, env, na, ni, p, tie_first, tie_tol, gen):
    """Execute one round (spec §6-§7, deterministic mode) on candidates in creation order.

    Returns the executed candidates in order and the number of tie events. Tie set: every live
    candidate whose gain is within ``tie_tol * max(1, G_max)`` of the largest gain, in creation
    order; one is chosen uniformly with ``gen.integers`` (or the first when ``tie_first``). The
    live gains sit in a max-tree, so finding the best costs O(1) and an update O(log n). With
    p > 0 every evaluation first draws three uniforms (Appendix A).

    One loop: evaluate the queue (first every candidate in creation order, later the candidates
    the last trade changes), bring the tree up to date, pick and execute the best, and queue the
    candidates it changes. After X (actors I, J supplying q, p), §6 refreshes exactly the
    candidates in which I demands p, I supplies q, J supplies p or J demands q (one in which I
    supplies p or demands q shares nothing that refresh looks at). Those four role lists are
    walked in that order, each in creation order, a candidate on two lists being queued at its
    first: the order in which a walk over all of (I, p), (I, q), (J, p), (J, q) reaches them, so
    the random rates are drawn in the same order.
    """
    n = F.shape[0]
    key_start, key_items = key_index(K, na, ni)
    key_end = key_start[1:].copy()
    size = 1
    while size < max(n, 1):
        size *= 2
    tree = np.full(2 * size, -np.inf)
    alive = np.ones(n, dtype=np.bool_)
    stamp = np.full(n, -1, dtype=np.int32)
    executed = np.empty(n, dtype=np.int64)
    tied = np.empty(n, dtype=np.int64)
    stack = np.empty(2 * 64 + 2, dtype=np.int64)
    queue = np.arange(n)
    n_queue = n
    changed = np.empty(2 * n + 1, dtype=np.int64)
    n_changed = 0
    refreshing = False
    xa_i = xa_j = xq = xp = -1
    y_i = y_j = 0.0
    u = v = z = 0.0
    n_exec = 0
    ties = 0
    while True:
        # evaluate the queue (§4-§5; after a trade, refresh first: §6)
        for at in range(n_queue):
            c = queue[at]
            i_act, j_act, q, pp = K[c, ACT], K[c, ACT + 1], K[c, SUP], K[c, SUP + 1]
            xs_i, hs_i, hl_i, hp_i, hn_i = F[c, XS], F[c, HSUM], K[c, HLEN], K[c, HPOS], K[c, HNEG]
            xs_j, hs_j, hl_j, hp_j, hn_j = (F[c, XS + 1], F[c, HSUM + 1], K[c, HLEN + 1], K[c, HPOS + 1],
                                            K[c, HNEG + 1])
            if refreshing:
                xs_i, hs_i, hl_i, hp_i, hn_i = _refreshed(i_act, q, xs_i, hs_i, hl_i, hp_i, hn_i, F[c, M],
                                                          xa_i, xa_j, xq, xp, y_i, y_j)
                xs_j, hs_j, hl_j, hp_j, hn_j = _refreshed(j_act, pp, xs_j, hs_j, hl_j, hp_j, hn_j,
                                                          F[c, M + 1], xa_i, xa_j, xq, xp, y_i, y_j)
            if p > 0.0:
                u, v, z = gen.random(), gen.random(), gen.random()
            side_i = (xs_i, F[c, XD], F[c, X0], F[c, SS], F[c, CS], F[c, SD], F[c, RATIO],
                      env[_w_at(na, ni, i_act, q)])
            side_j = (xs_j, F[c, XD + 1], F[c, X0 + 1], F[c, SS + 1], F[c, CS + 1], F[c, SD + 1],
                      F[c, RATIO + 1], env[_w_at(na, ni, j_act, pp)])
            issues = (env[_big_w_at(na, ni, q)], env[_big_w_at(na, ni, pp)],
                      env[_s0_at(na, ni, q)] + env[_du_at(na, ni, j_act, q)],  # J demands q
                      env[_u_at(na, ni, j_act, q, i_act)],
                      env[_s0_at(na, ni, pp)] + env[_du_at(na, ni, i_act, pp)],  # I demands p
                      env[_u_at(na, ni, i_act, pp, j_act)])
            m_i, m_j, hist_i, hist_j, gain, valid = _evaluate(
                side_i, side_j, (hs_i, hl_i, hp_i, hn_i), (hs_j, hl_j, hp_j, hn_j), issues, (p, u, v, z))
            hs_i, hl_i, hp_i, hn_i = hist_i
            hs_j, hl_j, hp_j, hn_j = hist_j
            F[c, XS], F[c, XS + 1], F[c, M], F[c, M + 1] = xs_i, xs_j, m_i, m_j
            F[c, HSUM], F[c, HSUM + 1], F[c, GAIN] = hs_i, hs_j, gain
            K[c, HLEN], K[c, HPOS], K[c, HNEG] = hl_i, hp_i, hn_i
            K[c, HLEN + 1], K[c, HPOS + 1], K[c, HNEG + 1] = hl_j, hp_j, hn_j
            K[c, VALID] = valid
            if refreshing and not valid:
                alive[c] = False
                gain = -np.inf
            tree[size + c] = gain
            changed[n_changed] = c
            n_changed += 1
        # bring the max-tree up to date: each changed leaf's ancestors, until one does not change
        if refreshing:
            for at in range(n_changed):
                i = (size + changed[at]) // 2
                while i >= 1:
                    top = max(tree[2 * i], tree[2 * i + 1])
                    if tree[i] == top:
                        break
                    tree[i] = top
                    i //= 2
        else:
            for i in range(size - 1, 0, -1):
                tree[i] = max(tree[2 * i], tree[2 * i + 1])
            refreshing = True
        n_changed = 0
        n_queue = 0
        if tree[1] == -np.inf:
            break
        # §7: the best live candidate (ties settled), executed if valid
        g_max = tree[1]
        n_tied = _tree_at_least(tree, size, g_max - tie_tol * max(1.0, g_max), tied, stack)
        pick = 0
        if n_tied > 1:
            ties += 1
            if not tie_first:
                pick = gen.integers(0, n_tied)
        best = tied[pick]
        alive[best] = False
        tree[size + best] = -np.inf
        changed[n_changed] = best
        n_changed += 1
        if not K[best, VALID]:
            continue
        if n_exec == 0:
            for e in range(n):
                if alive[e] and not K[e, VALID]:
                    alive[e] = False
                    tree[size + e] = -np.inf
                    changed[n_changed] = e
                    n_changed += 1
        executed[n_exec] = best
        n_exec += 1
        # §6: record where X's sides moved, and queue the candidates X changes
        xa_i, xa_j, xq, xp = K[best, ACT], K[best, ACT + 1], K[best, SUP], K[best, SUP + 1]
        y_i, y_j = _y(F, best, 0), _y(F, best, 1)
        _update(env, na, ni, xa_j, xq, xa_i, F[best, X0], y_i)
        _update(env, na, ni, xa_i, xp, xa_j, F[best, X0 + 1], y_j)
        # I demands p, I supplies q, J supplies p, J demands q (role 1 = demands)
        for key in ((xa_i * ni + xp) * 2 + 1, (xa_i * ni + xq) * 2, (xa_j * ni + xp) * 2,
                    (xa_j * ni + xq) * 2 + 1):
            kept = key_start[key]  # the list drops its dead candidates as it is read, in order
            for j in range(key_start[key], key_end[key]):
                c = key_items[j]
                if not alive[c]:
                    continue
                key_items[kept] = c
                kept += 1
                if stamp[c] != n_exec:
                    stamp[c] = n_exec
                    queue[n_queue] = c
                    n_queue += 1
            key_end[key] = kept
    return executed[:n_exec], ties


@njit(**JIT)
def end_of_round(F, K, executed, x, fixed_weight, salience_weight):
    """Spec §8: voting positions (last trade wins) and next round's preference positions."""
    vote = x.copy()
    pref = x.copy()
    for e in executed:
        for side in range(2):
            a, k = K[e, ACT + side], K[e, SUP + side]
            y, x0 = _y(F, e, side), F[e, X0 + side]
            vote[a, k] = y
            wgt = fixed_weight + salience_weight * (1.0 - F[e, SS + side])
            pref[a, k] = x0 + wgt * (y - x0)
    return vote, pref


# --- a whole run of one draw in one compiled call --------------------------------------------


@njit(**JIT)
def outcome(x, w):
    """Compute the weighted outcome of each issue (spec §2), in numpy's order.

    o_k = sum_i x_ik w_ik / sum_i w_ik (0 where no weight), spec §2; summed actor by actor
    in order, as numpy's reduction over the actor axis does, so results match it bit for bit.
    """
    na, ni = x.shape
    num = np.zeros(ni)
    tot = np.zeros(ni)
    for a in range(na):
        for k in range(ni):
            num[k] += x[a, k] * w[a, k]
            tot[k] += w[a, k]
    out = np.zeros(ni)
    for k in range(ni):
        if tot[k] > 0:
            out[k] = num[k] / tot[k]
    return out


@njit(**JIT)
def candidates(x, s, c, stake):
    """Build the candidate exchanges (spec §3), compiled.

    Spec §3 in creation order (issue pairs p < q in order; per pair the (A, D) then the (B, C)
    actor pairs, each in actor order); the compiled twin of ``candidates.build_candidates``.
    Groups relative to the outcome o: A (right on p, right on q), B (left, right), C (right,
    left), D (left, left), "left" meaning x <= o. Returns ``F, K, n_skipped``; each row carries
    its exchange rates RATIO_I = (s_SI + s_DJ) / (s_DI + s_SJ) and RATIO_J = (s_SJ + s_DI) /
    (s_DJ + s_SI) (spec §4, equal gain: the quotients an evaluation would otherwise form each
    time). Every field of a row is written once (no zeroed arrays, no second pass), and
    s_p / s_q is divided once per actor and pair.
    """
    na, ni = x.shape
    w = s * c * stake
    o = outcome(x, w)
    left = np.empty((na, ni), dtype=np.bool_)
    for a in range(na):
        for k in range(ni):
            left[a, k] = x[a, k] <= o[k]
    members = np.empty((ni * (ni - 1) // 2, 4, na), dtype=np.int64)  # per pair and group
    count = np.zeros((ni * (ni - 1) // 2, 4), dtype=np.int64)
    cap = 0
    pair = 0
    for p in range(ni):
        for q in range(p + 1, ni):
            for a in range(na):
                if stake[a, p] and stake[a, q]:
                    g = (1 if left[a, p] else 0) + (2 if left[a, q] else 0)  # 0 A, 1 B, 2 C, 3 D
                    members[pair, g, count[pair, g]] = a
                    count[pair, g] += 1
            cap += count[pair, 0] * count[pair, 3] + count[pair, 1] * count[pair, 2]
            pair += 1
    F = np.empty((cap, NF))
    K = np.empty((cap, NK), dtype=np.int32)
    ratio = np.empty(na)
    n = 0
    skipped = 0
    pair = 0
    for p in range(ni):
        for q in range(p + 1, ni):
            for a in range(na):
                ratio[a] = s[a, p] / s[a, q] if s[a, q] > 0 else 0.0
            for first, second in ((0, 3), (1, 2)):
                for ia in range(count[pair, first]):
                    a = members[pair, first, ia]
                    for ib in range(count[pair, second]):
                        b = members[pair, second, ib]
                        ok = s[a, q] > 0 and s[b, q] > 0
                        ai, aj = a, b
                        if ok and ratio[a] < ratio[b]:
                            ai, aj = b, a
                        ok = ok and s[ai, q] > 0 and c[ai, q] > 0 and s[aj, p] > 0 and c[aj, p] > 0
                        if not ok:
                            skipped += 1
                            continue
                        K[n, ACT], K[n, ACT + 1], K[n, SUP], K[n, SUP + 1] = ai, aj, q, p
                        for col in range(HLEN, NK):
                            K[n, col] = 0
                        F[n, XS] = F[n, X0] = x[ai, q]
                        F[n, XS + 1] = F[n, X0 + 1] = x[aj, p]
                        F[n, XD], F[n, XD + 1] = x[ai, p], x[aj, q]
                        ss_i, sd_i, ss_j, sd_j = s[ai, q], s[ai, p], s[aj, p], s[aj, q]
                        F[n, SS], F[n, CS], F[n, SD] = ss_i, c[ai, q], sd_i
                        F[n, SS + 1], F[n, CS + 1], F[n, SD + 1] = ss_j, c[aj, p], sd_j
                        for col in range(M, RATIO):
                            F[n, col] = 0.0
                        F[n, RATIO] = (ss_i + sd_j) / (sd_i + ss_j)
                        F[n, RATIO + 1] = (ss_j + sd_i) / (sd_j + ss_i)
                        n += 1
            pair += 1
    return F[:n], K[:n], skipped


@njit(**JIT)
def env_of(x, w):
    """:func:`make_env` compiled (same layout, same sums)."""
    na, ni = x.shape
    m = na * ni
    env = np.empty(4 * m + 2 * ni + m * na)
    env[:m] = x.ravel()
    env[m:2 * m] = w.ravel()
    env[2 * m:2 * m + 2 * ni] = 0.0
    for a in range(na):
        for k in range(ni):
            env[2 * m + k] += x[a, k] * w[a, k]
            env[2 * m + ni + k] += w[a, k]
    env[2 * m + 2 * ni:3 * m + 2 * ni] = 0.0
    env[3 * m + 2 * ni:] = np.nan
    return env


@njit(nogil=True, **JIT)
def run_draw(x0, s, c, stake, lower, span, rounds, p, tie_first, tie_tol, fixed_weight,
             salience_weight, stop_when_idle, gen):
    """All ``rounds`` of one draw (spec §3-§8): candidates, the greedy round, the end of round.

    ``x0`` is on the 0..100 scale of each issue (``lower``, ``span`` give the issue units).
    Returns preference positions ``xs [R+1, A, I]`` and their outcomes (spec §2, 0..100 scale,
    summed as numpy sums over the actor axis) ``[R+1, I]``, voting outcomes ``[R+1, I]`` (row 0
    NaN), tie events, exchanges and skipped candidates per round, and the executed trades of all
    rounds in order as int64 rows laid out as :data:`~accord.models.exchange.details.EXCHANGE_DTYPE`
    (actor I, actor J, issue q that I supplies, issue p that J supplies; then, through a float64
    view, from_i, to_i, from_j, to_j in issue units, x (span / 100) + lower, and gain_i, gain_j
    with gain = s_demand x outcome shift received - s_supply x outcome shift conceded, shifts on
    the 0..100 scale).
    """
    na, ni = x0.shape
    w = s * c * stake
    W = np.zeros(ni)
    for a in range(na):
        for k in range(ni):
            W[k] += w[a, k]
    xs = np.empty((rounds + 1, na, ni))
    xs[0] = x0
    pref_o = np.empty((rounds + 1, ni))
    pref_o[0] = outcome(x0, w)
    vote_o = np.full((rounds + 1, ni), np.nan)
    ties = np.zeros(rounds + 1, dtype=np.int64)
    n_ex = np.zeros(rounds + 1, dtype=np.int64)
    skipped = np.zeros(rounds + 1, dtype=np.int64)
    rec = np.empty((64, 10), dtype=np.int64)
    n_rec = 0
    for r in range(1, rounds + 1):
        xr = xs[r - 1]
        if stop_when_idle and r > 1 and n_ex[r - 1] == 0:
            xs[r] = xr
            pref_o[r] = pref_o[r - 1]
            vote_o[r] = vote_o[r - 1]
            continue
        F, K, n_skip = candidates(xr, s, c, stake)
        executed, n_ties = run_round(F, K, env_of(xr, w), na, ni, p, tie_first, tie_tol, gen)
        vote, pref = end_of_round(F, K, executed, xr, fixed_weight, salience_weight)
        skipped[r], ties[r], xs[r] = n_skip, n_ties, pref
        pref_o[r] = outcome(pref, w)
        vote_o[r] = outcome(vote, w)
        n_ex[r] = executed.size
        if n_rec + executed.size > rec.shape[0]:
            grown = np.empty((max(2 * rec.shape[0], n_rec + executed.size), 10), dtype=np.int64)
            grown[:n_rec] = rec[:n_rec]
            rec = grown
        rec_f = rec.view(np.float64)
        for e in executed:
            ai, aj, q, pp = K[e, ACT], K[e, ACT + 1], K[e, SUP], K[e, SUP + 1]
            d_q = abs(F[e, M]) * w[ai, q] / W[q]  # the outcome shifts the two moves make
            d_p = abs(F[e, M + 1]) * w[aj, pp] / W[pp]
            rec[n_rec, 0], rec[n_rec, 1], rec[n_rec, 2], rec[n_rec, 3] = ai, aj, q, pp
            unit_q, unit_p = span[q] / 100.0, span[pp] / 100.0
            rec_f[n_rec, 4] = F[e, X0] * unit_q + lower[q]
            rec_f[n_rec, 5] = _y(F, e, 0) * unit_q + lower[q]
            rec_f[n_rec, 6] = F[e, X0 + 1] * unit_p + lower[pp]
            rec_f[n_rec, 7] = _y(F, e, 1) * unit_p + lower[pp]
            rec_f[n_rec, 8] = F[e, SD] * d_p - F[e, SS] * d_q
            rec_f[n_rec, 9] = F[e, SD + 1] * d_q - F[e, SS + 1] * d_p
            n_rec += 1
    return xs, pref_o, vote_o, ties, n_ex, skipped, rec[:n_rec]
