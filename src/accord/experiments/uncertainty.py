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
    """Summarise draws by their mean, median and quantiles, ignoring NaN.

    Quantiles are numpy's default: linear interpolation between order statistics
    (definition 7 of [1]_).

    Parameters
    ----------
    values : np.ndarray
        Values, shape (B, ...), draws along axis 0.

    Returns
    -------
    dict of str to np.ndarray
        ``mean``, ``median``, ``q05``, ``q25``, ``q75``, ``q95``, each of shape (...), and
        ``missing``: the number of draws without a forecast (NaN), so none is dropped unseen.

    References
    ----------
    .. [1] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", The American
       Statistician 50, 1996.
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
    """Draw perturbed copies of a scenario from the draws' stream of a seed.

    Parameters
    ----------
    scenario : Scenario
        The scenario; each number varies over its stated uncertainty.
    n_draws : int
        Number of copies B.
    seed : int
        The run's seed (the stream used is ``stream(seed, DRAWS)``).

    Returns
    -------
    ScenarioArrays
        Arrays with a batch axis of B.
    """
    from accord.scenario.sampling import sample_arrays

    return sample_arrays(scenario, n_draws, np.random.default_rng(stream(seed, DRAWS)))


def model_stream(seed: int, model: Model) -> np.random.SeedSequence:
    """Return a model's own stream under a seed, found by the model's name.

    Parameters
    ----------
    seed : int
        The run's seed.
    model : Model
        The model.

    Returns
    -------
    np.random.SeedSequence
        ``stream(seed, MODELS, model.name)``.
    """
    return stream(seed, MODELS, model.name)


def chunk_stream(seed: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """Return the stream of one chunk of a model's draws.

    Parameters
    ----------
    seed : np.random.SeedSequence
        The model's stream.
    index : int
        Chunk index.

    Returns
    -------
    np.random.SeedSequence
        ``seed`` extended by the chunk's number (a fresh sequence, so no caller's sequence is
        advanced).
    """
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, index))


def draws_of(arrays: ScenarioArrays, rows: slice) -> ScenarioArrays:
    """Return some of the draws of batched arrays.

    Parameters
    ----------
    arrays : ScenarioArrays
        Arrays with a batch axis.
    rows : slice
        The draws to keep.

    Returns
    -------
    ScenarioArrays
        Those draws (a status quo without a batch axis is shared).
    """
    batched = arrays.status_quo.ndim > 1
    return arrays.replace(
        position=arrays.position[rows], salience=arrays.salience[rows], capability=arrays.capability[rows],
        status_quo=arrays.status_quo[rows] if batched else arrays.status_quo,
    )


def for_batches(model: Model) -> Model:
    """Return a model as a Monte Carlo chunk runs it.

    Only final outcomes are kept (``details="summary"`` where the model has it) and the model
    uses one thread inside (the chunks are what runs in parallel).

    Parameters
    ----------
    model : Model
        The model.

    Returns
    -------
    Model
        The model, with those parameters where it declares them.
    """
    if "summary" in model.detail_levels:
        model = model.with_params(details="summary")
    if "threads" in model.parameters() and getattr(model, "threads", 1) != 1:
        model = model.with_params(threads=1)
    return model


def batch_job(key: Any, model: Model, arrays: ScenarioArrays, seed: np.random.SeedSequence,
              chunk: int | None = None) -> Job:
    """Return the job of running a model on batched draws.

    Chunk c runs draws ``c * chunk`` up to ``(c + 1) * chunk`` with the generator of
    :func:`chunk_stream` (``seed``, c) and gives their final outcomes, shape (rows, I).

    Parameters
    ----------
    key : Any
        Key of the job's result.
    model : Model
        The model.
    arrays : ScenarioArrays
        The draws, shape (B, ...).
    seed : np.random.SeedSequence
        The model's stream.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).

    Returns
    -------
    Job
        The job; worth threads for a dynamic model or from :data:`PARALLEL_DRAWS` draws on.

    Raises
    ------
    ValueError
        When ``chunk`` is below 1.
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
    """Run a model on batched draws, in chunks on a pool of threads.

    See the module docstring for the generators. Raises what the model raises.

    Parameters
    ----------
    model : Model
        The model.
    arrays : ScenarioArrays
        The draws, shape (B, ...).
    seed : np.random.SeedSequence
        The model's stream.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per draw.
    workers : int or None, optional
        Threads (default: every core).

    Returns
    -------
    np.ndarray
        Final outcomes, shape (B, I).
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
    """Run several models on several batches of draws at once, all chunks sharing the workers.

    Each model uses its own stream under ``seed``. A model needing more issues than the draws
    have, or failing on them with one of :data:`MODEL_FAILURES`, is skipped with the reason.

    Parameters
    ----------
    runs : Sequence of (key, Model, ScenarioArrays)
        The runs: a key, a model and its draws, shape (B, ...).
    seed : int
        The run's seed.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per model and draw.
    workers : int or None, optional
        Threads (default: every core).

    Returns
    -------
    finals : dict
        Per key, the final outcomes, shape (B, I).
    skipped : dict
        Per key of a skipped run, the reason.
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
    """Run every model on one batch of draws, each with its own stream under ``seed``.

    Parameters
    ----------
    arrays : ScenarioArrays
        The draws, shape (B, ...).
    models : Sequence of Model
        The models.
    seed : int
        The run's seed.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per model and draw.
    workers : int or None, optional
        Threads (default: every core).

    Returns
    -------
    finals : dict of str to np.ndarray
        Per model name, the final outcomes, shape (B, I).
    skipped : dict of str to str
        Per skipped model, the reason.
    """
    return run_model_jobs([(m.name, m, arrays) for m in models], seed, chunk, advance, workers)


