"""Rounds of the expected-utility model, shared by ``eum-scholz`` (faithful) and ``eum`` (corrected).

One round (spec §11; Scholz, Calbert & Smith 2011): risk exponents from danger levels (§7), then
every actor receives offers from the actors at other positions and accepts at most one (§8, §9);
all moves apply together. Issues are independent: each (draw, issue) is one row, rows are run
together in chunks of pairwise ``[rows, n, n]`` blocks, and issues with the same stakeholders
share a block so actors without a stake never take part.

Detail levels (model parameter ``details``): ``"full"`` keeps, per round, draw, actor and issue,
the risk exponent and the accepted offer (proposer, type, E_ij, E_ji) -- about four times the
memory of the positions; ``"summary"`` keeps only the per-(round, draw, issue) results (median,
mean, tie and equal-danger flags) and per (draw, issue) the converged round and zero-span flag.
Positions and outcomes are the same in both (the per-actor details are only recorded, never
read back). Batched Monte Carlo runs use ``"summary"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from accord.models.base import Trajectory
from accord.models.eum import kernel
from accord.models.eum.details import EumDetails
from accord.models.eum.kernel import distances, mean_position, offers, risk_exponents
from accord.models.eum.rules import NONE, Rules
from accord.scenario.arrays import ScenarioArrays

ROW_KEYS = ("positions", "risk", "proposer", "kind", "eu_own", "eu_other")
#: per-actor details kept only at ``details="full"``
ACTOR_KEYS = ROW_KEYS[1:]


def simulate(
    x0: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    rules: Rules,
    rounds: int,
    stop_tol: float | None,
    full: bool = True,
    threads: int = 1,
) -> dict[str, np.ndarray]:
    """Run ``rounds`` rounds on independent rows ``[M, n]``.

    The span Delta = max x0 - min x0 is fixed from round 0 (spec §1); rows with Delta = 0
    never move. With ``stop_tol`` set, a row whose largest move in a round is <= stop_tol
    stops there and later rounds repeat its last state (exact for stop_tol = 0: a fixed point).

    Parameters
    ----------
    x0 : np.ndarray
        Initial positions, shape (M, n).
    w : np.ndarray
        Voter weights (capability x salience), shape (M, n).
    s : np.ndarray
        Saliences, shape (M, n).
    rules : Rules
        The rule variant.
    rounds : int
        Rounds to run.
    stop_tol : float or None
        The move at or below which a row stops (None: every row runs every round).
    full : bool
        Keep the per-actor :data:`ACTOR_KEYS` as well.
    threads : int
        Rows of many actors run on up to this many threads.

    Returns
    -------
    dict[str, np.ndarray]
        Per-round results ``[R, M, ...]`` (positions, median, mean, ties, equal danger, the
        per-actor details when ``full``), ``converged_round`` and ``zero_span`` ``[M]``.
    """
    m, n = x0.shape
    big_r = rounds + 1
    out = {
        "positions": np.empty((big_r, m, n)),
        **(_actor_arrays((big_r, m, n), 1.0) if full else {}),
        "median": np.empty((big_r, m)),
        "mean": np.empty((big_r, m)),
        "median_tie": np.zeros((big_r, m), dtype=bool),
        "equal_danger": np.zeros((big_r, m), dtype=bool),
        "converged_round": np.full(m, -1),
    }
    span = x0.max(axis=1) - x0.min(axis=1)
    out["zero_span"] = zero = ~(span > 0)
    span = np.where(zero, 1.0, span)
    out["positions"][0] = x0
    out["median"][0], out["median_tie"][0] = medians(x0, w, span, rules.median_tie_tol, threads)
    out["mean"][0] = mean_position(x0, w)
    active = ~zero
    for t in range(1, big_r):
        for key in (*ROW_KEYS, "equal_danger"):
            if key in out:
                out[key][t] = out[key][t - 1]
        rows = np.flatnonzero(active)
        if len(rows):  # the compiled pass keeps its scratch per call, so all rows go at once
            step_rows(out, t, rows, w[rows], s[rows], span[rows], rules, threads)
        xt = out["positions"][t]
        out["median"][t], out["median_tie"][t] = medians(xt, w, span, rules.median_tie_tol, threads)
        out["mean"][t] = mean_position(xt, w)
        if stop_tol is not None and len(rows):
            moved = np.abs(xt[rows] - out["positions"][t - 1, rows]).max(axis=1)
            still = rows[moved <= stop_tol]
            active[still] = False
            out["converged_round"][still] = t
    return out


def step_rows(
    out: dict[str, np.ndarray],
    t: int,
    sel: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    rules: Rules,
    threads: int = 1,
) -> None:
    """Run round ``t`` for rows ``sel``: risk step, offer step, moves (written into ``out``).

    One compiled pass per row (:mod:`accord.models.eum.fused`; the same numbers as the numpy
    statement :func:`numpy_step_rows`). Rows of more than :data:`kernel.DIRECT_MAX_ACTORS`
    actors are handled in position order (prefix-sum votes) and mapped back, on up to
    ``threads`` threads (rows are independent, so the numbers do not depend on it); results
    without an array in ``out`` (per-actor details at ``details="summary"``) are dropped.

    Parameters
    ----------
    out : dict[str, np.ndarray]
        The per-round results of :func:`simulate`; round ``t - 1`` is read, round ``t`` written.
    t : int
        The round.
    sel : np.ndarray
        Indices of the rows that still move.
    w : np.ndarray
        Voter weights of those rows, shape (len(sel), n).
    s : np.ndarray
        Saliences of those rows, shape (len(sel), n).
    span : np.ndarray
        The rows' spans, shape (len(sel),).
    rules : Rules
        The rule variant.
    threads : int
        Threads for rows of many actors.
    """
    from accord.models.eum import fused

    x = out["positions"][t - 1, sel]
    mu = out["median"][t - 1, sel]
    m, n = x.shape
    order = None
    if n > kernel.DIRECT_MAX_ACTORS:
        order = np.argsort(x, axis=1, kind="stable")
        x, w, s = (np.take_along_axis(a, order, axis=1) for a in (x, w, s))
    x, w, s = (np.ascontiguousarray(a) for a in (x, w, s))
    res = {"risk": np.empty((m, n)), "equal": np.empty(m, dtype=bool),
           "proposer": np.empty((m, n), dtype=np.int32), "kind": np.empty((m, n), dtype=np.int8),
           "eu_own": np.empty((m, n)), "eu_other": np.empty((m, n)), "positions": np.empty((m, n))}
    flags = (float(rules.Q), float(rules.T), rules.status_quo_term, rules.pairwise_probability,
             rules.votes_use_risk, rules.capitulation, rules.least_move_compromise,
             rules.least_move_any_type, rules.require_sender_interest)

    def run(rows: slice) -> None:
        outputs = [res[k][rows] for k in ("risk", "equal", "proposer", "kind", "eu_own", "eu_other",
                                          "positions")]
        if order is None:
            fused.step_rows(x[rows], w[rows], s[rows], span[rows], mu[rows], *flags, *outputs, 0.5)
        else:
            fused.step_sorted_rows(x[rows], w[rows], s[rows], span[rows], mu[rows], order[rows], *flags,
                                   *outputs, 0.5)

    on_threads(run, m, threads if order is not None else 1)
    equal = res.pop("equal")
    results = {key: value for key, value in res.items() if key in out}
    if order is not None and "proposer" in results:
        proposer = results["proposer"]
        results["proposer"] = np.where(
            proposer >= 0, np.take_along_axis(order, np.maximum(proposer, 0), axis=1), -1
        )
    if order is not None:
        for key, value in results.items():
            back = np.empty_like(value)
            np.put_along_axis(back, order, value, axis=1)
            results[key] = back
    for key, value in results.items():
        out[key][t, sel] = value
    out["equal_danger"][t, sel] = equal


def numpy_step_rows(
    out: dict[str, np.ndarray],
    t: int,
    sel: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    rules: Rules,
) -> None:
    """Run :func:`step_rows` as numpy operations on ``[rows, n, n]`` blocks.

    The readable statement of the round that the compiled pass is tested against (same
    numbers, bit for bit).

    Parameters
    ----------
    out : dict[str, np.ndarray]
        The per-round results of :func:`simulate`; round ``t - 1`` is read, round ``t`` written.
    t : int
        The round.
    sel : np.ndarray
        Indices of the rows that still move.
    w : np.ndarray
        Voter weights of those rows, shape (len(sel), n).
    s : np.ndarray
        Saliences of those rows, shape (len(sel), n).
    span : np.ndarray
        The rows' spans, shape (len(sel),).
    rules : Rules
        The rule variant.
    """
    x = out["positions"][t - 1, sel]
    mu = out["median"][t - 1, sel]
    order = None
    if x.shape[1] > kernel.DIRECT_MAX_ACTORS:
        order = np.argsort(x, axis=1, kind="stable")
        x, w, s = (np.take_along_axis(a, order, axis=1) for a in (x, w, s))
    delta = distances(x, span)
    r, equal = risk_exponents(x, delta, w, s, span, mu, rules, in_order=order is None)
    choice = offers(x, delta, w, s, r, span, mu, rules, order)
    proposer = choice.proposer
    results = {
        "risk": r,
        "positions": choice.position,
        "kind": choice.kind,
        "eu_own": choice.eu_own,
        "eu_other": choice.eu_other,
        "proposer": proposer,
    }
    results = {key: value for key, value in results.items() if key in out}
    if order is not None and "proposer" in results:
        results["proposer"] = np.where(
            proposer >= 0, np.take_along_axis(order, np.maximum(proposer, 0), axis=1), -1
        )
    if order is not None:
        for key, value in results.items():
            back = np.empty_like(value)
            np.put_along_axis(back, order, value, axis=1)
            results[key] = back
    for key, value in results.items():
        out[key][t, sel] = value
    out["equal_danger"][t, sel] = equal


def on_threads(run: Callable[[slice], None], m: int, threads: int) -> None:
    """Call ``run(rows)`` on slices covering ``m`` rows, one slice per thread.

    The compiled row functions release the GIL and rows are independent, so the numbers do
    not depend on ``threads``.

    Parameters
    ----------
    run : callable
        Takes a ``slice`` of the rows.
    m : int
        Number of rows.
    threads : int
        Threads to use (at most one per row).
    """
    groups = min(threads, m)
    if groups <= 1:
        run(slice(None))
        return
    from concurrent.futures import ThreadPoolExecutor

    cuts = np.linspace(0, m, groups + 1).astype(int)
    with ThreadPoolExecutor(groups) as pool:
        list(pool.map(run, [slice(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]))


def medians(x: np.ndarray, w: np.ndarray, span: np.ndarray, tie_tol: float | None,
            threads: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Compute :func:`accord.models.eum.kernel.median_position` compiled (the same numbers).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (M, n).
    w : np.ndarray
        Weights, shape (M, n).
    span : np.ndarray
        Each row's span, shape (M,).
    tie_tol : float or None
        Share of the total weight within which a vote counts as a tie; None: no tie test.
    threads : int
        Rows of many actors (more than :data:`kernel.DIRECT_MAX_ACTORS`) run on up to this many
        threads.

    Returns
    -------
    median : np.ndarray
        The medians, shape (M,).
    tie : np.ndarray
        Whether a tie was met, shape (M,).
    """
    from accord.models.eum.fused import median_rows

    median, tie = np.empty(len(x)), np.empty(len(x), dtype=bool)
    x, w = np.ascontiguousarray(x), np.ascontiguousarray(w)
    tol = 0.0 if tie_tol is None else tie_tol

    def run(rows: slice) -> None:
        median_rows(x[rows], w[rows], span[rows], tol, tie_tol is not None, median[rows], tie[rows])

    on_threads(run, len(x), threads if x.shape[1] > kernel.DIRECT_MAX_ACTORS else 1)
    return median, tie


