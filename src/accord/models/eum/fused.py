"""One compiled pass per row of the expected-utility round: risk exponents, votes and offers.

The numpy statement of a round (:mod:`accord.models.eum.kernel`: :func:`risk_exponents`, then
:func:`offers`, with the vote sums of :mod:`accord.models.eum.votes` for many actors) builds a
dozen ``[rows, n, n]`` temporaries; that traffic, not the arithmetic, was the cost. Here each
row is done in scratch arrays allocated once per call and reused from row to row (the prefix
tables of the vote sums included), with the same operations in the same order as the numpy
statement, so the results equal it bit for bit (``tests/test_eum_fused.py``):

* :func:`step_rows` for rows in input order (up to
  :data:`~accord.models.eum.kernel.DIRECT_MAX_ACTORS` actors): votes summed voter by voter;
* :func:`step_sorted_rows` for rows sorted by position (more actors): O(n^2) vote sums from
  prefix sums over the sorted voters, votes and probabilities once per pair of runs of equal
  positions (:func:`_groups`);
* :func:`median_rows`, the weighted median of spec §3.

In both, each receiver's confrontation is sought outward from it (:func:`_offers`).

Formulas: Scholz, Calbert & Smith (2011), *Unravelling Bueno de Mesquita's group decision
model*, J. Theoretical Politics 23(4); ``docs/specs/expected-utility.md`` §2-§9. Every function
releases the GIL, so Monte Carlo chunks and the issues of one large run go to several threads.

The constant 0.5 of U_sq = 2 - 4 * 0.5^r is passed in as a value (``half``): written here, the
compiler turns ``0.5 ** r`` into ``exp2(-r)``, which rounds differently from numpy's power.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from accord.models.eum.rules import CAPITULATION, COMPROMISE, CONFRONTATION, NONE

JIT: dict[str, Any] = {"cache": True, "error_model": "numpy", "nogil": True}


# --- expected utilities (spec §5-§6) ------------------------------------------------------


@njit(**JIT)
def _status_quo_term(eu, Q, T, d_mu, delta, rho, unit):
    """Subtract the better/worse status quo term from an expected utility.

    EU - (1 - Q)(T U_b + (1 - T) U_w), U_b,w = 2 - 4 (0.5 -/+ 0.25 (d(x_a, mu) + delta))^rho
    (spec §6); ``unit`` means rho = 1 (no power: x ** 1 == x).
    """
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


# --- votes and probabilities (spec §2, §4) -------------------------------------------------


@njit(**JIT)
def _votes_in_order(u, w, num):
    """N[a, b] = sum_k max(0, w_k (u[k, b] - u[k, a])), summed over voters k in input order."""
    n = w.shape[0]
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


@njit(**JIT)
def _global_in_order(u, w, line):
    """Compute the global denominator Z of one row, in the reference's order.

    Z = sum_k w_k 2 sum_m (2m - n - 1) u[k, (m)] (u sorted per voter; spec §4, faithful),
    both sums left to right as :func:`accord.models.eum.kernel.global_denominator` forms them.
    """
    n = w.shape[0]
    z = 0.0
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
    return z


@njit(**JIT)
def _normalise_in_order(num, x, pairwise, z, p):
    """Divide the vote numerators by Z in place (rows in input order).

    P = N / Z (Z = N[a, b] + N[b, a] when ``pairwise``, else the global ``z``); 0 where
    x_a == x_b or Z <= 0 (as :func:`accord.models.eum.kernel.probability`).
    """
    n = x.shape[0]
    for a in range(n):
        for b in range(n):
            zz = num[a, b] + num[b, a] if pairwise else z
            p[a, b] = 0.0 if x[a] == x[b] or not (zz > 0) else num[a, b] / zz


@njit(**JIT)
def _groups(xs, first, group):
    """Find the runs of equal positions of a sorted row; return their count d.

    ``first[g]`` is the first actor of run g, ``group[a]`` the run of actor a. Actors at one
    position have equal distances to everybody, hence equal powers, votes and probabilities
    (bit for bit: the same operations on the same numbers), so the votes and probabilities of a
    sorted row are computed once per pair of runs, d x d instead of n x n, and read through
    ``group``: rounds after the first leave many actors together.
    """
    d = 0
    for a in range(xs.shape[0]):
        if a == 0 or xs[a] != xs[a - 1]:
            first[d] = a
            d += 1
        group[a] = d - 1
    return d


@njit(**JIT)
def _votes_linear(zs, w, first, d, out, cw, cz, at_or_below, strictly_below):
    """Compute the vote numerators of a sorted row whose exponents are all 1, per pair of runs.

    :func:`accord.models.eum.votes._row_linear` (every exponent 1, positions ``zs`` sorted) with
    the scratch arrays passed in; ``out[g, h]`` for the runs ``first[:d]`` of :func:`_groups`.
    """
    n = zs.shape[0]
    z0 = zs[0]
    cw[0] = 0.0
    cz[0] = 0.0
    for k in range(n):
        cw[k + 1] = cw[k] + w[k]
        cz[k + 1] = cz[k] + w[k] * (zs[k] - z0)
    j = 0
    for a in range(n):
        while j < n and zs[j] - z0 <= zs[a] - z0:
            j += 1
        at_or_below[a] = j
    j = 0
    for a in range(n):
        while j < n and zs[j] - z0 < zs[a] - z0:
            j += 1
        strictly_below[a] = j
    for g in range(d):
        out[g, g] = 0.0
    for g in range(d):
        a = first[g]
        lo, hi = 0, 0
        c = at_or_below[a]
        za = zs[a] - z0
        for h in range(g + 1, d):
            b = first[h]
            zb = zs[b] - z0
            mid = 0.5 * (za + zb)
            while lo < n and zs[lo] - z0 < mid:
                lo += 1
            if hi < lo:
                hi = lo
            while hi < n and zs[hi] - z0 <= mid:
                hi += 1
            if lo < c:  # z_a == z_b: no voter prefers either
                out[g, h] = 0.0
                out[h, g] = 0.0
                continue
            up = cw[c] * (zb - za) + (cw[lo] - cw[c]) * (za + zb) - 2.0 * (cz[lo] - cz[c])
            e = strictly_below[b]
            down = (cw[n] - cw[e]) * (zb - za) + 2.0 * (cz[e] - cz[hi]) - (cw[e] - cw[hi]) * (za + zb)
            out[g, h] = max(0.0, up)
            out[h, g] = max(0.0, down)


TILE = 64


@njit(**JIT)
def _votes_sorted(x, w, u, first, d, out, below, above, lo_at, hi_at):
    """Compute the vote numerators of a sorted row with any exponents, per pair of runs.

    :func:`accord.models.eum.votes._row` (positions ``x`` sorted, any exponents) for the runs
    ``first[:d]`` of :func:`_groups`: ``u[k, g]`` is voter k's utility term for run g, the prefix
    tables ``below``/``above`` ``[n + 1, d]`` are passed in and reused, ``out[g, h]`` is written.
    """
    n = x.shape[0]
    for c in range(d):
        below[0, c] = 0.0
        above[n, c] = 0.0
    for k in range(n):
        for c in range(d):
            below[k + 1, c] = below[k, c] + w[k] * u[k, c]
    for k in range(n - 1, -1, -1):
        for c in range(d):
            above[k, c] = above[k + 1, c] + w[k] * u[k, c]
    for g in range(d):
        out[g, g] = 0.0
        lo_at[g] = 0
        hi_at[g] = 0
    for t0 in range(0, d, TILE):
        t1 = min(t0 + TILE, d)
        for s0 in range(t0, d, TILE):
            s1 = min(s0 + TILE, d)
            for g in range(t0, t1):  # a below b: the voters strictly below the midpoint
                lo = lo_at[g]
                xa = x[first[g]]
                for h in range(max(s0, g + 1), s1):
                    mid = 0.5 * (xa + x[first[h]])
                    while lo < n and x[lo] < mid:
                        lo += 1
                    out[g, h] = max(0.0, below[lo, h] - below[lo, g])
                lo_at[g] = lo
    for t0 in range(0, d, TILE):
        t1 = min(t0 + TILE, d)
        for s0 in range(0, t1, TILE):
            s1 = min(s0 + TILE, t1)
            for h in range(t0, t1):  # b above a: the voters strictly above the midpoint
                hi = hi_at[h]
                xb = x[first[h]]
                for g in range(s0, min(s1, h)):
                    mid = 0.5 * (x[first[g]] + xb)
                    while hi < n and x[hi] <= mid:
                        hi += 1
                    out[h, g] = max(0.0, above[hi, g] - above[hi, h])
                hi_at[h] = hi


@njit(**JIT)
def _spread(u):
    """Compute one voter's total pairwise spread of u from its sorted order.

    sum_a sum_b |u_a - u_b| = 2 sum_m (2m - n - 1) u_(m) for a voter whose u grows with the
    distance from its own position (:func:`accord.models.eum.votes._spread`).
    """
    n = len(u)
    k = 0
    for c in range(n):
        if u[c] < u[k]:
            k = c
    right, left = k, k - 1
    total = 0.0
    for m in range(1, n + 1):
        if left < 0 or (right < n and u[right] <= u[left]):
            value = u[right]
            right += 1
        else:
            value = u[left]
            left -= 1
        total += (2.0 * m - n - 1.0) * value
    return 2.0 * total


@njit(**JIT)
def _normalise_sorted(num, x, pairwise, z, p):
    """Divide the vote numerators of a sorted row by Z.

    :func:`accord.models.eum.votes.sorted_probability`'s division (in place when ``p`` is
    ``num``): pairs divide by N[a, b] + N[b, a], else by the global ``z``.
    """
    n = x.shape[0]
    if pairwise:
        for a in range(n):
            for b in range(a + 1, n):
                zz = num[a, b] + num[b, a]
                if zz > 0 and x[a] != x[b]:
                    p[a, b] = num[a, b] / zz
                    p[b, a] = num[b, a] / zz
                else:
                    p[a, b] = 0.0
                    p[b, a] = 0.0
    else:
        for a in range(n):
            for b in range(n):
                p[a, b] = num[a, b] / z if z > 0 and x[a] != x[b] else 0.0


# --- risk (spec §7) and offers (spec §8-§9) ---------------------------------------------------


@njit(**JIT)
def _risk(xm, sm, sp, d_mu, p, group, Q, T, sq_on, danger, r):
    """Compute one row's risk exponents from the danger each actor faces (spec §7).

    Danger D_i = sum_k EU(k -> i) (exponents 1, challengers summed in order), then
    R_i = (2 D_i - D_max - D_min) / (D_max - D_min), r_i = (1 - R_i/3) / (1 + R_i/3) into ``r``;
    returns whether D_max == D_min while the actors differ. P(k, i) is ``p[group[k], group[i]]``
    (:func:`_groups`; ``group`` = 0..n-1 for a row in input order).
    """
    n = xm.shape[0]
    for k in range(n):
        for i in range(n):
            if k == i:
                eu = 0.0
            else:
                dl = abs(xm[k] - xm[i]) / sp
                p_ki = p[group[k], group[i]]
                eu = _eu(p_ki, 2 - 4 * (0.5 - 0.5 * dl), 2 - 4 * (0.5 + 0.5 * dl), 0.0, sm[i], Q)
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
    return same and hi_x > lo_x


@njit(**JIT)
def _min(values, n):
    """Numpy's min: NaN if any value is NaN."""
    low = values[0]
    for j in range(1, n):
        v = values[j]
        if low != low or v != v:
            return np.nan
        if v < low:
            low = v
    return low