@dataclass(frozen=True)
class Ensemble:
    """Per model, the final outcomes of every draw ``[B, I]``; skipped models with a reason.

    Attributes
    ----------
    scenario : Scenario
        The scenario the draws perturb.
    n_draws : int
        Number of draws B.
    seed : int
        The seed of the draws and the models' streams.
    finals : dict of str to np.ndarray
        Per model name, final outcomes, shape (B, I).
    skipped : dict of str to str
        Per skipped model, the reason.
    """

    scenario: Scenario
    n_draws: int
    seed: int
    finals: dict[str, np.ndarray]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def issue_ids(self) -> list[str]:
        """The scenario's issue ids, in the order of the outcomes' last axis."""
        return self.scenario.issue_ids

    def summary(self, model: str) -> pd.DataFrame:
        """Return one model's outcome distribution per issue.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        pd.DataFrame
            Rows: issues; columns: mean, median, q05, q25, q75, q95 and missing (see
            :func:`summarise`).
        """
        import pandas as pd

        return pd.DataFrame(summarise(self.finals[model]), index=pd.Index(self.issue_ids, name="issue"))

    def event(self, expr: str) -> dict[str, tuple[float, float]]:
        """Return an event's probability under each model.

        Parameters
        ----------
        expr : str
            The event: issue ids, numbers, comparisons, arithmetic and ``and/or/not``.

        Returns
        -------
        dict of str to (float, float)
            Per model, ``(p, se)``: the share of draws where the event holds and its standard
            error.

        Raises
        ------
        ExpressionError
            When the event does not parse or names an unknown issue.
        """
        event = parse_event(expr, self.issue_ids)
        return {name: event.probability(values) for name, values in self.finals.items()}


def make_models(models: Sequence[str | Model] | None, params: Mapping[str, Any] | None = None) -> list[Model]:
    """Return model instances from names or instances.

    Parameters
    ----------
    models : Sequence of str or Model, or None
        Names (each model built with the ``params`` it declares) or ready instances (kept as
        they are); none: all models.
    params : Mapping or None, optional
        Parameters, given to each named model that declares them.

    Returns
    -------
    list of Model
        The models.
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
    """Run models on perturbed copies of a scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario; each number varies over its stated uncertainty.
    n_draws : int
        Number of copies B.
    seed : int or None, optional
        Seed of the draws and the models' streams (default 0).
    models : Sequence of str or None, optional
        Model names (default: all).
    params : Mapping or None, optional
        Parameters, given to each model that declares them.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per model and draw.
    workers : int or None, optional
        Threads (default: every core; the results do not depend on it).

    Returns
    -------
    Ensemble
        Per model, the final outcomes of every draw.
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
    """Run configured models on draws seeded from ``seed`` (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    n_draws : int
        Number of draws B.
    seed : int or None
        The run's seed (None: the default seed, 0).
    models : Sequence of Model
        The models, configured.
    chunk : int or None, optional
        Draws per chunk (default :data:`CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per model and draw.
    workers : int or None, optional
        Threads (default: every core).

    Returns
    -------
    Ensemble
        Per model, the final outcomes of every draw.
    """
    seed = DEFAULT_SEED if seed is None else seed
    arrays = draw_arrays(scenario, n_draws, seed)
    finals, skipped = run_models(arrays, models, seed, chunk, advance, workers)
    return Ensemble(scenario, n_draws, seed, finals, skipped)
