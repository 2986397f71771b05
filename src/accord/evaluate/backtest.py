"""Run models on cases with known outcomes and score them.

A case is anything with ``scenario`` (a one-issue :class:`~accord.scenario.Scenario`),
``outcome``, ``proposal_id`` and the attributes the breakdowns group by (``wave``, ``procedure``,
``voting_rule``), e.g. :class:`accord.scenario.io.deu.DeuCase`. Static models run once on all cases
stacked along the issue axis (:mod:`.stack`); dynamic models run case by case, each with a
generator seeded from ``seed``. A model that cannot run is skipped with the reason recorded.

A model that returns NaN on an issue (e.g. every capability x salience is 0) gets the plain mean
of the stakeholders' positions there, the convention of the DEU reference numbers; the count is
reported as ``n_fallback``. Interval hook: a trajectory whose ``details["quantiles"]`` maps
levels (0.05, 0.25, 0.75, 0.95, ...) to per-issue arrays gets its 50%/90% coverage scored.

Models that need several issues (``min_issues > 1``, the exchange models) cannot run on one
issue; they run once per proposal with at least two scoreable issues, on the scenario of
:mod:`.proposals` (the issues as dimensions), and are scored on those issues only: their
``subset`` mask marks them and ``not_applicable`` says why the others have no forecast. Models
in :data:`PER_PROPOSAL` (``smp``, a multi-dimensional model) are in addition run that way as the
variant ``"<name> (per proposal)"``.

Models fitted to DEU data (:data:`FITTED`, e.g. ``choice``) would be scored in sample on the data
they were fitted to; with ``cross_validate=True`` (the default) their forecasts are instead
out-of-fold forecasts of nested cross-validation (leave one proposal out; the model variant is
chosen by an inner grouped CV within each training set, :mod:`.nested`), and ``protocol`` says
which was done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.evaluate.proposals import MIN_PROPOSAL_ISSUES, grouped_index, proposal_scenario
from accord.evaluate.stack import stack_arrays
from accord.models import Model, available_models, get_model, model_class
from accord.scenario.arrays import ScenarioArrays, compile_scenario

Progress = Callable[[str, int, int], None]  # (model, done, total)

#: the model every other is compared with; also run (as ``Backtest.reference``) for models scored
#: on a subset when it was not asked for, so that they are compared on the same issues
REFERENCE = "compromise"


@dataclass(frozen=True)
class ModelResult:
    """One model's forecasts of the backtest's issues, or why it was skipped.

    Parameters
    ----------
    name : str
        The model's name (with ``" (per proposal)"`` for that variant).
    forecast : np.ndarray or None
        The forecasts, shape (N,); None when skipped.
    quantiles : dict of float to np.ndarray or None
        Forecast quantiles by level, each of shape (N,).
    skipped : str or None
        Why the model was skipped.
    fallback : np.ndarray or None
        Where the plain mean stood in for a NaN forecast, boolean, shape (N,).
    protocol : str
        How the forecasts were made (no fitting, cross-validation, ...).
    subset : np.ndarray or None
        The issues the model was run on, boolean, shape (N,); None: all.
    subset_name : str or None
        The subset's name.
    not_applicable : str or None
        Why the issues outside ``subset`` have no forecast.
    """

    name: str
    forecast: np.ndarray | None = None  # [N]
    quantiles: dict[float, np.ndarray] | None = None  # level -> [N]
    skipped: str | None = None
    fallback: np.ndarray | None = None  # [N] bool: the plain mean stood in for a NaN forecast
    protocol: str = "no fitting"
    subset: np.ndarray | None = None  # [N] bool: the issues the model was run on (None: all)
    subset_name: str | None = None
    not_applicable: str | None = None  # why the issues outside ``subset`` have no forecast

    def scored(self, n: int) -> np.ndarray:
        """Return the issues this model is scored on.

        Parameters
        ----------
        n : int
            The number of issues.

        Returns
        -------
        np.ndarray
            Boolean, shape (n,).
        """
        return np.ones(n, dtype=bool) if self.subset is None else self.subset


@dataclass(frozen=True)
class Backtest:
    """The models' forecasts of cases with known outcomes.

    Parameters
    ----------
    cases : list
        The scoreable cases.
    outcome : np.ndarray
        The known outcomes, shape (N,).
    results : dict of str to ModelResult
        By model (or variant) name.
    params : dict
        The model parameters given.
    seed : int or None
        The seed the models' generators came from.
    reference : ModelResult or None
        :data:`REFERENCE`, run for the subset comparison when it was not asked for.
    """

    cases: list[Any]
    outcome: np.ndarray  # [N]
    results: dict[str, ModelResult]
    params: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    reference: ModelResult | None = None  # REFERENCE run for the subset comparison, if not asked for

    @property
    def proposals(self) -> np.ndarray:
        """Each case's proposal id, shape (N,)."""
        return np.array([c.proposal_id for c in self.cases])

    @property
    def completed(self) -> dict[str, ModelResult]:
        """The results of the models that ran, by name."""
        return {n: r for n, r in self.results.items() if r.forecast is not None}

    def result(self, name: str) -> ModelResult:
        """Return a model's result.

        Parameters
        ----------
        name : str
            The model's name; :data:`REFERENCE` also when it only ran as the subset reference.

        Returns
        -------
        ModelResult
            Its result.
        """
        if name not in self.results and name == REFERENCE and self.reference is not None:
            return self.reference
        return self.results[name]

    def errors(self, name: str) -> np.ndarray:
        """Return a model's absolute errors.

        Parameters
        ----------
        name : str
            The model's name.

        Returns
        -------
        np.ndarray
            Shape (N,); NaN where the model does not apply (outside its subset).
        """
        return np.abs(self.result(name).forecast - self.outcome)


