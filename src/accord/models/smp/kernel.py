"""Numeric kernels of the spatial model of politics (KTAB's SMP): votes, victory odds, PCEs.

Everything works on leading batch axes. Formulas follow the description of KTAB's SMP in
``docs/specs/spatial-model.md`` (sections 2-5), itself from Wise, Lester et al., *KTAB: the
KAPSARC Toolkit for Behavioral Analysis* (KAPSARC, 2015-2017), its tutorial, the note
"Markov voting with incentives in KTAB" and "Pragmatic Affinity" (ideal adjustment). The
arithmetic keeps KTAB's order of operations where it can matter for rounding.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from accord.errors import AccordError

COALITION_EPS = 1e-8  # minimum coalition strength in an election among options
BIN_TOL = 1e-8  # scale of the binary voting response


class VotingRule(StrEnum):
    """How a voter turns a utility difference into a vote (KTAB's names; :func:`vote`)."""

    PROP = "Prop"
    BINARY = "Binary"
    PROP_BIN = "PropBin"
    PROP_CBC = "PropCbc"
    CUBIC = "Cubic"
    ASYM_PROSP = "ASymProsp"


class VictoryModel(StrEnum):
    """How coalition strengths give victory odds (KTAB's names; :func:`victory_prob`)."""

    LINEAR = "Linear"
    SQUARE = "Square"
    QUARTIC = "Quartic"
    OCTIC = "Octic"
    BINARY = "Binary"


class PCEModel(StrEnum):
    """How a probabilistic Condorcet election is computed (KTAB's names; :func:`pce`)."""

    CONDITIONAL = "Conditional"
    MARKOV_UNIFORM = "MarkovUniform"
    MARKOV_INCENTIVE = "MarkovIncentive"


class BigRRange(StrEnum):
    """The range of risk attitudes position probabilities map to (KTAB's names; :func:`big_r`)."""

    MIN = "Min"
    MID = "Mid"
    MAX = "Max"


class BigRAdjust(StrEnum):
    """How far an actor's estimate of another's risk attitude moves toward it (:func:`est_risk`)."""

    NONE = "None"
    ONE_THIRD = "OneThird"
    HALF = "Half"
    TWO_THIRDS = "TwoThirds"
    FULL = "Full"


def vote(rule: VotingRule, w: np.ndarray, ua: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Compute the vote of weight ``w`` for option a over b given utilities (spec section 4).

    Prop: w*du; Binary: w*clip(du/1e-8, -1, 1); PropBin: w*(0.8 du + 0.2 bin);
    PropCbc: w*(0.5 du + 0.5 du^3); Cubic: w*du^3; ASymProsp: w*du (du<0), 2w*du/3 (du>0);
    du = ua - ub.

    Parameters
    ----------
    rule : VotingRule
        The voting rule.
    w : np.ndarray
        The voters' weights.
    ua : np.ndarray
        Their utilities of option a.
    ub : np.ndarray
        Their utilities of option b (broadcast against ``ua``).

    Returns
    -------
    np.ndarray
        The votes, positive for a.

    Raises
    ------
    AccordError
        For an unknown rule.

    References
    ----------
    .. [1] Wise, Lester et al. KTAB: the KAPSARC Toolkit for Behavioral Analysis.
       KAPSARC, 2015-2017 (and its tutorial).
    """
    return vote_du(rule, w, ua - ub)


def vote_du(rule: VotingRule, w: np.ndarray, du: np.ndarray) -> np.ndarray:
    """Compute the vote of :func:`vote` from the utility difference ``du = ua - ub``.

    Parameters
    ----------
    rule : VotingRule
        The voting rule.
    w : np.ndarray
        The voters' weights.
    du : np.ndarray
        Utility differences.

    Returns
    -------
    np.ndarray
        The votes, positive for a.

    Raises
    ------
    AccordError
        For an unknown rule.
    """
    if rule is VotingRule.PROP:
        return w * du
    if rule is VotingRule.CUBIC:
        return w * (du * du * du)
    if rule is VotingRule.ASYM_PROSP:
        return np.where(du < 0, w * du, np.where(du > 0, (2.0 * w * du) / 3.0, 0.0 * w))
    rbin = np.clip(du / BIN_TOL, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return w * rbin
    if rule is VotingRule.PROP_BIN:
        return w * ((1 - 0.2) * du + 0.2 * rbin)
    if rule is VotingRule.PROP_CBC:
        return w * ((1 - 0.5) * du + 0.5 * (du * du * du))
    raise AccordError(f"unknown voting rule {rule!r}")


def victory_prob(model: VictoryModel, s1: np.ndarray, s2: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Compute (P[1 beats 2], P[2 beats 1]) from coalition strengths.

    s1^v / (s1^v + s2^v), v = 1, 2, 4 or 8; or the Binary model (a 1.10x advantage wins
    outright, loser 1e-6; linear interpolation in between).

    Parameters
    ----------
    model : VictoryModel
        The victory model.
    s1 : np.ndarray
        Strengths of the coalitions for side 1.
    s2 : np.ndarray
        Strengths for side 2 (same shape).

    Returns
    -------
    p12 : np.ndarray
        P[1 beats 2].
    p21 : np.ndarray
        P[2 beats 1].

    Raises
    ------
    AccordError
        For an unknown model.

    References
    ----------
    .. [1] Wise, Lester et al. KTAB: the KAPSARC Toolkit for Behavioral Analysis.
       KAPSARC, 2015-2017 (and its tutorial).
    """
    if model is VictoryModel.BINARY:
        thresh = 1.10
        r12 = s1 / (s1 + s2)
        mid = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(s1 >= thresh * s2, 1.0, np.where(s2 >= thresh * s1, 1e-6, mid))
        x2 = np.where(s1 >= thresh * s2, 1e-6, np.where(s2 >= thresh * s1, 1.0, 1 - mid))
    elif model is VictoryModel.LINEAR:
        x1, x2 = s1, s2
    elif model is VictoryModel.SQUARE:
        x1, x2 = s1 * s1, s2 * s2
    elif model is VictoryModel.QUARTIC:
        x1, x2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
    elif model is VictoryModel.OCTIC:
        q1, q2 = (s1 * s1) * (s1 * s1), (s2 * s2) * (s2 * s2)
        x1, x2 = q1 * q1, q2 * q2
    else:
        raise AccordError(f"unknown victory-probability model {model!r}")
    return x1 / (x1 + x2), x2 / (x1 + x2)


def coalitions(util: np.ndarray, weight: np.ndarray, rule: VotingRule) -> np.ndarray:
    """Compute coalition strengths ``C[..., a, b]`` among options.

    As in KTAB, each pair is voted once with the higher-indexed option first (a > b): positive
    votes V(w_n; u_na, u_nb) join C(a, b), negative ones C(b, a); each side starts at 1e-8, and
    C(a, a) = 1e-8 (spec 4).

    Parameters
    ----------
    util : np.ndarray
        Each voter's utility of each option, shape (..., n, a).
    weight : np.ndarray
        The voters' weights, shape (..., n).
    rule : VotingRule
        The voting rule.

    Returns
    -------
    np.ndarray
        C, shape (..., a, a).
    """
    m = util.shape[-1]
    ia, ib = np.tril_indices(m, -1)
    v = vote_du(rule, weight[..., :, None], util[..., :, ia] - util[..., :, ib])
    pos = np.maximum(v, 0.0).sum(axis=-2)
    np.negative(v, out=v)
    np.maximum(v, 0.0, out=v)
    neg = v.sum(axis=-2)
    c = np.full((*pos.shape[:-1], m, m), COALITION_EPS)
    c[..., ia, ib] += pos
    c[..., ib, ia] += neg
    return c


def pairwise_prob(model: VictoryModel, c: np.ndarray) -> np.ndarray:
    """Compute ``P[a beats b]`` from the coalition matrix; 1/2 on the diagonal; computed for a > b.

    Parameters
    ----------
    model : VictoryModel
        The victory model.
    c : np.ndarray
        Coalition strengths, shape (..., a, a).

    Returns
    -------
    np.ndarray
        P, shape (..., a, a).
    """
    p1, p2 = victory_prob(model, c, np.swapaxes(c, -1, -2))
    m = c.shape[-1]
    lower = np.tri(m, m, -1, dtype=bool)
    p = np.where(lower, p1, np.swapaxes(p2, -1, -2))
    return np.where(np.eye(m, dtype=bool), 0.5, p)


def election(util: np.ndarray, weight: np.ndarray, rule: VotingRule, vpm: VictoryModel,
             threads: int = 1, needed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Compute coalitions and pairwise victory odds among options.

    The coalitions come from :func:`accord.models.smp.compiled.coalitions` (the numbers of
    :func:`coalitions`, in O(A^2) memory instead of A^3; a large state on ``threads`` threads).

    Parameters
    ----------
    util : np.ndarray
        Each voter's utility of each option, shape (..., n, a).
    weight : np.ndarray
        The voters' weights, shape (..., n) or broadcastable to it.
    rule : VotingRule
        The voting rule.
    vpm : VictoryModel
        The victory model.
    threads : int
        Threads for a large state (the numbers do not depend on it).
    needed : np.ndarray or None
        The pairs of options whose coalitions the elections that follow read, bool, shape
        (..., a, a) (:func:`shared_pairs`); the others are not voted on and get 1e-8 on both
        sides. None: every pair.

    Returns
    -------
    c : np.ndarray
        Coalition strengths, shape (..., a, a).
    p : np.ndarray
        P[a beats b], shape (..., a, a).
    """
    from accord.models.smp import compiled

    n, m = util.shape[-2:]
    flat = np.ascontiguousarray(util, dtype=float).reshape(-1, n, m)
    weights = np.ascontiguousarray(np.broadcast_to(weight, util.shape[:-1]), dtype=float).reshape(-1, n)
    c = np.empty((flat.shape[0], m, m))
    code = compiled.RULE_CODES[VotingRule(rule)]
    pairs = (np.zeros((0, 0, 0), dtype=bool) if needed is None
             else np.ascontiguousarray(np.broadcast_to(needed, (*util.shape[:-2], m, m))).reshape(-1, m, m))
    work = float(flat.shape[0]) * n * m * m / 2 if needed is None else float(pairs.sum()) * n / 2
    compiled.split(m, threads, work,
                   lambda start, stop: compiled.coalitions(flat, weights, code, c, start, stop, pairs))
    c = c.reshape(*util.shape[:-2], m, m)
    return c, pairwise_prob(vpm, c)


def shared_pairs(mask: np.ndarray) -> np.ndarray:
    """Find the pairs of options that take part in one election together.

    An election over the options in ``mask[..., k, :]`` reads the coalitions and odds of its
    options' pairs only: :func:`pce` multiplies the others by zero. So :func:`election` need not
    vote on a pair no election shares (the resolution of a turn's bargains holds one election
    per actor over its short queue, among some 1,000 options at 1,000 actors).

    Parameters
    ----------
    mask : np.ndarray
        The options of each election, bool, shape (..., k, a).

    Returns
    -------
    np.ndarray
        Whether some election holds both options, bool, shape (..., a, a).
    """
    m = mask.astype(np.float32)
    return (np.swapaxes(m, -1, -2) @ m) > 0


def pce(c: np.ndarray, pv: np.ndarray, mask: np.ndarray, model: PCEModel) -> np.ndarray:
    """Compute a probabilistic Condorcet election over the options in ``mask`` (one election per k).

    Conditional: P(a) proportional to prod_b P[a>b] (spec 5); MarkovUniform and
    MarkovIncentive as in "Markov voting with incentives in KTAB". Options outside the mask
    get probability 0.

    Parameters
    ----------
    c : np.ndarray
        Coalition strengths, shape (..., a, b), shared by all k.
    pv : np.ndarray
        P[a beats b], shape (..., a, b), shared by all k.
    mask : np.ndarray
        The options of each election, bool, shape (..., k, a).
    model : PCEModel
        The election model.

    Returns
    -------
    np.ndarray
        Each option's probability in each election, shape (..., k, a).

    Raises
    ------
    AccordError
        For an unknown model, or a Markov election that does not converge.

    References
    ----------
    .. [1] Wise, Lester et al. KTAB: the KAPSARC Toolkit for Behavioral Analysis.
       KAPSARC, 2015-2017 (and its tutorial).
    """
    if model is PCEModel.CONDITIONAL:
        logp = np.log(pv)
        s = np.einsum("...kb,...ab->...ka", mask.astype(float), logp)
        s = np.where(mask, s, -np.inf)
        s = s - s.max(axis=-1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=-1, keepdims=True)
    shape = mask.shape
    mf = mask.astype(float)
    pair = mf[..., :, None] * mf[..., None, :]  # [..., k, a, b]
    pvk = pv[..., None, :, :] * pair
    n_opt = mf.sum(axis=-1, keepdims=True)
    p = mf / n_opt
    if model is PCEModel.MARKOV_UNIFORM:
        return _iterate(lambda p: (pvk * (p[..., :, None] + p[..., None, :])).sum(-1) / n_opt,
                        p, 1e-6)
    if model is PCEModel.MARKOV_INCENTIVE:
        m = c.shape[-1]
        inc = (c * pv)[..., None, :, :] * pair + np.eye(m) * 1e-10 * pair
        chlg = inc / np.where(pair > 0, inc.sum(axis=-2, keepdims=True), 1.0)  # P[a -> b]

        def step(p: np.ndarray) -> np.ndarray:
            ct = p[..., :, None] * np.swapaxes(chlg, -1, -2)  # ct[a, b] = p_a * P[b -> a]
            return (pvk * (ct + np.swapaxes(ct, -1, -2))).sum(-1)

        return _iterate(step, p, 1e-8)
    raise AccordError(f"unknown PCE model {model!r}; shape {shape}")


def _iterate(update, p: np.ndarray, tol: float, max_iter: int = 1000) -> np.ndarray:
    """Damped fixed point p <- (p + q(p))/2 until max|q - p| <= tol, each election on its own."""
    active = np.ones(p.shape[:-1], dtype=bool)
    for _ in range(max_iter):
        q = update(p)
        change = np.abs(q - p).max(axis=-1)
        p = np.where(active[..., None], (p + q) / 2.0, p)
        active &= change > tol
        if not active.any():
            return p
    raise AccordError(f"the Markov PCE did not converge within {max_iter} iterations")


def big_r(p: np.ndarray, rr: BigRRange) -> np.ndarray:
    """Compute risk attitudes from position probabilities (spec 3.3).

    Parameters
    ----------
    p : np.ndarray
        Probabilities of the actors' positions, shape (..., a).
    rr : BigRRange
        The range they map to.

    Returns
    -------
    np.ndarray
        R, shape (..., a); 0 where all p are equal.

    Raises
    ------
    AccordError
        For an unknown range.
    """
    p_min = p.min(axis=-1, keepdims=True)
    p_max = p.max(axis=-1, keepdims=True)
    span = p_max - p_min
    safe = np.where(span > 0, span, 1.0)
    if rr is BigRRange.MIN:
        r = (p - p_min) / safe
    elif rr is BigRRange.MID:
        r = (3 * p - (p_max + 2 * p_min)) / (2 * safe)
    elif rr is BigRRange.MAX:
        r = (2 * p - (p_max + p_min)) / safe
    else:
        raise AccordError(f"unknown BigRRange {rr!r}")
    return np.where(span > 0, r, 0.0)


def est_risk(rh: np.ndarray, ri: np.ndarray, ra: BigRAdjust) -> np.ndarray:
    """Compute H's estimate of i's risk attitude (spec 3.4), with KTAB's arithmetic.

    Parameters
    ----------
    rh : np.ndarray
        H's own risk attitude.
    ri : np.ndarray
        i's risk attitude.
    ra : BigRAdjust
        How far the estimate moves from ``rh`` toward ``ri``.

    Returns
    -------
    np.ndarray
        The estimate.

    Raises
    ------
    AccordError
        For an unknown adjustment.
    """
    if ra is BigRAdjust.FULL:
        return ri + 0.0 * rh
    if ra is BigRAdjust.TWO_THIRDS:
        return (rh + (2.0 * ri)) / 3.0
    if ra is BigRAdjust.HALF:
        return (rh + ri) / 2
    if ra is BigRAdjust.ONE_THIRD:
        return ((2.0 * rh) + ri) / 3.0
    if ra is BigRAdjust.NONE:
        return rh + 0.0 * ri
    raise AccordError(f"unknown BigRAdjust {ra!r}")


def utility(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """Compute u(d; R) = (1 - d)(1 + R d), and (1 - d)(1 + R) if rounding pushed d above 1 (spec 2).

    Parameters
    ----------
    d : np.ndarray
        Distances.
    r : np.ndarray or float
        Risk attitudes R (broadcast against ``d``).

    Returns
    -------
    np.ndarray
        Utilities.
    """
    u = d * r
    u += 1
    u *= 1 - d
    if (d > 1).any():
        u = np.where(d <= 1, u, (1 - d) * (1 + r))
    return u


def distance(ideal: np.ndarray, sal: np.ndarray, pos: np.ndarray, stake: np.ndarray) -> np.ndarray:
    """Compute the salience-weighted distance ``d[..., i, j]`` from i's ideal to j's position (spec 2).

    d_ij = sqrt(sum_k (s_ik (q_ik - x_jk))^2 / sum_k s_ik^2). Dimensions where j has no stake
    count as agreement (zero difference); an actor with no salience at all is at distance 0.
    Computed by :func:`point_distance`, with the actors' positions as the points.

    Parameters
    ----------
    ideal : np.ndarray
        Ideal points q, shape (..., A, K).
    sal : np.ndarray
        Saliences s, shape (..., A, K).
    pos : np.ndarray
        Positions x, shape (..., A, K).
    stake : np.ndarray
        Who has a stake in each dimension, bool, shape (A, K).

    Returns
    -------
    np.ndarray
        d, shape (..., A, A).
    """
    return point_distance(ideal, sal, pos, stake)


def point_distance(ideal: np.ndarray, sal: np.ndarray, points: np.ndarray, stake: np.ndarray
                   ) -> np.ndarray:
    """Compute the distance ``d[..., n, o]`` from n's ideal to each point o.

    The same salience-weighted distance as :func:`distance`, to points that need not be
    actors' positions, compiled (:func:`accord.models.smp.compiled.point_distances`: the
    numbers of the numpy statement :func:`numpy_point_distance`, without its [..., N, O, K]
    temporaries).

    Parameters
    ----------
    ideal : np.ndarray
        Ideal points, shape (..., N, K).
    sal : np.ndarray
        Saliences, shape (..., N, K).
    points : np.ndarray
        The points, shape (..., O, K).
    stake : np.ndarray
        The stake of each point's owner, bool, shape (..., O, K).

    Returns
    -------
    np.ndarray
        d, shape (..., N, O).
    """
    from accord.models.smp import compiled

    lead = np.broadcast_shapes(ideal.shape[:-2], sal.shape[:-2], points.shape[:-2], stake.shape[:-2])
    (nn, nk), no = ideal.shape[-2:], points.shape[-2]
    nb = int(np.prod(lead))

    def flat(a: np.ndarray, rows: int) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(a, (*lead, rows, nk)), dtype=float).reshape(nb, rows, nk)

    shared = all(size == 1 for size in stake.shape[:-2])
    owner = (np.ascontiguousarray(stake, dtype=float).reshape(1, no, nk) if shared
             else flat(stake, no))
    out = np.empty((nb, nn, no))
    compiled.point_distances(flat(ideal, nn), flat(sal, nn), flat(points, no), owner, out)
    return out.reshape(*lead, nn, no)


def numpy_point_distance(ideal: np.ndarray, sal: np.ndarray, points: np.ndarray, stake: np.ndarray
                         ) -> np.ndarray:
    """Compute :func:`point_distance` as numpy operations (the statement the compiled one follows).

    Parameters
    ----------
    ideal, sal, points, stake : np.ndarray
        As for :func:`point_distance`.

    Returns
    -------
    np.ndarray
        d, shape (..., N, O).
    """
    diff = (ideal[..., :, None, :] - points[..., None, :, :]) * stake[..., None, :, :]
    ds = diff * sal[..., :, None, :]
    num = (ds * ds).sum(axis=-1)
    den = (sal * sal).sum(axis=-1)[..., :, None]
    return np.sqrt(num / np.where(den > 0, den, 1.0)) * (den > 0)
