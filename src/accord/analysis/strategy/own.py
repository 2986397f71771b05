"""The client's own levers: a harder or softer stated line on an issue, and more or less salience.

*Harder* moves the client's stated position ``step`` points further from the others' weighted
mean position (what the rest of the room would settle on without it), *softer* moves it toward
that mean, never past it. Salience levers raise or lower the client's salience on one issue by
``step`` points of 100 (committing attention or letting an issue go). Every draw is moved by the
same amount; the client's utility is still that of its true position and salience.
"""

from __future__ import annotations

from accord.analysis.strategy.levers import Edit, Lever
from accord.analysis.strategy.setting import Setting


def _fmt(value: float) -> str:
    """Format a value with one decimal, a trailing ``.0`` dropped."""
    return f"{value:.1f}".removesuffix(".0")


def position_levers(s: Setting) -> list[Lever]:
    """List, per issue of the client, a harder and a softer line of ``step`` points (when there is room).

    Parameters
    ----------
    s : Setting
        The strategy setting.

    Returns
    -------
    list of Lever
        The ``position`` levers.
    """
    levers = []
    others = s.weighted_mean(exclude=s.client)
    for k in s.client_issues():
        issue, x = s.scenario.issue_ids[k], s.position(s.client, k)
        if others[k] != others[k]:  # nobody else on the issue
            continue
        for kind, delta in (("harder", s.away(k, x, float(others[k]), s.step)),
                            ("softer", s.moved(k, x, float(others[k]), s.step))):
            if abs(delta) < 1e-9:
                continue
            edit = Edit("position", s.client, k, delta)
            levers.append(Lever("position", f"{kind}:{issue}",
                                f"{kind} line on {issue}: {_fmt(x)} → {_fmt(x + delta)}",
                                100.0 * abs(delta) / s.span(k), (edit,), issues=(issue,)))
    return levers


def salience_levers(s: Setting) -> list[Lever]:
    """List, per issue of the client, salience up and down by ``step`` points (within 0..100).

    Parameters
    ----------
    s : Setting
        The strategy setting.

    Returns
    -------
    list of Lever
        The ``salience`` levers.
    """
    levers = []
    for k in s.client_issues():
        issue = s.scenario.issue_ids[k]
        now = float(s.arrays.salience[s.client, k]) * 100.0
        for kind, new in (("more", min(100.0, now + s.step)), ("less", max(0.0, now - s.step))):
            if abs(new - now) < 1e-9:
                continue
            edit = Edit("salience", s.client, k, (new - now) / 100.0)
            word = "commit more to" if kind == "more" else "care less about"
            levers.append(Lever("salience", f"{kind}:{issue}",
                                f"{word} {issue}: salience {_fmt(now)} → {_fmt(new)}",
                                abs(new - now), (edit,), issues=(issue,)))
    return levers
