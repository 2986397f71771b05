"""Monte Carlo uncertainty: every model on B perturbed copies of a scenario at once.

The draws come from :func:`accord.scenario.sampling.sample_arrays` (each number's stated
uncertainty); every model runs on them in chunks of :data:`CHUNK` draws, on every core
(:mod:`accord.experiments.parallel`). Per model and issue the outcome distribution is summarised
by its mean, median and 5/25/75/95% quantiles (numpy's default, linear interpolation between
order statistics: Hyndman & Fan 1996, definition 7), and events by their share of draws.

Seeds: streams are found by name (:func:`accord.rng.stream`): the draws come from
``stream(seed, DRAWS)`` and each model's own randomness from ``stream(seed, MODELS, name)``, so
a model's numbers do not depend on which other models run or in what order, and a what-if's
baseline and change use the very same streams.

Determinism on any number of cores: the draws are cut into chunks of :data:`CHUNK` draws
(chunk c holds draws ``c * CHUNK`` to ``(c + 1) * CHUNK - 1``), a size fixed here and never
derived from the number of workers; a stochastic model's generator for chunk c is
``default_rng(chunk_stream(stream(seed, MODELS, name), c))``, its named stream extended by c.
A chunk's numbers therefore depend only on the seed, the model and c, and the results are bit
for bit the same for 1 worker or 16 and whatever order the chunks finish in (a test runs the
built-in scenario's stochastic models both ways). Models that use no randomness give the same
numbers for any chunk size.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.experiments.events import parse_event
from accord.experiments.parallel import Job, run_jobs
from accord.experiments.progress import Advance, no_progress
from accord.models import Model, available_models, get_model, model_class
from accord.rng import DEFAULT_SEED, DRAWS, MODELS, stream
from accord.scenario import Scenario, ScenarioArrays

if TYPE_CHECKING:
    import pandas as pd

QUANTILES: dict[str, float] = {"q05": 0.05, "q25": 0.25, "q75": 0.75, "q95": 0.95}
SUMMARY_KEYS = ("mean", "median", *QUANTILES)
#: draws per chunk: the unit of work of a worker and of a stochastic model's generator (see the
#: module docstring). Never derived from the number of workers. 250 keeps a chunk of the biggest
#: per-draw working set (smp, choice) to a few MB and gives 2 workers 40 chunks per model at
#: 10,000 draws.
CHUNK = 250
#: a static model's draws are worth threads from this many on (fewer: a sweep's many small tasks
#: would pay more for the threads than they save)
PARALLEL_DRAWS = 2000
#: what a model that cannot take a batch raises (a bug in it); it is skipped, the others run on
MODEL_FAILURES = (ValueError, FloatingPointError, IndexError)


def summarise(values: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median and quantiles over the draws (axis 0) of ``values [B, ...]``, NaN-aware;
    ``missing`` counts the draws without a forecast (NaN), so none is dropped unseen.
    """
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


def draw_arrays(scenario: Scenario, n_draws: int, seed: int) -> ScenarioArrays:
    """``n_draws`` perturbed copies of ``scenario`` from the draws' stream of ``seed``."""
    from accord.scenario.sampling import sample_arrays

    return sample_arrays(scenario, n_draws, np.random.default_rng(stream(seed, DRAWS)))


def model_stream(seed: int, model: Model) -> np.random.SeedSequence:
    """Model ``model``'s own stream under ``seed`` (found by its name)."""
    return stream(seed, MODELS, model.name)


def chunk_stream(seed: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """The stream of chunk ``index`` of a model whose stream is ``seed``: ``seed`` extended by the
    chunk's number (a fresh sequence, so no caller's sequence is advanced).
    """
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, index))


def draws_of(arrays: ScenarioArrays, rows: slice) -> ScenarioArrays:
    """The draws ``rows`` of batched ``arrays`` (a status quo without a batch axis is shared)."""
    batched = arrays.status_quo.ndim > 1
    return arrays.replace(
        position=arrays.position[rows], salience=arrays.salience[rows], capability=arrays.capability[rows],
        status_quo=arrays.status_quo[rows] if batched else arrays.status_quo,
    )


def for_batches(model: Model) -> Model:
    """``model`` as a Monte Carlo chunk runs it: only final outcomes are kept (``details="summary"``
    where the model has it) and one thread inside (the chunks are what runs in parallel).
    """
    if "summary" in model.detail_levels:
        model = model.with_params(details="summary")
    if "threads" in model.parameters() and getattr(model, "threads", 1) != 1:
        model = model.with_params(threads=1)
    return model


