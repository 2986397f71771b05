"""Persuasion: lobbying another actor, moving its position toward the client or its salience.

For every actor the client may lobby and every issue both care about: move the actor's position
``step`` points toward the client's (never past it), and shift its salience by ``step`` points,
up for an ally (an actor nearer the client than the weighted mean position is) and down for an
opponent (to demobilise it). The cost is the size of the move in effort points; the ranking
then says whom lobbying pays, and the gain per point says how much the outcome moves per unit of
effort.
"""

from __future__ import annotations

from accord.analysis.strategy.levers import Edit, Lever
from accord.analysis.strategy.setting import Setting


def _fmt(value: float) -> str:
    """Format a value with one decimal, a trailing ``.0`` dropped."""
    return f"{value:.1f}".removesuffix(".0")


def persuasion_levers(s: Setting) -> list[Lever]:
    """List the lobbying levers: every target's position and salience on every issue both care about.

    Parameters
    ----------
    s : Setting
        The strategy setting.

    Returns
    -------
    list of Lever
        The ``persuasion`` levers.
    """
    levers = []
    mean = s.weighted_mean()
    ids = s.scenario.actor_ids
    for j in s.targets:
        who = ids[j]
        for k in s.client_issues():
            if not s.arrays.stake[j, k]:
                continue
            issue = s.scenario.issue_ids[k]
            x_c, x_j = s.position(s.client, k), s.position(j, k)
            delta = s.moved(k, x_j, x_c, s.step)
            if abs(delta) > 1e-9:
                levers.append(Lever("persuasion", f"lobby:{who}:{issue}:position",
                                    f"lobby {who} on {issue}: {_fmt(x_j)} → {_fmt(x_j + delta)}",
                                    100.0 * abs(delta) / s.span(k), (Edit("position", j, k, delta),),
                                    target=who, issues=(issue,)))
            ally = abs(x_j - x_c) < abs(float(mean[k]) - x_c)
            now = float(s.arrays.salience[j, k]) * 100.0
            new = min(100.0, now + s.step) if ally else max(0.0, now - s.step)
            if abs(new - now) > 1e-9:
                word = "mobilise ally" if ally else "demobilise"
                levers.append(Lever("persuasion", f"lobby:{who}:{issue}:salience",
                                    f"{word} {who} on {issue}: salience {_fmt(now)} → {_fmt(new)}",
                                    abs(new - now), (Edit("salience", j, k, (new - now) / 100.0),),
                                    target=who, issues=(issue,)))
    return levers