@njit(**JIT)
def _select(n, xi, xm, eu_ij, eu_ji, move, conf, comp, capit, least_move, any_type, orig, key):
    """Compute each proposer's sort key for receiver i (spec §9).

    Each proposer's sort key for receiver i (spec §9): the smallest key wins, ties to the
    proposer first in input order (``orig``); infinity = not an acceptable offer.
    """
    inf = np.inf
    if any_type:  # smallest move over all offers; ties by type, then input order
        for j in range(n):
            key[j] = move[j] if (conf[j] or comp[j] or capit[j]) else inf
        best_move = _min(key, n)
        for j in range(n):
            has = conf[j] or comp[j] or capit[j]
            rank = CONFRONTATION if conf[j] else COMPROMISE if comp[j] else CAPITULATION
            key[j] = rank * n + orig[j] if has and move[j] == best_move else inf
        return
    # type priority: confrontations, else compromises, else capitulations
    for j in range(n):
        key[j] = move[j] if conf[j] else inf
    low = _min(key, n)
    if low == low and abs(low) != inf:
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
def _classify(xi, xj, dl, success, failure, s_i, s_j, d_mu_i, d_mu_j, rho, rho_j, p_ij, p_ji, Q, T,
              sq_on, capitulation, sender_interest, half, status_quo):
    """Classify j's offer to receiver i (spec §8), from scalars: E_ij, E_ji, kind, position, move.

    E_ij = EU_i(i -> j), E_ji = EU_i(j -> i) with i's exponent ``rho``, U_s = ``success`` and
    U_f = ``failure`` at the distance ``dl`` = |x_i - x_j| / span (x_i != x_j). Returns
    ``(E_ij, E_ji, y, move, confrontation, compromise, capitulation)``. It takes no arrays, so a
    call costs no reference counts: numba increments and decrements an atomic count for every
    array passed to a function, which, with the fourteen arrays an earlier version took, cost
    more than the arithmetic.
    """
    a_ij = _eu(p_ij, success, failure, status_quo, s_j, Q)
    a_ji = _eu(p_ji, success, failure, status_quo, s_i, Q)
    if sq_on:
        a_ij = _status_quo_term(a_ij, Q, T, d_mu_i, dl, rho, False)
        a_ji = _status_quo_term(a_ji, Q, T, d_mu_j, dl, rho, False)
    valid = True  # x_i != x_j: the caller classifies no offer between actors at one position
    if sender_interest:
        s_success = 2 - 4 * (0.5 - 0.5 * dl) ** rho_j
        s_failure = 2 - 4 * (0.5 + 0.5 * dl) ** rho_j
        sender = _eu(p_ji, s_success, s_failure, 2 - 4 * (half ** rho_j), s_i, Q)
        if sq_on:
            sender = _status_quo_term(sender, Q, T, d_mu_j, dl, rho_j, False)
        valid = sender > 0
    cf = valid and a_ji > a_ij and a_ij > 0
    weak = valid and not cf and a_ji > 0 and a_ij < 0
    cp = weak and a_ji > abs(a_ij)
    ct = weak and not cp
    if not capitulation:
        ct = ct and a_ji < abs(a_ji)
    y = xi + (xj - xi) * abs(a_ij / a_ji) if cp else xj
    return a_ij, a_ji, y, abs(xi - y), cf, cp, ct


