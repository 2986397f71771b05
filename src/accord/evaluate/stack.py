"""Put many one-issue scenarios side by side on the issue axis of one array set.

:func:`issue_subset` takes a subset of its issues.

Actors are aligned to the union of all cases' actors; an actor absent from a case has no stake,
salience 0, capability 0 and the issue midpoint as position (as in ``compile_scenario``). This is
only sound for models that treat issues independently (the static ones); dynamic models are run
case by case.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.scenario.arrays import ScenarioArrays, compile_scenario


def stack_arrays(
    arrays: list[ScenarioArrays], actor_ids: list[list[str]]
) -> tuple[ScenarioArrays, list[str]]:
    """Put unbatched arrays side by side on the issue axis, over the union of their actors.

    Parameters
    ----------
    arrays : list of ScenarioArrays
        The cases' arrays, unbatched.
    actor_ids : list of list of str
        Each case's actor ids, in its arrays' order.

    Returns
    -------
    stacked : ScenarioArrays
        One array set with the issues of all ``arrays``.
    actors : list of str
        The union of the actors, in first-seen order (the stacked rows).
    """
    universe = list(dict.fromkeys(a for ids in actor_ids for a in ids))
    index = {a: n for n, a in enumerate(universe)}
    n_issues = sum(a.n_issues for a in arrays)
    lower = np.concatenate([a.lower for a in arrays])
    upper = np.concatenate([a.upper for a in arrays])
    position = np.broadcast_to((lower + upper) / 2, (len(universe), n_issues)).copy()
    salience, capability = np.zeros_like(position), np.zeros_like(position)
    stake = np.zeros(position.shape, dtype=bool)
    veto = np.zeros(position.shape, dtype=bool)
    start = 0
    for arr, ids in zip(arrays, actor_ids, strict=True):
        rows = np.array([index[a] for a in ids])
        cols = slice(start, start + arr.n_issues)
        for target, source in (
            (position, arr.position),
            (salience, arr.salience),
            (capability, arr.capability),
            (stake, arr.stake),
            (veto, arr.veto),
        ):
            target[rows, cols] = source
        start += arr.n_issues
    status_quo = np.concatenate([a.status_quo for a in arrays])
    stacked = ScenarioArrays(position=position, salience=salience, capability=capability, stake=stake,
                             lower=lower, upper=upper, status_quo=status_quo, veto=veto)
    return stacked, universe


def stacked_cases(cases: list[Any]) -> tuple[ScenarioArrays, np.ndarray, np.ndarray]:
    """Stack the scoreable cases.

    Parameters
    ----------
    cases : list
        The cases (:mod:`accord.evaluate.backtest`).

    Returns
    -------
    arrays : ScenarioArrays
        The stacked arrays.
    outcome : np.ndarray
        The outcomes, shape (N,).
    proposals : np.ndarray
        The proposal ids, shape (N,).
    """
    cases = [c for c in cases if c.scoreable]
    arrays, _ = stack_arrays(
        [compile_scenario(c.scenario) for c in cases], [c.scenario.actor_ids for c in cases]
    )
    return arrays, np.array([c.outcome for c in cases], float), np.array([c.proposal_id for c in cases])


def issue_subset(arrays: ScenarioArrays, index: np.ndarray) -> ScenarioArrays:
    """Take some issues of unbatched arrays.

    Parameters
    ----------
    arrays : ScenarioArrays
        The arrays.
    index : np.ndarray
        The issues' indices (or a boolean mask).

    Returns
    -------
    ScenarioArrays
        The arrays of those issues.
    """
    fields = ("position", "salience", "capability", "stake", "lower", "upper", "status_quo", "veto")
    return arrays.replace(**{f: getattr(arrays, f)[..., index] for f in fields})
