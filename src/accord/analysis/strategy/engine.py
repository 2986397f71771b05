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
    """``n_draws`` perturbed copies of the scenario from the draws' stream of ``seed``."""
    return draw_arrays(scenario, n_draws, seed)


def bootstrap_generator(seed: int) -> np.random.Generator:
    """The bootstrap's generator under ``seed``."""
    return np.random.default_rng(stream(seed, BOOTSTRAP))


def run(arrays: ScenarioArrays, models: Sequence[Model], seed: int, advance: Advance = no_progress
        ) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every model on the batch from its own stream of ``seed``: ``({name: final [B, I]}, {name: why
    skipped})``; the same call on changed arrays gives each model the same random numbers.
    """
    return run_models(arrays, models, seed, advance=advance)


def detail(trajectory: Any, name: str) -> Any:
    """A model's own result ``name`` from a trajectory's typed details."""
    return getattr(trajectory.details, name)
