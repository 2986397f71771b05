"""The SMP's two cubic steps compiled: coalition strengths among options, and every challenge.

Both are sums over a third actor for every pair, O(A^3) work. Written with numpy they build
``[B, n, m(m-1)/2]`` and ``[B, i, n, j]`` arrays (memory A^3: 11.9 GB for one turn of 1,000
actors); here one pair (or one initiator) at a time is summed over the third actors into
``[m, m]`` tables, so memory is O(A^2). The operations and their order are those of
:func:`accord.models.smp.kernel.coalitions` (numpy's pairwise sum over the voters, which its
array layout makes contiguous) and :func:`accord.models.smp.turn.contest`/
:func:`~accord.models.smp.turn.gain` (third parties summed in actor order), so the results equal
theirs bit for bit (``tests/test_smp_compiled.py``).

Spec: ``docs/specs/spatial-model.md`` §4 (votes, coalitions) and §6-§7 (challenges); KTAB's SMP
(Wise, Lester et al., KAPSARC 2015-2017). The functions release the GIL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

from accord.models.smp.kernel import BIN_TOL, COALITION_EPS, VotingRule

JIT: dict[str, Any] = {"cache": True, "error_model": "numpy", "nogil": True}

#: voting rules as the integers the compiled code takes
RULE_CODES = {rule: n for n, rule in enumerate(VotingRule)}
PROP, BINARY, PROP_BIN, PROP_CBC, CUBIC, ASYM_PROSP = (RULE_CODES[r] for r in VotingRule)
CHALLENGE_EPS = 1e-10  # accord.models.smp.turn.CHALLENGE_EPS (turn imports this module's users)


@njit(**JIT)
def _vote(rule, w, du):
    """:func:`accord.models.smp.kernel.vote_du` for one vote."""
    if rule == PROP:
        return w * du
    if rule == CUBIC:
        return w * (du * du * du)
    if rule == ASYM_PROSP:
        if du < 0:
            return w * du
        if du > 0:
            return (2.0 * w * du) / 3.0
        return 0.0 * w
    rbin = min(max(du / BIN_TOL, -1.0), 1.0)
    if rule == BINARY:
        return w * rbin
    if rule == PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * rbin)
    return w * ((1 - 0.5) * du + 0.5 * (du * du * du))  # PROP_CBC


@njit(**JIT)
def _utility(d, r):
    """:func:`accord.models.smp.kernel.utility`: (1 - d)(1 + R d), (1 - d)(1 + R) above d = 1."""
    inside = (d * r + 1) * (1 - d)
    outside = (1 - d) * (1 + r)
    return inside if d <= 1 else outside


@njit(**JIT)
def pairwise_sum(a, n):
    """Sum ``a[:n]`` as numpy does for contiguous values.

    Numpy's sum of ``a[:n]`` when the values are contiguous (its pairwise summation: eight
    running sums over blocks of up to 128 values, halves above that), so that a compiled sum
    gives the bits numpy gives.
    """
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
        i = 8
        while i < n - (n % 8):
            r0 += a[i]
            r1 += a[i + 1]
            r2 += a[i + 2]
            r3 += a[i + 3]
            r4 += a[i + 4]
            r5 += a[i + 5]
            r6 += a[i + 6]
            r7 += a[i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[i]
            i += 1
        return res
    half = n // 2
    half -= half % 8
    return pairwise_sum(a, half) + pairwise_sum(a[half:], n - half)


#: voters in one leaf of numpy's pairwise summation (its PW_BLOCKSIZE)
LEAF = 128
#: options whose utilities :func:`coalitions` holds contiguous at once (a few hundred KB:
#: the L2 cache) and votes on side by side
TILE = 64


@njit(**JIT)
def pairwise_plan(n):
    """Lay out numpy's pairwise summation of ``n`` contiguous values as leaves and a program.

    Numpy sums up to :data:`LEAF` values directly (:func:`pairwise_sum`); above that it sums
    the first ``h`` (``n // 2`` rounded down to a multiple of 8) and the rest, and adds the two.
    Returns the leaves' starts and lengths, in order, and that recursion in postfix: entry
    ``e >= 0`` pushes leaf ``e``'s sum, ``-1`` replaces the top two sums by their sum (deeper
    one first).
    """
    cap = 2 * (n // (LEAF // 2)) + 4
    starts = np.empty(cap, dtype=np.int64)
    lengths = np.empty(cap, dtype=np.int64)
    program = np.empty(2 * cap, dtype=np.int64)
    # a stack of (start, length, join): join marks a span whose two halves are pushed
    span_lo = np.empty(192, dtype=np.int64)
    span_n = np.empty(192, dtype=np.int64)
    span_join = np.empty(192, dtype=np.bool_)
    span_lo[0], span_n[0], span_join[0] = 0, n, False
    top, n_leaves, n_program = 1, 0, 0
    while top > 0:
        top -= 1
        lo, size, join = span_lo[top], span_n[top], span_join[top]
        if join:
            program[n_program] = -1
            n_program += 1
        elif size <= LEAF:
            starts[n_leaves], lengths[n_leaves] = lo, size
            program[n_program] = n_leaves
            n_leaves += 1
            n_program += 1
        else:  # join after the second half, which comes after the first
            half = size // 2
            half -= half % 8
            span_lo[top], span_n[top], span_join[top] = lo, size, True
            span_lo[top + 1], span_n[top + 1], span_join[top + 1] = lo + half, size - half, False
            span_lo[top + 2], span_n[top + 2], span_join[top + 2] = lo, half, False
            top += 3
    return starts[:n_leaves], lengths[:n_leaves], program[:n_program]


@njit(inline="always", **JIT)
def _votes(rule, w, u_a, u_o, width, up, down, k, add):
    """Voter's positive and negative votes for option a against each option of a tile.

    ``up[k, t]``/``down[k, t]`` get (``add``: are increased by) max(V, 0) and max(-V, 0) of
    V = V(w; u_a - u_o[t]) for the ``width`` options of the tile.
    """
    if rule == PROP:  # the default, written out so that the loop is vectorised
        for t in range(width):
            _split(w * (u_a - u_o[t]), up, down, k, t, add)
    else:
        for t in range(width):
            _split(_vote(rule, w, u_a - u_o[t]), up, down, k, t, add)


@njit(inline="always", **JIT)
def _split(v, up, down, k, t, add):
    """Write (``add``: add) max(v, 0) to ``up[k, t]`` and max(-v, 0) to ``down[k, t]``."""
    pos = v if v > 0.0 else 0.0
    neg = -v if -v > 0.0 else 0.0
    if add:
        up[k, t] += pos
        down[k, t] += neg
    else:
        up[k, t] = pos
        down[k, t] = neg


@njit(**JIT)
def _few_needed(needed_a, o_lo, width):
    """Whether fewer than a quarter of a tile's pairs with option a are needed (voted one by one)."""
    count = 0
    for o in range(o_lo, o_lo + width):
        count += needed_a[o]
    return 4 * count < width


