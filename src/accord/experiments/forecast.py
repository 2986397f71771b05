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
    """One model's run: its trajectory, or the reason it could not run on this scenario."""

    model: Model
    trajectory: Trajectory | None
    skipped: str | None = None


@dataclass(frozen=True)
class Forecast:
    scenario: Scenario
    arrays: ScenarioArrays
    runs: dict[str, ModelRun]
    seed: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    ensemble: Ensemble | None = None  # the models on perturbed draws (``draws``)
    events: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # expr: {model: (p, se)}

    @property
    def completed(self) -> dict[str, ModelRun]:
        return {name: run for name, run in self.runs.items() if run.trajectory is not None}

    def outcomes(self) -> pd.DataFrame:
        """Final forecast per issue (rows) and model (columns)."""
        import pandas as pd

        data = {name: run.trajectory.final for name, run in self.completed.items()}  # type: ignore[union-attr]
        return pd.DataFrame(data, index=pd.Index(self.scenario.issue_ids, name="issue"))

    def trajectory(self, model: str) -> pd.DataFrame:
        """Positions per round, actor and issue, in long form (stakeholders only)."""
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
    """Run ``models`` (default: all available) on ``scenario``.

    ``models`` are names or ready model instances (e.g. one configured from a file);
    ``params`` go to every model that has a parameter of that name (e.g. ``rounds``);
    ``seed`` seeds each model's own generator, so results do not depend on model order.
    With ``draws``, the models also run on that many perturbed copies on ``workers`` threads
    (default: every core; the numbers do not depend on it) and ``events`` (expressions over issue
    ids) get probabilities; a seed is recorded. ``advance`` counts one step per model's forecast
    and one per model and draw. No seed means seed 0, so that every run (draws, and models that break ties
    with their generator) gives the same forecast.
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
