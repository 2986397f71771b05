"""Readable and JSON forms of an SMP run's details: who proposed what to whom, who moved, why."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.models.base import Trajectory


def _draw0(traj: Trajectory) -> tuple[dict[str, np.ndarray], int, np.ndarray]:
    d = traj.details
    n_actors = traj.positions.shape[-2]
    batch_dims = traj.positions.ndim - 3
    out = {}
    for key in ("risk", "position_prob", "target", "p_win", "gain", "choice", "choice_prob",
                "queue_size", "bargain_initiator", "bargain_receiver"):
        a = np.asarray(d[key])
        out[key] = a[(slice(None), *([0] * batch_dims))]
    n_turns = d["n_turns"]
    n = int(np.asarray(n_turns).reshape(-1)[0])
    pos = traj.positions[(slice(None), *([0] * batch_dims))]
    assert out["risk"].shape[-1] == n_actors
    return out, n, pos


def _moves(r: dict[str, np.ndarray], t: int, pos: np.ndarray) -> list[dict[str, Any]]:
    """What each actor did in turn t (state t -> t+1)."""
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


def bargains_json(traj: Trajectory, actors: list[str], issues: list[str]) -> dict[str, Any]:
    """Turns, per-turn risk attitudes and position probabilities, and every bargain proposed."""
    r, n, pos = _draw0(traj)
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
                     "moved": m["moved"]} for m in _moves(r, t, pos)]
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


def bargains_text(traj: Trajectory, actors: list[str], issues: list[str]) -> list[str]:
    """One block per turn: proposals (who to whom, estimated odds and gain), then who moved why."""
    r, n, pos = _draw0(traj)
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
        for m in _moves(r, t, pos):
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
