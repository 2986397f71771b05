"""Monte Carlo uncertainty: every model on B perturbed copies of a scenario at once.

The draws come from :func:`accord.scenario.sampling.sample_arrays` (each number's stated
uncertainty); every model runs on the whole batch (its leading axis), dynamic models in
chunks of draws to bound memory. Per model and issue the outcome distribution is summarised
by its mean, median and 5/25/75/95% quantiles (numpy's default, linear interpolation between
order statistics: Hyndman & Fan 1996, definition 7), and events by their share of draws.

Seeds: ``SeedSequence(seed)`` spawns two streams, one for the draws and one for the models'
own randomness; every model gets a fresh generator from the second, so results do not depend
on which models run or in what order.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accord.experiments.events import parse_event
from accord.experiments.progress import Advance, no_progress
from accord.models import Model, available_models, get_model
from accord.scenario import Scenario, ScenarioArrays
from accord.scenario.sampling import sample_arrays

QUANTILES: dict[str, float] = {"q05": 0.05, "q25": 0.25, "q75": 0.75, "q95": 0.95}
SUMMARY_KEYS = ("mean", "median", *QUANTILES)
DYNAMIC_CHUNK = 500
#: what a model that cannot take a batch raises (a bug in it); it is skipped, the others run on
MODEL_FAILURES = (ValueError, FloatingPointError, IndexError)


def summarise(values: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median and quantiles over the draws (axis 0) of ``values [B, ...]``, NaN-aware;
    ``missing`` counts the draws without a forecast (NaN), so none is dropped unseen."""
    values = np.asarray(values, dtype=float)
    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN issues give NaN
        out["mean"] = np.nanmean(values, axis=0)
        out["median"] = np.nanmedian(values, axis=0)
        q = np.nanquantile(values, list(QUANTILES.values()), axis=0)
    for n, key in enumerate(QUANTILES):
        out[key] = q[n]
    out["missing"] = np.isnan(values).sum(axis=0)
    return out


DEFAULT_SEED = 0


def seed_streams(seed: int | None) -> tuple[np.random.SeedSequence, np.random.SeedSequence, int]:
    """The draws' and the models' seed sequences, and the seed to record; no seed means
    :data:`DEFAULT_SEED`, so every run is reproducible unless the user asks for another seed."""
    root = np.random.SeedSequence(DEFAULT_SEED if seed is None else seed)
    draws, models = root.spawn(2)
    return draws, models, int(root.entropy)  # type: ignore[arg-type]


def run_batch(
    model: Model,
    arrays: ScenarioArrays,
    seed: np.random.SeedSequence,
    chunk: int | None = None,
    advance: Advance = no_progress,
) -> np.ndarray:
    """The model's final outcomes ``[B, I]`` on batched ``arrays``; dynamic models in chunks.

    ``chunk`` defaults to all draws for static models and :data:`DYNAMIC_CHUNK` for dynamic
    ones; the model's generator is ``default_rng(seed)``, continued across chunks.
    """
    n = arrays.batch_shape[0]
    model = model.with_params(details="summary")  # only finals are used; ignored without the field
    size = chunk or (DYNAMIC_CHUNK if model.dynamic else n)
    rng = np.random.default_rng(seed)
    if size >= n:
        out = np.asarray(model.run(arrays, rng=rng).final, dtype=float)
        advance(n)
        return out
    parts = []
    status_quo_batched = arrays.status_quo.ndim > 1
    for start in range(0, n, size):
        sl = slice(start, min(n, start + size))
        part = arrays.replace(
            position=arrays.position[sl], salience=arrays.salience[sl], capability=arrays.capability[sl],
            status_quo=arrays.status_quo[sl] if status_quo_batched else arrays.status_quo,
        )
        parts.append(np.asarray(model.run(part, rng=rng).final, dtype=float))
        advance(sl.stop - sl.start)
    return np.concatenate(parts, axis=0)


@dataclass(frozen=True)
class Ensemble:
    """Per model, the final outcomes of every draw ``[B, I]``; skipped models with a reason."""

    scenario: Scenario
    n_draws: int
    seed: int
    finals: dict[str, np.ndarray]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def issue_ids(self) -> list[str]:
        return self.scenario.issue_ids

    def summary(self, model: str) -> pd.DataFrame:
        """Rows: issues; columns: mean, median, q05, q25, q75, q95."""
        return pd.DataFrame(summarise(self.finals[model]), index=pd.Index(self.issue_ids, name="issue"))

    def event(self, expr: str) -> dict[str, tuple[float, float]]:
        """``{model: (p, se)}`` for the event ``expr`` (issue ids, comparisons, and/or/not)."""
        event = parse_event(expr, self.issue_ids)
        return {name: event.probability(values) for name, values in self.finals.items()}


def run_models(
    arrays: ScenarioArrays,
    models: Sequence[Model],
    seed: np.random.SeedSequence,
    chunk: int | None = None,
    advance: Advance = no_progress,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every model on the batch: ``({name: final [B, I]}, {name: reason skipped})``."""
    finals: dict[str, np.ndarray] = {}
    skipped: dict[str, str] = {}
    n = arrays.batch_shape[0]
    for model in models:
        if arrays.n_issues < model.min_issues:
            skipped[model.name] = f"needs at least {model.min_issues} issues"
            advance(n)
            continue
        try:
            finals[model.name] = run_batch(model, arrays, seed, chunk, advance)
        except MODEL_FAILURES as exc:
            skipped[model.name] = f"failed on the batch of draws: {type(exc).__name__}: {exc}"
            advance(n)
    return finals, skipped


def make_models(models: Sequence[str | Model] | None, params: Mapping[str, Any] | None = None) -> list[Model]:
    """Models by name (with ``params``) or ready instances (kept as they are); none: all models."""
    return [get_model(m, **(params or {})) if isinstance(m, str) else m
            for m in (list(models) if models else available_models())]


def ensemble(
    scenario: Scenario,
    n_draws: int,
    seed: int | None = None,
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    chunk: int | None = None,
    advance: Advance = no_progress,
) -> Ensemble:
    """Run ``models`` (default: all) on ``n_draws`` perturbed copies of ``scenario``."""
    return run_ensemble(scenario, n_draws, seed, make_models(models, params), chunk, advance)


def run_ensemble(
    scenario: Scenario,
    n_draws: int,
    seed: int | None,
    models: Sequence[Model],
    chunk: int | None = None,
    advance: Advance = no_progress,
) -> Ensemble:
    """Configured ``models`` on ``n_draws`` draws seeded from ``seed`` (see the module docstring)."""
    draw_seed, model_seed, recorded = seed_streams(seed)
    arrays = sample_arrays(scenario, n_draws, np.random.default_rng(draw_seed))
    finals, skipped = run_models(arrays, models, model_seed, chunk, advance)
    return Ensemble(scenario, n_draws, recorded, finals, skipped)
