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
    for a in range(n):  # a below b: the voters strictly below the midpoint
        lo = 0
        for b in range(a + 1, n):
            mid = 0.5 * (x[a] + x[b])
            while lo < n and x[lo] < mid:
                lo += 1
            out[a, b] = max(0.0, below[lo, b] - below[lo, a])
    for b in range(n):  # b above a: the voters strictly above the midpoint
        hi = 0
        for a in range(b):
            mid = 0.5 * (x[a] + x[b])
            while hi < n and x[hi] <= mid:
                hi += 1
            out[b, a] = max(0.0, above[hi, a] - above[hi, b])


@njit(cache=True)
def sorted_vote_numerator(x: np.ndarray, w: np.ndarray, u: np.ndarray) -> np.ndarray:  # pragma: no cover
    """N ``[M, n, n]`` for rows ``x[M, n]`` sorted ascending, weights ``w[M, n]``, ``u[M, k, c]``."""
    out = np.zeros(u.shape)
    for m in range(x.shape[0]):
        _row(x[m], w[m], u[m], out[m])
    return out


@njit(cache=True)
def _spread(u: np.ndarray) -> float:  # pragma: no cover
    """sum_a sum_b |u_a - u_b| = 2 sum_m (2m - n - 1) u_(m) for one voter whose u grows with the
    distance from its own position, which is at index ``k`` of the sorted row: the ascending
    order of u is a merge of the actors right and left of k."""
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
    x: np.ndarray, w: np.ndarray, u: np.ndarray, pairwise: bool
) -> np.ndarray:  # pragma: no cover
    """P ``[M, n, n]`` (spec §4) for rows sorted by position: N / Z with the global
    Z = sum_k w_k sum_a sum_b |u[k, a] - u[k, b]| or the pairwise Z = N[a, b] + N[b, a];
    0 where x_a == x_b or Z = 0."""
    num = sorted_vote_numerator(x, w, u)
    rows, n = x.shape
    for m in range(rows):
        z = 0.0
        if not pairwise:
            for k in range(n):
                z += w[m, k] * _spread(u[m, k])
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
                    if z > 0 and x[m, a] != x[m, b]:
                        num[m, a, b] /= z
                    else:
                        num[m, a, b] = 0.0
    return num
