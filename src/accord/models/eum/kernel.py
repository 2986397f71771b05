"""Numerics of the expected-utility model on blocks of independent one-issue problems.

Every function works on ``rows`` of shape ``[M, n]`` (one row = one issue of one draw, ``n``
participating actors in input order) and pairwise blocks ``[M, n, n]``. The formulas follow
Scholz, Calbert & Smith (2011), *Unravelling Bueno de Mesquita's group decision model*,
J. Theoretical Politics 23(4), as replicated by J. McKibben (see ``docs/specs/expected-utility.md``,
whose section numbers the comments cite). Operation order mirrors the reference replication
where that keeps its floating-point results (e.g. sums over voters in input order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.eum.rules import CAPITULATION, COMPROMISE, CONFRONTATION, NONE, Rules
from accord.models.eum.votes import sorted_probability, sorted_vote_numerator

#: up to this many actors, vote sums loop over voters in input order (like the reference);
#: above it, rows are sorted by position and O(n^2) prefix sums (votes.py) give the same
#: value up to rounding.
DIRECT_MAX_ACTORS = 64


def seq_sum(a: np.ndarray) -> np.ndarray:
    """Sum over the last axis strictly left to right (like Python's ``sum``).

    Parameters
    ----------
    a : np.ndarray
        Values, any shape.

    Returns
    -------
    np.ndarray
        The sums, the shape of ``a`` without its last axis.
    """
    return np.cumsum(a, axis=-1)[..., -1]


# --- §3 median and mean ---------------------------------------------------------------


def median_position(
    x: np.ndarray, w: np.ndarray, span: np.ndarray, tie_tol: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the capability x salience weighted median among the actors' positions (spec §3).

    Candidates are visited in ascending order; a candidate y replaces the incumbent m when
    ``sum_k w_k (|x_k - m| - |x_k - y|) / span > tol`` (tol = 0, or ``tie_tol * sum_k w_k``).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    w : np.ndarray
        Weights (capability x salience), shape (M, n).
    span : np.ndarray
        Each row's issue span, shape (M,).
    tie_tol : float or None
        Share of the total weight within which a vote counts as a tie; None: no tie test.

    Returns
    -------
    median : np.ndarray
        The median, shape (M,).
    tie : np.ndarray
        Whether a tie within ``tie_tol`` was met, shape (M,).
    """
    xs = np.sort(x, axis=-1)
    m = xs[:, 0].copy()
    tie = np.zeros(len(x), dtype=bool)
    tol = 0.0 if tie_tol is None else tie_tol * seq_sum(w)
    sp = span[:, None]
    for t in range(1, x.shape[1]):
        y = xs[:, t]
        votes = seq_sum(w * (np.abs(x - m[:, None]) / sp - np.abs(x - y[:, None]) / sp))
        if tie_tol is not None:
            tie |= (np.abs(votes) <= tol) & (y != m)
        m = np.where(votes > tol, y, m)
    return m, tie


def mean_position(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Compute the weighted mean sum_k w_k x_k / sum_k w_k (spec §3).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    w : np.ndarray
        Weights, shape (M, n).

    Returns
    -------
    np.ndarray
        The means, shape (M,); NaN where all weights are zero.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return seq_sum(w * x) / seq_sum(w)


# --- §2, §4 votes and probabilities -------------------------------------------------------


def vote_numerator(u: np.ndarray, w: np.ndarray, x: np.ndarray, in_order: bool) -> np.ndarray:
    """Compute N[a, b] = sum_k max(0, w_k (u[k, b] - u[k, a])), the votes for a over b (spec §2/§4).

    Parameters
    ----------
    u : np.ndarray
        ``u[M, k, b]`` = d(x_k, x_b)^{r_k}, shape (M, n, n).
    w : np.ndarray
        Voter weights, shape (M, n).
    x : np.ndarray
        Positions, shape (M, n).
    in_order : bool
        Loop over voters in input order (like the reference). Otherwise the rows are sorted by
        position and :func:`accord.models.eum.votes.sorted_vote_numerator` sums in O(n^2) per row.

    Returns
    -------
    np.ndarray
        N, shape (M, n, n).
    """
    if not in_order:
        return sorted_vote_numerator(x, w, np.ascontiguousarray(u))
    acc = np.zeros(u.shape)
    for k in range(u.shape[1]):
        t = w[:, k, None, None] * (u[:, k, None, :] - u[:, k, :, None])
        np.maximum(t, 0.0, out=t)
        acc += t
    return acc


def global_denominator(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Compute Z = sum_k w_k sum_a sum_b |u[k, a] - u[k, b]| (faithful §4).

    Via the sort identity sum_a sum_b |u_a - u_b| = 2 sum_m (2m - n - 1) u_(m), summed left
    to right (a matrix product would let BLAS pick the order, which differs between machines).

    Parameters
    ----------
    u : np.ndarray
        ``u[M, k, b]``, shape (M, n, n).
    w : np.ndarray
        Voter weights, shape (M, n).

    Returns
    -------
    np.ndarray
        Z, shape (M,).
    """
    n = u.shape[-1]
    coef = 2.0 * (2.0 * np.arange(1, n + 1) - n - 1)
    return seq_sum(w * seq_sum(np.sort(u, axis=-1) * coef))


def probability(
    u: np.ndarray,
    w: np.ndarray,
    x: np.ndarray,
    pairwise: bool,
    in_order: bool = True,
    span: np.ndarray | None = None,
) -> np.ndarray:
    """Compute P[a, b], the probability that a challenger at x_a prevails against x_b (spec §4).

    P = N[a, b] / Z, with Z the global total (faithful) or Z(a, b) = N[a, b] + N[b, a]
    (pairwise); 0 where x_a == x_b or Z = 0.

    Parameters
    ----------
    u : np.ndarray
        ``u[M, k, b]`` = d(x_k, x_b)^{r_k}, shape (M, n, n).
    w : np.ndarray
        Voter weights, shape (M, n).
    x : np.ndarray
        Positions, shape (M, n).
    pairwise : bool
        Use the pairwise Z (else the global one).
    in_order : bool
        Rows in input order; False: rows sorted by position, which go to
        :func:`accord.models.eum.votes.sorted_probability`.
    span : np.ndarray or None
        Each row's span, shape (M,); given (with sorted rows) it means u = d, exponent 1.

    Returns
    -------
    np.ndarray
        P, shape (M, n, n).
    """
    if not in_order:
        z = x / span[:, None] if span is not None else np.empty((0, 0))
        return sorted_probability(x, w, np.ascontiguousarray(u), pairwise, z)
    num = vote_numerator(u, w, x, in_order)
    z = num + num.transpose(0, 2, 1) if pairwise else global_denominator(u, w)[:, None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = num / z
    p[(x[:, :, None] == x[:, None, :]) | ~(np.broadcast_to(z, p.shape) > 0)] = 0.0
    return p


# --- §5, §6 utilities and expected utilities ------------------------------------------


@dataclass(frozen=True)
class Utilities:
    """U_s, U_f, U_sq for a pair at distance delta, with the evaluator's exponent (spec §5)."""

    success: np.ndarray
    failure: np.ndarray
    status_quo: np.ndarray

    @classmethod
    def of(cls, delta: np.ndarray, rho: np.ndarray | None) -> Utilities:
        """Compute the utilities from the distances ``delta`` and exponents ``rho`` (None: exponent 1).

        Parameters
        ----------
        delta : np.ndarray
            Distances of the pairs.
        rho : np.ndarray or None
            The evaluator's risk exponents, broadcast against ``delta``; None skips the power
            (x ** 1.0 == x exactly).

        Returns
        -------
        Utilities
            U_s = 2 - 4 (0.5 - 0.5 delta)^rho, U_f = 2 - 4 (0.5 + 0.5 delta)^rho,
            U_sq = 2 - 4 (0.5^rho).
        """
        if rho is None:  # exponent 1: skip the power (x ** 1.0 == x exactly)
            return cls(2 - 4 * (0.5 - 0.5 * delta), 2 - 4 * (0.5 + 0.5 * delta), np.zeros((1, 1, 1)))
        return cls(
            2 - 4 * (0.5 - 0.5 * delta) ** rho,
            2 - 4 * (0.5 + 0.5 * delta) ** rho,
            2 - 4 * (0.5**rho),
        )


def expected_utility(
    util: Utilities,
    p: np.ndarray,
    s_target: np.ndarray,
    rules: Rules,
    delta: np.ndarray,
    d_challenger_mu: np.ndarray | None,
    rho: np.ndarray | None,
) -> np.ndarray:
    """Compute EU = s_b [P U_s + (1 - P) U_f] + (1 - s_b) U_s - Q U_sq  [- (1-Q)(T U_b + (1-T) U_w)].

    Spec §6; Scholz et al. (2011) [1]_, the equation for E^i(U_ij). The bracketed term
    (better and worse status quo) enters when the rules keep it and Q != 1.

    Parameters
    ----------
    util : Utilities
        U_s, U_f, U_sq of the pairs.
    p : np.ndarray
        Probability that the challenger prevails.
    s_target : np.ndarray
        The target's salience s_b.
    rules : Rules
        The rule variant (Q, T, whether the status quo term is kept).
    delta : np.ndarray
        Distances of the pairs.
    d_challenger_mu : np.ndarray or None
        d(x_a, mu), the challenger's distance to the median (used with the status quo term).
    rho : np.ndarray or None
        The evaluator's exponents (None: 1).

    Returns
    -------
    np.ndarray
        EU, the broadcast shape of the inputs.

    References
    ----------
    .. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno de Mesquita's
       group decision model. Journal of Theoretical Politics 23(4).
    """
    eu = (
        s_target * (p * util.success + (1 - p) * util.failure)
        + (1 - s_target) * util.success
        - rules.Q * util.status_quo
    )
    if rules.status_quo_term and rules.Q != 1:
        shift = 0.25 * (d_challenger_mu + delta)
        exponent = 1.0 if rho is None else rho
        better = 2 - 4 * (0.5 - shift) ** exponent
        worse = 2 - 4 * (0.5 + shift) ** exponent
        eu = eu - (1 - rules.Q) * (rules.T * better + (1 - rules.T) * worse)
    return eu


# --- §7 risk ------------------------------------------------------------------------------

#: pairwise elements per block of receivers/targets (keeps temporaries in cache for large n)
BLOCK_ELEMENTS = 2**15


def blocks(m: int, n: int) -> list[slice]:
    """Split the actor axis into slices so that a ``[m, block, n]`` array has ~BLOCK_ELEMENTS elements.

    Parameters
    ----------
    m : int
        Rows.
    n : int
        Actors (up to :data:`DIRECT_MAX_ACTORS`, one block).

    Returns
    -------
    list[slice]
        Consecutive slices covering ``range(n)``.
    """
    size = max(1, BLOCK_ELEMENTS // (m * n)) if n > DIRECT_MAX_ACTORS else n
    return [slice(a, min(a + size, n)) for a in range(0, n, size)]


def distances(x: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Compute d(x_a, x_b) = |x_a - x_b| / span (spec §1).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    span : np.ndarray
        Each row's span, shape (M,).

    Returns
    -------
    np.ndarray
        Distances, shape (M, n, n).
    """
    return np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]


def risk_exponents(
    x: np.ndarray,
    delta: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    mu: np.ndarray,
    rules: Rules,
    in_order: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Compute each actor's risk exponent from the danger it faces (spec §7; Scholz et al. 2011 [1]_).

    Danger D_i = sum_{k != i} EU_i(k -> i) with all exponents 1, then
    R_i = (2 D_i - D_max - D_min) / (D_max - D_min) and r_i = (1 - R_i/3) / (1 + R_i/3).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    delta : np.ndarray
        Distances, shape (M, n, n).
    w : np.ndarray
        Voter weights, shape (M, n).
    s : np.ndarray
        Saliences, shape (M, n).
    span : np.ndarray
        Each row's span, shape (M,).
    mu : np.ndarray
        Each row's median, shape (M,).
    rules : Rules
        The rule variant.
    in_order : bool
        Rows in input order (sums over challengers in that order, like the reference); False:
        rows sorted by position.

    Returns
    -------
    r : np.ndarray
        The exponents, shape (M, n).
    equal : np.ndarray
        The rows where D_max = D_min while the actors' positions still differ, shape (M,).

    References
    ----------
    .. [1] Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno de Mesquita's
       group decision model. Journal of Theoretical Politics 23(4).
    """
    m, n = x.shape
    p = probability(delta, w, x, rules.pairwise_probability, in_order, span)
    d_mu = (np.abs(x - mu[:, None]) / span[:, None])[:, :, None]
    danger = np.empty((m, n))
    for blk in blocks(m, n):
        # eu[k, i] = EU(k -> i): challenger k (axis 1), target i in the block (axis 2)
        dl = delta[:, :, blk]
        eu = expected_utility(Utilities.of(dl, None), p[:, :, blk], s[:, None, blk], rules, dl, d_mu, None)
        idx = np.arange(blk.start, blk.stop)
        eu[:, idx, idx - blk.start] = 0.0
        if in_order:  # sum over challengers in input order, like the reference
            acc = eu[:, 0].copy()
            for k in range(1, n):
                acc += eu[:, k]
            danger[:, blk] = acc
        else:
            danger[:, blk] = eu.sum(axis=1)
    d_max, d_min = danger.max(axis=1), danger.min(axis=1)
    equal = ~(d_max > d_min)
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = (2 * danger - d_max[:, None] - d_min[:, None]) / (d_max - d_min)[:, None]
    big_r[equal] = 0.0
    # warn only where actors still differ (all at one point: nothing can move anyway)
    return (1 - big_r / 3.0) / (1 + big_r / 3.0), equal & (x.max(axis=1) > x.min(axis=1))


# --- §8, §9 offers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """Each receiver's accepted offer: proposer index (-1: none), type, E_ij, E_ji, new x."""

    proposer: np.ndarray
    kind: np.ndarray
    eu_own: np.ndarray
    eu_other: np.ndarray
    position: np.ndarray


def offers(
    x: np.ndarray,
    delta: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    r: np.ndarray,
    span: np.ndarray,
    mu: np.ndarray,
    rules: Rules,
    orig: np.ndarray | None = None,
) -> Choice:
    """Classify every offer j -> i and pick each receiver's accepted one (spec §6, §8, §9).

    E_ij = EU_i(i -> j), E_ji = EU_i(j -> i), both with the receiver's exponent r_i.

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    delta : np.ndarray
        Distances, shape (M, n, n).
    w : np.ndarray
        Voter weights, shape (M, n).
    s : np.ndarray
        Saliences, shape (M, n).
    r : np.ndarray
        Risk exponents, shape (M, n).
    span : np.ndarray
        Each row's span, shape (M,).
    mu : np.ndarray
        Each row's median, shape (M,).
    rules : Rules
        The rule variant.
    orig : np.ndarray or None
        Each actor's input-order index, shape (M, n), when the rows are sorted by position (it
        breaks ties); None: the rows are in input order.

    Returns
    -------
    Choice
        The accepted offer of each receiver, arrays of shape (M, n).
    """
    in_order = orig is None
    u = delta ** r[:, :, None] if rules.votes_use_risk else delta
    p = probability(u, w, x, rules.pairwise_probability, in_order, None if rules.votes_use_risk else span)
    p_t = np.ascontiguousarray(p.transpose(0, 2, 1))
    d_mu = np.abs(x - mu[:, None]) / span[:, None]
    orig = np.broadcast_to(np.arange(x.shape[1]), x.shape) if orig is None else orig
    parts = [
        _choose(x, s, r, d_mu, delta[:, blk], p[:, blk], p_t[:, blk], blk, rules, orig)
        for blk in blocks(*x.shape)
    ]
    return Choice(*(np.concatenate(f, axis=1) for f in zip(*parts, strict=True)))


def _choose(
    x: np.ndarray,
    s: np.ndarray,
    r: np.ndarray,
    d_mu: np.ndarray,
    delta: np.ndarray,
    p: np.ndarray,
    p_t: np.ndarray,
    blk: slice,
    rules: Rules,
    orig: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Offers to the receivers ``blk``: pair arrays are ``[M, receiver i, proposer j]``."""
    n = x.shape[1]
    xi, xj = x[:, blk, None], x[:, None, :]
    rho = r[:, blk, None]
    util = Utilities.of(delta, rho)
    eu_ij = expected_utility(util, p, s[:, None, :], rules, delta, d_mu[:, blk, None], rho)
    eu_ji = expected_utility(util, p_t, s[:, blk, None], rules, delta, d_mu[:, None, :], rho)
    valid = xi != xj
    if rules.require_sender_interest:
        rho_j = r[:, None, :]
        sender = expected_utility(
            Utilities.of(delta, rho_j), p_t, s[:, blk, None], rules, delta, d_mu[:, None, :], rho_j
        )
        valid &= sender > 0
    conf = valid & (eu_ji > eu_ij) & (eu_ij > 0)
    weak = valid & ~conf & (eu_ji > 0) & (eu_ij < 0)
    comp = weak & (eu_ji > np.abs(eu_ij))
    capit = weak & ~comp  # corrected: E_ji <= |E_ij|
    if not rules.capitulation:
        capit &= eu_ji < np.abs(eu_ji)  # the reference's test: never true
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(comp, xi + (xj - xi) * np.abs(eu_ij / eu_ji), xj)
        move = np.abs(xi - y)
        if rules.least_move_compromise:
            key_comp = move
        else:
            a_ij, a_ji = np.abs(eu_ij), np.abs(eu_ji)
            key_comp = (a_ij * xi + a_ji * xj) / (a_ij + a_ji)
    if rules.least_move_any_type:
        has = conf | comp | capit
        best_move = np.where(has, move, np.inf).min(axis=2, keepdims=True)
        rank = np.where(conf, CONFRONTATION, np.where(comp, COMPROMISE, CAPITULATION))
        key = np.where(has & (move == best_move), rank * n + orig[:, None, :], np.inf)
    else:  # type priority: confrontation, then compromise, then capitulation
        key_cap = np.where(capit, move, np.inf)
        key = np.where(comp, key_comp, np.inf)
        key = np.where(np.isfinite(key.min(axis=2, keepdims=True)), key, key_cap)
        key_conf = np.where(conf, move, np.inf)
        key = np.where(np.isfinite(key_conf.min(axis=2, keepdims=True)), key_conf, key)
    # smallest key; among equal keys the proposer first in input order
    low = key.min(axis=2, keepdims=True)
    j = np.argmin(np.where(key == low, orig[:, None, :], n), axis=2)[:, :, None]
    found = np.isfinite(low[:, :, 0])

    def at(a: np.ndarray) -> np.ndarray:
        return np.take_along_axis(a, j, axis=2)[:, :, 0]

    types = [CONFRONTATION, COMPROMISE, CAPITULATION]
    kind = np.select([at(conf), at(comp), at(capit)], types, NONE).astype(np.int8)
    return (
        np.where(found, j[:, :, 0], -1),
        kind,
        np.where(found, at(eu_ij), np.nan),
        np.where(found, at(eu_ji), np.nan),
        np.where(found, at(y), x[:, blk]),
    )
