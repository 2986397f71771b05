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


@njit(**JIT)
def coalitions(util, weight, rule, c, start, stop, needed):
    """Compute coalition strengths ``C[B, a, b]`` among m options, compiled.

    Coalition strengths ``C[B, a, b]`` among m options from ``util[B, n, m]`` and ``weight[B, n]``
    (:func:`accord.models.smp.kernel.coalitions`): for a > b, the positive votes
    V(w_n; u_na - u_nb) summed over the voters n join C(a, b), the negative ones C(b, a), each on
    top of 1e-8. The sums are numpy's over contiguous voters (:func:`pairwise_sum`), as the
    numpy statement forms them (its vote array holds the voters contiguously). Fills the rows
    ``start <= a < stop`` of ``c`` (and the columns of the same pairs), so threads can share the
    work. ``needed[B, m, m]`` (bool; an empty array: all) names the pairs an election reads; the
    others get 1e-8 on both sides without a vote.
    """
    nb, nv, m = util.shape
    masked = needed.shape[0] > 0
    ut = np.empty((m, nv))
    up = np.empty(nv)
    down = np.empty(nv)
    for b in range(nb):
        for n in range(nv):
            for a in range(m):
                ut[a, n] = util[b, n, a]
        for a in range(start, stop):
            c[b, a, a] = COALITION_EPS
            for o in range(a):
                if masked and not needed[b, a, o]:
                    c[b, a, o] = COALITION_EPS
                    c[b, o, a] = COALITION_EPS
                    continue
                if rule == PROP:  # the default, written out so that the loop is vectorised
                    for n in range(nv):
                        v = weight[b, n] * (ut[a, n] - ut[o, n])
                        up[n] = v if v > 0.0 else 0.0
                        down[n] = -v if -v > 0.0 else 0.0
                else:
                    for n in range(nv):
                        v = _vote(rule, weight[b, n], ut[a, n] - ut[o, n])
                        up[n] = v if v > 0.0 else 0.0
                        down[n] = -v if -v > 0.0 else 0.0
                c[b, a, o] = COALITION_EPS + pairwise_sum(up, nv)
                c[b, o, a] = COALITION_EPS + pairwise_sum(down, nv)


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
                    # n = j is no third party (its term is zero): the targets below and above n
                    if rule == PROP:  # the default, written out so that the loop is vectorised
                        _third_prop(d[b, n], r_n, w_n, uni, unn, a0, b0, sa, sb, 0, n)
                        _third_prop(d[b, n], r_n, w_n, uni, unn, a0, b0, sa, sb, n + 1, na)
                    else:
                        _third(d[b, n], rule, r_n, w_n, uni, unn, a0, b0, sa, sb, 0, n)
                        _third(d[b, n], rule, r_n, w_n, uni, unn, a0, b0, sa, sb, n + 1, na)
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