@njit(**JIT)
def _pairs_one_by_one(util, weight, rule, c, b, a, o_lo, width, tile, needed_a, up, down):
    """Vote on the needed pairs (a, o) of a tile one at a time; the others get 1e-8 on both sides.

    The sums are :func:`pairwise_sum`'s over the voters, the numbers the tile's vectorised sums
    give; ``up``/``down`` are scratch arrays of at least as many values as voters.
    """
    nv = util.shape[1]
    for t in range(width):
        o = o_lo + t
        if not needed_a[o]:
            c[b, a, o] = COALITION_EPS
            c[b, o, a] = COALITION_EPS
            continue
        for n in range(nv):
            v = _vote(rule, weight[b, n], util[b, n, a] - tile[n, t])
            up[n] = v if v > 0.0 else 0.0
            down[n] = -v if -v > 0.0 else 0.0
        c[b, a, o] = COALITION_EPS + pairwise_sum(up, nv)
        c[b, o, a] = COALITION_EPS + pairwise_sum(down, nv)


@njit(**JIT)
def coalitions(util, weight, rule, c, start, stop, needed):
    """Compute coalition strengths ``C[B, a, b]`` among m options, compiled.

    Coalition strengths ``C[B, a, b]`` among m options from ``util[B, n, m]`` and ``weight[B, n]``
    (:func:`accord.models.smp.kernel.coalitions`): for a > b, the positive votes
    V(w_n; u_na - u_nb) summed over the voters n join C(a, b), the negative ones C(b, a), each on
    top of 1e-8. Each pair's sums are numpy's pairwise sums over its voters
    (:func:`pairwise_sum`, as the numpy statement forms them: its vote array holds the voters
    contiguously). They are taken for a tile of :data:`TILE` options b at once, whose utilities
    are copied side by side, so the votes are vectorised across the tile and the tile stays in
    cache for every row a: the leaves' eight running sums are rows of ``[8, TILE]`` arrays and
    the halves are joined by :func:`pairwise_plan`'s program. Each pair's sums are thus the
    same operations in the same order, whatever the tile. Fills the rows ``start <= a < stop``
    of ``c`` (and the columns of the same pairs), so threads can share the work.
    ``needed[B, m, m]`` (bool; an empty array: all) names the pairs an election reads; the
    others get 1e-8 on both sides. Where a tile holds few needed pairs with a (the bargains'
    short queues), those are voted one by one (:func:`_pairs_one_by_one`), the same sums.
    """
    nb, nv, m = util.shape
    masked = needed.shape[0] > 0
    starts, lengths, program = pairwise_plan(nv)
    tile = np.empty((nv, TILE))
    run_up = np.empty((8, TILE))  # a leaf's eight running sums
    run_down = np.empty((8, TILE))
    one_up = np.empty(nv)  # one pair's votes (_pairs_one_by_one)
    one_down = np.empty(nv)
    sum_up = np.empty((64, TILE))  # the program's stack of partial sums
    sum_down = np.empty((64, TILE))
    for b in range(nb):
        for a in range(start, stop):
            c[b, a, a] = COALITION_EPS
        for o_lo in range(0, stop - 1, TILE):
            o_hi = min(o_lo + TILE, stop - 1)
            for n in range(nv):
                for t in range(o_hi - o_lo):
                    tile[n, t] = util[b, n, o_lo + t]
            for a in range(max(start, o_lo + 1), stop):
                width = min(o_hi, a) - o_lo
                if masked and _few_needed(needed[b, a], o_lo, width):
                    _pairs_one_by_one(
                        util, weight, rule, c, b, a, o_lo, width, tile, needed[b, a], one_up, one_down
                    )
                    continue
                top = 0
                for step in program:
                    if step < 0:
                        for t in range(width):
                            sum_up[top - 2, t] += sum_up[top - 1, t]
                            sum_down[top - 2, t] += sum_down[top - 1, t]
                        top -= 1
                        continue
                    lo, size = starts[step], lengths[step]
                    if size < 8:  # numpy: 0.0, then each value in turn
                        for t in range(width):
                            sum_up[top, t] = 0.0
                            sum_down[top, t] = 0.0
                        for n in range(lo, lo + size):
                            _votes(
                                rule, weight[b, n], util[b, n, a], tile[n], width, sum_up, sum_down, top, True
                            )
                        top += 1
                        continue
                    for k in range(8):  # numpy: eight running sums from the first eight values
                        _votes(
                            rule,
                            weight[b, lo + k],
                            util[b, lo + k, a],
                            tile[lo + k],
                            width,
                            run_up,
                            run_down,
                            k,
                            False,
                        )
                    i = 8
                    while i < size - size % 8:
                        for k in range(8):
                            n = lo + i + k
                            _votes(
                                rule, weight[b, n], util[b, n, a], tile[n], width, run_up, run_down, k, True
                            )
                        i += 8
                    for t in range(width):
                        sum_up[top, t] = ((run_up[0, t] + run_up[1, t]) + (run_up[2, t] + run_up[3, t])) + (
                            (run_up[4, t] + run_up[5, t]) + (run_up[6, t] + run_up[7, t])
                        )
                        sum_down[top, t] = (
                            (run_down[0, t] + run_down[1, t]) + (run_down[2, t] + run_down[3, t])
                        ) + ((run_down[4, t] + run_down[5, t]) + (run_down[6, t] + run_down[7, t]))
                    for n in range(lo + i, lo + size):  # numpy: the rest, in turn
                        _votes(rule, weight[b, n], util[b, n, a], tile[n], width, sum_up, sum_down, top, True)
                    top += 1
                for t in range(width):
                    o = o_lo + t
                    if masked and not needed[b, a, o]:
                        c[b, a, o] = COALITION_EPS
                        c[b, o, a] = COALITION_EPS
                    else:
                        c[b, a, o] = COALITION_EPS + sum_up[0, t]
                        c[b, o, a] = COALITION_EPS + sum_down[0, t]


