"""Run several models on one scenario and keep their trajectories side by side.

With ``draws``, the models also run on that many perturbed copies of the scenario (see
:mod:`accord.experiments.uncertainty`) and events are scored on those draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.experiments.events import parse_event
from accord.experiments.progress import Advance, describe, no_progress
from accord.experiments.uncertainty import Ensemble, run_ensemble
from accord.models import Model, Trajectory, available_models, get_model, model_class
from accord.rng import DEFAULT_SEED
from accord.scenario import Scenario, ScenarioArrays, compile_scenario

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ModelRun:
    """One model's run: its trajectory, or the reason it could not run on this scenario.

    Attributes
    ----------
    model : Model
        The model, with the parameters it ran with.
    trajectory : Trajectory or None
        Its trajectory; None when it was skipped.
    skipped : str or None
        Why it was skipped (e.g. it needs more issues than the scenario has).
    """

    model: Model
    trajectory: Trajectory | None
    skipped: str | None = None


@dataclass(frozen=True)
class Forecast:
    """Several models' forecasts of one scenario, side by side (made by :func:`forecast`).

    Attributes
    ----------
    scenario : Scenario
        The scenario.
    arrays : ScenarioArrays
        Its compiled arrays, the models' input.
    runs : dict of str to ModelRun
        Each model's run, by model name.
    seed : int or None
        The seed the models' generators (and the draws) were seeded with.
    extras : dict
        Anything else a caller keeps with the forecast.
    ensemble : Ensemble or None
        The models on perturbed draws (with ``draws``).
    events : dict
        Per event text, per model, ``(p, se)``: its probability over the draws and the
        standard error.
    """

    scenario: Scenario
    arrays: ScenarioArrays
    runs: dict[str, ModelRun]
    seed: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    ensemble: Ensemble | None = None  # the models on perturbed draws (``draws``)
    events: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # expr: {model: (p, se)}

    @property
    def completed(self) -> dict[str, ModelRun]:
        """The runs that have a trajectory (not skipped), by model name."""
        return {name: run for name, run in self.runs.items() if run.trajectory is not None}

    def outcomes(self) -> pd.DataFrame:
        """Return the final forecast per issue (rows) and model (columns).

        Returns
        -------
        pd.DataFrame
            Final outcomes, indexed by issue id, one column per completed model.
        """
        import pandas as pd

        data = {name: run.trajectory.final for name, run in self.completed.items()}  # type: ignore[union-attr]
        return pd.DataFrame(data, index=pd.Index(self.scenario.issue_ids, name="issue"))

    def trajectory(self, model: str) -> pd.DataFrame:
        """Return one model's positions per round, actor and issue, in long form.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        pd.DataFrame
            Columns ``round``, ``actor``, ``issue``, ``position``; only cells where the actor
            has a stake.

        Raises
        ------
        KeyError
            When the model was not run or was skipped.
        """
        import pandas as pd

        traj = self.runs[model].trajectory
        if traj is None:
            raise KeyError(model)
        rounds, actors, issues = np.nonzero(np.broadcast_to(self.arrays.stake, traj.positions.shape))
        return pd.DataFrame(
            {
                "round": rounds,
                "actor": np.array(self.scenario.actor_ids)[actors],
                "issue": np.array(self.scenario.issue_ids)[issues],
                "position": traj.positions[rounds, actors, issues],
            }
        )


def forecast(
    scenario: Scenario,
    models: Sequence[str | Model] | None = None,
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    draws: int | None = None,
    events: Sequence[str] = (),
    advance: Advance = no_progress,
    workers: int | None = None,
) -> Forecast:
    """Run models on a scenario and keep their trajectories side by side.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    models : Sequence of str or Model, optional
        Model names or ready model instances (e.g. one configured from a file); default all
        available models.
    params : Mapping, optional
        Parameters given to every model that has a parameter of that name (e.g. ``rounds``).
    seed : int or None, optional
        Seeds each model's own generator, so results do not depend on model order. No seed
        means seed 0, so that every run (draws, and models that break ties with their
        generator) gives the same forecast.
    draws : int or None, optional
        With a number, the models also run on that many perturbed copies of the scenario.
    events : Sequence of str, optional
        Expressions over issue ids whose probabilities are computed on the draws.
    advance : Advance, optional
        Progress reporter: one step per model's forecast and one per model and draw.
    workers : int or None, optional
        Threads for the draws (default: every core; the numbers do not depend on it).

    Returns
    -------
    Forecast
        The runs, and with ``draws`` the ensemble and the events' probabilities.

    Raises
    ------
    ExpressionError
        When an event does not parse or names an unknown issue (checked before any work).
    """
    checked = [parse_event(e, scenario.issue_ids) for e in events]  # fail before any work
    if seed is None:
        seed = DEFAULT_SEED
    arrays = compile_scenario(scenario)
    names = list(models) if models else available_models()
    runs: dict[str, ModelRun] = {}
    for item in names:
        given = params or {}
        if isinstance(item, str):
            model = get_model(item, **model_class(item).own_params(given))
        else:
            model = item.with_params(**item.own_params(given))
        name = model.name
        if arrays.n_issues < model.min_issues:
            runs[name] = ModelRun(model, None, f"needs at least {model.min_issues} issues")
            advance(1 + (draws or 0))
            continue
        describe(advance, name)
        rng = np.random.default_rng(seed)
        runs[name] = ModelRun(model, model.run(arrays, rng=rng))
        advance(1)
    if not draws:
        return Forecast(scenario, arrays, runs, seed)
    ran = [r.model for r in runs.values() if r.trajectory is not None]
    ens = run_ensemble(scenario, draws, seed, ran, advance=advance, workers=workers)
    scored = {e.text: {m: e.probability(v) for m, v in ens.finals.items()} for e in checked}
    return Forecast(scenario, arrays, runs, seed, ensemble=ens, events=scored)
