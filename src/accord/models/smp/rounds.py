"""The SMP's turn loop over a batch of scenarios: states, stopping rule, recorded history.

Spec sections 9-12 of ``docs/specs/spatial-model.md`` (KTAB smp.cpp: ``smpStopFn``,
``newIdeals``; smpbcn.cpp: ``doBCN``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.models.smp.turn import (
    Actors,
    BargnModel,
    Rules,
    assess,
    best_challenges,
    form_bargains,
    position_probs,
    resolve,
    target_view,
)
from accord.scenario.arrays import ScenarioArrays

MIN_FIRST_MOVE = 1e-4  # added to the first turn's move in the stopping ratio (KTAB minSigDelta)
CHUNK_ELEMENTS = 4_000_000  # bound on B x A^3 per chunk of draws


@dataclass(frozen=True)
class Inputs:
    """The model's inputs in its own units.

    Positions on [0, 1] ``[B,A,D]``, saliences scaled so each actor's total is at most 1,
    one capability per actor ``[B,A]``, stakes ``[A,D]``, the issue scales and the
    accommodation matrix (None for the identity).
    """

    theta: np.ndarray
    sal: np.ndarray
    cap: np.ndarray
    stake: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    accommodation: np.ndarray | None

    @classmethod
    def from_arrays(cls, arrays: ScenarioArrays, accommodation: np.ndarray | None) -> Inputs:
        """Make the inputs from scenario arrays.

        Positions are scaled to [0, 1]; saliences whose total exceeds 1 are divided by it; an
        actor's capability is its capability where it is the same on all its issues, else the mean
        over the issues where it has a stake.

        Parameters
        ----------
        arrays : ScenarioArrays
            Checked scenario arrays (leading batch axes are flattened into B).
        accommodation : np.ndarray or None
            The accommodation matrix ``[A, A]`` (None: the identity).

        Returns
        -------
        Inputs
            The inputs of every draw.
        """
        n_a, n_i = arrays.stake.shape
        pos = np.asarray(arrays.position, dtype=float).reshape(-1, n_a, n_i)
        theta = (pos - arrays.lower) / (arrays.upper - arrays.lower)
        stake = arrays.stake.astype(float)
        sal = np.asarray(arrays.salience, dtype=float).reshape(-1, n_a, n_i) * stake
        total = sal.sum(-1, keepdims=True)
        over = total > 1 + 1e-9  # KTAB's limit of 100% attention, with room for rounding
        sal = np.where(over, sal / np.where(over, total, 1.0), sal)
        caps = np.broadcast_to(np.asarray(arrays.capability, dtype=float).reshape(-1, n_a, n_i),
                               sal.shape)
        on = np.where(stake.any(-1, keepdims=True), stake, 1.0)
        mean = (caps * on).sum(-1) / on.sum(-1)
        same = (caps == caps[..., :1]).all(-1)
        cap = np.where(same, caps[..., 0], mean)
        return cls(theta, sal, cap, stake, np.asarray(arrays.lower, float),
                   np.asarray(arrays.upper, float), accommodation)

    def take(self, idx: np.ndarray) -> Inputs:
        """Return the inputs of the draws ``idx`` (stakes, scales and accommodation are shared).

        Parameters
        ----------
        idx : np.ndarray
            Indices of draws along B.

        Returns
        -------
        Inputs
            The selected draws.
        """
        return Inputs(self.theta[idx], self.sal[idx], self.cap[idx], self.stake, self.lower,
                      self.upper, self.accommodation)


@dataclass
class Output:
    """History of a batch: ``positions[R,B,A,I]`` (scale units), ``outcome[R,B,I]`` and details."""

    positions: np.ndarray
    outcome: np.ndarray
    n_states: np.ndarray
    record: dict[str, np.ndarray] = field(default_factory=dict)

    def details(self, batch: tuple[int, ...]) -> dict[str, Any]:
        """Return the number of turns and the record, shaped by ``batch``.

        Parameters
        ----------
        batch : tuple[int, ...]
            The scenario's batch shape (empty: one draw).

        Returns
        -------
        dict[str, Any]
            ``n_turns`` (an int, or ``[...]`` per draw) and every record array with B unflattened.
        """
        def shaped(a: np.ndarray) -> np.ndarray:
            return a.reshape(a.shape[0], *batch, *a.shape[2:]) if a.ndim >= 2 else a

        n_turns = (self.n_states - 1).reshape(batch) if batch else int(self.n_states[0] - 1)
        return {"n_turns": n_turns, **{k: shaped(v) for k, v in self.record.items()}}


def _stop_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sum over actors of the Euclidean distance between their positions in two states."""
    diff = a - b
    return np.sqrt((diff * diff).sum(-1)).sum(-1)


