"""The JSON form of a what-if, shared by the CLI, the store and the web:

    {"scenario": {"id", "title"}, "whatif": {"id", "name", "description", "changes": [...]},
     "draws": B, "seed": S, "skipped": {MODEL: reason},
     "models": {MODEL: {"issues": {ISSUE: {"baseline": SUMMARY, "whatif": SUMMARY,
                                           "difference": SUMMARY}}}}}

where SUMMARY is ``{"mean", "median", "q05", "q25", "q75", "q95"}`` over the draws, and
``difference`` summarises the paired per-draw difference (what-if minus baseline).
"""

from __future__ import annotations

from typing import Any

from accord.experiments.uncertainty import summarise
from accord.experiments.whatif import WhatIfResult
from accord.report.forecast_json import clean


def whatif_to_dict(result: WhatIfResult) -> dict[str, Any]:
    iv = result.intervention
    models: dict[str, Any] = {}
    for name in result.changed:
        base, new, diff = (
            summarise(x) for x in (result.baseline[name], result.changed[name], result.difference(name))
        )
        models[name] = {
            "issues": {
                issue: {
                    "baseline": {k: v[k_] for k, v in base.items()},
                    "whatif": {k: v[k_] for k, v in new.items()},
                    "difference": {k: v[k_] for k, v in diff.items()},
                }
                for k_, issue in enumerate(result.scenario.issue_ids)
            }
        }
    return clean({
        "scenario": {"id": result.scenario.id, "title": result.scenario.title},
        "whatif": {"id": iv.id, "name": iv.name, "description": iv.description, "changes": iv.lines()},
        "draws": result.n_draws,
        "seed": result.seed,
        "models": models,
        "skipped": dict(result.skipped),
    })
