"""One compiled pass per row of the expected-utility round: risk exponents, votes and offers.

The numpy statement of a round (:mod:`accord.models.eum.kernel`: :func:`risk_exponents`, then
:func:`offers`) builds a dozen ``[rows, n, n]`` temporaries; for the few actors of a typical
scenario (n <= :data:`~accord.models.eum.kernel.DIRECT_MAX_ACTORS`) that traffic, not the
arithmetic, was the cost. :func:`step_rows` does the same work one row at a time in scratch
arrays of ``n x n`` allocated once per call, with the same operations in the same order (votes
summed over voters in input order, danger over challengers in input order, the same powers), so
its results equal the numpy statement's bit for bit -- with one exception: the global
probability denominator (``eum-scholz``, ``probability="global"``) sums sorted utilities left to
right where numpy's matrix product lets BLAS choose the order, so there the two agree within a
few units in the last place (a test checks 1e-12; docs/performance.md says where).

Formulas: Scholz, Calbert & Smith (2011), *Unravelling Bueno de Mesquita's group decision
model*, J. Theoretical Politics 23(4); ``docs/specs/expected-utility.md`` §2-§9. The function
releases the GIL, so Monte Carlo chunks run it on several threads at once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from accord.models.eum.rules import CAPITULATION, COMPROMISE, CONFRONTATION, NONE

JIT = {"cache": True, "error_model": "numpy", "nogil": True}


@njit(**JIT)
def _status_quo_term(eu, Q, T, d_mu, delta, rho, unit):
    """EU - (1 - Q)(T U_b + (1 - T) U_w), U_b,w = 2 - 4 (0.5 -/+ 0.25 (d(x_a, mu) + delta))^rho
    (spec §6); ``unit`` means rho = 1 (no power: x ** 1 == x)."""
    shift = 0.25 * (d_mu + delta)
    if unit:
        better = 2 - 4 * (0.5 - shift)
        worse = 2 - 4 * (0.5 + shift)
    else:
        better = 2 - 4 * (0.5 - shift) ** rho
        worse = 2 - 4 * (0.5 + shift) ** rho
    return eu - (1 - Q) * (T * better + (1 - T) * worse)


@njit(**JIT)
def _eu(p, success, failure, status_quo, s_target, Q):
    """EU = s_b [P U_s + (1 - P) U_f] + (1 - s_b) U_s - Q U_sq (spec §6)."""
    return s_target * (p * success + (1 - p) * failure) + (1 - s_target) * success - Q * status_quo


@njit(**JIT)
def _probability(u, w, x, pairwise, num, p, line):
    """P[a, b] = N[a, b] / Z (spec §4) into ``p``: N[a, b] = sum_k max(0, w_k (u[k, b] - u[k, a]))
    summed over voters k in input order; Z = N[a, b] + N[b, a] (pairwise) or the global
    sum_k w_k sum_a sum_b |u[k, a] - u[k, b]| = sum_k w_k 2 sum_m (2m - n - 1) u[k, (m)] (sorted,
    summed left to right); 0 where x_a == x_b or Z <= 0. ``num`` and ``line`` are scratch."""
    n = x.shape[0]
    for a in range(n):
        for b in range(n):
            num[a, b] = 0.0
    for k in range(n):
        wk = w[k]
        for a in range(n):
            uka = u[k, a]
            for b in range(n):
                t = wk * (u[k, b] - uka)
                num[a, b] += t if t > 0.0 else 0.0
    z = 0.0
    if not pairwise:
        for k in range(n):
            for c in range(n):  # insertion sort: few actors, and no allocation
                v = u[k, c]
                at = c
                while at > 0 and line[at - 1] > v:
                    line[at] = line[at - 1]
                    at -= 1
                line[at] = v
            dot = 0.0
            for m in range(n):
                dot += (2.0 * (2.0 * (m + 1) - n - 1)) * line[m]
            wz = w[k] * dot
            z = wz if k == 0 else z + wz
    for a in range(n):
        for b in range(n):
            zz = num[a, b] + num[b, a] if pairwise else z
            if x[a] == x[b] or not (zz > 0):
                p[a, b] = 0.0
            else:
                p[a, b] = num[a, b] / zz


@njit(**JIT)
def _min(values, n):
    """numpy's min: NaN if any value is NaN."""
    low = values[0]
    for j in range(1, n):
        v = values[j]
        if low != low or v != v:
            return np.nan
        if v < low:
            low = v
    return low


