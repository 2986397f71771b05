"""Models' own results as JSON-ready data and as readable lines, one renderer per details type.

:func:`details_to_dict` and :func:`details_lines` dispatch on the type of a trajectory's details
(:class:`accord.models.base.Details` subclasses); details of other types (none, Nash's deadlock
flags, a user model's) render as ``{}`` and ``[]``.

A ``"rounds"`` entry of the dict, where given, is a list (one per round) of
``{issue_id: {key: value}}`` that the JSON report merges into each issue's round entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.models.base import Details
from accord.models.choice.model import ChoiceDetails
from accord.models.eum.details import EumDetails
from accord.models.eum.rules import CONFRONTATION, NONE, OFFER_TYPES
from accord.models.exchange.details import EXCHANGE_DTYPE, ExchangeDetails
from accord.models.smp.details import SmpDetails

Ids = Sequence[str]


def details_to_dict(details: Details | None, actor_ids: Ids, issue_ids: Ids) -> dict[str, Any]:
    """Return a model's details as JSON-ready data (numbers, texts, lists and dicts).

    Parameters
    ----------
    details : Details or None
        ``Trajectory.details`` of a run.
    actor_ids, issue_ids : Sequence[str]
        The ids of the scenario's actors and issues, in array order.

    Returns
    -------
    dict[str, Any]
        The details; empty for details without a renderer.
    """
    if isinstance(details, EumDetails):
        return _eum_dict(details, list(actor_ids), list(issue_ids))
    if isinstance(details, ExchangeDetails):
        return _exchange_dict(details, list(actor_ids), list(issue_ids))
    if isinstance(details, SmpDetails):
        return _smp_dict(details, _players(details, actor_ids), list(issue_ids))
    if isinstance(details, ChoiceDetails):
        return _choice_dict(details, list(issue_ids))
    return {}


def details_lines(details: Details | None, actor_ids: Ids, issue_ids: Ids) -> list[str]:
    """Return a model's details as readable lines (the CLI's ``--details``).

    Parameters
    ----------
    details : Details or None
        ``Trajectory.details`` of a run.
    actor_ids, issue_ids : Sequence[str]
        The ids of the scenario's actors and issues, in array order.

    Returns
    -------
    list[str]
        The lines; empty for details without a renderer.
    """
    if isinstance(details, EumDetails):
        return _eum_lines(details, list(actor_ids), list(issue_ids))
    if isinstance(details, ExchangeDetails):
        return _exchange_lines(details, list(actor_ids), list(issue_ids))
    if isinstance(details, SmpDetails):
        return _smp_lines(details, _players(details, actor_ids), list(issue_ids))
    if isinstance(details, ChoiceDetails):
        return _choice_lines(details, list(issue_ids))
    return []


# ----------------------------------------------------------------------------- expected utility
VERBS = {CONFRONTATION: "loses a confrontation to", 2: "compromises with", 3: "capitulates to"}
SUMMARY_NOTE = "risk exponents and offers not kept (details=summary)"


def _offers(d: EumDetails, t: int, k: int, actor_ids: list[str]) -> list[dict[str, Any]]:
    assert d.kind is not None and d.proposer is not None and d.eu_own is not None and d.eu_other is not None
    out = []
    for i in np.flatnonzero(d.kind[t, :, k] != NONE):
        out.append({
            "receiver": actor_ids[i],
            "proposer": actor_ids[int(d.proposer[t, i, k])],
            "type": OFFER_TYPES[int(d.kind[t, i, k])],
            "E_ij": float(d.eu_own[t, i, k]),
            "E_ji": float(d.eu_other[t, i, k]),
            "position": float(d.positions[t, i, k]),
        })
    return out


def _eum_warnings(d: EumDetails, issue_ids: list[str]) -> list[str]:
    notes = []
    n_rounds = len(d.median)
    for k, issue in enumerate(issue_ids):
        if np.any(d.zero_span[..., k]):
            notes.append(f"{issue}: all actors start at one position; nothing moves")
        rounds = np.flatnonzero(np.any(d.equal_danger[..., k].reshape(n_rounds, -1), axis=1))
        if len(rounds):
            notes.append(f"{issue}: equal danger levels (r = 1 used) in rounds {rounds.tolist()}")
        ties = np.flatnonzero(np.any(d.median_tie[..., k].reshape(n_rounds, -1), axis=1))
        if len(ties):
            notes.append(f"{issue}: median tie (lower position kept) in rounds {ties.tolist()}")
    return notes


def _eum_dict(d: EumDetails, actor_ids: list[str], issue_ids: list[str]) -> dict[str, Any]:
    """Per round and issue: median, mean, risk exponents, accepted offers (unbatched runs)."""
    out: dict[str, Any] = {"outcome": "weighted median", "warnings": _eum_warnings(d, issue_ids)}
    full = d.risk is not None
    if not full:
        out["note"] = SUMMARY_NOTE
    if d.batched:
        out["batch_shape"] = list(d.positions.shape[1:-2])
        return out
    rounds = []
    for t in range(len(d.median)):
        entry: dict[str, dict[str, Any]] = {}
        for k, issue in enumerate(issue_ids):
            entry[issue] = {"median": float(d.median[t, k]), "mean": float(d.mean[t, k])}
            if d.risk is not None:
                staked = np.flatnonzero(~np.isnan(d.risk[t, :, k]))
                entry[issue]["risk"] = {actor_ids[i]: float(d.risk[t, i, k]) for i in staked}
                entry[issue]["offers"] = _offers(d, t, k, actor_ids)
        rounds.append(entry)
    out["rounds"] = rounds
    out["converged_round"] = {issue: int(d.converged_round[k]) for k, issue in enumerate(issue_ids)}
    return out


def _eum_lines(d: EumDetails, actor_ids: list[str], issue_ids: list[str]) -> list[str]:
    """Per issue and round: median, mean, risk exponents and accepted offers."""
    lines = [f"warning: {w}" for w in _eum_warnings(d, issue_ids)]
    if d.risk is None:
        lines.append(f"note: {SUMMARY_NOTE}")
    if d.batched:
        final = d.median[-1].reshape(-1, len(issue_ids))
        for k, issue in enumerate(issue_ids):
            q = (
                np.nanquantile(final[:, k], [0.05, 0.5, 0.95])
                if np.isfinite(final[:, k]).any()
                else [np.nan] * 3
            )
            lines.append(
                f"{issue}: final median over {len(final)} draws: 5% {q[0]:.4g}, "
                f"50% {q[1]:.4g}, 95% {q[2]:.4g}"
            )
        return lines
    for k, issue in enumerate(issue_ids):
        stop = int(d.converged_round[k])
        lines.append(f"issue {issue}" + (f" (no actor moves from round {stop} on)" if stop > 0 else ""))
        for t in range(len(d.median)):
            if 0 < stop < t:
                break
            lines.append(f"  round {t}: median {d.median[t, k]:.6g}, mean {d.mean[t, k]:.6g}")
            if t == 0 or d.risk is None:
                continue
            staked = np.flatnonzero(~np.isnan(d.risk[t, :, k]))
            risk = ", ".join(f"{actor_ids[i]} {d.risk[t, i, k]:.3f}" for i in staked)
            lines.append(f"    risk exponents: {risk}")
            for o in _offers(d, t, k, actor_ids):
                verb = VERBS[OFFER_TYPES.index(o["type"])]
                lines.append(
                    f"    {o['receiver']} {verb} {o['proposer']} (E_ij {o['E_ij']:.6g}, "
                    f"E_ji {o['E_ji']:.6g}) -> {o['position']:.6g}"
                )
    return lines


# ----------------------------------------------------------------------------- exchange
def _exchange_dict(d: ExchangeDetails, actor_ids: list[str], issue_ids: list[str]) -> dict[str, Any]:
    """Return the exchange model's details as JSON-ready data.

    ``rounds``: one entry per round (index 0 = input, an empty dict), each
    ``{issue_id: {"voting_outcome": float}}``; ``exchanges``: a list per round (index 0 empty) of
    ``{"actor_i", "actor_j", "issue_i", "issue_j", "from_i", "to_i", "from_j", "to_j", "gain_i",
    "gain_j"}`` (side I moves on issue_i from from_i to to_i, side J on issue_j); ``tie_events``
    and ``n_exchanges``: per round. A batched run gives ``{"draws": [...]}`` of these.
    """
    vote = np.asarray(d.voting_outcome)
    if d.batched:
        return {"draws": [_exchange_dict(d.draw(b), actor_ids, issue_ids) for b in range(vote.shape[1])]}
    rounds: list[dict[str, Any]] = [{}]
    for r in range(1, vote.shape[0]):
        rounds.append({iid: {"voting_outcome": float(vote[r, k])} for k, iid in enumerate(issue_ids)})
    names = {"actor_i": actor_ids, "actor_j": actor_ids, "issue_i": issue_ids, "issue_j": issue_ids}
    exchanges = [[{key: (names[key][int(ex[key])] if key in names else float(ex[key]))
                   for key in EXCHANGE_DTYPE.names or ()} for ex in per_round]
                 for per_round in d.exchanges]
    return {"rounds": rounds, "exchanges": exchanges,
            "tie_events": np.asarray(d.tie_events).tolist(),
            "n_exchanges": np.asarray(d.n_exchanges).tolist()}


def _exchange_lines(d: ExchangeDetails, actor_ids: list[str], issue_ids: list[str]) -> list[str]:
    """Return the exchange model's details as lines: a heading per round, then its exchanges.

    One line per executed exchange, e.g. "  us ⇄ russia: us moves sanctions 80.0 → 65.0, russia
    moves guarantees 20.0 → 35.0 (gain 3.10 each)".
    """
    if d.batched:
        return ["(exchanges of draw 0 of a batched run)", *_exchange_lines(d.draw(0), actor_ids, issue_ids)]
    lines = []
    for r, per_round in enumerate(d.exchanges):
        if r == 0:
            continue
        ties = int(np.asarray(d.tie_events)[r])
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


# ----------------------------------------------------------------------------- SMP
def _players(d: SmpDetails, actor_ids: Ids) -> list[str]:
    """Return the ids of the players, as the details index them."""
    return list(actor_ids) if d.players is None else [actor_ids[i] for i in d.players]


def _smp_draw0(d: SmpDetails) -> tuple[dict[str, np.ndarray], int, np.ndarray]:
    """Return the first draw: per-turn records, the number of turns and the positions ``[R, P, I]``."""
    batch_dims = d.positions.ndim - 3
    first: tuple[slice | int, ...] = (slice(None), *([0] * batch_dims))
    out = {key: np.asarray(getattr(d, key))[first]
           for key in ("risk", "position_prob", "target", "p_win", "gain", "choice", "choice_prob",
                       "queue_size", "bargain_initiator", "bargain_receiver")}
    n = int(np.asarray(d.n_turns).reshape(-1)[0])
    return out, n, d.positions[first]


def _smp_moves(r: dict[str, np.ndarray], t: int, pos: np.ndarray) -> list[dict[str, Any]]:
    """Return what each player did in turn t (state t -> t+1)."""
    nv = r["bargain_initiator"].shape[-2]
    rows = []
    for k in range(pos.shape[1]):
        c = int(r["choice"][t, k])
        if c == 0:
            continue
        i, v = (c - 1) // nv, (c - 1) % nv
        rows.append({"actor": k, "initiator": i, "receiver": int(r["target"][t, i]), "variant": v,
                     "probability": float(r["choice_prob"][t, k]),
                     "options": int(r["queue_size"][t, k]),
                     "moved": bool(np.abs(pos[t + 1, k] - pos[t, k]).max() > 0)})
    return rows


def _smp_dict(d: SmpDetails, actors: list[str], issues: list[str]) -> dict[str, Any]:
    """Return the SMP's details as JSON-ready data (the first draw of a batched run).

    Turns, per-turn risk attitudes and position probabilities, and every bargain proposed.
    """
    r, n, pos = _smp_draw0(d)
    turns = []
    for t in range(n):
        proposals = []
        for i in np.flatnonzero(r["target"][t] >= 0):
            j = int(r["target"][t, i])
            proposals.append({
                "initiator": actors[i], "receiver": actors[j],
                "p_initiator_wins": round(float(r["p_win"][t, i]), 6),
                "expected_gain": round(float(r["gain"][t, i]), 6),
                "proposal": [{"initiator": dict(zip(issues, map(float, bi), strict=True)),
                              "receiver": dict(zip(issues, map(float, br), strict=True))}
                             for bi, br in zip(r["bargain_initiator"][t, i],
                                               r["bargain_receiver"][t, i], strict=True)],
            })
        accepted = [{"actor": actors[m["actor"]], "took": f"{actors[m['initiator']]}->"
                     f"{actors[m['receiver']]}", "variant": m["variant"],
                     "probability": round(m["probability"], 6), "options": m["options"],
                     "moved": m["moved"]} for m in _smp_moves(r, t, pos)]
        turns.append({"turn": t + 1, "proposals": proposals, "accepted": accepted})
    return {
        "n_turns": n,
        "risk_attitudes": {a: [round(float(x), 6) for x in r["risk"][: n + 1, k]]
                           for k, a in enumerate(actors)},
        "position_probabilities": {a: [round(float(x), 6) for x in r["position_prob"][: n + 1, k]]
                                   for k, a in enumerate(actors)},
        "turns": turns,
    }


def _fmt(x: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in x) + ")"


def _smp_lines(d: SmpDetails, actors: list[str], issues: list[str]) -> list[str]:
    """One block per turn: proposals (who to whom, estimated odds and gain), then who moved why."""
    r, n, pos = _smp_draw0(d)
    lines = [f"SMP: {n} turns; positions listed as ({', '.join(issues)})"]
    for t in range(n):
        lines.append(f"Turn {t + 1}:")
        for i in np.flatnonzero(r["target"][t] >= 0):
            j = int(r["target"][t, i])
            bi, br = r["bargain_initiator"][t, i, 0], r["bargain_receiver"][t, i, 0]
            lines.append(
                f"  {actors[i]} challenges {actors[j]} (P({actors[i]} wins) {r['p_win'][t, i]:.3f}"
                f" by its own estimate, expected gain {r['gain'][t, i]:+.4f}) and proposes "
                f"{actors[i]} -> {_fmt(bi)}, {actors[j]} -> {_fmt(br)}")
        for m in _smp_moves(r, t, pos):
            k, i, j = m["actor"], m["initiator"], m["receiver"]
            role = "its own proposal to" if k == i else "the proposal of"
            other = actors[j] if k == i else actors[i]
            verb = "moves" if m["moved"] else "stays"
            lines.append(
                f"  {actors[k]} {verb} {_fmt(pos[t, k])} -> {_fmt(pos[t + 1, k])}: takes {role} "
                f"{other} (chosen with probability {m['probability']:.3f} among "
                f"{m['options']} options in its queue)")
        stayed = [actors[k] for k in range(len(actors)) if int(r["choice"][t, k]) == 0]
        if stayed:
            lines.append(f"  keep their positions (status quo won their queue): {', '.join(stayed)}")
    return lines


# ----------------------------------------------------------------------------- position choice
def _choice_dict(d: ChoiceDetails, issue_ids: list[str]) -> dict[str, Any]:
    """Per issue the forecast's quantiles, rounded to 2 decimals (unbatched runs)."""
    q = d.quantiles
    if not q or np.ndim(q[0.5]) != 1:
        return {}
    return {"quantiles": {k: {str(lv): round(float(v[n]), 2) for lv, v in q.items()}
                          for n, k in enumerate(issue_ids)}}


def _choice_lines(d: ChoiceDetails, issue_ids: list[str]) -> list[str]:
    """Per issue the median and the 50% and 90% intervals (unbatched runs)."""
    q = d.quantiles
    if not q or np.ndim(q[0.5]) != 1:
        return []
    return [
        f"{k}: median {q[0.5][n]:.1f}, 50% interval {q[0.25][n]:.1f}-{q[0.75][n]:.1f}, "
        f"90% interval {q[0.05][n]:.1f}-{q[0.95][n]:.1f}"
        for n, k in enumerate(issue_ids)
    ]