def _actor_arrays(shape: tuple[int, ...], risk: float) -> dict[str, np.ndarray]:
    """Empty per-actor detail arrays: risk exponents, no offer accepted."""
    return {
        "risk": np.full(shape, risk),
        "proposer": np.full(shape, -1, dtype=np.int32),
        "kind": np.full(shape, NONE, dtype=np.int8),
        "eu_own": np.full(shape, np.nan),
        "eu_other": np.full(shape, np.nan),
    }


def run_eum(
    arrays: ScenarioArrays, rules: Rules, rounds: int, stop_tol: float | None, details: str = "full",
    threads: int = 1,
) -> Trajectory:
    """Run the model on every issue of ``arrays`` (leading batch axes allowed).

    Parameters
    ----------
    arrays : ScenarioArrays
        Checked scenario arrays.
    rules : Rules
        The rule variants (:class:`accord.models.eum.rules.Rules`).
    rounds : int
        Rounds to run.
    stop_tol : float or None
        A row stops when no actor moves by more than this (None: run every round).
    details : str
        ``"full"`` or ``"summary"`` (module docstring).
    threads : int
        Threads for rows of many actors (the numbers do not depend on it).

    Returns
    -------
    Trajectory
        With :class:`accord.models.eum.details.EumDetails`.
    """
    batch = arrays.batch_shape
    n_a, n_i = arrays.stake.shape
    b = int(np.prod(batch, dtype=int))
    pos, sal, cap = (
        np.broadcast_to(a, (*batch, n_a, n_i)).reshape(b, n_a, n_i)
        for a in (arrays.position, arrays.salience, arrays.capability)
    )
    big_r = rounds + 1
    keep = details == "full"
    full: dict[str, np.ndarray] = {
        "positions": np.broadcast_to(pos, (big_r, b, n_a, n_i)).copy(),
        **(_actor_arrays((big_r, b, n_a, n_i), np.nan) if keep else {}),
        "median": np.full((big_r, b, n_i), np.nan),
        "mean": np.full((big_r, b, n_i), np.nan),
        "median_tie": np.zeros((big_r, b, n_i), dtype=bool),
        "equal_danger": np.zeros((big_r, b, n_i), dtype=bool),
        "converged_round": np.full((b, n_i), -1),
        "zero_span": np.zeros((b, n_i), dtype=bool),
    }
    for actors, issues in _stake_groups(arrays.stake):
        n, g = len(actors), len(issues)
        x0, c, sl = (_rows(a, actors, issues) for a in (pos, cap, sal))
        res = simulate(x0, c * sl, sl, rules, rounds, stop_tol, keep, threads)
        if keep:
            res["proposer"] = np.where(res["proposer"] >= 0, actors[res["proposer"]], -1)
        ia, ic = actors[:, None], issues[None, :]
        for key in ROW_KEYS if keep else ROW_KEYS[:1]:
            full[key][:, :, ia, ic] = res[key].reshape(big_r, b, g, n).transpose(0, 1, 3, 2)
        for key in ("median", "mean", "median_tie", "equal_danger"):
            full[key][:, :, issues] = res[key].reshape(big_r, b, g)
        for key in ("converged_round", "zero_span"):
            full[key][:, issues] = res[key].reshape(b, g)
    kept: dict[str, Any] = {k: _unflatten(v, key_batch_axis(k), batch) for k, v in full.items()}
    info = EumDetails(level=details, rules=rules, **kept)
    return Trajectory(positions=info.positions, outcome=info.median, details=info)


