"""Write scenarios: native YAML or JSON (lossless), or the long table as CSV or XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from accord.errors import AccordError
from accord.scenario.schema import Scenario


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The native form: what a YAML scenario file holds (defaults left out)."""
    return scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def long_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per position, with the actor's capability on that issue (the long table)."""
    rows = []
    for p in scenario.positions:
        actor = scenario.actor(p.actor)
        issue = scenario.issue(p.issue)
        row: dict[str, Any] = {
            "actor": p.actor,
            "issue": p.issue,
            "position": p.position,
            "salience": p.salience,
            "capability": actor.capability_by_issue.get(p.issue, actor.capability),
            "actor_name": actor.name,
            "issue_name": issue.name,
            "scale_min": issue.scale.min,
            "scale_max": issue.scale.max,
            "status_quo": issue.status_quo,
            "position_sd": p.position_uncertainty.sd if p.position_uncertainty else None,
            "salience_sd": p.salience_uncertainty.sd if p.salience_uncertainty else None,
            "sources": ";".join(p.sources),
            "note": p.note,
        }
        rows.append(row)
    return rows


def write_scenario(scenario: Scenario, path: Path) -> None:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            text = yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False, allow_unicode=True, width=100)
            path.write_text(text)
        elif suffix == ".json":
            path.write_text(json.dumps(scenario_to_dict(scenario), indent=2, ensure_ascii=False))
        elif suffix in (".csv", ".xlsx"):
            import pandas as pd

            frame = pd.DataFrame(long_rows(scenario))
            if suffix == ".csv":
                frame.to_csv(path, index=False)
            else:
                frame.to_excel(path, index=False, sheet_name="positions")
        else:
            raise AccordError(
                f"{path}: unknown output format {suffix!r}; expected .yaml, .json, .csv or .xlsx"
            )
    except OSError as exc:
        raise AccordError(f"{path}: cannot write ({exc.strerror})") from None
