"""Relations as the expected-utility model sees them, from the client's point of view.

For the client, per other actor and issue: whether a challenge would end in confrontation,
compromise, capitulation or stalemate.

Bueno de Mesquita (1994, 2002) in Scholz, Calbert & Smith (2011); the formulas are those of
``docs/specs/expected-utility.md`` (section numbers cited), in its corrected mode (accord's
``eum``) at the first round, from the coded (or drawn) inputs. From the client ``c``'s point of
view (§6, both with the client's risk exponent ``r_c``):

    E_cj = EU_c(c -> j)    what c expects from challenging j
    E_jc = EU_c(j -> c)    what c thinks j expects from challenging c

and the quadrant of (E_cj, E_jc) names the relation (§8, read from both sides):

* both > 0: **confrontation**, won by the one that expects more (c loses when E_jc > E_cj);
* E_cj < 0 < E_jc: c gives ground, a **compromise** when E_jc > |E_cj|, else a **capitulation**;
* E_jc < 0 < E_cj: j gives ground, likewise;
* both <= 0: **stalemate** (neither expects to gain by challenging).

:func:`perceived_utilities` is the one place that computes E from the model's formulas: a later
change of the model's code or layout touches only it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario import Scenario, ScenarioArrays


def _probability(dist: np.ndarray, w: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Compute §4's pairwise probabilities ``P[..., a, b]``, with the voters' own exponents.

    ``P[..., a, b] = sum_k max(0, v_k) / sum_k |v_k|`` with
    ``v_k = w_k (d(x_k, x_b)^r_k - d(x_k, x_a)^r_k)``; 0 for equal positions.
    ``dist[..., k, a]`` = d(x_k, x_a); ``w[..., k]`` = c s (0 off-stake); ``r[..., k]``.
    """
    dr = dist ** r[..., :, None]  # [..., k, a]
    by_actor = np.swapaxes(dr, -1, -2)  # [..., a, k]
    v = w[..., None, None, :] * (by_actor[..., None, :, :] - by_actor[..., :, None, :])
    # v[..., a, b, k] = w_k (d(x_k, x_b)^r_k - d(x_k, x_a)^r_k)
    num, den = np.maximum(v, 0.0).sum(axis=-1), np.abs(v).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    return p


def _expected(s_b: np.ndarray, p: np.ndarray, delta: np.ndarray, to_median: np.ndarray,
              rho: np.ndarray | float, q: float, t: float) -> np.ndarray:
    """Compute §5-§6's expected utility of a challenge.

    ``EU = s_b [P U_s + (1 - P) U_f] + (1 - s_b) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)``.
    """
    with np.errstate(invalid="ignore"):  # pairs without a stake (distances past 1) are masked later
        u_s = 2 - 4 * (0.5 - 0.5 * delta) ** rho
        u_f = 2 - 4 * (0.5 + 0.5 * delta) ** rho
        u_sq = 2 - 4 * 0.5 ** rho
        better = np.clip(0.5 - 0.25 * (to_median + delta), 0.0, None)
        u_b = 2 - 4 * better ** rho
        u_w = 2 - 4 * (0.5 + 0.25 * (to_median + delta)) ** rho
    return s_b * (p * u_s + (1 - p) * u_f) + (1 - s_b) * u_s - q * u_sq - (1 - q) * (t * u_b + (1 - t) * u_w)


