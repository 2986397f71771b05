"""What an expected-utility run records beside its positions: medians, means, risk, offers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.models.base import Details
from accord.models.eum.rules import Rules


@dataclass(frozen=True)
class EumDetails(Details):
    """Results of an expected-utility run beyond its positions and forecast.

    Per round, draw and issue the median (the forecast), mean and warnings; at ``level="full"``
    also per actor the risk exponent and the accepted offer (spec §7-§9).

    Parameters
    ----------
    level : str
        ``"full"`` or ``"summary"`` (the per-actor arrays are then None).
    rules : Rules
        The rule variants the run used.
    positions : np.ndarray
        ``[R, ..., A, I]``: the trajectory's positions (the same array), where each offer led.
    median, mean : np.ndarray
        ``[R, ..., I]``: capability x salience weighted median and mean of the positions.
    median_tie, equal_danger : np.ndarray
        ``[R, ..., I]``: a median tie within the tolerance (lower position kept); all danger
        levels equal (r = 1 used).
    converged_round : np.ndarray
        ``[..., I]``: the round from which nobody moves (-1: moved until the end).
    zero_span : np.ndarray
        ``[..., I]``: all actors start at one position, so nothing moves.
    risk : np.ndarray or None
        ``[R, ..., A, I]``: risk exponents r_i (NaN where there is no stake).
    proposer, kind : np.ndarray or None
        ``[R, ..., A, I]``: index of the actor whose offer was accepted (-1: none) and its kind
        (index into :data:`accord.models.eum.rules.OFFER_TYPES`).
    eu_own, eu_other : np.ndarray or None
        ``[R, ..., A, I]``: E_ij and E_ji of the accepted offer (NaN: none).
    """

    level: str
    rules: Rules
    positions: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    median_tie: np.ndarray
    equal_danger: np.ndarray
    converged_round: np.ndarray
    zero_span: np.ndarray
    risk: np.ndarray | None = None
    proposer: np.ndarray | None = None
    kind: np.ndarray | None = None
    eu_own: np.ndarray | None = None
    eu_other: np.ndarray | None = None

    @property
    def batched(self) -> bool:
        """The run had draws (leading batch axes)."""
        return self.positions.ndim > 3
