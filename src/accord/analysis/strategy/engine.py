"""The one place where the strategy search draws inputs, runs models and reads a model's details.

Streams (as ``accord whatif``): the draws come from ``SeedSequence(seed, spawn_key=(0,))``, the
bootstrap from ``spawn_key=(2,)`` (the streams :func:`accord.rng.stream` names ``DRAWS`` and
``BOOTSTRAP``); each model's randomness from the model stream of
:mod:`accord.experiments.uncertainty`, a fresh generator from the same seed for the baseline and
for every lever, so a lever that changes nothing gains exactly nothing. Wave 2 (issue 14.1)
finds model streams by name and has ``run_models`` take the integer seed; both forms are handled
here, so the rest of the package does not care which one it runs on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord.experiments import uncertainty
from accord.experiments.progress import Advance, no_progress
from accord.models import Model
from accord.scenario import Scenario, ScenarioArrays
from accord.scenario.sampling import sample_arrays

DRAWS, MODELS, BOOTSTRAP = 0, 1, 2


def draws(scenario: Scenario, n_draws: int, seed: int) -> ScenarioArrays:
    """``n_draws`` perturbed copies of the scenario from the draws' stream of ``seed``."""
    generator = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAWS,)))
    return sample_arrays(scenario, n_draws, generator)


def bootstrap_generator(seed: int) -> np.random.Generator:
    """The bootstrap's generator under ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(BOOTSTRAP,)))


def run(arrays: ScenarioArrays, models: Sequence[Model], seed: int, advance: Advance = no_progress
        ) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every model on the batch from its own stream of ``seed``: ``({name: final [B, I]}, {name: why
    skipped})``; the same call on changed arrays gives each model the same random numbers."""
    if hasattr(uncertainty, "model_stream"):  # streams by name (wave 2, issue 14.1)
        return uncertainty.run_models(arrays, models, seed, advance=advance)  # type: ignore[arg-type]
    finals: dict[str, np.ndarray] = {}
    skipped: dict[str, str] = {}
    for model in models:  # a fresh sequence per run: a model that spawns generators advances it
        fresh = np.random.SeedSequence(seed, spawn_key=(MODELS,))
        out, why = uncertainty.run_models(arrays, [model], fresh, advance=advance)
        finals.update(out)
        skipped.update(why)
    return finals, skipped


def detail(trajectory: Any, name: str) -> Any:
    """A model's own result ``name`` from a trajectory: details are a mapping or a typed object."""
    details = trajectory.details
    return details[name] if isinstance(details, Mapping) else getattr(details, name)