@njit(**JIT)
def _select(n, xi, xm, eu_ij, eu_ji, y, move, conf, comp, capit, least_move, any_type, key):
    """Each proposer's sort key for receiver i (spec §9): the smallest key wins, ties to the
    proposer first in input order; infinity = not an acceptable offer."""
    inf = np.inf
    if any_type:  # smallest move over all offers; ties by type, then input order
        for j in range(n):
            key[j] = move[j] if (conf[j] or comp[j] or capit[j]) else inf
        best_move = _min(key, n)
        for j in range(n):
            has = conf[j] or comp[j] or capit[j]
            rank = CONFRONTATION if conf[j] else COMPROMISE if comp[j] else CAPITULATION
            key[j] = rank * n + j if has and move[j] == best_move else inf
        return
    # type priority: confrontations, else compromises, else capitulations
    for j in range(n):
        key[j] = move[j] if conf[j] else inf
    if abs(_min(key, n)) != inf and _min(key, n) == _min(key, n):
        return
    for j in range(n):
        if not comp[j]:
            key[j] = inf
        elif least_move:
            key[j] = move[j]
        else:
            a_ij, a_ji = abs(eu_ij[j]), abs(eu_ji[j])
            key[j] = (a_ij * xi + a_ji * xm[j]) / (a_ij + a_ji)
    low = _min(key, n)
    if low == low and abs(low) != inf:
        return
    for j in range(n):
        key[j] = move[j] if capit[j] else inf