def _choice_cv(cases: list[Any]) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    """Return the choice model's out-of-fold forecasts and quantiles on the cases."""
    from accord.evaluate.choice_cv import cross_validate_choice
    from accord.models.choice import LEVELS

    result = cross_validate_choice(cases)
    return result["forecast"], dict(zip(LEVELS, result["quantiles"].T, strict=True))


#: models fitted on DEU data -> their leave-one-proposal-out cross-validation on the given cases
FITTED: dict[str, Callable[[list[Any]], tuple[np.ndarray, dict[float, np.ndarray]]]] = {"choice": _choice_cv}
PER_PROPOSAL = ("smp",)
VARIANT = " (per proposal)"
SUBSET = "multi-issue proposals"
NOT_APPLICABLE = "not applicable to the issues of {which}: the model works across the issues of one proposal"


def not_applicable(k: int) -> str:
    """Say why a model needing ``k`` issues per proposal has no forecast for the other issues.

    Parameters
    ----------
    k : int
        The number of issues the model needs per proposal.

    Returns
    -------
    str
        The reason.
    """
    which = "single-issue proposals" if k == 2 else f"proposals with fewer than {k} scoreable issues"
    return NOT_APPLICABLE.format(which=which)
LOPO = ("nested cross-validation: leave one proposal out, variant chosen by grouped 5-fold CV "
        "inside each training set, refitted without the test proposal")


def _quantiles(details: Any, n: int) -> dict[float, np.ndarray] | None:
    """Return a trajectory's forecast quantiles, or None when it has none of ``n`` issues."""
    q = getattr(details, "quantiles", None)
    if not isinstance(q, Mapping):
        return None
    out = {float(k): np.asarray(v, dtype=float).reshape(-1) for k, v in q.items()}
    return out if all(v.size == n for v in out.values()) else None


def _run_one(
    model: Model,
    arrays: list[ScenarioArrays],
    stacked: ScenarioArrays | None,
    seed: int | None,
    progress: Progress | None,
) -> tuple[np.ndarray, dict[float, np.ndarray] | None]:
    """Run a model on the stacked arrays at once, or case by case, and return its finals and quantiles."""
    if stacked is not None:
        traj = model.run(stacked, rng=np.random.default_rng(seed))
        return np.asarray(traj.final, dtype=float).reshape(-1), _quantiles(traj.details, stacked.n_issues)
    finals, quants = [], []
    for n, arr in enumerate(arrays):
        traj = model.run(arr, rng=np.random.default_rng(seed))
        finals.append(np.asarray(traj.final, dtype=float).reshape(-1))
        quants.append(_quantiles(traj.details, 1))
        if progress is not None:
            progress(model.name, n + 1, len(arrays))
    q = None
    full = [x for x in quants if x is not None]
    if len(full) == len(quants) and quants:
        q = {k: np.concatenate([x[k] for x in full]) for k in full[0]}
    return np.concatenate(finals), q