@njit(**JIT)
def _offers(xm, sm, sp, d_mu, r, p, group, orig, order, rank, Q, T, sq_on, capitulation,
            least_move, any_type, sender_interest, half, eu_ij, eu_ji, y, move, key, conf, comp, capit,
            proposer, kind, eu_own, eu_other, position):
    """Choose every receiver's accepted offer in one row (spec §8-§9).

    Every receiver i's accepted offer (:func:`_classify` for each proposer, :func:`_select` among
    them); writes the rows ``proposer``, ``kind``, ``eu_own``, ``eu_other``, ``position``
    (proposer as an index of this row); P(i, j) is ``p[group[i], group[j]]``.

    With finite positions and the type priority, each receiver's proposers are classified
    outward from it, in order of distance (``order`` lists the row's actors by position,
    ``rank`` is its inverse: the nearer of the next left and right neighbours first). A
    confrontation, if there is one, wins by the smallest move |x_i - x_j| (spec §9, ties to the
    first proposer in input order), so once one is found at distance d the proposers beyond d
    cannot win and are not classified: ``key`` is then the move of each confrontation reached,
    else infinity. When there is none, every proposer has been classified and :func:`_select`
    chooses as for a row in input order. Proposers at one position come one after another in
    that order, so U_s and U_f are computed once per distance (``last``).
    """
    n = xm.shape[0]
    outward = not any_type
    for i in range(n):
        if xm[i] != xm[i]:
            outward = False
    for i in range(n):
        rho = r[i]
        status_quo = 2 - 4 * (half ** rho)
        xi = xm[i]
        # no offer between actors at one position (nothing of it is read)
        eu_ij[i], eu_ji[i], y[i], move[i] = 0.0, 0.0, xi, 0.0
        conf[i], comp[i], capit[i] = False, False, False
        left, right = rank[i] - 1, rank[i] + 1
        found = np.inf
        last, success, failure = -1.0, 0.0, 0.0
        for step in range(n - 1):
            if outward:
                go_left = right >= n or (left >= 0 and xi - xm[order[left]] <= xm[order[right]] - xi)
                j = order[left] if go_left else order[right]
                if abs(xi - xm[j]) > found:
                    break
                if go_left:
                    left -= 1
                else:
                    right += 1
            else:
                j = step if step < i else step + 1
            xj = xm[j]
            if xi == xj:
                eu_ij[j], eu_ji[j], y[j], move[j] = 0.0, 0.0, xj, 0.0
                conf[j], comp[j], capit[j] = False, False, False
                continue
            dl = abs(xi - xj) / sp
            if dl != last:
                success = 2 - 4 * (0.5 - 0.5 * dl) ** rho
                failure = 2 - 4 * (0.5 + 0.5 * dl) ** rho
                last = dl
            a_ij, a_ji, yj, mv, cf, cp, ct = _classify(
                xi, xj, dl, success, failure, sm[i], sm[j], d_mu[i], d_mu[j], rho, r[j],
                p[group[i], group[j]], p[group[j], group[i]], Q, T, sq_on, capitulation,
                sender_interest, half, status_quo)
            eu_ij[j], eu_ji[j], y[j], move[j] = a_ij, a_ji, yj, mv
            conf[j], comp[j], capit[j] = cf, cp, ct
            if cf and mv < found:
                found = mv
        if outward and found != np.inf:
            for j in range(n):
                key[j] = move[j] if (left < rank[j] < right and conf[j]) else np.inf
        else:
            _select(n, xi, xm, eu_ij, eu_ji, move, conf, comp, capit, least_move, any_type, orig,
                    key)
        low = _min(key, n)
        best = 0
        for j in range(n):  # among the lowest keys, the proposer first in input order
            if key[j] == low and (key[best] != low or orig[j] < orig[best]):
                best = j
        found_offer = low == low and abs(low) != np.inf
        kind[i] = (CONFRONTATION if conf[best] else COMPROMISE if comp[best]
                   else CAPITULATION if capit[best] else NONE)
        proposer[i] = best if found_offer else -1
        eu_own[i] = eu_ij[best] if found_offer else np.nan
        eu_other[i] = eu_ji[best] if found_offer else np.nan
        position[i] = y[best] if found_offer else xi