def batch_job(key: Any, model: Model, arrays: ScenarioArrays, seed: np.random.SeedSequence,
              chunk: int | None = None) -> Job:
    """The job of running ``model`` on the draws ``arrays [B, ...]``: chunk c runs draws
    ``c * chunk ...`` with the generator of :func:`chunk_stream` (``seed``, c) and gives their final
    outcomes ``[rows, I]``.
    """
    size = chunk or CHUNK
    if size < 1:
        raise ValueError(f"chunk must be at least 1 draw, not {size}")
    n = arrays.batch_shape[0]
    runner = for_batches(model)

    def run(index: int) -> np.ndarray:
        rows = slice(index * size, min(n, (index + 1) * size))
        part = arrays if rows.start == 0 and rows.stop == n else draws_of(arrays, rows)
        rng = np.random.default_rng(chunk_stream(seed, index))
        return np.asarray(runner.run(part, rng=rng).final, dtype=float)

    return Job(key, model.name, n, size, run, parallel=model.dynamic or n >= PARALLEL_DRAWS)


def run_batch(
    model: Model,
    arrays: ScenarioArrays,
    seed: np.random.SeedSequence,
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> np.ndarray:
    """The model's final outcomes ``[B, I]`` on batched ``arrays``, in chunks of ``chunk`` draws
    (default :data:`CHUNK`) on ``workers`` threads (default: every core); see the module docstring
    for the generators. Raises what the model raises.
    """
    out = run_jobs([batch_job(0, model, arrays, seed, chunk)], workers, advance, MODEL_FAILURES)[0]
    if isinstance(out, BaseException):
        raise out
    return out


def run_model_jobs(
    runs: Sequence[tuple[Any, Model, ScenarioArrays]],
    seed: int,
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> tuple[dict[Any, np.ndarray], dict[Any, str]]:
    """Several (key, model, draws) runs at once, all chunks sharing the workers, each model with
    its own stream under ``seed``: ``({key: final [B, I]}, {key: reason skipped})``.
    """
    finals: dict[Any, np.ndarray] = {}
    skipped: dict[Any, str] = {}
    jobs = []
    for key, model, arrays in runs:
        if arrays.n_issues < model.min_issues:
            skipped[key] = f"needs at least {model.min_issues} issues"
            advance(arrays.batch_shape[0])
            continue
        jobs.append(batch_job(key, model, arrays, model_stream(seed, model), chunk))
    for key, out in run_jobs(jobs, workers, advance, MODEL_FAILURES).items():
        if isinstance(out, BaseException):
            skipped[key] = f"failed on the batch of draws: {type(out).__name__}: {out}"
        else:
            finals[key] = out
    return finals, skipped


def run_models(
    arrays: ScenarioArrays,
    models: Sequence[Model],
    seed: int,
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every model on the batch, each with its own stream under ``seed``:
    ``({name: final [B, I]}, {name: reason skipped})``.
    """
    return run_model_jobs([(m.name, m, arrays) for m in models], seed, chunk, advance, workers)


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
        import pandas as pd

        return pd.DataFrame(summarise(self.finals[model]), index=pd.Index(self.issue_ids, name="issue"))

    def event(self, expr: str) -> dict[str, tuple[float, float]]:
        """``{model: (p, se)}`` for the event ``expr`` (issue ids, comparisons, and/or/not)."""
        event = parse_event(expr, self.issue_ids)
        return {name: event.probability(values) for name, values in self.finals.items()}


def make_models(models: Sequence[str | Model] | None, params: Mapping[str, Any] | None = None) -> list[Model]:
    """Models by name (each with the ``params`` it declares) or ready instances (kept as they are);
    none: all models.
    """
    return [get_model(m, **model_class(m).own_params(params or {})) if isinstance(m, str) else m
            for m in (list(models) if models else available_models())]


def ensemble(
    scenario: Scenario,
    n_draws: int,
    seed: int | None = None,
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> Ensemble:
    """Run ``models`` (default: all) on ``n_draws`` perturbed copies of ``scenario`` on ``workers``
    threads (default: every core; the results do not depend on it).
    """
    return run_ensemble(scenario, n_draws, seed, make_models(models, params), chunk, advance, workers)


def run_ensemble(
    scenario: Scenario,
    n_draws: int,
    seed: int | None,
    models: Sequence[Model],
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> Ensemble:
    """Configured ``models`` on ``n_draws`` draws seeded from ``seed`` (see the module docstring)."""
    seed = DEFAULT_SEED if seed is None else seed
    arrays = draw_arrays(scenario, n_draws, seed)
    finals, skipped = run_models(arrays, models, seed, chunk, advance, workers)
    return Ensemble(scenario, n_draws, seed, finals, skipped)
