"""Concessions: the client's ground given for a partner's move, from the exchange model's trades.

In each trade the client gives ground on an issue it cares little about for a partner's move on
one it cares about more.

Stokman & van Oosten (1994): two actors on opposite sides of the expected outcome on two issues
gain by each moving its vote on the issue that matters less to it. The exchange model's first
round on the coded inputs gives the trades the client would make; each becomes a lever at the
model's terms of trade (the partner's move per point the client concedes), scaled so the client
concedes ``step`` points (or the whole trade when it is smaller). Its cost is the client's own
move: the concession is what pays for the partner's move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.analysis.strategy.engine import detail
from accord.analysis.strategy.levers import Edit, Lever
from accord.analysis.strategy.setting import Setting

MAX_TRADES = 8


def exchange_trades(s: Setting) -> list[dict[str, Any]]:
    """Return the exchange model's round-1 trades on the coded inputs.

    The one place that reads the exchange model's output (its ``exchanges`` detail: per round,
    the executed trades).

    Parameters
    ----------
    s : Setting
        The strategy setting.

    Returns
    -------
    list of dict
        Each ``{actor_i, actor_j, issue_i, issue_j, from_i, to_i, from_j, to_j, gain_i, gain_j}``
        (ids, issue units), side I moving on ``issue_i``; empty with fewer than two issues.
    """
    from accord.models import get_model

    if s.arrays.n_issues < 2:
        return []
    model = get_model("exchange", rounds=1)
    trajectory = model.run(s.arrays, rng=np.random.default_rng(0))
    rounds = detail(trajectory, "exchanges")
    if len(rounds) < 2:
        return []
    names = {"actor_i": s.scenario.actor_ids, "actor_j": s.scenario.actor_ids,
             "issue_i": s.scenario.issue_ids, "issue_j": s.scenario.issue_ids}
    return [{key: names[key][int(trade[key])] if key in names else float(trade[key])
             for key in trade.dtype.names} for trade in rounds[1]]


def _fmt(value: float) -> str:
    """Format a value with one decimal, a trailing ``.0`` dropped."""
    return f"{value:.1f}".removesuffix(".0")


def concession_levers(s: Setting, trades: list[dict[str, Any]] | None = None) -> list[Lever]:
    """List the client's concessions, from the exchange model's trades.

    At most :data:`MAX_TRADES`, the client's largest gains first, one per (partner, issue given,
    issue got).

    Parameters
    ----------
    s : Setting
        The strategy setting.
    trades : list of dict, optional
        The trades (as from :func:`exchange_trades`); default: computed.

    Returns
    -------
    list of Lever
        The ``concession`` levers.

    References
    ----------
    F. N. Stokman & R. van Oosten, "The exchange of voting positions: an object-oriented model of
    policy networks", in B. Bueno de Mesquita & F. N. Stokman (eds.), *European Community Decision
    Making*, Yale University Press, 1994.
    """
    me = s.client_id
    actor_index = {a: n for n, a in enumerate(s.scenario.actor_ids)}
    issue_index = {i: n for n, i in enumerate(s.scenario.issue_ids)}
    mine = []
    for t in exchange_trades(s) if trades is None else trades:
        if me == t["actor_i"]:
            mine.append((t["actor_j"], t["issue_i"], t["from_i"], t["to_i"], t["issue_j"], t["from_j"],
                         t["to_j"], t["gain_i"]))
        elif me == t["actor_j"]:
            mine.append((t["actor_i"], t["issue_j"], t["from_j"], t["to_j"], t["issue_i"], t["from_i"],
                         t["to_i"], t["gain_j"]))
    mine.sort(key=lambda row: -row[-1])
    levers: list[Lever] = []
    seen: set[tuple[str, str, str]] = set()
    for partner, give, g0, g1, get, p0, p1, _ in mine:
        key = (partner, give, get)
        if key in seen or len(levers) >= MAX_TRADES:
            continue
        seen.add(key)
        kg, kp = issue_index[give], issue_index[get]
        given = 100.0 * abs(g1 - g0) / s.span(kg)
        if given < 1e-9:
            continue
        scale = min(1.0, s.step / given)
        d_give, d_get = scale * (g1 - g0), scale * (p1 - p0)
        edits = (Edit("position", s.client, kg, d_give), Edit("position", actor_index[partner], kp, d_get))
        label = (f"concede {give} {_fmt(g0)} → {_fmt(g0 + d_give)} for {partner} on {get} "
                 f"{_fmt(p0)} → {_fmt(p0 + d_get)}")
        levers.append(Lever("concession", f"trade:{partner}:{give}:{get}", label, scale * given, edits,
                            target=partner, issues=(give, get)))
    return levers