# --- whole rows ---------------------------------------------------------------------------


@njit(**JIT)
def step_rows(x, w, s, span, mu, Q, T, status_quo_term, pairwise, votes_use_risk, capitulation,
              least_move, any_type, sender_interest, risk, equal, proposer, kind, eu_own, eu_other,
              position, half):
    """Run one round of the expected-utility model, compiled, on rows in input order.

    One round for rows ``x[M, n]`` in input order (spec §7 risk, then §8-§9 offers): writes the
    risk exponents ``risk[M, n]``, the equal-danger flags ``equal[M]`` and each receiver's accepted
    offer (proposer or -1, kind, E_ij, E_ji, new position) into the output arrays.

    ``w`` = capability x salience and ``s`` = salience ``[M, n]``; ``span`` and the round-start
    median ``mu`` ``[M]``; the flags are the fields of :class:`accord.models.eum.rules.Rules`
    (``least_move`` = least-move compromise, ``any_type`` = least move of any type); ``half`` is
    0.5 (module docstring).
    """
    rows, n = x.shape
    delta, u, num, p = np.empty((n, n)), np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    line, d_mu, danger, r = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    eu_ij, eu_ji, y, move, key = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    conf, comp, capit = np.empty(n, np.bool_), np.empty(n, np.bool_), np.empty(n, np.bool_)
    orig, rank = np.arange(n), np.empty(n, np.int64)
    sq_on = status_quo_term and Q != 1
    for m in range(rows):
        xm, wm, sm, sp = x[m], w[m], s[m], span[m]
        order = np.argsort(xm, kind="mergesort")  # the offers' outward search
        for k in range(n):
            rank[order[k]] = k
        for a in range(n):
            for b in range(n):
                delta[a, b] = abs(xm[a] - xm[b]) / sp
            d_mu[a] = abs(xm[a] - mu[m]) / sp
        _votes_in_order(delta, wm, num)
        z = 0.0 if pairwise else _global_in_order(delta, wm, line)
        _normalise_in_order(num, xm, pairwise, z, p)
        equal[m] = _risk(xm, sm, sp, d_mu, p, orig, Q, T, sq_on, danger, r)
        risk[m] = r
        if votes_use_risk:
            for k in range(n):
                for c in range(n):  # 0 ** r = 0 for r > 0: no power at one's own position
                    u[k, c] = 0.0 if delta[k, c] == 0.0 and r[k] > 0 else delta[k, c] ** r[k]
            _votes_in_order(u, wm, num)
            z = 0.0 if pairwise else _global_in_order(u, wm, line)
            _normalise_in_order(num, xm, pairwise, z, p)
        _offers(xm, sm, sp, d_mu, r, p, orig, orig, order, rank, Q, T, sq_on, capitulation,
                least_move, any_type, sender_interest, half, eu_ij, eu_ji, y, move, key, conf, comp,
                capit, proposer[m], kind[m], eu_own[m], eu_other[m], position[m])


