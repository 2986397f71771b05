"""What an exchange run records beside its positions: voting outcomes, ties and executed trades."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.models.base import Details

EXCHANGE_DTYPE = np.dtype([
    ("actor_i", np.int64), ("actor_j", np.int64), ("issue_i", np.int64), ("issue_j", np.int64),
    ("from_i", float), ("to_i", float), ("from_j", float), ("to_j", float),
    ("gain_i", float), ("gain_j", float),
])
"""One executed trade, in issue units: side I moves on ``issue_i`` from ``from_i`` to ``to_i``,
side J on ``issue_j``. ``gain_i``/``gain_j``: each side's utility gain, s_demand x (outcome shift
it gets) - s_supply x (outcome shift it concedes), shifts on the normalised 0..100 scale (equal
under equal gain)."""


@dataclass(frozen=True)
class ExchangeDetails(Details):
    """Per round (round 0 = the input) what the exchanges did (``docs/specs/exchange.md`` §6-§8).

    Parameters
    ----------
    voting_outcome : np.ndarray
        ``[R, ..., I]``: weighted mean of the voting positions after round r's trades (row 0 NaN).
    tie_events : np.ndarray
        ``[R, ...]``: ties between equally good trades settled (by the seed or creation order).
    n_exchanges : np.ndarray
        ``[R, ...]``: trades executed.
    skipped : np.ndarray
        ``[R, ...]``: candidates skipped for zero salience or power (§3).
    exchanges : list
        The executed trades: a list per round (round 0 empty) of :data:`EXCHANGE_DTYPE` arrays;
        with draws, a list of those per draw.
    """

    voting_outcome: np.ndarray
    tie_events: np.ndarray
    n_exchanges: np.ndarray
    skipped: np.ndarray
    exchanges: list[Any]

    @property
    def batched(self) -> bool:
        """The run had draws (one batch axis)."""
        return np.asarray(self.voting_outcome).ndim > 2

    def draw(self, b: int) -> ExchangeDetails:
        """Return the details of draw ``b`` of a run with one batch axis.

        Parameters
        ----------
        b : int
            The draw.

        Returns
        -------
        ExchangeDetails
            The draw's details, without the batch axis.
        """
        return dataclasses.replace(
            self, voting_outcome=np.asarray(self.voting_outcome)[:, b],
            tie_events=np.asarray(self.tie_events)[:, b], n_exchanges=np.asarray(self.n_exchanges)[:, b],
            skipped=np.asarray(self.skipped)[:, b], exchanges=self.exchanges[b])
