"""Put many one-issue scenarios side by side on the issue axis of one array set.

Actors are aligned to the union of all cases' actors; an actor absent from a case has no stake,
salience 0, capability 0 and the issue midpoint as position (as in ``compile_scenario``). This is
only sound for models that treat issues independently (the static ones); dynamic models are run
case by case.
"""

from __future__ import annotations

import numpy as np

from accord.scenario.arrays import ScenarioArrays


def stack_arrays(
    arrays: list[ScenarioArrays], actor_ids: list[list[str]]
) -> tuple[ScenarioArrays, list[str]]:
    """One ``ScenarioArrays`` with the issues of all ``arrays`` (unbatched) and the actor union."""
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
    return ScenarioArrays(position, salience, capability, stake, lower, upper, status_quo, veto), universe