@njit(**JIT)
def step_sorted_rows(x, w, s, span, mu, orig, Q, T, status_quo_term, pairwise, votes_use_risk,
                     capitulation, least_move, any_type, sender_interest, risk, equal, proposer, kind,
                     eu_own, eu_other, position, half):
    """Run :func:`step_rows` on rows sorted by position (many actors).

    :func:`step_rows` for rows sorted by position (many actors): ``orig[M, n]`` is each actor's
    input-order index (it breaks ties between offers), and the votes are O(n^2) prefix-sum
    differences (:mod:`accord.models.eum.votes`) instead of voter-by-voter sums. Outputs are in
    the rows' sorted order; ``proposer`` indexes it.
    """
    rows, n = x.shape
    scratch, small = np.empty(n * n), np.empty(n * n)
    below, above = np.empty((n + 1) * n), np.empty((n + 1) * n)
    cw, cz = np.empty(n + 1), np.empty(n + 1)
    counts_a, counts_b = np.empty(n, np.int64), np.empty(n, np.int64)
    first, group = np.empty(n, np.int64), np.empty(n, np.int64)
    zs, line, d_mu, danger, r = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    xr, in_order = np.empty(n), np.arange(n)  # a sorted row is its own position order
    eu_ij, eu_ji, y, move, key = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    conf, comp, capit = np.empty(n, np.bool_), np.empty(n, np.bool_), np.empty(n, np.bool_)
    sq_on = status_quo_term and Q != 1
    for m in range(rows):
        xm, wm, sm, sp = x[m], w[m], s[m], span[m]
        for a in range(n):
            zs[a] = xm[a] / sp
            d_mu[a] = abs(xm[a] - mu[m]) / sp
        d = _groups(xm, first, group)  # pairwise arrays per pair of runs of one position
        for g in range(d):
            xr[g] = xm[first[g]]
        num = small[: d * d].reshape((d, d))
        # risk: every exponent 1, so u = delta and the votes need only 1-D prefix sums
        _votes_linear(zs, wm, first, d, num, cw, cz, counts_a, counts_b)
        z = 0.0
        if not pairwise:
            for k in range(n):
                for c in range(n):
                    line[c] = abs(xm[k] - xm[c]) / sp
                z += wm[k] * _spread(line)
        _normalise_sorted(num, xr[:d], pairwise, z, num)
        equal[m] = _risk(xm, sm, sp, d_mu, num, group, Q, T, sq_on, danger, r)
        risk[m] = r
        if votes_use_risk:
            u = scratch[: n * d].reshape((n, d))  # voter k's term for each run
            for k in range(n):
                for g in range(d):
                    dl = abs(xm[k] - xr[g]) / sp
                    u[k, g] = 0.0 if dl == 0.0 and r[k] > 0 else dl ** r[k]
            _votes_sorted(xm, wm, u, first, d, num, below[: (n + 1) * d].reshape((n + 1, d)),
                          above[: (n + 1) * d].reshape((n + 1, d)), counts_a, counts_b)
            z = 0.0
            if not pairwise:
                for k in range(n):
                    for c in range(n):
                        line[c] = u[k, group[c]]
                    z += wm[k] * _spread(line)
            _normalise_sorted(num, xr[:d], pairwise, z, num)
        _offers(xm, sm, sp, d_mu, r, num, group, orig[m], in_order, in_order, Q, T, sq_on,
                capitulation, least_move, any_type, sender_interest, half, eu_ij, eu_ji, y, move, key, conf,
                comp, capit, proposer[m], kind[m], eu_own[m], eu_other[m], position[m])


