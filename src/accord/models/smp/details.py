"""What an SMP run records beside its positions: risk attitudes, challenges, bargains, choices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.models.base import Details


@dataclass(frozen=True)
class SmpDetails(Details):
    """Per state and turn of KTAB's spatial model (``docs/specs/spatial-model.md`` §3-§12).

    Arrays index the *players* (actors with a stake somewhere, listed in ``players``); R is the
    number of states (turns + 1); with draws, the batch axes follow the first axis.

    Parameters
    ----------
    n_turns : int or np.ndarray
        Turns run (an int, or ``[...]`` per draw).
    positions : np.ndarray
        ``[R, ..., P, I]``: the players' positions in scale units.
    risk, position_prob, share : np.ndarray
        ``[R, ..., P]``: risk attitude, probability that the position a player holds wins, and
        the player's share of the outcome weight.
    target, p_win, gain : np.ndarray
        ``[R-1, ..., P]``: each turn's challenge target (-1: none), the challenger's estimate of
        its odds and its expected gain.
    choice, choice_prob, queue_size : np.ndarray
        ``[R-1, ..., P]``: the option each player took (0: stay; else 1 + initiator x V +
        variant), its probability, and how many options its queue held.
    bargain_initiator, bargain_receiver : np.ndarray
        ``[R-1, ..., P, V, I]``: the positions each proposal gives its initiator and receiver.
    players : np.ndarray or None
        Indices of the players among the scenario's actors, or None when every actor plays.
    options : Mapping[str, Any] or None
        The parameters of the run (the accommodation matrix as a flag).
    """

    n_turns: Any
    positions: np.ndarray
    risk: np.ndarray
    position_prob: np.ndarray
    share: np.ndarray
    target: np.ndarray
    p_win: np.ndarray
    gain: np.ndarray
    choice: np.ndarray
    choice_prob: np.ndarray
    queue_size: np.ndarray
    bargain_initiator: np.ndarray
    bargain_receiver: np.ndarray
    players: np.ndarray | None = None
    options: Mapping[str, Any] | None = None
