"""The JSON form of a forecast, a stable shape other tools can rely on:

    {"scenario": {"id", "title", "as_of"},
     "models": {MODEL: {"params": {...}, "rounds": R,
                        "issues": {ISSUE: {"outcome": float,
                                           "rounds": [{"outcome": float,
                                                       "positions": {ACTOR: float}}]}},
                        "details": {...}}}}

``rounds`` has one entry for static models and one per round for dynamic ones (round 0 is
the input). With Monte Carlo draws, each issue entry also has ``"summary": {"mean", "median",
"q05", "q25", "q75", "q95"}`` over the draws, and the top level has ``"draws": B`` and
``"events": [{"expr": ..., "models": {MODEL: {"p": ..., "se": ...}}}]``.
Where a model's details carry per-round, per-issue values (a ``"rounds"`` entry,
a list of ``{ISSUE: {key: value}}``), they are merged into those round entries.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.experiments.forecast import Forecast
from accord.experiments.uncertainty import summarise
from accord.report.model_details import details_to_dict


def clean(value: Any) -> Any:
    """JSON-safe: numpy scalars and arrays to Python, NaN/inf to None."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def forecast_to_dict(fc: Forecast) -> dict[str, Any]:
    scenario = fc.scenario
    stake = fc.arrays.stake
    models: dict[str, Any] = {}
    ens = fc.ensemble
    summaries = {m: summarise(v) for m, v in ens.finals.items()} if ens is not None else {}
    for name, run in fc.runs.items():
        if run.trajectory is None:
            models[name] = {"skipped": run.skipped}
            continue
        traj = run.trajectory
        details = details_to_dict(traj.details, scenario.actor_ids, scenario.issue_ids)
        per_round = details.pop("rounds", None) if isinstance(details, dict) else None
        issues = {}
        for k, issue_id in enumerate(scenario.issue_ids):
            rounds = []
            for r in range(traj.n_rounds):
                entry = {
                    "outcome": float(traj.outcome[r, k]),
                    "positions": {
                        a: float(traj.positions[r, n, k])
                        for n, a in enumerate(scenario.actor_ids)
                        if stake[n, k]
                    },
                }
                if per_round is not None and r < len(per_round) and issue_id in per_round[r]:
                    entry.update(per_round[r][issue_id])
                rounds.append(entry)
            issues[issue_id] = {"outcome": float(traj.final[k]), "rounds": rounds}
            if name in summaries:
                issues[issue_id]["summary"] = {key: float(v[k]) for key, v in summaries[name].items()}
        models[name] = {
            "params": run.model.params(),
            "rounds": traj.n_rounds,
            "issues": issues,
            "details": details,
        }
    return clean(
        {
            "scenario": {
                "id": scenario.id,
                "title": scenario.title,
                "as_of": scenario.as_of.isoformat() if scenario.as_of else None,
            },
            "seed": fc.seed,
            "models": models,
            **({"draws": ens.n_draws, "events": [
                {"expr": expr, "models": {m: {"p": p, "se": se} for m, (p, se) in per_model.items()}}
                for expr, per_model in fc.events.items()
            ]} if ens is not None else {}),
            **fc.extras,
        }
    )
