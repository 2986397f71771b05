"""Blocs: the actors' ``group`` field as coalitions, their positions, their clout and the pivot.

Per issue and bloc (actors without a group are blocs of their own): clout is the bloc's share of
capability x salience among the actors with a stake, ``sum_{i in B} c_ik s_ik / sum_i c_ik s_ik``;
its position is the clout-weighted mean of its members' positions. The **pivot** is the bloc
holding the weighted median: blocs ordered by position, the one at which the running clout first
reaches half (Black 1948; the weighted median the median-voter models forecast). No coalition can
form a clout majority without it on that issue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario import Scenario, ScenarioArrays


@dataclass(frozen=True)
class BlocIssue:
    """One bloc on one issue.

    Parameters
    ----------
    bloc : str
        The bloc's name (a group, or an actor's id).
    issue : str
        The issue's id.
    members : list of str
        The members with a stake in the issue.
    clout : float
        The bloc's clout share.
    position : float
        The clout-weighted mean of its members' positions.
    pivot : bool
        Whether it holds the weighted median.
    spread : float
        The spread of its members' positions, in % of the scale (a wide bloc is no coalition).
    """

    bloc: str
    issue: str
    members: list[str]
    clout: float
    position: float
    pivot: bool
    spread: float


def bloc_of(scenario: Scenario) -> dict[str, str]:
    """Return each actor's bloc.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    dict of str to str
        By actor id: its ``group``, or its own id when it has none.
    """
    return {a.id: a.group or a.id for a in scenario.actors}


def blocs(scenario: Scenario, arrays: ScenarioArrays) -> list[BlocIssue]:
    """Compute the blocs' positions, clout and the pivot per issue.

    Parameters
    ----------
    scenario : Scenario
        The scenario (the actors' groups).
    arrays : ScenarioArrays
        Its coded (unbatched) arrays.

    Returns
    -------
    list of BlocIssue
        Per issue, its blocs by position.

    References
    ----------
    D. Black, "On the rationale of group decision-making", *J. Political Economy* 56(1), 1948.
    """
    groups = bloc_of(scenario)
    names = list(dict.fromkeys(groups.values()))
    weight = np.asarray(arrays.weight(), float)
    out: list[BlocIssue] = []
    for k, issue in enumerate(scenario.issue_ids):
        total = weight[:, k].sum()
        rows = []
        for name in names:
            members = [a for n, a in enumerate(scenario.actor_ids)
                       if groups[a] == name and arrays.stake[n, k]]
            idx = [scenario.actor_ids.index(a) for a in members]
            w = weight[idx, k]
            if not members or w.sum() <= 0:
                continue
            x = arrays.position[idx, k]
            spread = 100.0 * float(x.max() - x.min()) / float(arrays.upper[k] - arrays.lower[k])
            rows.append((name, members, float(w.sum() / total), float(w @ x / w.sum()), spread))
        rows.sort(key=lambda row: row[3])
        running, pivot = 0.0, None
        for name, _, share, _, _ in rows:
            running += share
            if running >= 0.5 - 1e-12:
                pivot = name
                break
        out += [BlocIssue(name, issue, members, share, pos, name == pivot, spread)
                for name, members, share, pos, spread in rows]
    return out