@njit(**JIT)
def challenges(d, rh, w, total, rule, semi, best_p, best_g, start, stop):
    """Compute every actor i's view of challenging every j, compiled (spec §6-§7).

    What :func:`accord.models.smp.turn.best_challenges` computes before its choice:
    P_i[i beats j] ``[B, i, j]`` and i's expected gain ``[B, i, j]``. ``d[B, n, j]`` distances,
    ``rh[B, h, n]`` h's estimate of n's risk attitude,
    ``w`` = salience total x capability and ``total`` the salience totals ``[B, A]``; ``semi``:
    third parties commit half-way (SemiCommit), else they stay out. Fills the initiators
    ``start <= i < stop`` of ``best_p`` and ``best_g``, so threads can share the work.
    """
    nb, na, _ = d.shape
    u_ni = np.empty(na)
    u_nn = np.empty(na)
    a0 = np.empty(na)
    b0 = np.empty(na)
    u_ij = np.empty(na)
    sa = np.empty(na)
    sb = np.empty(na)
    for b in range(nb):
        for i in range(start, stop):
            for n in range(na):  # i's estimate of n's utility of i's position and of its own
                u_ni[n] = _utility(d[b, n, i], rh[b, i, n])
                u_nn[n] = _utility(d[b, n, n], rh[b, i, n])
            u_ii = u_ni[i]
            w_i = w[b, i]
            for j in range(na):
                u_ij[j] = _utility(d[b, i, j], rh[b, i, i])
                ci = _vote(rule, w_i, u_ii - u_ij[j])
                cj = _vote(rule, w[b, j], u_ni[j] - u_nn[j])
                a0[j] = CHALLENGE_EPS + (ci if ci > 0.0 else 0.0) + (cj if cj > 0.0 else 0.0)
                b0[j] = CHALLENGE_EPS + (-ci if -ci > 0.0 else 0.0) + (-cj if -cj > 0.0 else 0.0)
                sa[j] = 0.0
                sb[j] = 0.0
            if semi:
                for n in range(na):
                    if n == i:
                        continue
                    r_n, w_n, uni, unn = rh[b, i, n], w[b, n], u_ni[n], u_nn[n]
                    # n = j is no third party: its sums are put back as they were after the
                    # loop over every target (one aligned loop; two split at n ran 1.7x slower)
                    kept_a, kept_b = sa[n], sb[n]
                    if rule == PROP:  # the default, written out so that the loop is vectorised
                        _third_prop(d[b, n], r_n, w_n, uni, unn, a0, b0, sa, sb, 0, na)
                    else:
                        _third(d[b, n], rule, r_n, w_n, uni, unn, a0, b0, sa, sb, 0, na)
                    sa[n], sb[n] = kept_a, kept_b
            for j in range(na):  # spec §6.4: i's expected gain, twice its utility scale
                a = a0[j] + sa[j]
                bb = b0[j] + sb[j]
                p_ij, p_ji = a / (a + bb), bb / (a + bb)
                best_p[b, i, j] = p_ij
                s_j = total[b, j]
                win = u_ii + u_ii
                lose_j = u_ij[j] + u_ij[j]
                chlg = (1 - s_j) * win + s_j * (p_ij * win + p_ji * lose_j)
                best_g[b, i, j] = chlg - (u_ii + u_ij[j])


