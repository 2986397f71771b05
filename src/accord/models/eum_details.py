"""Readable and JSON forms of an expected-utility trajectory's details (risk, offers, median).

At ``details="summary"`` the per-actor risk exponents and offers are absent; the forms then give
the medians, means, warnings and converged rounds and say that the rest was not kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.models.base import Trajectory
from accord.models.eum_kernel import CONFRONTATION, NONE, OFFER_TYPES

VERBS = {
    CONFRONTATION: "loses a confrontation to",
    2: "compromises with",
    3: "capitulates to",
}


def _offers(d: Any, t: int, k: int, actor_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for i in np.flatnonzero(d["kind"][t, :, k] != NONE):
        out.append(
            {
                "receiver": actor_ids[i],
                "proposer": actor_ids[int(d["proposer"][t, i, k])],
                "type": OFFER_TYPES[int(d["kind"][t, i, k])],
                "E_ij": float(d["eu_own"][t, i, k]),
                "E_ji": float(d["eu_other"][t, i, k]),
                "position": float(d["new_position"][t, i, k]),
            }
        )
    return out


def _warnings(d: Any, issue_ids: list[str]) -> list[str]:
    notes = []
    for k, issue in enumerate(issue_ids):
        if np.any(d["zero_span"][..., k]):
            notes.append(f"{issue}: all actors start at one position; nothing moves")
        rounds = np.flatnonzero(np.any(d["equal_danger"][..., k].reshape(len(d["median"]), -1), axis=1))
        if len(rounds):
            notes.append(f"{issue}: equal danger levels (r = 1 used) in rounds {rounds.tolist()}")
        ties = np.flatnonzero(np.any(d["median_tie"][..., k].reshape(len(d["median"]), -1), axis=1))
        if len(ties):
            notes.append(f"{issue}: median tie (lower position kept) in rounds {ties.tolist()}")
    return notes


SUMMARY_NOTE = "risk exponents and offers not kept (details=summary)"


def _with_positions(trajectory: Trajectory) -> dict[str, Any]:
    d = dict(trajectory.details)
    d["new_position"] = trajectory.positions
    return d


def details_json(trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]) -> dict[str, Any]:
    """Per round and issue: median, mean, risk exponents, accepted offers (unbatched runs)."""
    d = _with_positions(trajectory)
    out: dict[str, Any] = {"outcome": "weighted median", "warnings": _warnings(d, issue_ids)}
    full = "risk" in d
    if not full:
        out["note"] = SUMMARY_NOTE
    if trajectory.positions.ndim > 3:
        out["batch_shape"] = list(trajectory.positions.shape[1:-2])
        return out
    rounds = []
    for t in range(trajectory.n_rounds):
        entry = {}
        for k, issue in enumerate(issue_ids):
            entry[issue] = {"median": float(d["median"][t, k]), "mean": float(d["mean"][t, k])}
            if full:
                staked = np.flatnonzero(~np.isnan(d["risk"][t, :, k]))
                entry[issue]["risk"] = {actor_ids[i]: float(d["risk"][t, i, k]) for i in staked}
                entry[issue]["offers"] = _offers(d, t, k, actor_ids)
        rounds.append(entry)
    out["rounds"] = rounds
    out["converged_round"] = {issue: int(d["converged_round"][k]) for k, issue in enumerate(issue_ids)}
    return out


def details_text(trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]) -> list[str]:
    """Readable summary: per issue and round, median, mean, risk exponents and accepted offers."""
    d = _with_positions(trajectory)
    lines = [f"warning: {w}" for w in _warnings(d, issue_ids)]
    if "risk" not in d:
        lines.append(f"note: {SUMMARY_NOTE}")
    if trajectory.positions.ndim > 3:
        final = d["median"][-1].reshape(-1, len(issue_ids))
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
        stop = int(d["converged_round"][k])
        lines.append(f"issue {issue}" + (f" (no actor moves from round {stop} on)" if stop > 0 else ""))
        for t in range(trajectory.n_rounds):
            if 0 < stop < t:
                break
            lines.append(f"  round {t}: median {d['median'][t, k]:.6g}, mean {d['mean'][t, k]:.6g}")
            if t == 0 or "risk" not in d:
                continue
            staked = np.flatnonzero(~np.isnan(d["risk"][t, :, k]))
            risk = ", ".join(f"{actor_ids[i]} {d['risk'][t, i, k]:.3f}" for i in staked)
            lines.append(f"    risk exponents: {risk}")
            for o in _offers(d, t, k, actor_ids):
                verb = VERBS[OFFER_TYPES.index(o["type"])]
                lines.append(
                    f"    {o['receiver']} {verb} {o['proposer']} (E_ij {o['E_ij']:.6g}, "
                    f"E_ji {o['E_ji']:.6g}) -> {o['position']:.6g}"
                )
    return lines
