"""Candidate exchanges of one round (spec §3), vectorised with numpy.

The compiled run builds its candidates with :func:`accord.models.exchange.kernel.candidates`;
this is the same construction written as array operations, kept as the readable statement of
§3 that the compiled twin is tested against (row for row: the order decides ties).
"""

from __future__ import annotations

import numpy as np

from accord.models.exchange import kernel as kern
from accord.models.exchange.rounds import weighted_outcome


def build_candidates(x: np.ndarray, s: np.ndarray, c: np.ndarray, stake: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, int]:
    """Candidate exchanges of one round (spec §3) in creation order.

    Vectorised over issue pairs (p < q) x actor pairs: groups A (right, right), B (left, right),
    C (right, left), D (left, left) relative to o_k; candidates are (A, D) then (B, C) pairs.

    Parameters
    ----------
    x
        ``[A, I]``: positions on the normalised 0..100 scale.
    s, c
        ``[A, I]``: saliences and capabilities.
    stake
        ``[A, I]`` booleans.

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray, int]
        The candidate records ``F`` (floats) and ``K`` (ints) in the layout of
        :mod:`accord.models.exchange.kernel`, and the number of candidates skipped for zero
        salience or power.
    """
    n_a, n_i = x.shape
    w = s * c * stake
    o = weighted_outcome(x, w)
    left = x <= o
    pi, qi = np.triu_indices(n_i, 1)
    both = stake[:, pi] & stake[:, qi]  # [A, P]
    lp, lq = left[:, pi], left[:, qi]
    groups = [both & ~lp & ~lq, both & lp & ~lq, both & ~lp & lq, both & lp & lq]  # A, B, C, D
    ad = groups[0].T[:, :, None] & groups[3].T[:, None, :]
    bc = groups[1].T[:, :, None] & groups[2].T[:, None, :]
    pair, kind, a, b = np.nonzero(np.stack([ad, bc], axis=1))
    del kind
    p, q = pi[pair], qi[pair]
    s_ap, s_aq, s_bp, s_bq = s[a, p], s[a, q], s[b, p], s[b, q]
    ok = (s_aq > 0) & (s_bq > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        b_is_i = ok & (s_ap / np.where(ok, s_aq, 1) < s_bp / np.where(ok, s_bq, 1))
    ai, aj = np.where(b_is_i, b, a), np.where(b_is_i, a, b)
    ok &= (s[ai, q] > 0) & (c[ai, q] > 0) & (s[aj, p] > 0) & (c[aj, p] > 0)
    ai, aj, p, q = ai[ok], aj[ok], p[ok], q[ok]
    n = ai.size
    F = np.zeros((n, kern.NF))
    K = np.zeros((n, kern.NK), dtype=np.int32)
    K[:, kern.ACT], K[:, kern.ACT + 1] = ai, aj
    K[:, kern.SUP], K[:, kern.SUP + 1] = q, p
    F[:, kern.XS] = F[:, kern.X0] = x[ai, q]
    F[:, kern.XS + 1] = F[:, kern.X0 + 1] = x[aj, p]
    F[:, kern.XD], F[:, kern.XD + 1] = x[ai, p], x[aj, q]
    F[:, kern.SS], F[:, kern.CS], F[:, kern.SD] = s[ai, q], c[ai, q], s[ai, p]
    F[:, kern.SS + 1], F[:, kern.CS + 1], F[:, kern.SD + 1] = s[aj, p], c[aj, p], s[aj, q]
    ss_i, sd_i, ss_j, sd_j = F[:, kern.SS], F[:, kern.SD], F[:, kern.SS + 1], F[:, kern.SD + 1]
    F[:, kern.RATIO] = (ss_i + sd_j) / (sd_i + ss_j)
    F[:, kern.RATIO + 1] = (ss_j + sd_i) / (sd_j + ss_i)
    return F, K, int((~ok).sum())
