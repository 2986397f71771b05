"""What every lever family needs to propose candidates: the scenario, its coded arrays, the client,
the size of one lever and the actors it may lobby.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario import Scenario, ScenarioArrays


@dataclass(frozen=True)
class Setting:
    """``step``: one lever's size in effort points (see :mod:`.levers`); ``targets``: indices of the
    actors the client may lobby (persuasion).
    """

    scenario: Scenario
    arrays: ScenarioArrays  # coded (unbatched)
    client: int
    step: float
    targets: tuple[int, ...]

    @property
    def client_id(self) -> str:
        return self.scenario.actor_ids[self.client]

    def span(self, k: int) -> float:
        return float(self.arrays.upper[k] - self.arrays.lower[k])

    def client_issues(self) -> list[int]:
        """The issues the client has a stake in."""
        return [int(k) for k in np.flatnonzero(self.arrays.stake[self.client])]

    def weighted_mean(self, exclude: int | None = None) -> np.ndarray:
        """Capability x salience weighted mean position per issue ``[I]`` (the compromise model's
        forecast; Achen 2006), optionally without one actor; NaN where no weight is left.
        """
        w = np.array(self.arrays.weight(), dtype=float)
        if exclude is not None:
            w[exclude] = 0.0
        total = w.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (w * self.arrays.position).sum(axis=0) / total, np.nan)

    def position(self, actor: int, k: int) -> float:
        return float(self.arrays.position[actor, k])

    def moved(self, k: int, start: float, toward: float, points: float) -> float:
        """The move (scale units) from ``start`` toward ``toward`` by ``points`` effort points, kept
        on the scale and not past ``toward``; positive or negative.
        """
        size = points / 100.0 * self.span(k)
        gap = toward - start
        return float(np.sign(gap) * min(size, abs(gap)))

    def away(self, k: int, start: float, frm: float, points: float) -> float:
        """The move from ``start`` away from ``frm`` by ``points``, kept on the scale."""
        direction = 1.0 if start >= frm else -1.0
        end = float(np.clip(start + direction * points / 100.0 * self.span(k), self.arrays.lower[k],
                            self.arrays.upper[k]))
        return end - start