def run_backtest(
    cases: Sequence[Any],
    models: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int | None = 0,
    progress: Progress | None = None,
    cross_validate: bool = True,
) -> Backtest:
    """Forecast every scoreable case with every model.

    Parameters
    ----------
    cases : sequence
        The cases (see the module docstring); those not ``scoreable`` are dropped.
    models : sequence of str, optional
        The models' names; default: all registered.
    params : mapping, optional
        Model parameters; each model takes those it declares.
    seed : int or None
        The seed of the models' generators.
    progress : callable, optional
        Called with (model, done, total).
    cross_validate : bool
        Whether fitted models (:data:`FITTED`) are scored out of fold by nested cross-validation.

    Returns
    -------
    Backtest
        The forecasts.

    Raises
    ------
    AccordError
        When no case is scoreable, or a model's name is unknown.
    """
    cases = [c for c in cases if getattr(c, "scoreable", True)]
    if not cases:
        raise AccordError("no scoreable issues (an outcome and at least 3 actors with position and salience)")
    names = list(models) if models else available_models()
    for name in names:
        model_class(name)
    arrays = [compile_scenario(c.scenario) for c in cases]
    actor_ids = [c.scenario.actor_ids for c in cases]
    stacked, _ = stack_arrays(arrays, actor_ids)
    plain = np.array([a.position[a.stake].mean() for a in arrays])
    outcome = np.array([c.outcome for c in cases], dtype=float)
    results: dict[str, ModelResult] = {}
    for name in names:
        model = get_model(name, **model_class(name).own_params(params or {}))
        runs = [(name, model.min_issues > 1)]
        if name in PER_PROPOSAL and model.min_issues == 1:
            runs.append((name + VARIANT, True))
        for label, per_proposal in runs:
            results[label] = _result(
                label, model, cases, arrays, stacked, plain, outcome, seed, progress, cross_validate,
                per_proposal,
            )
    reference = None
    if REFERENCE not in results and any(r.subset is not None for r in results.values()):
        reference = _result(REFERENCE, get_model(REFERENCE), cases, arrays, stacked, plain, outcome,
                            seed, None, cross_validate, False)
    return Backtest(list(cases), outcome, results, dict(params or {}), seed, reference)


def _result(
    label: str,
    model: Model,
    cases: list[Any],
    arrays: list[ScenarioArrays],
    stacked: ScenarioArrays,
    plain: np.ndarray,
    outcome: np.ndarray,
    seed: int | None,
    progress: Progress | None,
    cross_validate: bool,
    per_proposal: bool,
) -> ModelResult:
    """Run one model (or its per-proposal variant) and wrap its forecasts, or why it was skipped."""
    name, protocol, subset, k = model.name, "no fitting", None, 2
    try:
        if per_proposal:
            k = max(2, model.min_issues)
            forecast, subset = forecast_per_proposal(model, cases, seed, progress, label, k)
            quantiles = None
            protocol = "no fitting; one run per proposal, its issues as dimensions"
            if not subset.any():
                return ModelResult(label, skipped=not_applicable(k) + "; that is all of them")
        elif cross_validate and name in FITTED:
            forecast, quantiles = FITTED[name](cases)
            protocol = LOPO
        else:
            if name in FITTED:
                protocol = "shipped coefficients: in sample where the data overlap the fit"
            forecast, quantiles = _run_one(model, arrays, None if model.dynamic else stacked, seed, progress)
    except Exception as exc:  # noqa: BLE001  (one failing model must not stop the backtest)
        return ModelResult(label, skipped=f"failed: {type(exc).__name__}: {exc}")
    if forecast.shape != outcome.shape:
        return ModelResult(
            label, skipped=f"returned {forecast.shape[0]} forecasts for {outcome.shape[0]} issues"
        )
    scored = np.ones(outcome.shape, dtype=bool) if subset is None else subset
    missing = ~np.isfinite(forecast) & scored
    forecast = np.where(missing, plain, forecast)
    if subset is None:
        return ModelResult(label, forecast, quantiles, None, missing, protocol)
    reason = not_applicable(k)
    return ModelResult(label, forecast, quantiles, None, missing, protocol, subset, SUBSET, reason)


def forecast_per_proposal(
    model: Model,
    cases: Sequence[Any],
    seed: int | None,
    progress: Callable[[str, int, int], None] | None = None,
    label: str | None = None,
    min_issues: int = MIN_PROPOSAL_ISSUES,
) -> tuple[np.ndarray, np.ndarray]:
    """Run a model once per multi-issue proposal of the cases.

    Each run has a generator seeded from ``seed``.

    Parameters
    ----------
    model : Model
        The model.
    cases : sequence
        The cases.
    seed : int or None
        The seed.
    progress : callable, optional
        Called with (label, done, total).
    label : str, optional
        The name to report progress under; default the model's.
    min_issues : int
        The fewest cases a proposal needs to be run.

    Returns
    -------
    forecast : np.ndarray
        The per-issue forecasts, shape (N,); NaN outside those proposals, and on an issue where
        every capability x salience is 0 (which no weighted model can forecast).
    applies : np.ndarray
        The issues in proposals with at least ``min_issues`` cases, boolean, shape (N,).
    """
    groups = grouped_index(cases, min_issues)
    forecast = np.full(len(cases), np.nan)
    applies = np.zeros(len(cases), dtype=bool)
    for n, index in enumerate(groups):
        scenario = proposal_scenario([cases[k] for k in index])
        arrays = compile_scenario(scenario)
        traj = model.run(arrays, rng=np.random.default_rng(seed))
        final = np.asarray(traj.final, dtype=float).reshape(-1)
        forecast[list(index)] = np.where(arrays.weight().sum(axis=-2) > 0, final, np.nan)
        applies[list(index)] = True
        if progress is not None:
            progress(label or model.name, n + 1, len(groups))
    return forecast, applies
