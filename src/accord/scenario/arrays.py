"""The numeric form of a scenario that every model consumes.

Batch axes (Monte Carlo draws) lead: ``position``, ``salience`` and ``capability`` have shape
``[..., A, I]``; the structural arrays (``stake``, ``veto``, bounds, status quo) are shared by
all draws. Labels (actor and issue ids) live beside the arrays, in the scenario.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from accord.scenario.decisions import individual_vetoes
from accord.scenario.schema import Scenario


@dataclass(frozen=True)
class ScenarioArrays:
    position: np.ndarray  # [..., A, I] in scale units; the issue midpoint where there is no stake
    salience: np.ndarray  # [..., A, I] in 0..1; 0 where there is no stake
    capability: np.ndarray  # [..., A, I] >= 0
    stake: np.ndarray  # [A, I] bool: the actor takes part in the issue
    lower: np.ndarray  # [I]
    upper: np.ndarray  # [I]
    status_quo: np.ndarray  # [I] (or [..., I] when sampled), NaN where there is none
    veto: np.ndarray  # [A, I] bool: the actor can block a package moving the issue on its own

    @property
    def n_actors(self) -> int:
        return self.stake.shape[0]

    @property
    def n_issues(self) -> int:
        return self.stake.shape[1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.position.shape[:-2]

    def weight(self) -> np.ndarray:
        """Capability x salience, zero off-stake: the weight of the classic models ``[..., A, I]``."""
        return self.capability * self.salience * self.stake

    def replace(self, **changes: np.ndarray) -> ScenarioArrays:
        return dataclasses.replace(self, **changes)

    def broadcast(self, n_draws: int) -> ScenarioArrays:
        """Repeat an unbatched scenario ``n_draws`` times along a new leading axis."""
        shape = (n_draws, *self.stake.shape)
        return self.replace(
            position=np.broadcast_to(self.position, shape).copy(),
            salience=np.broadcast_to(self.salience, shape).copy(),
            capability=np.broadcast_to(self.capability, shape).copy(),
        )

    def issue(self, k: int) -> ScenarioArrays:
        """The one-issue sub-scenario of issue ``k`` (keeps the issue axis, of length 1)."""
        sl = slice(k, k + 1)
        return ScenarioArrays(
            position=self.position[..., sl],
            salience=self.salience[..., sl],
            capability=self.capability[..., sl],
            stake=self.stake[:, sl],
            lower=self.lower[sl],
            upper=self.upper[sl],
            status_quo=self.status_quo[..., sl],
            veto=self.veto[:, sl],
        )


def compile_scenario(scenario: Scenario) -> ScenarioArrays:
    """Turn a validated scenario into arrays: saliences to 0..1, capabilities per issue."""
    actor_index = {a.id: n for n, a in enumerate(scenario.actors)}
    issue_index = {i.id: n for n, i in enumerate(scenario.issues)}
    n_a, n_i = len(actor_index), len(issue_index)
    lower = np.array([i.scale.min for i in scenario.issues], dtype=float)
    upper = np.array([i.scale.max for i in scenario.issues], dtype=float)
    status_quo = np.array(
        [np.nan if i.status_quo is None else i.status_quo for i in scenario.issues], dtype=float
    )
    position = np.broadcast_to((lower + upper) / 2, (n_a, n_i)).copy()
    salience = np.zeros((n_a, n_i))
    stake = np.zeros((n_a, n_i), dtype=bool)
    for p in scenario.positions:
        a, k = actor_index[p.actor], issue_index[p.issue]
        position[a, k] = p.position
        salience[a, k] = p.salience / scenario.salience_scale
        stake[a, k] = True
    capability = np.empty((n_a, n_i))
    for a, actor in enumerate(scenario.actors):
        capability[a, :] = actor.capability
        for issue_id, value in actor.capability_by_issue.items():
            capability[a, issue_index[issue_id]] = value
    veto = individual_vetoes(scenario)
    arrays = ScenarioArrays(position, salience, capability, stake, lower, upper, status_quo, veto)
    for f in dataclasses.fields(arrays):
        getattr(arrays, f.name).flags.writeable = False
    return arrays
