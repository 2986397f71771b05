"""What every lever family needs to propose candidates.

The scenario, its coded arrays, the client, the size of one lever and the actors it may lobby.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.scenario import Scenario, ScenarioArrays


@dataclass(frozen=True)
class Setting:
    """What every lever family needs to propose candidates.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    arrays : ScenarioArrays
        Its coded arrays (unbatched).
    client : int
        The client's actor index.
    step : float
        One lever's size in effort points (see :mod:`.levers`).
    targets : tuple of int
        Indices of the actors the client may lobby (persuasion).
    """

    scenario: Scenario
    arrays: ScenarioArrays  # coded (unbatched)
    client: int
    step: float
    targets: tuple[int, ...]

    @property
    def client_id(self) -> str:
        """The client's actor id."""
        return self.scenario.actor_ids[self.client]

    def span(self, k: int) -> float:
        """Return the width of issue ``k``'s scale.

        Parameters
        ----------
        k : int
            The issue's index.

        Returns
        -------
        float
            ``max - min`` of the scale.
        """
        return float(self.arrays.upper[k] - self.arrays.lower[k])

    def client_issues(self) -> list[int]:
        """Return the issues the client has a stake in.

        Returns
        -------
        list of int
            Their indices.
        """
        return [int(k) for k in np.flatnonzero(self.arrays.stake[self.client])]

    def weighted_mean(self, exclude: int | None = None) -> np.ndarray:
        """Return the capability x salience weighted mean position per issue.

        This is the compromise model's forecast (Achen 2006).

        Parameters
        ----------
        exclude : int, optional
            An actor to leave out.

        Returns
        -------
        np.ndarray
            Shape (I,); NaN where no weight is left.

        References
        ----------
        C. H. Achen, "Institutional realism and bargaining models", in R. Thomson et al. (eds.),
        *The European Union Decides*, Cambridge University Press, 2006.
        """
        w = np.array(self.arrays.weight(), dtype=float)
        if exclude is not None:
            w[exclude] = 0.0
        total = w.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (w * self.arrays.position).sum(axis=0) / total, np.nan)

    def position(self, actor: int, k: int) -> float:
        """Return an actor's coded position on issue ``k``.

        Parameters
        ----------
        actor : int
            The actor's index.
        k : int
            The issue's index.

        Returns
        -------
        float
            The position, in scale units.
        """
        return float(self.arrays.position[actor, k])

    def moved(self, k: int, start: float, toward: float, points: float) -> float:
        """Return the move from ``start`` toward ``toward`` by ``points`` effort points.

        Parameters
        ----------
        k : int
            The issue's index.
        start : float
            Where the move starts.
        toward : float
            Where it heads; it never goes past it (so it stays on the scale).
        points : float
            Its size, in effort points.

        Returns
        -------
        float
            The move in scale units, positive or negative.
        """
        size = points / 100.0 * self.span(k)
        gap = toward - start
        return float(np.sign(gap) * min(size, abs(gap)))

    def away(self, k: int, start: float, frm: float, points: float) -> float:
        """Return the move from ``start`` away from ``frm`` by ``points`` effort points, kept on the scale.

        Parameters
        ----------
        k : int
            The issue's index.
        start : float
            Where the move starts.
        frm : float
            The point it moves away from.
        points : float
            Its size, in effort points.

        Returns
        -------
        float
            The move in scale units, positive or negative.
        """
        direction = 1.0 if start >= frm else -1.0
        end = float(np.clip(start + direction * points / 100.0 * self.span(k), self.arrays.lower[k],
                            self.arrays.upper[k]))
        return end - start
