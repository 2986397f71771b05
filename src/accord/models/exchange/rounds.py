"""The exchange model's rounds over a batch of draws: one compiled call per draw.

Each draw runs :func:`accord.models.exchange.kernel.run_draw` (candidates, the greedy round and
the end of round, for every round) on positions normalised to 0..100 per issue, with its own
generator: draw b uses child b of ``rng.spawn(B)``, so draw b equals an unbatched run of that
draw with that child. ``threads > 1`` runs the draws on that many threads (the kernel releases
the GIL); each draw keeps its own generator and output slots, so results do not depend on the
number of threads or their scheduling.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from accord.models.base import Trajectory
from accord.models.exchange.details import EXCHANGE_DTYPE, ExchangeDetails
from accord.scenario.arrays import ScenarioArrays


def weighted_outcome(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Compute o_k = sum_i x_ik w_ik / W_k over the actor axis (-2) (spec §2).

    Parameters
    ----------
    x : np.ndarray
        Positions, shape (..., A, I).
    w : np.ndarray
        Weights, shape (..., A, I).

    Returns
    -------
    np.ndarray
        The outcomes, shape (..., I); 0 where W_k = 0.
    """
    total = w.sum(axis=-2)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, (x * w).sum(axis=-2) / safe, 0.0)


def run_rounds(model: Any, arrays: ScenarioArrays, rng: np.random.Generator) -> Trajectory:
    """Run the deterministic mode of ``model`` (an :class:`~accord.models.exchange.model.ExchangeModel`).

    Parameters
    ----------
    model : Any
        The model, for its parameters (rounds, p, tie rules, update weights, threads).
    arrays : ScenarioArrays
        Checked scenario arrays, leading batch axes allowed.
    rng : np.random.Generator
        The run's generator (spawned per draw when batched).

    Returns
    -------
    Trajectory
        ``positions[r]`` = preference positions after round r, ``outcome[r]`` their weighted mean,
        in issue units, with :class:`~accord.models.exchange.details.ExchangeDetails`.
    """
    from accord.models.exchange import kernel as kern

    batch = arrays.batch_shape
    n_a, n_i = arrays.stake.shape
    n_b = int(np.prod(batch)) if batch else 1
    gens = rng.spawn(n_b) if batch else [rng]
    lower, span = arrays.lower, arrays.upper - arrays.lower
    scale = np.where(span > 0, 100.0 / np.where(span > 0, span, 1.0), 0.0)
    pos = arrays.position.reshape(n_b, n_a, n_i)
    x = (pos - lower) * scale
    # own, writable C copies: the compiled kernel is then always called with one signature
    s = np.array(np.broadcast_to(arrays.salience, pos.shape).reshape(n_b, n_a, n_i), dtype=float)
    c = np.array(np.broadcast_to(arrays.capability, pos.shape).reshape(n_b, n_a, n_i), dtype=float)
    w = s * c * arrays.stake
    stake = np.array(arrays.stake, dtype=np.bool_)
    R = model.rounds
    xs = np.empty((R + 1, n_b, n_a, n_i))
    vote_o = np.empty((R + 1, n_b, n_i))
    ties = np.empty((R + 1, n_b), dtype=np.int64)
    n_ex = np.empty((R + 1, n_b), dtype=np.int64)
    skipped = np.empty((R + 1, n_b), dtype=np.int64)
    records: list[list[np.ndarray]] = []

    def one(b: int) -> tuple[np.ndarray, ...]:  # one compiled call per draw, own generator
        return kern.run_draw(x[b], s[b], c[b], stake, R,
                             float(model.p), model.tie_break == "first", float(model.tie_tolerance),
                             float(model.fixed_weight), float(model.salience_weight),
                             bool(model.stop_when_idle), gens[b])

    results: Iterable[tuple[np.ndarray, ...]]
    if model.threads > 1 and n_b > 1:
        with ThreadPoolExecutor(int(model.threads)) as pool:
            results = list(pool.map(one, range(n_b)))
    else:
        results = map(one, range(n_b))
    full = model.details == "full"
    for b, out in enumerate(results):
        xs[:, b], vote_o[:, b], ties[:, b], n_ex[:, b], skipped[:, b] = out[:5]
        if full:
            rec = _records(out[5], out[6], lower, span)
            records.append(np.split(rec, np.cumsum(n_ex[:, b])[:-1]))
    unscale = span / 100.0
    positions = np.where(arrays.stake, xs * unscale + lower, pos[None])
    positions[0] = pos  # round 0 is the input itself, not its round trip through 0..100
    outcome = weighted_outcome(xs, w[None]) * unscale + lower
    vote_o = vote_o * unscale + lower
    shape = lambda a, tail: a.reshape((R + 1, *batch, *tail))  # noqa: E731
    if not full:
        return Trajectory(positions=shape(positions, (n_a, n_i)), outcome=shape(outcome, (n_i,)))
    details = ExchangeDetails(
        voting_outcome=shape(vote_o, (n_i,)), tie_events=shape(ties, ()), n_exchanges=shape(n_ex, ()),
        skipped=shape(skipped, ()), exchanges=records if batch else records[0],
    )
    return Trajectory(positions=shape(positions, (n_a, n_i)), outcome=shape(outcome, (n_i,)),
                      details=details)


def _records(rec_k: np.ndarray, rec_f: np.ndarray, lower: np.ndarray, span: np.ndarray) -> np.ndarray:
    """Return the executed trades of a draw as a structured array (:data:`EXCHANGE_DTYPE`).

    From :func:`kernel.run_draw`'s records, positions in issue units.
    """
    out = np.empty(rec_k.shape[0], dtype=EXCHANGE_DTYPE)
    for n, col in enumerate(("actor_i", "actor_j", "issue_i", "issue_j")):
        out[col] = rec_k[:, n]
    for col, issue, at in (("i", rec_k[:, 2], 0), ("j", rec_k[:, 3], 2)):
        unit, low = span[issue] / 100.0, lower[issue]
        out[f"from_{col}"] = rec_f[:, at] * unit + low
        out[f"to_{col}"] = rec_f[:, at + 1] * unit + low
    out["gain_i"], out["gain_j"] = rec_f[:, 4], rec_f[:, 5]
    return out
