"""Each actor's no-deal outcome (its outside option) per issue, from the scenario's ``no_deal``.

``d_ik`` is actor i's own expectation on issue k if the scenario states one, else the issue's
shared no-deal outcome, else its status quo (NaN where there is none: the issue cannot be
compared). Without ``no_deal`` entries every actor's no-deal outcome is the status quo, as
before outside options existed.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.schema import NoDeal, Scenario


def entries(scenario: Scenario) -> tuple[dict[int, NoDeal], dict[tuple[int, int], NoDeal]]:
    """Return the stated no-deal outcomes, shared and per actor.

    Entries naming an unknown actor or issue are skipped (validation reports them).

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    shared : dict of int to NoDeal
        The issue-wide outcomes by issue index.
    own : dict of (int, int) to NoDeal
        The actors' own outcomes by (actor, issue) index.
    """
    actors = {a: n for n, a in enumerate(scenario.actor_ids)}
    issues = {i: n for n, i in enumerate(scenario.issue_ids)}
    shared: dict[int, NoDeal] = {}
    own: dict[tuple[int, int], NoDeal] = {}
    for e in scenario.no_deal:
        if e.issue not in issues or (e.actor is not None and e.actor not in actors):
            continue  # validation reports these; a scenario changed in code may still hold them
        if e.actor is None:
            shared[issues[e.issue]] = e
        else:
            own[(actors[e.actor], issues[e.issue])] = e
    return shared, own


def fill(scenario: Scenario, status_quo: np.ndarray, shared: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Combine the no-deal outcomes into ``d``: own, else shared, else the status quo.

    Parameters
    ----------
    scenario : Scenario
        The scenario (not read: the arrays carry what is needed).
    status_quo : np.ndarray
        The status quo, shape ``[..., I]``.
    shared : np.ndarray
        The shared outcomes, shape ``[..., I]``; NaN where none is stated.
    own : np.ndarray
        The actors' own outcomes, shape ``[..., A, I]``; NaN where none is stated.

    Returns
    -------
    np.ndarray
        ``d``, shape ``[..., A, I]``; NaN where there is neither an outcome nor a status quo.
    """
    base = np.where(np.isnan(shared), status_quo, shared)
    return np.where(np.isnan(own), base[..., None, :], own)


def no_deal_values(scenario: Scenario) -> np.ndarray:
    """Return the no-deal outcomes ``d`` at the coded values.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    np.ndarray
        ``d``, shape ``[A, I]``.
    """
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    status_quo = np.array([np.nan if i.status_quo is None else i.status_quo for i in scenario.issues])
    shared_e, own_e = entries(scenario)
    shared = np.full(n_i, np.nan)
    own = np.full((n_a, n_i), np.nan)
    for k, e in shared_e.items():
        shared[k] = e.value
    for (a, k), e in own_e.items():
        own[a, k] = e.value
    return fill(scenario, status_quo, shared, own)


def origins(scenario: Scenario) -> list[str]:
    """Tell, per issue, where the no-deal outcomes come from.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    list of str
        Per issue: ``status quo``, ``stated`` (one for everyone), ``stated per actor`` (some
        actors expect their own), or ``none``.
    """
    shared, own = entries(scenario)
    out = []
    for k, issue in enumerate(scenario.issues):
        if any(kk == k for _, kk in own):
            out.append("stated per actor")
        elif k in shared:
            out.append("stated")
        else:
            out.append("status quo" if issue.status_quo is not None else "none")
    return out