def _new_ideals(ideal: np.ndarray, theta: np.ndarray, acc: np.ndarray | None) -> np.ndarray:
    """q_i <- sum_j a_ij x_j + (1 - sum_j a_ij) q_i (spec 10); the identity gives q = x."""
    if acc is None:
        return theta.copy()
    lag = 1.0 - np.minimum(acc.sum(axis=1), 1.0)
    return np.einsum("ij,bjk->bik", acc, theta) + lag[None, :, None] * ideal


def _turn(theta, ideal, inp: Inputs, act: Actors, rules: Rules, ast, rng):
    """One turn from an assessed state: challenges, bargains, resolution (spec 6-9)."""
    target, p_win, gain = best_challenges(ast, act, rules)
    p_rcvr = p_win
    if rules.bargain is not BargnModel.INIT_ONLY:
        p_rcvr = target_view(ast, act, target, rules)
    b_init, b_rcvr = form_bargains(theta, act, target, p_win, p_rcvr, rules)
    res = resolve(theta, ideal, ast, act, target, b_init, b_rcvr, rules, rng)
    new = np.where(inp.stake > 0, res.theta, inp.theta)
    rec = {"target": target, "p_win": p_win, "gain": gain, "bargain_initiator": b_init,
           "bargain_receiver": b_rcvr, "choice": res.choice, "choice_prob": res.prob,
           "queue_size": res.size}
    return new, _new_ideals(ideal, new, inp.accommodation), rec


#: what a turn's record holds where a draw has stopped (or not started)
TURN_FILL = {"target": -1, "p_win": np.nan, "gain": np.nan, "choice": 0, "choice_prob": np.nan,
             "queue_size": 1, "bargain_initiator": np.nan, "bargain_receiver": np.nan}


class _History:
    """Per-turn arrays that grow as turns are run (doubling).

    They are not allocated for the most turns allowed: a batch of draws that settles in 10
    turns keeps 10 turns, not 100.
    """

    def __init__(self, rounds: int, nb: int, na: int, nd: int, nv: int, full: bool):
        self.rounds, self.size = rounds, min(rounds + 1, 8)
        kept = ("risk", "position_prob", "share") if full else ("share",)
        self.shapes = {"states": ((nb, na, nd), np.nan), **{k: ((nb, na), np.nan) for k in kept},
                       **{k: ((nb, na, nv, nd) if k.startswith("bargain_") else (nb, na), fill)
                          for k, fill in TURN_FILL.items() if full}}
        self.arrays = {k: self._new(k, self.size) for k in self.shapes}

    def _new(self, key: str, n: int) -> np.ndarray:
        shape, fill = self.shapes[key]
        dtype = int if isinstance(fill, int) else float
        return np.full((n, *shape), fill, dtype=dtype)

    def reserve(self, t: int) -> None:
        """Make room for index ``t`` of every array."""
        if t < self.size:
            return
        grown = min(self.rounds + 1, max(t + 1, 2 * self.size))
        for key, a in self.arrays.items():
            self.arrays[key] = np.concatenate([a, self._new(key, grown - self.size)])
        self.size = grown