@njit(**JIT)
def _third(d_n, rule, r_n, w_n, uni, unn, a0, b0, sa, sb, lo, hi):
    """Add third party n's votes in the contests of i against the targets j in [lo, hi).

    Third party n's votes in the contests of i against each target j in [lo, hi) (spec 6.3,
    SemiCommit), added to the sums ``sa`` (for i) and ``sb`` (for j).
    """
    for j in range(lo, hi):
        u_nj = _utility(d_n[j], r_n)
        v0 = _vote(rule, w_n, uni - u_nj)
        pin = (a0[j] + (v0 if v0 > 0.0 else 0.0)) / (abs(v0) + (a0[j] + b0[j]))
        lose = u_nj - unn
        du = ((unn - uni) - lose) * pin + lose
        vn = _vote(rule, w_n, du)
        sa[j] += vn if vn > 0.0 else 0.0
        sb[j] += -vn if -vn > 0.0 else 0.0


@njit(**JIT)
def _third_prop(d_n, r_n, w_n, uni, unn, a0, b0, sa, sb, lo, hi):
    """:func:`_third` for proportional voting, V(w; du) = w du."""
    for j in range(lo, hi):
        u_nj = _utility(d_n[j], r_n)
        v0 = w_n * (uni - u_nj)
        pin = (a0[j] + (v0 if v0 > 0.0 else 0.0)) / (abs(v0) + (a0[j] + b0[j]))
        lose = u_nj - unn
        vn = w_n * (((unn - uni) - lose) * pin + lose)
        sa[j] += vn if vn > 0.0 else 0.0
        sb[j] += -vn if -vn > 0.0 else 0.0


