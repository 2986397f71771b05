"""Write scenarios: native YAML or JSON, the native workbook, or the long table as CSV.

YAML, JSON and the workbook are lossless. Text a spreadsheet would run as a formula is escaped
in both the workbook (:mod:`.workbook`) and the CSV
(:func:`~accord.scenario.io.tables.escape_text`), and reads back as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from accord.errors import AccordError
from accord.scenario.io.tables import escape_text
from accord.scenario.schema import Scenario


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Return the native form: what a YAML scenario file holds (defaults left out).

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    dict of str to Any
        JSON data (dates as text), without fields that are None or at their default.
    """
    return scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def long_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """Return the long table: one row per position, with the actor's capability on that issue.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    list of dict of str to Any
        One row per position, keyed by the long table's columns (None where a value is absent;
        citations joined by ``" | "``).
    """
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
            "position_low": p.position_uncertainty.low if p.position_uncertainty else None,
            "position_high": p.position_uncertainty.high if p.position_uncertainty else None,
            "salience_sd": p.salience_uncertainty.sd if p.salience_uncertainty else None,
            "capability_sd": actor.capability_uncertainty.sd if actor.capability_uncertainty else None,
            "sources": " | ".join(scenario.source(sid).citation for sid in p.sources) or None,
            "note": p.note,
        }
        rows.append(row)
    return rows


def csv_losses(scenario: Scenario) -> list[str]:
    """List what the long table cannot hold, so a CSV export can say so instead of dropping it.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    list of str
        One phrase per kind of content lost; empty when the table holds everything.
    """
    lost = []
    if scenario.sources:
        lost.append("the sources' ids, addresses, dates and paraphrases (their citations are kept)")
    if scenario.proposals:
        lost.append(f"{len(scenario.proposals)} proposals")
    if scenario.levers:
        lost.append(f"{len(scenario.levers)} levers")
    if any(i.scale.anchors for i in scenario.issues):
        lost.append("the scales' anchor labels")
    if any(a.veto for a in scenario.actors):
        lost.append("vetoes")
    if scenario.decision_rules or scenario.bodies:
        lost.append("the decision rules and bodies")
    if scenario.no_deal:
        lost.append("the no-deal outcomes")
    if (
        any(i.status_quo_uncertainty for i in scenario.issues)
        or any((p.salience_uncertainty and p.salience_uncertainty.sd is None) for p in scenario.positions)
        or any((a.capability_uncertainty and a.capability_uncertainty.sd is None) for a in scenario.actors)
    ):
        lost.append("some uncertainty ranges")
    if scenario.as_of or scenario.description:
        lost.append("the scenario's date and description")
    if scenario.model_settings:
        lost.append(f"the model settings (for {', '.join(scenario.model_settings)})")
    return lost


def write_scenario(scenario: Scenario, path: Path) -> list[str]:
    """Write ``scenario`` in the format its file extension names.

    YAML, JSON and XLSX keep everything; only the long CSV table loses anything.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    path : Path
        The file to write: ``.yaml``/``.yml``, ``.json``, ``.xlsx`` or ``.csv``.

    Returns
    -------
    list of str
        What the format could not keep (see :func:`csv_losses`), for the caller to report.

    Raises
    ------
    AccordError
        If the extension is none of these or the file cannot be written.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            text = yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False, allow_unicode=True, width=100)
            path.write_text(text)
        elif suffix == ".json":
            path.write_text(json.dumps(scenario_to_dict(scenario), indent=2, ensure_ascii=False))
        elif suffix == ".xlsx":
            from accord.scenario.io.workbook import write_workbook

            write_workbook(scenario, path)
        elif suffix == ".csv":
            import pandas as pd

            rows = [{k: escape_text(v) if isinstance(v, str) else v for k, v in row.items()}
                    for row in long_rows(scenario)]
            pd.DataFrame(rows).dropna(axis=1, how="all").to_csv(path, index=False)
            return csv_losses(scenario)
        else:
            raise AccordError(
                f"{path}: unknown output format {suffix!r}; expected .yaml, .json, .csv or .xlsx"
            )
    except OSError as exc:
        raise AccordError(f"{path}: cannot write ({exc.strerror})") from None
    return []