def _simulate_chunk(inp: Inputs, rules: Rules, rounds: int, min_rounds: int, ratio: float,
                    rng: np.random.Generator | None, full: bool = True) -> Output:
    nb, na, nd = inp.theta.shape
    nv = 1 if rules.bargain is not BargnModel.INIT_RCVR else 2
    history = _History(rounds, nb, na, nd, nv, full)
    hist = history.arrays
    hist["states"][0] = inp.theta
    theta, ideal = inp.theta.copy(), inp.theta.copy()
    alive = np.arange(nb)
    n_states = np.ones(nb, dtype=int)
    first_move = np.zeros(nb)
    for t in range(rounds + 1):
        history.reserve(t + 1 if t < rounds else t)
        sub = inp.take(alive)
        act = Actors(sub.sal, sub.sal.sum(-1), sub.cap, inp.stake)
        ast = assess(theta, ideal, act, rules)
        held, share = position_probs(theta, ast, act, rules)
        for key, val in (("risk", ast.risk), ("position_prob", held), ("share", share)):
            if key in hist:
                hist[key][t, alive] = val
        n_states[alive] = t + 1
        if t >= 1:
            move = _stop_distance(hist["states"][t - 1, alive], theta)
            if t == 1:
                first_move[alive] = move + MIN_FIRST_MOVE
            done = (t >= rounds) | ((t >= min_rounds) & (move / first_move[alive] < ratio))
            keep = ~done
            alive, theta, ideal, ast = alive[keep], theta[keep], ideal[keep], _take(ast, keep)
            if alive.size == 0:
                break
            sub = inp.take(alive)
            act = Actors(sub.sal, sub.sal.sum(-1), sub.cap, inp.stake)
        theta, ideal, rec = _turn(theta, ideal, sub, act, rules, ast, rng)
        for key, val in rec.items():
            if key in hist:
                hist[key][t, alive] = val
        hist["states"][t + 1, alive] = theta
    n_r = int(n_states.max())
    scale = inp.upper - inp.lower
    positions = _pad(hist.pop("states")[:n_r], n_states)  # the history's own rows: no copy
    positions *= scale
    positions += inp.lower
    share = _pad(hist["share"][:n_r], n_states)
    outcome = np.empty((n_r, nb, nd))
    with np.errstate(invalid="ignore", divide="ignore"):
        for r in range(n_r):  # round by round: no [R, B, A, I] temporaries
            weight = share[r][..., None] * inp.stake
            outcome[r] = (weight * positions[r]).sum(-2) / weight.sum(-2)
    record: dict[str, np.ndarray] = {
        k: _pad(hist[k][:n_r], n_states) for k in ("risk", "position_prob", "share") if k in hist}
    for key in TURN_FILL:
        if key not in hist:
            continue
        val = hist[key][: n_r - 1]
        if key.startswith("bargain_"):
            val = inp.lower + val * scale
        record[key] = val
    return Output(positions, outcome, n_states, record)


def _take(ast, keep):
    from dataclasses import replace

    return replace(ast, d=ast.d[keep], risk=ast.risk[keep], rh=ast.rh[keep], u=ast.u[keep])


def _pad(history: np.ndarray, n_states: np.ndarray) -> np.ndarray:
    """Repeat each draw's last state after it stopped (in place: the rows are the run's own)."""
    for b, n in enumerate(n_states):
        history[n:, b] = history[n - 1, b]
    return history


def simulate(inp: Inputs, rules: Rules, rounds: int, min_rounds: int, ratio: float,
             rng: np.random.Generator | None, full: bool = True) -> Output:
    """Run the batch, in chunks of draws that bound the memory of the A^3 blocks.

    Parameters
    ----------
    inp : Inputs
        The inputs of every draw.
    rules : Rules
        The model's options.
    rounds : int
        The most turns.
    min_rounds : int
        Turns run before the stopping rule applies.
    ratio : float
        A draw stops when the turn's move (summed Euclidean distance of the actors' positions)
        falls below this share of the first turn's move (plus :data:`MIN_FIRST_MOVE`).
    rng : np.random.Generator or None
        For stochastic state transitions; None: deterministic.
    full : bool
        Keep the per-turn records; without it only positions, outcomes and the turns run are
        kept.

    Returns
    -------
    Output
        Positions ``[R,B,A,I]`` in scale units, outcomes ``[R,B,I]``, states per draw and the
        record.
    """
    nb, na, _ = inp.theta.shape
    per = max(1, CHUNK_ELEMENTS // max(1, na ** 3))
    parts = [_simulate_chunk(inp.take(np.arange(s, min(nb, s + per))), rules, rounds, min_rounds,
                             ratio, rng, full) for s in range(0, nb, per)]
    if len(parts) == 1:
        return parts[0]
    n_r = max(p.positions.shape[0] for p in parts)

    def grow(a: np.ndarray, n: int, n_states: np.ndarray, fill: Any) -> np.ndarray:
        if a.shape[0] == n:
            return a
        extra = np.repeat(a[-1:], n - a.shape[0], axis=0) if fill is None else np.full(
            (n - a.shape[0], *a.shape[1:]), fill, dtype=a.dtype)
        return np.concatenate([a, extra])

    fills = {"target": -1, "choice": 0, "queue_size": 1}
    record = {}
    for key in parts[0].record:
        turn_level = key not in ("risk", "position_prob", "share")
        n = n_r - 1 if turn_level else n_r
        fill = fills.get(key, np.nan) if turn_level else None
        record[key] = np.concatenate([grow(p.record[key], n, p.n_states, fill) for p in parts], 1)
    return Output(np.concatenate([grow(p.positions, n_r, p.n_states, None) for p in parts], 1),
                  np.concatenate([grow(p.outcome, n_r, p.n_states, None) for p in parts], 1),
                  np.concatenate([p.n_states for p in parts]), record)
