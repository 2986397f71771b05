"""One state of KTAB's spatial model of politics: assessment, challenges, bargains, resolution.

Arrays carry a leading batch axis ``B``; actors ``A`` (also written n, i, j), dimensions ``D``
on [0, 1]. Sections refer to ``docs/specs/spatial-model.md`` (KTAB's SMP: Wise, Lester et
al., KAPSARC 2015-2017, smp.cpp/smpbcn.cpp).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from accord.models.smp.kernel import (
    BigRAdjust,
    BigRRange,
    PCEModel,
    VictoryModel,
    VotingRule,
    big_r,
    distance,
    election,
    est_risk,
    pce,
    point_distance,
    shared_pairs,
    utility,
    vote,
    vote_du,
)

CHALLENGE_EPS = 1e-10  # starting strength of each side of a challenge (spec 6)
MIN_GAIN = 1e-5  # smallest expected gain worth a challenge (spec 7)
BARGAIN_EPS = 1e-6  # delta of the bargain interpolation (spec 8)
SAME_POSITION = 1e-3  # positions closer than this (Euclidean, [0,1]) are one option (spec 12)
BLOCK = 200_000  # elements per [B, i, j, n] block of the challenge evaluation


class Commit(StrEnum):
    """What a third party assumes the contestants commit to (KTAB's names; spec 6)."""

    SEMI = "SemiCommit"
    FULL = "FullCommit"
    NONE = "NoCommit"


class InterVecBrgn(StrEnum):
    """How a bargain interpolates between two positions (KTAB's names; :func:`interpolate`)."""

    S2P2 = "S2P2"
    S1P1 = "S1P1"
    S2PMAX = "S2PMax"


class BargnModel(StrEnum):
    """Which bargains a challenge yields (KTAB's names; :func:`form_bargains`)."""

    INIT_ONLY = "InitOnlyInterp"
    INIT_RCVR = "InitRcvrInterp"
    PW_COMP = "PWCompInterp"


@dataclass(frozen=True)
class Rules:
    """The model's options (spec 12 lists KTAB's defaults)."""

    voting: VotingRule = VotingRule.PROP
    victory: VictoryModel = VictoryModel.LINEAR
    pce: PCEModel = PCEModel.CONDITIONAL
    r_range: BigRRange = BigRRange.MID
    r_adjust: BigRAdjust = BigRAdjust.ONE_THIRD
    commit: Commit = Commit.SEMI
    interp: InterVecBrgn = InterVecBrgn.S2P2
    bargain: BargnModel = BargnModel.INIT_ONLY
    threads: int = 1  # for the cubic steps of a large state (the numbers do not depend on it)


@dataclass(frozen=True)
class Actors:
    """What does not change between states.

    Saliences ``[B,A,D]``, their totals and capabilities ``[B,A]``, stakes ``[A,D]`` (float 0/1).
    """

    sal: np.ndarray
    total: np.ndarray
    cap: np.ndarray
    stake: np.ndarray


@dataclass(frozen=True)
class Assessment:
    """A state's distances, risk attitudes, perceived risks and utilities (spec 2-3).

    Distances ``d[B,i,j]``, risk attitudes ``R[B,A]``, perceived risks ``rh[B,h,i]`` and
    objective utilities ``u[B,n,m] = u(d_nm; r_nn)``.
    """

    d: np.ndarray
    risk: np.ndarray
    rh: np.ndarray
    u: np.ndarray


def assess(theta: np.ndarray, ideal: np.ndarray, act: Actors, rules: Rules) -> Assessment:
    """Assess a state: risk attitudes from a risk-neutral PCE over all positions, then utilities (spec 3).

    Parameters
    ----------
    theta : np.ndarray
        Positions, shape (B, A, D).
    ideal : np.ndarray
        Ideal points, shape (B, A, D).
    act : Actors
        The actors.
    rules : Rules
        The model's options.

    Returns
    -------
    Assessment
        Distances, risk attitudes, perceived risks and utilities.
    """
    d = distance(ideal, act.sal, theta, act.stake)
    c, pv = election(utility(d, 0.0), act.cap, rules.voting, rules.victory, rules.threads)
    p = pce(c, pv, np.ones((*d.shape[:-2], 1, d.shape[-1]), dtype=bool), rules.pce)[..., 0, :]
    risk = big_r(p, rules.r_range)
    rh = est_risk(risk[..., :, None], risk[..., None, :], rules.r_adjust)
    own = np.diagonal(rh, axis1=-2, axis2=-1)
    return Assessment(d, risk, rh, utility(d, own[..., :, None]))


def contest(u_ii, u_ij, u_ji, u_jj, u_ni, u_nj, u_nn, w_i, w_j, w_n, third, rules: Rules,
            axis: int = -1):
    """Compute H's estimate of (P[i beats j], P[j beats i]) (spec 6.1-6.3).

    Under SemiCommit, n's vote for i over j is V(w_n; E_i - E_j) with
    E_i - E_j = pi_n (U_nn - U_ni) + (1 - pi_n)(U_nj - U_nn), which is the spec's difference of
    3-position utility sums; Full and NoCommit make it 0.

    Parameters
    ----------
    u_ii, u_ij, u_ji, u_jj : np.ndarray
        The principals' utilities (U_ab: a's utility of b's position), of a shape S.
    u_ni, u_nj, u_nn : np.ndarray
        The third parties' utilities: S with the voters' axis n inserted at ``axis``.
    w_i, w_j : np.ndarray
        The principals' weights, shape S.
    w_n : np.ndarray
        The third parties' weights, with the n axis.
    third : np.ndarray
        Masks the n not in {i, j}.
    rules : Rules
        The model's options (voting rule, commitment).
    axis : int
        The voters' axis in the third-party terms.

    Returns
    -------
    p_ij : np.ndarray
        P[i beats j], shape S.
    p_ji : np.ndarray
        P[j beats i], shape S.
    """
    vr = rules.voting
    ci = vote(vr, w_i, u_ii, u_ij)
    cj = vote(vr, w_j, u_ji, u_jj)
    a0 = CHALLENGE_EPS + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    b0 = CHALLENGE_EPS + np.maximum(-ci, 0.0) + np.maximum(-cj, 0.0)
    if rules.commit is not Commit.SEMI:
        return a0 / (a0 + b0), b0 / (a0 + b0)
    a0e, b0e = np.expand_dims(a0, axis), np.expand_dims(b0, axis)
    v0 = vote_du(vr, w_n, u_ni - u_nj)
    pin = np.abs(v0)
    pin += a0e + b0e
    np.divide(a0e + np.maximum(v0, 0.0), pin, out=pin)
    lose = u_nj - u_nn
    du = (u_nn - u_ni) - lose
    du *= pin
    du += lose
    du *= third
    vn = vote_du(vr, w_n, du)
    np.maximum(vn, 0.0, out=du)
    a = a0 + du.sum(axis=axis)
    np.negative(vn, out=vn)
    np.maximum(vn, 0.0, out=vn)
    b = b0 + vn.sum(axis=axis)
    return a / (a + b), b / (a + b)


def gain(u_ki, u_kj, p_ij, p_ji, s_j):
    """Compute the expected change in k's utility (2x scale) when i challenges j (spec 6.4).

    Parameters
    ----------
    u_ki : np.ndarray
        k's utility of i's position.
    u_kj : np.ndarray
        k's utility of j's position.
    p_ij : np.ndarray
        P[i beats j].
    p_ji : np.ndarray
        P[j beats i].
    s_j : np.ndarray
        j's total salience.

    Returns
    -------
    np.ndarray
        The gain, twice the utility scale.
    """
    sq = u_ki + u_kj
    win = u_ki + u_ki
    lose = u_kj + u_kj
    chlg = (1 - s_j) * win + s_j * (p_ij * win + p_ji * lose)
    return chlg - sq


def best_challenges(ast: Assessment, act: Actors, rules: Rules
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find each actor's best target from its own view (spec 7).

    Every (i, j) contest is judged by every third party n (A^3 work); the compiled
    :func:`accord.models.smp.compiled.challenges` does it in O(A^2) memory with the numbers of
    :func:`numpy_challenges`, the statement in numpy.

    Parameters
    ----------
    ast : Assessment
        The state's assessment.
    act : Actors
        The actors.
    rules : Rules
        The model's options.

    Returns
    -------
    target : np.ndarray
        Each actor's target, -1 for none, shape (B, A).
    p : np.ndarray
        P_i[i beats target], shape (B, A).
    gain : np.ndarray
        i's expected gain, shape (B, A).
    """
    from accord.models.smp import compiled

    d = np.ascontiguousarray(ast.d, dtype=float)
    nb, na = d.shape[0], d.shape[-1]
    best_p, best_g = np.empty((nb, na, na)), np.empty((nb, na, na))
    weight = np.ascontiguousarray(act.total * act.cap, dtype=float)
    args = (d, np.ascontiguousarray(ast.rh, dtype=float), weight,
            np.ascontiguousarray(act.total, dtype=float), compiled.RULE_CODES[rules.voting],
            rules.commit is Commit.SEMI, best_p, best_g)
    compiled.split(na, rules.threads, float(nb) * na ** 3,
                   lambda start, stop: compiled.challenges(*args, start, stop))
    return _best_targets(best_p, best_g)


def numpy_challenges(ast: Assessment, act: Actors, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Compute P_i[i beats j] and i's gain (spec 6-7) in numpy, initiators in blocks.

    Parameters
    ----------
    ast : Assessment
        The state's assessment.
    act : Actors
        The actors.
    rules : Rules
        The model's options.

    Returns
    -------
    p : np.ndarray
        P_i[i beats j], shape (B, i, j).
    gain : np.ndarray
        i's expected gain from challenging j, shape (B, i, j).
    """
    d, rh = ast.d, ast.rh
    nb, na = d.shape[0], d.shape[-1]
    w = act.total * act.cap
    dnn = np.diagonal(d, axis1=-2, axis2=-1)
    chunk = max(1, BLOCK // max(1, nb * na * na))
    best_p = np.empty((nb, na, na))
    best_g = np.empty((nb, na, na))
    for i0 in range(0, na, chunk):
        ii = np.arange(i0, min(na, i0 + chunk))
        r = rh[:, ii, :]  # [B,c,n]: h = i's estimate of n's risk attitude
        u_ni = utility(np.swapaxes(d[:, :, ii], 1, 2), r)  # [B,c,n]
        u_nn = utility(dnn[:, None, :], r)
        u_nj = utility(d[:, None, :, :], r[..., None])  # [B,c,n,j]
        u_ii = u_ni[:, np.arange(len(ii)), ii]  # [B,c]
        u_ij = u_nj[:, np.arange(len(ii)), ii, :]  # [B,c,j]
        third = (np.arange(na)[None, :, None] != ii[:, None, None]) & ~np.eye(na, dtype=bool)
        p_ij, p_ji = contest(u_ii[..., None], u_ij, u_ni, u_nn, u_ni[..., None], u_nj,
                             u_nn[..., None], w[:, ii, None], w[:, None, :],
                             w[:, None, :, None], third, rules, axis=-2)
        best_p[:, ii] = p_ij
        best_g[:, ii] = gain(u_ii[..., None], u_ij, p_ij, p_ji, act.total[:, None, :])
    return best_p, best_g


def _best_targets(best_p: np.ndarray, best_g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick each actor's target of largest gain (first in actor order; none below :data:`MIN_GAIN`)."""
    na = best_g.shape[-1]
    best_g[:, np.arange(na), np.arange(na)] = -np.inf
    target = np.argmax(best_g, axis=-1)
    g = np.take_along_axis(best_g, target[..., None], -1)[..., 0]
    p = np.take_along_axis(best_p, target[..., None], -1)[..., 0]
    return np.where(g > MIN_GAIN, target, -1), p, g


def target_view(ast: Assessment, act: Actors, target: np.ndarray, rules: Rules) -> np.ndarray:
    """Compute the target j's estimate of P[i beats j] for each initiator i (spec 8, BargnModel).

    Parameters
    ----------
    ast : Assessment
        The state's assessment.
    act : Actors
        The actors.
    target : np.ndarray
        Each initiator's target (-1: none), shape (B, A).
    rules : Rules
        The model's options.

    Returns
    -------
    np.ndarray
        P[i beats j] as j sees it, shape (B, A).
    """
    d, rh = ast.d, ast.rh
    nb, na = target.shape
    j = np.maximum(target, 0)
    bi = np.arange(nb)[:, None]
    r = rh[bi, j, :]  # [B,i,n]: j's estimate of n
    dni = np.swapaxes(d, 1, 2)  # [B,i,n] = d[n,i]
    dnj = np.swapaxes(d, 1, 2)[bi, j, :]  # [B,i,n] = d[n,j]
    dnn = np.diagonal(d, axis1=-2, axis2=-1)[:, None, :]
    u_ni, u_nj, u_nn = utility(dni, r), utility(dnj, r), utility(dnn, r)
    ii = np.arange(na)
    u_ii = u_ni[:, ii, ii]
    u_ij = u_nj[:, ii, ii]
    u_ji = np.take_along_axis(u_ni, j[..., None], -1)[..., 0]
    u_jj = np.take_along_axis(u_nj, j[..., None], -1)[..., 0]
    w = act.total * act.cap
    third = (ii[None, None, :] != ii[None, :, None]) & (ii[None, None, :] != j[..., None])
    p_ij, _ = contest(u_ii, u_ij, u_ji, u_jj, u_ni, u_nj, u_nn, w, np.take_along_axis(w, j, -1),
                      w[:, None, :], third, rules)
    return p_ij


def _round4(x: np.ndarray) -> np.ndarray:
    return np.floor(0.5 + x * 10000.0) / 10000.0


def interpolate(ti, si, pi, tj, sj, pj, how: InterVecBrgn) -> tuple[np.ndarray, np.ndarray]:
    """Compute the bargain coordinates for initiator and receiver (spec 8), per dimension.

    Parameters
    ----------
    ti, tj : np.ndarray
        The initiator's and the receiver's positions.
    si, sj : np.ndarray
        Their saliences.
    pi, pj : np.ndarray
        Their probabilities of winning.
    how : InterVecBrgn
        The interpolation (S2P2, S1P1 or S2PMax).

    Returns
    -------
    bi : np.ndarray
        The initiator's bargain position.
    bj : np.ndarray
        The receiver's bargain position.
    """
    if how is InterVecBrgn.S2PMAX:
        di = np.maximum(pj - pi, 0.0)
        dj = np.maximum(pi - pj, 0.0)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + BARGAIN_EPS + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + BARGAIN_EPS + ((1 - dj) * sj2))
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    if how is InterVecBrgn.S2P2:
        wi, wj = (si * si) * (pi * pi), (sj * sj) * (pj * pj)
    else:
        wi, wj = si * pi, sj * pj
    den = wi + BARGAIN_EPS + wj
    return (_round4(((wi + BARGAIN_EPS) * ti + wj * tj) / den),
            _round4((wi * ti + (BARGAIN_EPS + wj) * tj) / den))


def form_bargains(theta, act: Actors, target, p_init, p_rcvr, rules: Rules):
    """Form the bargains for initiator and receiver, one per variant of the BargnModel.

    Parameters
    ----------
    theta : np.ndarray
        Positions, shape (B, A, D).
    act : Actors
        The actors.
    target : np.ndarray
        Each initiator's target (-1: none), shape (B, A).
    p_init : np.ndarray
        P[i beats j] as the initiator sees it, shape (B, A).
    p_rcvr : np.ndarray
        P[i beats j] as the receiver sees it, shape (B, A).
    rules : Rules
        The model's options.

    Returns
    -------
    b_init : np.ndarray
        The initiators' bargain positions, shape (B, i, v, D).
    b_rcvr : np.ndarray
        The receivers' bargain positions, shape (B, i, v, D).
    """
    bi = np.arange(theta.shape[0])[:, None]
    j = np.maximum(target, 0)
    ti, si = theta, act.sal
    tj, sj = theta[bi, j], act.sal[bi, j]
    bi_ii, bj_ii = interpolate(ti, si, p_init[..., None], tj, sj, 1 - p_init[..., None], rules.interp)
    if rules.bargain is BargnModel.INIT_ONLY:
        return bi_ii[:, :, None], bj_ii[:, :, None]
    bi_ji, bj_ji = interpolate(ti, si, p_rcvr[..., None], tj, sj, 1 - p_rcvr[..., None], rules.interp)
    if rules.bargain is BargnModel.INIT_RCVR:
        return np.stack([bi_ii, bi_ji], 2), np.stack([bj_ii, bj_ji], 2)
    wi = (act.cap * act.total)[..., None]
    wj = np.take_along_axis(act.cap * act.total, j, -1)[..., None]
    return (((wi * bi_ii + wj * bi_ji) / (wi + wj))[:, :, None],
            ((wi * bj_ii + wj * bj_ji) / (wi + wj))[:, :, None])


@dataclass(frozen=True)
class Resolution:
    """The outcome of a state's bargaining, per actor k.

    Chosen option (0 = status quo, else 1 + i*V + v), its probability, the queue size, the new
    positions ``[B,A,D]`` and every option's probability ``[B,k,O]``.
    """

    choice: np.ndarray
    prob: np.ndarray
    size: np.ndarray
    theta: np.ndarray
    probs: np.ndarray


def resolve(theta, ideal, ast: Assessment, act: Actors, target, b_init, b_rcvr, rules: Rules,
            rng: np.random.Generator | None) -> Resolution:
    """Decide every actor's queue of bargains by a PCE over the state after each (spec 9).

    Parameters
    ----------
    theta : np.ndarray
        Positions, shape (B, A, D).
    ideal : np.ndarray
        Ideal points, shape (B, A, D).
    ast : Assessment
        The state's assessment.
    act : Actors
        The actors.
    target : np.ndarray
        Each initiator's target (-1: none), shape (B, A).
    b_init : np.ndarray
        The initiators' bargain positions, shape (B, i, v, D).
    b_rcvr : np.ndarray
        The receivers' bargain positions, shape (B, i, v, D).
    rules : Rules
        The model's options.
    rng : np.random.Generator or None
        Draws each choice from the PCE (stochastic transitions); None takes the most likely.

    Returns
    -------
    Resolution
        The choices, their probabilities and the new positions.
    """
    nb, na, nv, _ = b_init.shape
    valid = target >= 0
    j = np.maximum(target, 0)
    bi = np.arange(nb)[:, None]
    # utility to n of the state after each bargain: average over all N positions
    stake_o = np.broadcast_to(act.stake, (nb, na, act.stake.shape[-1]))
    u_init = utility(point_distance(ideal, act.sal, b_init.reshape(nb, na * nv, -1),
                                    np.repeat(stake_o, nv, axis=1), ), ast.risk[..., None])
    u_rcvr = utility(point_distance(ideal, act.sal, b_rcvr.reshape(nb, na * nv, -1),
                                    np.repeat(stake_o[bi, j], nv, axis=1)), ast.risk[..., None])
    keep = np.ones((nb, na, na))  # keep[b, m, i]: position m unchanged by i's bargain
    keep[:, np.arange(na), np.arange(na)] = 0.0
    keep[bi, j, np.arange(na)[None, :]] = 0.0
    rest = np.repeat(ast.u @ keep, nv, axis=-1)
    sq = ast.u.sum(axis=-1, keepdims=True)
    util = np.concatenate([sq, (u_init + u_rcvr) + rest], axis=-1) / na  # [B, n, O]
    util[..., 1:] = np.where(np.repeat(valid, nv, -1)[:, None, :], util[..., 1:], util[..., :1])
    k = np.arange(na)
    member = valid[:, None, :] & ((k[:, None] == k[None, :])[None] | (j[:, None, :] == k[None, :, None]))
    queue = np.concatenate([np.ones((nb, na, 1), bool), np.repeat(member, nv, -1)], axis=-1)
    # each queue is short: only the pairs of options that share one are voted on
    c, pv = election(util, act.cap, rules.voting, rules.victory, rules.threads, shared_pairs(queue))
    prob = pce(c, pv, queue, rules.pce)
    if rng is None:
        choice = np.argmax(np.where(queue, prob, -1.0), axis=-1)
    else:
        cum = np.cumsum(prob, axis=-1)
        u = rng.random((nb, na, 1)) * cum[..., -1:]
        choice = np.minimum(np.argmax(cum > u, axis=-1), prob.shape[-1] - 1)
    init = (choice - 1) // nv
    var = (choice - 1) % nv
    own = init == k[None, :]
    xi = b_init[bi, np.maximum(init, 0), var]
    xr = b_rcvr[bi, np.maximum(init, 0), var]
    new = np.where((choice == 0)[..., None], theta, np.where(own[..., None], xi, xr))
    chosen_p = np.take_along_axis(prob, choice[..., None], -1)[..., 0]
    return Resolution(choice, chosen_p, queue.sum(-1), new, prob)


def representatives(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the unique positions as KTAB finds them (first of each group, in actor order, spec 12).

    Parameters
    ----------
    theta : np.ndarray
        Positions, shape (B, A, D); closer than :data:`SAME_POSITION` counts as one.

    Returns
    -------
    is_rep : np.ndarray
        Whether each actor's position represents its group, shape (B, A).
    first : np.ndarray
        The first representative of each actor, shape (B, A).
    last : np.ndarray
        The last representative within tolerance, shape (B, A).
    """
    diff = theta[..., :, None, :] - theta[..., None, :, :]
    eq = np.sqrt((diff * diff).sum(-1)) < SAME_POSITION
    nb, na = theta.shape[:2]
    rep = np.zeros((nb, na), dtype=bool)
    for i in range(na):
        rep[:, i] = ~(eq[:, i, :i] & rep[:, :i]).any(axis=-1)
    match = eq & rep[:, None, :]
    first = np.argmax(match, axis=-1)
    last = na - 1 - np.argmax(match[..., ::-1], axis=-1)
    return rep, first, last


def position_probs(theta: np.ndarray, ast: Assessment, act: Actors, rules: Rules
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Compute P(the position held by each actor wins) and per-actor shares summing to 1 (spec 12).

    PCE over the unique positions with proportional voting, capabilities as weights and each
    actor's own utilities; actors sharing a position share its probability.

    Parameters
    ----------
    theta : np.ndarray
        Positions, shape (B, A, D).
    ast : Assessment
        The state's assessment.
    act : Actors
        The actors.
    rules : Rules
        The model's options.

    Returns
    -------
    held : np.ndarray
        P(the position each actor holds wins), shape (B, A).
    share : np.ndarray
        Each actor's share of its position's probability, shape (B, A).
    """
    rep, first, last = representatives(theta)
    c, pv = election(ast.u, act.cap, VotingRule.PROP, rules.victory, rules.threads)
    p = pce(c, pv, rep[:, None, :], rules.pce)[:, 0, :]
    held = np.take_along_axis(p, last, -1)
    group = np.take_along_axis(p, first, -1)
    count = (first[..., :, None] == first[..., None, :]).sum(-1)
    return held, group / count