@njit(**JIT)
def point_distances(ideal, sal, points, stake, out):
    """Compute the salience-weighted distance ``out[b, n, o]`` from n's ideal to point o (spec 2).

    d = sqrt(sum_k ((q_nk - x_ok) t_ok s_nk)^2 / sum_k s_nk^2), times 0 where that denominator
    is not positive; ``t`` is the stake of each point's owner (``stake[b, o, k]``, or one
    ``stake[0, o, k]`` for every draw). The operations, and numpy's pairwise sums over the
    dimensions (:func:`pairwise_sum`), are those of :func:`accord.models.smp.kernel.point_distance`,
    so the results equal it bit for bit, without its ``[B, N, O, K]`` temporaries.
    """
    nb, nn, nk = ideal.shape
    no = points.shape[1]
    shared = stake.shape[0] == 1
    terms = np.empty(nk)
    for b in range(nb):
        st = stake[0] if shared else stake[b]
        for n in range(nn):
            for k in range(nk):
                terms[k] = sal[b, n, k] * sal[b, n, k]
            den = pairwise_sum(terms, nk)
            safe = den if den > 0 else 1.0
            inside = 1.0 if den > 0 else 0.0
            for o in range(no):
                for k in range(nk):
                    ds = ((ideal[b, n, k] - points[b, o, k]) * st[o, k]) * sal[b, n, k]
                    terms[k] = ds * ds
                out[b, n, o] = np.sqrt(pairwise_sum(terms, nk) / safe) * inside


def split(stop: int, threads: int, work: float, run: Callable[[int, int], object]) -> None:
    """Call ``run(start, stop)`` on ``threads`` threads over equal shares of ``range(stop)``.

    Only when the ``work`` is worth it (else ``run(0, stop)`` once); the kernels write
    disjoint parts.

    Parameters
    ----------
    stop : int
        The end of the range shared out (rows or initiators).
    threads : int
        The most threads.
    work : float
        The elements the whole call touches (below 2e7, one call).
    run : Callable[[int, int], object]
        Runs the part ``[start, stop)``.
    """
    if threads <= 1 or work < 2e7 or stop < 2 * threads:
        run(0, stop)
        return
    from concurrent.futures import ThreadPoolExecutor

    cuts = np.linspace(0, stop, 4 * threads + 1).astype(int)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda ab: run(*ab), zip(cuts[:-1], cuts[1:], strict=True)))