@njit(**JIT)
def median_rows(x, w, span, tie_tol, tol_given, median, tie):
    """Compute the weighted median of each row, compiled (spec §3).

    The weighted median of each row (spec §3; :func:`accord.models.eum.kernel.median_position`):
    candidates in ascending order, y replaces the incumbent m when sum_k w_k (|x_k - m| / span -
    |x_k - y| / span) > tol (summed in input order; tol = 0, or ``tie_tol`` x sum_k w_k when
    ``tol_given``), a tie within tol flagged. Writes ``median[M]`` and ``tie[M]``.
    """
    rows, n = x.shape
    xs = np.empty(n)
    for m in range(rows):
        xm, wm, sp = x[m], w[m], span[m]
        for c in range(n):
            xs[c] = xm[c]
        xs.sort()
        total = wm[0]
        for k in range(1, n):
            total += wm[k]
        tol = tie_tol * total if tol_given else 0.0
        best = xs[0]
        flag = False
        for t in range(1, n):
            cand = xs[t]
            if cand == xs[t - 1]:  # the same sum as for the previous candidate: the same outcome
                continue
            votes = wm[0] * (abs(xm[0] - best) / sp - abs(xm[0] - cand) / sp)
            for k in range(1, n):
                votes += wm[k] * (abs(xm[k] - best) / sp - abs(xm[k] - cand) / sp)
            if tol_given and abs(votes) <= tol and cand != best:
                flag = True
            if votes > tol:
                best = cand
        median[m] = best
        tie[m] = flag