def _rows(a: np.ndarray, actors: np.ndarray, issues: np.ndarray) -> np.ndarray:
    """``[B, A, I]`` -> one row per (draw, issue) over the given actors: ``[B * G, n]``."""
    sub = a[:, actors][:, :, issues].transpose(0, 2, 1)
    return sub.reshape(-1, len(actors))


def key_batch_axis(key: str) -> int:
    """Return the axis of the flattened batch in the result array ``key``.

    Parameters
    ----------
    key : str
        A result name.

    Returns
    -------
    int
        0 for the per-row results (``converged_round``, ``zero_span``), else 1 (after rounds).
    """
    return 0 if key in ("converged_round", "zero_span") else 1


def _unflatten(a: np.ndarray, axis: int, batch: tuple[int, ...]) -> np.ndarray:
    return a.reshape(*a.shape[:axis], *batch, *a.shape[axis + 1 :])


def _stake_groups(stake: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Issues grouped by their set of stakeholders: [(actor indices, issue indices)]."""
    groups: dict[bytes, list[int]] = {}
    for k in range(stake.shape[1]):
        groups.setdefault(np.asarray(stake[:, k], dtype=bool).tobytes(), []).append(k)
    out = []
    for issues in groups.values():
        actors = np.flatnonzero(stake[:, issues[0]])
        if len(actors):
            out.append((actors, np.array(issues)))
    return out
