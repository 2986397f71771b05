"""The one place where the strategy search draws inputs, runs models and reads a model's details.

Streams are those of ``accord whatif`` (:func:`accord.rng.stream`): the draws from
``stream(seed, DRAWS)``, each model's randomness from ``stream(seed, MODELS, name)`` (a fresh
generator for the baseline and for every lever, so a lever that changes nothing gains exactly
nothing), the bootstrap from ``stream(seed, BOOTSTRAP)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.experiments.progress import Advance, no_progress
from accord.experiments.uncertainty import draw_arrays, run_models
from accord.models import Model
from accord.rng import BOOTSTRAP, stream
from accord.scenario import Scenario, ScenarioArrays


def draws(scenario: Scenario, n_draws: int, seed: int) -> ScenarioArrays:
    """Take perturbed copies of the scenario from the draws' stream of ``seed``.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    n_draws : int
        How many copies.
    seed : int
        The seed.

    Returns
    -------
    ScenarioArrays
        The draws, batched with shape (n_draws, ...).
    """
    return draw_arrays(scenario, n_draws, seed)


def bootstrap_generator(seed: int) -> np.random.Generator:
    """Return the bootstrap's generator under ``seed``.

    Parameters
    ----------
    seed : int
        The seed.

    Returns
    -------
    np.random.Generator
        A generator on the bootstrap's stream.
    """
    return np.random.default_rng(stream(seed, BOOTSTRAP))


def run(arrays: ScenarioArrays, models: Sequence[Model], seed: int, advance: Advance = no_progress
        ) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Run every model on the batch, each from its own stream of ``seed``.

    The same call on changed arrays gives each model the same random numbers.

    Parameters
    ----------
    arrays : ScenarioArrays
        The draws, batched.
    models : sequence of Model
        The models.
    seed : int
        The seed.
    advance : Advance
        Progress callback.

    Returns
    -------
    finals : dict of str to np.ndarray
        Each model's final outcome, shape (B, I), by name.
    skipped : dict of str to str
        Why a model was skipped, by name.
    """
    return run_models(arrays, models, seed, advance=advance)


def detail(trajectory: Any, name: str) -> Any:
    """Read a model's own result from a trajectory's typed details.

    Parameters
    ----------
    trajectory : Trajectory
        The model's run.
    name : str
        The detail's name.

    Returns
    -------
    Any
        The detail.
    """
    return getattr(trajectory.details, name)
