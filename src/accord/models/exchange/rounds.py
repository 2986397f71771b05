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
    s, c = _per_draw(arrays.salience, pos.shape), _per_draw(arrays.capability, pos.shape)
    stake = np.array(arrays.stake, dtype=np.bool_)
    low, width = np.array(lower, dtype=float), np.array(span, dtype=float)
    R = model.rounds
    xs = np.empty((R + 1, n_b, n_a, n_i))
    pref_o = np.empty((R + 1, n_b, n_i))
    vote_o = np.empty((R + 1, n_b, n_i))
    ties = np.empty((R + 1, n_b), dtype=np.int64)
    n_ex = np.empty((R + 1, n_b), dtype=np.int64)
    skipped = np.empty((R + 1, n_b), dtype=np.int64)
    records: list[list[np.ndarray]] = []
    settings = (R, float(model.p), model.tie_break == "first", float(model.tie_tolerance),
                float(model.fixed_weight), float(model.salience_weight), bool(model.stop_when_idle))

    def one(b: int) -> tuple[np.ndarray, ...]:  # one compiled call per draw, own generator
        return kern.run_draw(x[b], s[b % len(s)], c[b % len(c)], stake, low, width, *settings, gens[b])

    results: Iterable[tuple[np.ndarray, ...]]
    if model.threads > 1 and n_b > 1:
        with ThreadPoolExecutor(int(model.threads)) as pool:
            results = list(pool.map(one, range(n_b)))
    else:
        results = map(one, range(n_b))
    full = model.details == "full"
    for b, out in enumerate(results):
        xs[:, b], pref_o[:, b], vote_o[:, b], ties[:, b], n_ex[:, b], skipped[:, b] = out[:6]
        if full:  # the kernel's rows are laid out as EXCHANGE_DTYPE: a view, split by round
            rec = out[6].view(EXCHANGE_DTYPE)[:, 0]
            ends = np.cumsum(n_ex[:, b]).tolist()
            records.append([rec[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)])
    unscale = span / 100.0
    positions = np.where(arrays.stake, xs * unscale + lower, pos[None])
    positions[0] = pos  # round 0 is the input itself, not its round trip through 0..100
    outcome = pref_o * unscale + lower
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


def _per_draw(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Return saliences or capabilities as own, writable ``[B', A, I]`` float copies (B' = 1 or B).

    Without batch axes of their own, one copy serves every draw (draw b uses row b mod B').
    """
    if np.ndim(values) == 2:
        return np.array(values, dtype=float)[None]
    return np.array(np.broadcast_to(values, shape), dtype=float)