@njit(**JIT)
def step_rows(x, w, s, span, mu, Q, T, status_quo_term, pairwise, votes_use_risk, capitulation,
              least_move, any_type, sender_interest, risk, equal, proposer, kind, eu_own, eu_other,
              position, half):
    """One round for rows ``x[M, n]`` in input order (spec §7 risk, then §8-§9 offers): writes the
    risk exponents ``risk[M, n]``, the equal-danger flags ``equal[M]`` and each receiver's accepted
    offer (proposer or -1, kind, E_ij, E_ji, new position) into the output arrays.

    ``w`` = capability x salience and ``s`` = salience ``[M, n]``; ``span`` and the round-start
    median ``mu`` ``[M]``; the flags are the fields of :class:`accord.models.eum.rules.Rules`
    (``least_move`` = least-move compromise, ``any_type`` = least move of any type). ``half`` is
    0.5, passed in as a value: with the constant written here the compiler turns 0.5 ** r into
    exp2(-r), which rounds differently from numpy's power."""
    rows, n = x.shape
    delta = np.empty((n, n))
    u = np.empty((n, n))
    num = np.empty((n, n))
    p = np.empty((n, n))
    line = np.empty(n)
    d_mu = np.empty(n)
    danger = np.empty(n)
    r = np.empty(n)
    eu_ij = np.empty(n)
    eu_ji = np.empty(n)
    y = np.empty(n)
    move = np.empty(n)
    key = np.empty(n)
    conf = np.empty(n, dtype=np.bool_)
    comp = np.empty(n, dtype=np.bool_)
    capit = np.empty(n, dtype=np.bool_)
    sq_on = status_quo_term and Q != 1
    for m in range(rows):
        xm, wm, sm, sp = x[m], w[m], s[m], span[m]
        for a in range(n):
            for b in range(n):
                delta[a, b] = abs(xm[a] - xm[b]) / sp
            d_mu[a] = abs(xm[a] - mu[m]) / sp
        # §7 risk: danger D_i = sum_k EU(k -> i), all exponents 1
        _probability(delta, wm, xm, pairwise, num, p, line)
        for i in range(n):
            danger[i] = 0.0
        for k in range(n):
            for i in range(n):
                if k == i:
                    eu = 0.0
                else:
                    dl = delta[k, i]
                    eu = _eu(p[k, i], 2 - 4 * (0.5 - 0.5 * dl), 2 - 4 * (0.5 + 0.5 * dl), 0.0, sm[i], Q)
                    if sq_on:
                        eu = _status_quo_term(eu, Q, T, d_mu[k], dl, 1.0, True)
                danger[i] = eu if k == 0 else danger[i] + eu
        d_max, d_min = danger[0], danger[0]
        lo_x, hi_x = xm[0], xm[0]
        for i in range(1, n):
            d_max, d_min = max(d_max, danger[i]), min(d_min, danger[i])
            lo_x, hi_x = min(lo_x, xm[i]), max(hi_x, xm[i])
        same = not (d_max > d_min)
        for i in range(n):
            big_r = 0.0 if same else (2 * danger[i] - d_max - d_min) / (d_max - d_min)
            r[i] = (1 - big_r / 3.0) / (1 + big_r / 3.0)
            risk[m, i] = r[i]
        equal[m] = same and hi_x > lo_x
        # §4 votes with the voters' exponents, then §8-§9 offers to each receiver i
        if votes_use_risk:
            for k in range(n):
                for c in range(n):
                    u[k, c] = delta[k, c] ** r[k]
            _probability(u, wm, xm, pairwise, num, p, line)
        for i in range(n):
            rho = r[i]
            status_quo = 2 - 4 * (half ** rho)
            xi = xm[i]
            for j in range(n):
                dl = delta[i, j]
                success = 2 - 4 * (0.5 - 0.5 * dl) ** rho
                failure = 2 - 4 * (0.5 + 0.5 * dl) ** rho
                a_ij = _eu(p[i, j], success, failure, status_quo, sm[j], Q)
                a_ji = _eu(p[j, i], success, failure, status_quo, sm[i], Q)
                if sq_on:
                    a_ij = _status_quo_term(a_ij, Q, T, d_mu[i], dl, rho, False)
                    a_ji = _status_quo_term(a_ji, Q, T, d_mu[j], dl, rho, False)
                eu_ij[j], eu_ji[j] = a_ij, a_ji
                valid = xi != xm[j]
                if sender_interest:
                    rho_j = r[j]
                    s_success = 2 - 4 * (0.5 - 0.5 * dl) ** rho_j
                    s_failure = 2 - 4 * (0.5 + 0.5 * dl) ** rho_j
                    sender = _eu(p[j, i], s_success, s_failure, 2 - 4 * (half ** rho_j), sm[i], Q)
                    if sq_on:
                        sender = _status_quo_term(sender, Q, T, d_mu[j], dl, rho_j, False)
                    valid = valid and sender > 0
                cf = valid and a_ji > a_ij and a_ij > 0
                weak = valid and not cf and a_ji > 0 and a_ij < 0
                cp = weak and a_ji > abs(a_ij)
                ct = weak and not cp
                if not capitulation:
                    ct = ct and a_ji < abs(a_ji)
                conf[j], comp[j], capit[j] = cf, cp, ct
                y[j] = xi + (xm[j] - xi) * abs(a_ij / a_ji) if cp else xm[j]
                move[j] = abs(xi - y[j])
            _select(n, xi, xm, eu_ij, eu_ji, y, move, conf, comp, capit, least_move, any_type, key)
            low = _min(key, n)
            best = 0
            for j in range(n):
                if key[j] == low:
                    best = j
                    break
            found = low == low and abs(low) != np.inf
            kind[m, i] = (CONFRONTATION if conf[best] else COMPROMISE if comp[best]
                          else CAPITULATION if capit[best] else NONE)
            proposer[m, i] = best if found else -1
            eu_own[m, i] = eu_ij[best] if found else np.nan
            eu_other[m, i] = eu_ji[best] if found else np.nan
            position[m, i] = y[best] if found else xi