def perceived_utilities(arrays: ScenarioArrays, client: int, q: float = 1.0, t: float = 1.0
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Compute the client's ``(E_cj, E_jc)`` at the first round of the corrected model.

    Steps (spec sections): span of the staked positions and distances (§1); risk exponents from
    danger levels with every exponent 1 (§7, danger summed over every other staked actor); the
    median ``mu`` (§3, lowest of tied minimisers); then the client's two expected utilities with
    its exponent in the utilities and the voters' exponents in the probabilities (§6).

    Parameters
    ----------
    arrays : ScenarioArrays
        The inputs, coded or drawn (any leading batch axes).
    client : int
        The client's actor index.
    q : float
        ``Q``, the probability that the status quo lasts when nobody challenges.
    t : float
        ``T``, the probability that a change, if one comes, goes the challenger's way.

    Returns
    -------
    e_cj : np.ndarray
        What the client expects from challenging j, shape (..., A, I).
    e_jc : np.ndarray
        What the client thinks j expects from challenging it, shape (..., A, I).
        Both are NaN where j is the client, either has no stake, or the two stand at the same
        position.

    References
    ----------
    B. Bueno de Mesquita, "Political forecasting: an expected utility method", in Bueno de
    Mesquita & Stokman (eds.), *European Community Decision Making*, Yale University Press, 1994;
    B. Bueno de Mesquita, *Predicting Politics*, Ohio State University Press, 2002;
    J. B. Scholz, G. J. Calbert & G. A. Smith, "Unravelling Bueno de Mesquita's group decision
    model", *J. Theoretical Politics* 23(4), 2011.
    """
    x = np.moveaxis(np.asarray(arrays.position, float), -1, 0)  # [I, ..., A]
    s = np.moveaxis(np.asarray(arrays.salience, float), -1, 0)
    c = np.moveaxis(np.asarray(arrays.capability, float), -1, 0)
    stake = np.moveaxis(np.broadcast_to(arrays.stake, arrays.position.shape), -1, 0)
    w = np.where(stake, c * s, 0.0)
    hi = np.where(stake, x, -np.inf).max(axis=-1, keepdims=True)
    lo = np.where(stake, x, np.inf).min(axis=-1, keepdims=True)
    span = hi - lo
    flat = ~(span > 0)
    span = np.where(flat, 1.0, span)
    dist = np.abs(x[..., :, None] - x[..., None, :]) / span[..., None]  # [I, ..., k, a]
    # §7: danger D_i = sum_{k != i} EU_i(k -> i) with every exponent 1
    one = np.ones_like(x)
    p1 = _probability(dist, w, one)  # [I, ..., a, b]
    mu = _median(x, w, stake)
    to_mu = np.abs(x - mu[..., None]) / span  # d(x_a, mu) [I, ..., a]
    eu_k_i = _expected(s[..., None, :], p1, dist, to_mu[..., :, None], 1.0, q, t)  # [..., k, i]
    pair = stake[..., :, None] & stake[..., None, :] & ~np.eye(x.shape[-1], dtype=bool)
    danger = np.where(pair, eu_k_i, 0.0).sum(axis=-2)  # [I, ..., i]
    d_max = np.where(stake, danger, -np.inf).max(axis=-1, keepdims=True)
    d_min = np.where(stake, danger, np.inf).min(axis=-1, keepdims=True)
    width = d_max - d_min
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = np.where(width > 0, (2 * danger - d_max - d_min) / np.where(width > 0, width, 1.0), 0.0)
    r = np.where(stake, (1 - risk / 3) / (1 + risk / 3), 1.0)
    # §6: offers to the client, with the voters' own exponents in P and the client's in utilities
    p = _probability(dist, w, r)
    rho = r[..., client][..., None]
    delta = dist[..., client, :]  # d(x_c, x_j) [I, ..., j]
    e_cj = _expected(s, p[..., client, :], delta, to_mu[..., client][..., None], rho, q, t)
    e_jc = _expected(s[..., client][..., None], p[..., :, client], delta, to_mu, rho, q, t)
    valid = stake & stake[..., client][..., None] & (delta > 0) & ~flat
    valid[..., client] = False
    e_cj, e_jc = np.where(valid, e_cj, np.nan), np.where(valid, e_jc, np.nan)
    return np.moveaxis(e_cj, 0, -1), np.moveaxis(e_jc, 0, -1)


def _median(x: np.ndarray, w: np.ndarray, stake: np.ndarray) -> np.ndarray:
    """Return §3's staked position minimising ``F(y) = sum_k w_k |x_k - y|``; the lowest when tied."""
    f = (w[..., None, :] * np.abs(x[..., None, :] - x[..., :, None])).sum(axis=-1)  # [..., candidate]
    f = np.where(stake, f, np.inf)
    best = f.min(axis=-1, keepdims=True)
    scale = (np.maximum(w.sum(axis=-1, keepdims=True), 1e-300)
             * np.maximum(np.ptp(x, axis=-1, keepdims=True), 1e-300))
    tied = f <= best + 1e-12 * scale
    return np.where(tied, x, np.inf).min(axis=-1)


RELATIONS = ("confrontation", "compromise", "capitulation", "stalemate")


def classify(e_cj: np.ndarray, e_jc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Name the relation in each cell from its quadrant of ``(E_cj, E_jc)``.

    Parameters
    ----------
    e_cj, e_jc : np.ndarray
        The perceived expected utilities (:func:`perceived_utilities`), same shape.

    Returns
    -------
    kind : np.ndarray
        The relation, an index into :data:`RELATIONS`; -1 where undefined.
    gives : np.ndarray
        Who gives ground: 1 the other actor, -1 the client, 0 neither.
    """
    e_cj, e_jc = np.asarray(e_cj, float), np.asarray(e_jc, float)
    kind = np.full(e_cj.shape, -1, dtype=int)
    gives = np.zeros(e_cj.shape, dtype=int)
    ok = ~(np.isnan(e_cj) | np.isnan(e_jc))
    confront = ok & (e_cj > 0) & (e_jc > 0)
    client_gives = ok & (e_cj < 0) & (e_jc > 0)
    other_gives = ok & (e_jc < 0) & (e_cj > 0)
    kind[confront] = 0
    gives[confront] = np.where(e_jc > e_cj, -1, 1)[confront]
    kind[client_gives] = np.where(e_jc > np.abs(e_cj), 1, 2)[client_gives]
    gives[client_gives] = -1
    kind[other_gives] = np.where(e_cj > np.abs(e_jc), 1, 2)[other_gives]
    gives[other_gives] = 1
    kind[ok & ~(confront | client_gives | other_gives)] = 3
    return kind, gives


@dataclass(frozen=True)
class Relation:
    """One cell of the client's relations.

    Parameters
    ----------
    actor : str
        The other actor's id.
    issue : str
        The issue's id.
    e_cj, e_jc : float
        The perceived expected utilities at the coded inputs.
    relation : str
        One of :data:`RELATIONS`.
    gives : str
        Who gives ground: ``client``, ``other`` or ``neither``.
    agree : float or None
        The share of the draws that give the same relation and the same side giving.
    """

    actor: str
    issue: str
    e_cj: float
    e_jc: float
    relation: str
    gives: str  # "client", "other", "neither"
    agree: float | None

    def text(self, client: str) -> str:
        """Describe the relation in words.

        Parameters
        ----------
        client : str
            The client's name.

        Returns
        -------
        str
            E.g. ``confrontation, EU expects to win`` or ``Russia compromises``.
        """
        who = {"client": client, "other": self.actor, "neither": "neither"}[self.gives]
        if self.relation == "confrontation":
            winner = self.actor if self.gives == "client" else client
            return f"confrontation, {winner} expects to win"
        if self.relation == "stalemate":
            return "stalemate"
        return f"{who} {'compromises' if self.relation == 'compromise' else 'capitulates'}"


def relations(scenario: Scenario, coded: ScenarioArrays, client: int, drawn: ScenarioArrays | None = None,
              q: float = 1.0, t: float = 1.0) -> list[Relation]:
    """Return the client's relation with every other actor on every issue they share.

    Parameters
    ----------
    scenario : Scenario
        The scenario (actor and issue ids).
    coded : ScenarioArrays
        The coded inputs (unbatched).
    client : int
        The client's actor index.
    drawn : ScenarioArrays, optional
        Drawn inputs, batched; with them, each relation's share of draws that agree.
    q : float
        ``Q`` of the model (see :func:`perceived_utilities`).
    t : float
        ``T`` of the model.

    Returns
    -------
    list of Relation
        By actor, then issue.

    References
    ----------
    B. Bueno de Mesquita, "Political forecasting: an expected utility method", in Bueno de
    Mesquita & Stokman (eds.), *European Community Decision Making*, Yale University Press, 1994;
    B. Bueno de Mesquita, *Predicting Politics*, Ohio State University Press, 2002;
    J. B. Scholz, G. J. Calbert & G. A. Smith, "Unravelling Bueno de Mesquita's group decision
    model", *J. Theoretical Politics* 23(4), 2011.
    """
    e_cj, e_jc = perceived_utilities(coded, client, q, t)
    kind, gives = classify(e_cj, e_jc)
    agree = None
    if drawn is not None:
        d_cj, d_jc = perceived_utilities(drawn, client, q, t)
        d_kind, d_gives = classify(d_cj, d_jc)
        agree = ((d_kind == kind) & (d_gives == gives)).mean(axis=0)
    side = {1: "other", -1: "client", 0: "neither"}
    out = []
    for j, actor in enumerate(scenario.actor_ids):
        for k, issue in enumerate(scenario.issue_ids):
            if kind[j, k] < 0:
                continue
            out.append(Relation(actor, issue, float(e_cj[j, k]), float(e_jc[j, k]), RELATIONS[kind[j, k]],
                                side[int(gives[j, k])], None if agree is None else float(agree[j, k])))
    return out
