"""Exchange model: actors trade voting positions across pairs of issues (logrolling).

Stokman & van Oosten (1994), "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*;
the "equal gain" variant as computed by Decide (``decide-exchange-model``), specified in
``shared/models/exchange.md``. This is the spec's ``deterministic`` mode:

* outcome of issue k: o_k = sum_i x_ik s_ik c_ik / W_k with W_k = sum_i s_ik c_ik (§2), positions
  normalised to 0..100 per issue;
* candidates: actor pairs on opposite sides of the outcome on both issues of a pair (§3); each
  trade is sized so both gain G = dP (s_Ip s_Jq - s_Iq s_Jp) / (s_Iq + s_Jq) (§4), capped so no
  supplier carries an outcome past its demander (§5);
* trades run greedily, best gain first, refreshing the candidates that share an actor and issue
  with each executed one (§6); after the round each actor moves part of the way to the positions
  it traded to: x' = x0 + (0.1 + 0.4 (1 - s)) (y - x0) (§8).

Ties (§10): the tie set is every live candidate whose gain is within ``tie_tolerance *
max(1, G_max)`` of the largest; ``tie_break="random"`` picks one uniformly with the run's
generator (one ``integers`` draw per tie event), ``"first"`` the earliest-created (issue pairs in
order, then actor pairs). Same input and seed give the same result; seeds differ only through
tie events. With a batch of draws, draw b uses child b of ``rng.spawn(B)``, so draw b equals an
unbatched run of that draw with that child.

Each draw is one compiled call (:func:`exchange_kernel.run_draw`: candidates, greedy round and end
of round for every round). ``threads > 1`` runs the draws of a batch on that many threads (the
kernel releases the GIL); every draw keeps its own generator and output slots, so the results do
not depend on the number of threads or their scheduling. The round itself is sequential.

Trajectory: ``positions[r]`` = preference positions after round r (round 0 = input), ``outcome[r]``
= their weighted mean (the spec's "end of round" outcome), in issue units. ``details``:
``voting_outcome`` ``[R, ..., I]`` (round 0 NaN; round r = weighted mean of the voting positions
after round r's trades), ``tie_events`` ``[R, ...]``, ``n_exchanges`` ``[R, ...]``, ``skipped``
(candidates skipped for zero salience or power, §3) and ``exchanges``: per draw (a list if
batched) a list per round (round 0 empty) of structured arrays (:data:`EXCHANGE_DTYPE`).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from accord.errors import AccordError
from accord.models import exchange_kernel as kern
from accord.models.base import Model, Trajectory, register
from accord.scenario.arrays import ScenarioArrays

EXCHANGE_DTYPE = np.dtype([
    ("actor_i", np.int64), ("actor_j", np.int64), ("issue_i", np.int64), ("issue_j", np.int64),
    ("from_i", float), ("to_i", float), ("from_j", float), ("to_j", float),
    ("gain_i", float), ("gain_j", float),
])
"""One executed trade, in issue units: side I moves on ``issue_i`` from ``from_i`` to ``to_i``,
side J on ``issue_j``. ``gain_i``/``gain_j``: each side's utility gain, s_demand x (outcome shift
it gets) - s_supply x (outcome shift it concedes), shifts on the normalised 0..100 scale (equal
under equal gain)."""


def _outcome(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=-2)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, (x * w).sum(axis=-2) / safe, 0.0)


def build_candidates(x: np.ndarray, s: np.ndarray, c: np.ndarray, stake: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, int]:
    """Candidate exchanges of one round (spec §3) in creation order; returns ``F, K, n_skipped``.

    Vectorised over issue pairs (p < q) x actor pairs: groups A (right, right), B (left, right),
    C (right, left), D (left, left) relative to o_k; candidates are (A, D) then (B, C) pairs.
    """
    n_a, n_i = x.shape
    w = s * c * stake
    o = _outcome(x, w)
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
    K = np.zeros((n, kern.NK), dtype=np.int64)
    K[:, kern.ACT], K[:, kern.ACT + 1] = ai, aj
    K[:, kern.SUP], K[:, kern.SUP + 1] = q, p
    F[:, kern.XS] = F[:, kern.X0] = x[ai, q]
    F[:, kern.XS + 1] = F[:, kern.X0 + 1] = x[aj, p]
    F[:, kern.XD], F[:, kern.XD + 1] = x[ai, p], x[aj, q]
    F[:, kern.SS], F[:, kern.CS], F[:, kern.SD] = s[ai, q], c[ai, q], s[ai, p]
    F[:, kern.SS + 1], F[:, kern.CS + 1], F[:, kern.SD + 1] = s[aj, p], c[aj, p], s[aj, q]
    return F, K, int((~ok).sum())


@register
@dataclass(frozen=True)
class ExchangeModel(Model):
    """Equal-gain exchange model (Stokman & van Oosten 1994; Decide), deterministic mode."""

    name: ClassVar[str] = "exchange"
    summary: ClassVar[str] = "equal-gain exchange of voting positions (Stokman & van Oosten 1994)"
    dynamic: ClassVar[bool] = True
    min_issues: ClassVar[int] = 2

    rounds: int = 10
    mode: str = "deterministic"
    tie_break: str = "random"
    tie_tolerance: float = 1e-12
    fixed_weight: float = 0.1
    salience_weight: float = 0.4
    stop_when_idle: bool = False
    p: float = 0.0
    threads: int = 1
    replay_seed: int = 1  # mode="replay" only: ties from random.Random(replay_seed), not the rng
    source_file: str = ""  # mode="replay" only: the Decide file to replay exactly (else the arrays)

    def _check(self) -> None:
        if self.mode not in ("deterministic", "replay"):
            raise AccordError(f"exchange: mode {self.mode!r} is not available; use 'deterministic' "
                              "or 'replay' (the reference's decimal arithmetic and tie stream; slow)")
        if self.tie_break not in ("random", "first"):
            raise AccordError(f"exchange: tie_break must be 'random' or 'first', not {self.tie_break!r}")
        if not (isinstance(self.rounds, int | np.integer) and self.rounds >= 0):
            raise AccordError(f"exchange: rounds must be a whole number >= 0, not {self.rounds!r}")
        if not (isinstance(self.threads, int | np.integer) and self.threads >= 1):
            raise AccordError(f"exchange: threads must be a whole number >= 1, not {self.threads!r}")
        if not 0.0 <= float(self.p) <= 1.0:
            raise AccordError(f"exchange: p must lie in 0..1, not {self.p!r}")

    def run(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> Trajectory:
        self._check()
        if self.mode == "replay":  # exchange_replay.py; ignores rng (the reference's stream is Python's)
            from accord.models.exchange_replay import run_replay

            return run_replay(self, arrays)
        rng = np.random.default_rng(0) if rng is None else rng
        batch = arrays.batch_shape
        n_a, n_i = arrays.stake.shape
        n_b = int(np.prod(batch)) if batch else 1
        gens = rng.spawn(n_b) if batch else [rng]
        lower, span = arrays.lower, arrays.upper - arrays.lower
        scale = np.where(span > 0, 100.0 / np.where(span > 0, span, 1.0), 0.0)
        pos = arrays.position.reshape(n_b, n_a, n_i)
        x = (pos - lower) * scale
        s = np.broadcast_to(arrays.salience, pos.shape).reshape(n_b, n_a, n_i)
        c = np.broadcast_to(arrays.capability, pos.shape).reshape(n_b, n_a, n_i)
        w = s * c * arrays.stake
        stake = np.ascontiguousarray(arrays.stake, dtype=np.bool_)
        R = self.rounds
        xs = np.empty((R + 1, n_b, n_a, n_i))
        vote_o = np.empty((R + 1, n_b, n_i))
        ties = np.empty((R + 1, n_b), dtype=np.int64)
        n_ex = np.empty((R + 1, n_b), dtype=np.int64)
        skipped = np.empty((R + 1, n_b), dtype=np.int64)
        records: list[list[np.ndarray]] = []

        def one(b: int) -> tuple[np.ndarray, ...]:  # one compiled call per draw, own generator
            return kern.run_draw(x[b], np.ascontiguousarray(s[b]), np.ascontiguousarray(c[b]), stake, R,
                                 float(self.p), self.tie_break == "first", float(self.tie_tolerance),
                                 float(self.fixed_weight), float(self.salience_weight),
                                 bool(self.stop_when_idle), gens[b])

        if self.threads > 1 and n_b > 1:
            with ThreadPoolExecutor(int(self.threads)) as pool:
                results = list(pool.map(one, range(n_b)))
        else:
            results = map(one, range(n_b))
        for b, out in enumerate(results):
            xs[:, b], vote_o[:, b], ties[:, b], n_ex[:, b], skipped[:, b] = out[:5]
            rec = self._records(out[5], out[6], lower, span)
            records.append(np.split(rec, np.cumsum(n_ex[:, b])[:-1]))
        unscale = span / 100.0
        positions = np.where(arrays.stake, xs * unscale + lower, pos[None])
        positions[0] = pos  # round 0 is the input itself, not its round trip through 0..100
        outcome = _outcome(xs, w[None]) * unscale + lower
        vote_o = vote_o * unscale + lower
        shape = lambda a, tail: a.reshape((R + 1, *batch, *tail))  # noqa: E731
        details = {
            "voting_outcome": shape(vote_o, (n_i,)),
            "tie_events": shape(ties, ()),
            "n_exchanges": shape(n_ex, ()),
            "skipped": shape(skipped, ()),
            "exchanges": records if batch else records[0],
        }
        return Trajectory(positions=shape(positions, (n_a, n_i)), outcome=shape(outcome, (n_i,)),
                          details=details)

    @staticmethod
    def _records(rec_k: np.ndarray, rec_f: np.ndarray, lower: np.ndarray, span: np.ndarray) -> np.ndarray:
        """The executed trades of a draw (from :func:`exchange_kernel.run_draw`) as a structured
        array (:data:`EXCHANGE_DTYPE`), positions in issue units."""
        out = np.empty(rec_k.shape[0], dtype=EXCHANGE_DTYPE)
        for n, col in enumerate(("actor_i", "actor_j", "issue_i", "issue_j")):
            out[col] = rec_k[:, n]
        for col, issue, at in (("i", rec_k[:, 2], 0), ("j", rec_k[:, 3], 2)):
            unit, low = span[issue] / 100.0, lower[issue]
            out[f"from_{col}"] = rec_f[:, at] * unit + low
            out[f"to_{col}"] = rec_f[:, at + 1] * unit + low
        out["gain_i"], out["gain_j"] = rec_f[:, 4], rec_f[:, 5]
        return out

    def details_json(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
                     ) -> dict[str, Any]:
        """JSON form (unbatched runs; a batched run gives ``{"draws": [...]}`` of these).

        ``rounds``: list with one entry per trajectory round (index 0 = input, an empty dict),
        each ``{issue_id: {"voting_outcome": float}}``; ``exchanges``: list per round (index 0
        empty) of ``{"actor_i", "actor_j", "issue_i", "issue_j", "from_i", "to_i", "from_j",
        "to_j", "gain_i", "gain_j"}`` (side I moves on issue_i from from_i to to_i, side J on
        issue_j); ``tie_events`` and ``n_exchanges``: per round.
        """
        d = trajectory.details
        vote = np.asarray(d["voting_outcome"])
        if vote.ndim > 2:
            return {"draws": [self.details_json(_draw(trajectory, b), actor_ids, issue_ids)
                              for b in range(vote.shape[1])]}
        rounds: list[dict[str, Any]] = [{}]
        for r in range(1, vote.shape[0]):
            rounds.append({iid: {"voting_outcome": float(vote[r, k])} for k, iid in enumerate(issue_ids)})
        names = {"actor_i": actor_ids, "actor_j": actor_ids, "issue_i": issue_ids, "issue_j": issue_ids}
        exchanges = [[{key: (names[key][int(ex[key])] if key in names else float(ex[key]))
                       for key in EXCHANGE_DTYPE.names} for ex in per_round]
                     for per_round in d["exchanges"]]
        return {"rounds": rounds, "exchanges": exchanges,
                "tie_events": np.asarray(d["tie_events"]).tolist(),
                "n_exchanges": np.asarray(d["n_exchanges"]).tolist()}

    def details_text(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
                     ) -> list[str]:
        """A heading per round, then one line per executed exchange, e.g. "  us ⇄ russia: us
        moves sanctions 80.0 → 65.0, russia moves guarantees 20.0 → 35.0 (gain 3.10 each)"."""
        d = trajectory.details
        if np.asarray(d["voting_outcome"]).ndim > 2:
            return ["(exchanges of draw 0 of a batched run)",
                    *self.details_text(_draw(trajectory, 0), actor_ids, issue_ids)]
        lines = []
        for r, per_round in enumerate(d["exchanges"]):
            if r == 0:
                continue
            ties = int(np.asarray(d["tie_events"])[r])
            tie_note = f", {ties} tie{'s' if ties != 1 else ''} broken by the seed" if ties else ""
            lines.append(f"Round {r}: {len(per_round)} exchanges{tie_note}")
            for ex in per_round:
                a, b = actor_ids[ex["actor_i"]], actor_ids[ex["actor_j"]]
                gi, gj = ex["gain_i"], ex["gain_j"]
                gain = f"gain {gi:.2f} each" if np.isclose(gi, gj) else f"gains {gi:.2f} / {gj:.2f}"
                move_a = f"{a} moves {issue_ids[ex['issue_i']]} {ex['from_i']:.1f} → {ex['to_i']:.1f}"
                move_b = f"{b} moves {issue_ids[ex['issue_j']]} {ex['from_j']:.1f} → {ex['to_j']:.1f}"
                lines.append(f"  {a} ⇄ {b}: {move_a}, {move_b} ({gain})")
        return lines


def _draw(trajectory: Trajectory, b: int) -> Trajectory:
    """Draw ``b`` of a trajectory with one batch axis."""
    d = trajectory.details
    details = {k: (np.asarray(v)[:, b] if k != "exchanges" else v[b]) for k, v in d.items()}
    return dataclasses.replace(trajectory, positions=trajectory.positions[:, b],
                               outcome=trajectory.outcome[:, b], details=details)


@register
@dataclass(frozen=True)
class ExchangeRandom(ExchangeModel):
    """Exchange with random variation of the exchange rates (spec Appendix A, "REX").

    At every evaluation of a valid candidate, three uniforms u, v, z are drawn: side I (u < 0.5)
    or J is randomised, and its utility is set to G + p z (eu_max - G) (v < 0.5) or G - p z G,
    the moves following from it. Implemented as documented from the reference, including its
    quirks (the candidate's ranking gain stays the p = 0 value); not numerically verified
    against the reference (its CLI cannot run this mode).
    """

    name: ClassVar[str] = "exchange-random"
    summary: ClassVar[str] = "exchange model with random exchange rates (Decide's REX, parameter p)"
    p: float = 0.5
