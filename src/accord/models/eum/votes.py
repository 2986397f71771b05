"""Vote sums of the expected-utility model for many actors, compiled with numba.

N[a, b] = sum_k max(0, w_k (u[k, b] - u[k, a])) (Scholz, Calbert & Smith 2011; spec §2, §4) is a
triple sum. With the actors sorted by position, the voters with a positive vote for a over b
are exactly those nearer to a than to b: the lowest ``m`` voters when x_a < x_b (m = the number
of voters below the midpoint) and the others when x_a > x_b. With prefix and suffix sums of
w_k u[k, c] over the sorted voters, each N[a, b] is one difference, and m moves monotonically
as b grows, so a row costs O(n^2). That pointer walk is a sequential loop numpy cannot express
without materialising and gathering n^2 index arrays, hence numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit

TILE = 64


@njit(cache=True)
def _row(x: np.ndarray, w: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    n = len(x)
    below = np.zeros((n + 1, n))  # below[m, c] = sum of the m lowest voters' w_k u[k, c]
    above = np.zeros((n + 1, n))  # above[m, c] = sum over voters m..n-1
    for k in range(n):
        for c in range(n):
            below[k + 1, c] = below[k, c] + w[k] * u[k, c]
    for k in range(n - 1, -1, -1):
        for c in range(n):
            above[k, c] = above[k + 1, c] + w[k] * u[k, c]
    # pairs in cache-sized tiles; per actor, a pointer to the voters below (resp. at or below)
    # the midpoint, which only moves up as the other actor moves up
    lo_at = np.zeros(n, dtype=np.int64)
    hi_at = np.zeros(n, dtype=np.int64)
    for t0 in range(0, n, TILE):
        t1 = min(t0 + TILE, n)
        for s0 in range(t0, n, TILE):
            s1 = min(s0 + TILE, n)
            for a in range(t0, t1):  # a below b: the voters strictly below the midpoint
                lo = lo_at[a]
                for b in range(max(s0, a + 1), s1):
                    mid = 0.5 * (x[a] + x[b])
                    while lo < n and x[lo] < mid:
                        lo += 1
                    out[a, b] = max(0.0, below[lo, b] - below[lo, a])
                lo_at[a] = lo
    for t0 in range(0, n, TILE):
        t1 = min(t0 + TILE, n)
        for s0 in range(0, t1, TILE):
            s1 = min(s0 + TILE, t1)
            for b in range(t0, t1):  # b above a: the voters strictly above the midpoint
                hi = hi_at[b]
                for a in range(s0, min(s1, b)):
                    mid = 0.5 * (x[a] + x[b])
                    while hi < n and x[hi] <= mid:
                        hi += 1
                    out[b, a] = max(0.0, above[hi, a] - above[hi, b])
                hi_at[b] = hi


@njit(cache=True)
def _row_linear(z: np.ndarray, w: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover
    """Compute one sorted row's vote numerators when every exponent is 1.

    :func:`_row` when every exponent is 1, u[k, c] = |z_k - z_c| (z sorted): for z_a < z_b
    the voters below the midpoint give w_k (z_b - z_a) if z_k <= z_a, else
    w_k (z_a + z_b - 2 z_k) (mirror image above it), so 1-D prefix sums of w, w z suffice.
    """
    n = len(z)
    z = z - z[0]
    cw = np.zeros(n + 1)
    cz = np.zeros(n + 1)
    for k in range(n):
        cw[k + 1] = cw[k] + w[k]
        cz[k + 1] = cz[k] + w[k] * z[k]
    at_or_below = np.zeros(n, dtype=np.int64)  # #{k: z_k <= z_a}
    strictly_below = np.zeros(n, dtype=np.int64)  # #{k: z_k < z_a}
    j = 0
    for a in range(n):
        while j < n and z[j] <= z[a]:
            j += 1
        at_or_below[a] = j
    j = 0
    for a in range(n):
        while j < n and z[j] < z[a]:
            j += 1
        strictly_below[a] = j
    for a in range(n):
        lo, hi = 0, 0
        c = at_or_below[a]
        for b in range(a + 1, n):
            mid = 0.5 * (z[a] + z[b])
            while lo < n and z[lo] < mid:
                lo += 1
            if hi < lo:
                hi = lo
            while hi < n and z[hi] <= mid:
                hi += 1
            za, zb = z[a], z[b]
            if lo < c:  # z_a == z_b: no voter prefers either
                out[a, b] = 0.0
                out[b, a] = 0.0
                continue
            up = cw[c] * (zb - za) + (cw[lo] - cw[c]) * (za + zb) - 2.0 * (cz[lo] - cz[c])
            e = strictly_below[b]
            down = (cw[n] - cw[e]) * (zb - za) + 2.0 * (cz[e] - cz[hi]) - (cw[e] - cw[hi]) * (za + zb)
            out[a, b] = max(0.0, up)
            out[b, a] = max(0.0, down)


@njit(cache=True)
def sorted_vote_numerator(x: np.ndarray, w: np.ndarray, u: np.ndarray) -> np.ndarray:  # pragma: no cover
    """N ``[M, n, n]`` for rows ``x[M, n]`` sorted ascending, weights ``w[M, n]``, ``u[M, k, c]``."""
    out = np.zeros(u.shape)
    for m in range(x.shape[0]):
        _row(x[m], w[m], u[m], out[m])
    return out


@njit(cache=True)
def _spread(u: np.ndarray) -> float:  # pragma: no cover
    """Compute one voter's total pairwise spread of u, merging the two sides of its position.

    sum_a sum_b |u_a - u_b| = 2 sum_m (2m - n - 1) u_(m) for one voter whose u grows with the
    distance from its own position, which is at index ``k`` of the sorted row: the ascending
    order of u is a merge of the actors right and left of k.
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


@njit(cache=True)
def sorted_probability(
    x: np.ndarray, w: np.ndarray, u: np.ndarray, pairwise: bool, z: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """Compute the probabilities P for rows sorted by position (spec §4).

    P ``[M, n, n]`` (spec §4) for rows sorted by position: N / Z with the global
    Z = sum_k w_k sum_a sum_b |u[k, a] - u[k, b]| or the pairwise Z = N[a, b] + N[b, a];
    0 where x_a == x_b or Z = 0. ``z`` (x / span) of the same shape as x means every
    exponent is 1 (u = |z_a - z_b|), an empty ``z`` that u is general.
    """
    rows, n = x.shape
    if z.shape[0] == rows:
        num = np.zeros(u.shape)
        for m in range(rows):
            _row_linear(z[m], w[m], num[m])
    else:
        num = sorted_vote_numerator(x, w, u)
    for m in range(rows):
        total = 0.0  # the global Z (named apart from the parameter ``z``)
        if not pairwise:
            for k in range(n):
                total += w[m, k] * _spread(u[m, k])
        if pairwise:
            for a in range(n):
                for b in range(a + 1, n):
                    zz = num[m, a, b] + num[m, b, a]
                    if zz > 0 and x[m, a] != x[m, b]:
                        num[m, a, b] /= zz
                        num[m, b, a] /= zz
                    else:
                        num[m, a, b] = 0.0
                        num[m, b, a] = 0.0
        else:
            for a in range(n):
                for b in range(n):
                    if total > 0 and x[m, a] != x[m, b]:
                        num[m, a, b] /= total
                    else:
                        num[m, a, b] = 0.0
    return num
