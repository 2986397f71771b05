"""What the API and the pages do, over the library: read uploads, edit scenarios, run models.

The same library functions serve the command line (``accord.scenario.io.read_raw`` and
``validate.check`` for reading, ``accord.experiments.forecast`` and
``accord.report.forecast_json.forecast_to_dict`` for forecasts); this module only adds the
web's concerns: safe file names, edits as new versions, and recording runs in the store.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import tempfile
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Problem, ScenarioError
from accord.scenario.schema import Scenario, Uncertainty
from accord.store import RunInfo, Store, VersionInfo

TEXT_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".tsv", ".txt"}
UPLOAD_SUFFIXES = TEXT_SUFFIXES | {".xlsx"}
MAX_SHOWN_LINES = 2000


def import_builtins(store: Store) -> list[VersionInfo]:
    """Make every built-in scenario a stored version (identical content is stored once)."""
    from accord.scenario.builtin import builtin_names, load_builtin

    return [store.save_scenario(load_builtin(name), "builtin", name) for name in builtin_names()]


def safe_name(filename: str | None) -> str:
    """The base name of an uploaded file, reduced to harmless characters (no folders)."""
    base = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .") or "upload"
    return base[:100]


@dataclasses.dataclass(frozen=True)
class UploadResult:
    name: str
    scenario: Scenario | None
    problems: list[Problem]
    lines: list[str] | None  # the file's text lines, for showing problems beside them


def _decode(data: bytes) -> str | None:
    if b"\x00" in data[:65536]:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return None


def read_upload(filename: str | None, data: bytes, format: str | None = None) -> UploadResult:
    """Read and validate uploaded bytes with the same readers and validator as the CLI.

    The bytes go to a private temporary folder under the cleaned base name (no folders, only
    ``[A-Za-z0-9._ -]``), so the client's file name never becomes a path, and readers that name
    a scenario after its file (CSV, Decide, BDM) see the analyst's name, not a fixed one;
    problems name the client's (cleaned) file name.
    """
    from accord.scenario.io import read_raw
    from accord.scenario.validate import check

    name = safe_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        suffix = ".txt"
    text = _decode(data) if suffix != ".xlsx" else None
    lines = text.split("\n")[:MAX_SHOWN_LINES] if text is not None else None
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as folder:
        stem = Path(name).stem.strip(" .") or "upload"
        path = Path(folder) / f"{stem}{suffix}"
        path.write_bytes(data)
        try:
            scenario, problems = check(read_raw(path, format))
        except ScenarioError as exc:
            scenario, problems = None, exc.problems
        except AccordError as exc:
            scenario, problems = None, [Problem(str(exc).replace(str(path), name), file=name)]
        problems = [
            dataclasses.replace(p, file=name, message=p.message.replace(str(path), name))
            for p in problems
        ]
    return UploadResult(name, scenario, problems, lines)


# the scenario grid ---------------------------------------------------------------------------
def uncertainty_text(u: Uncertainty | None) -> str | None:
    if u is None:
        return None
    if u.sd is not None:
        return f"±{u.sd:g} (sd)"
    return f"{u.low:g}–{u.high:g} ({u.kind})"


def scenario_grid(s: Scenario) -> dict[str, Any]:
    """Actors x issues: each cell's position, salience, uncertainty, sources and note."""
    cells: dict[str, dict[str, Any]] = {a.id: {} for a in s.actors}
    for p in s.positions:
        cells[p.actor][p.issue] = {
            "position": p.position,
            "salience": p.salience,
            "position_sd": p.position_uncertainty.sd if p.position_uncertainty else None,
            "salience_sd": p.salience_uncertainty.sd if p.salience_uncertainty else None,
            "position_uncertainty": uncertainty_text(p.position_uncertainty),
            "salience_uncertainty": uncertainty_text(p.salience_uncertainty),
            "sources": p.sources,
            "note": p.note,
        }
    from accord.scenario.decisions import individual_vetoes

    vetoes = individual_vetoes(s)  # from the decision rules and the actors' own veto lists
    return {
        "salience_scale": s.salience_scale,
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "capability": a.capability,
                "capability_sd": a.capability_uncertainty.sd if a.capability_uncertainty else None,
                "capability_uncertainty": uncertainty_text(a.capability_uncertainty),
                "capability_by_issue": a.capability_by_issue,
                "veto": [i for k, i in enumerate(s.issue_ids) if vetoes[n, k]],
                "group": a.group,
                "notes": a.notes,
                "sources": a.sources,
            }
            for n, a in enumerate(s.actors)
        ],
        "issues": [
            {
                "id": i.id,
                "name": i.name,
                "min": i.scale.min,
                "max": i.scale.max,
                "anchors": [[k, v] for k, v in sorted(i.scale.anchors.items())],
                "status_quo": i.status_quo,
                "units": i.units,
                "description": i.description,
            }
            for i in s.issues
        ],
        "cells": cells,
        "sources": {
            src.id: {
                "citation": src.citation,
                "url": src.url,
                "date": src.date.isoformat() if src.date else None,
                "quote": src.quote,
            }
            for src in s.sources
        },
        "proposals": [
            {"id": p.id, "name": p.name, "date": p.date.isoformat() if p.date else None, "points": p.points}
            for p in s.proposals
        ],
    }


# edits -> a new version ----------------------------------------------------------------------
POSITION_FIELDS = {"position", "salience", "position_sd", "salience_sd"}
ACTOR_FIELDS = {"capability", "capability_sd"}


def _set_sd(entry: dict[str, Any], key: str, value: float | None) -> None:
    if value is None:
        entry.pop(key, None)
    else:
        entry[key] = {"sd": value}


def apply_edits(version: VersionInfo, edits: list[dict[str, Any]]) -> Scenario:
    """The version's scenario with ``edits`` applied, validated; raises ScenarioError.

    An edit is ``{"actor", "issue", "field", "value"}``: ``field`` is one of position, salience,
    position_sd, salience_sd (a cell; ``value`` null on position or salience removes the
    actor's stake in the issue) or capability, capability_sd (``issue`` null: the actor's;
    otherwise capability on that issue).
    """
    from accord.scenario.io.base import RawScenario
    from accord.scenario.validate import check

    data = copy.deepcopy(version.content)
    label = f"{version.scenario_id} v{version.version} (edited)"
    problems: list[Problem] = []
    actors = {a.get("id"): a for a in data.get("actors", [])}
    issues = {i.get("id") for i in data.get("issues", [])}
    positions = data.setdefault("positions", [])
    removed: set[tuple[str, str]] = set()
    for n, edit in enumerate(edits):
        actor, issue = edit.get("actor"), edit.get("issue")
        field, value = edit.get("field"), edit.get("value")
        where = f"edits.{n}"
        if actor not in actors:
            problems.append(Problem("unknown actor", label, field=where, value=actor))
            continue
        if issue is not None and issue not in issues:
            problems.append(Problem("unknown issue", label, field=where, value=issue))
            continue
        if field in ACTOR_FIELDS:
            entry = actors[actor]
            if field == "capability_sd":
                _set_sd(entry, "capability_uncertainty", value)
            elif issue is None:
                entry["capability"] = value
            elif value is None:
                entry.get("capability_by_issue", {}).pop(issue, None)
            else:
                entry.setdefault("capability_by_issue", {})[issue] = value
            continue
        if field not in POSITION_FIELDS or issue is None:
            problems.append(
                Problem(
                    "cannot edit this", label, field=where, value=field,
                    expected="position, salience, position_sd, salience_sd (with an issue) "
                    "or capability, capability_sd",
                )
            )
            continue
        match = next((p for p in positions if p.get("actor") == actor and p.get("issue") == issue), None)
        if field in ("position", "salience") and value is None:
            if match is not None:
                positions.remove(match)
                removed.add((actor, issue))
            continue
        if match is None:
            if (actor, issue) in removed:
                continue
            match = {"actor": actor, "issue": issue}
            positions.append(match)
        if field.endswith("_sd"):
            _set_sd(match, field.replace("_sd", "_uncertainty"), value)
        else:
            match[field] = value
    for p in positions:
        for key in ("position", "salience"):
            if key not in p:
                problems.append(
                    Problem(
                        f"a new position of {p['actor']} on {p['issue']} needs a {key}", label,
                        field=f"positions.{p['actor']}.{p['issue']}.{key}", expected="a number",
                    )
                )
    if problems:
        raise ScenarioError(problems)
    scenario, problems = check(RawScenario(data=data, file=label))
    if scenario is None:
        raise ScenarioError([_name_cell(p, data) for p in problems])
    return scenario


def _name_cell(problem: Problem, data: dict[str, Any]) -> Problem:
    """``positions.3.salience`` -> ``salience of us on territory``: the cell the analyst edited."""
    m = re.fullmatch(r"(positions|actors)\.(\d+)\.?(.*)", problem.field or "")
    if m is None:
        return problem
    rows = data.get(m.group(1), [])
    if int(m.group(2)) >= len(rows):
        return problem
    row, rest = rows[int(m.group(2))], m.group(3) or "row"
    where = f"{row.get('actor')} on {row.get('issue')}" if m.group(1) == "positions" else str(row.get("id"))
    return dataclasses.replace(problem, field=f"{rest} of {where}")


# models and runs -----------------------------------------------------------------------------
#: what one web request may ask for (the command line has no such limits)
MAX_DRAWS = 5000
MAX_ROUNDS = 500


def model_catalog() -> list[dict[str, Any]]:
    from accord.jsonsafe import clean
    from accord.models import available_models, model_class

    out = []
    for name in available_models():
        cls = model_class(name)
        out.append(
            {
                "name": name,
                "summary": cls.summary,
                "dynamic": cls.dynamic,
                "min_issues": cls.min_issues,
                "params": clean(cls().params()),
            }
        )
    return out


def check_limits(draws: int, params: dict[str, Any], rounds: int | None = None) -> None:
    """The web server's limits on one request's work (draws, rounds)."""
    if not 0 <= draws <= MAX_DRAWS:
        raise AccordError(f"draws: got {draws}; expected 0 to {MAX_DRAWS}")
    for value in (params.get("rounds"), rounds):
        if isinstance(value, int) and not 1 <= value <= MAX_ROUNDS:
            raise AccordError(f"rounds: got {value}; expected 1 to {MAX_ROUNDS}")


def execute_and_record(store: Store, version_id: int, spec: Any) -> RunInfo:
    """Run ``spec`` on the stored version through :func:`accord.runs.execute` (the command line's
    path) and record the run on that version."""
    from accord.runs import execute
    from accord.store.results import save_result

    version = store.version(version_id)
    result = execute(spec, version.scenario(), read_files=False)
    return save_result(store, result, "web", version_id=version_id)


def run_forecast(store: Store, version_id: int, fields: dict[str, Any]) -> RunInfo:
    """A forecast of a stored version (``fields`` of a :class:`~accord.runs.ForecastSpec`), recorded."""
    from accord.runs import ForecastSpec, build

    check_limits(fields.get("draws", 0), fields.get("params") or {}, fields.get("rounds"))
    spec = build(ForecastSpec, scenario=store.version(version_id).scenario_id, **fields)
    return execute_and_record(store, version_id, spec)


def run_whatif(store: Store, version_id: int, fields: dict[str, Any]) -> RunInfo:
    """Baseline vs a change on the same draws (``fields`` of a :class:`~accord.runs.WhatIfSpec`)."""
    from accord.runs import WhatIfSpec, build

    check_limits(fields.get("draws", 0), fields.get("params") or {}, fields.get("rounds"))
    spec = build(WhatIfSpec, scenario=store.version(version_id).scenario_id, **fields)
    return execute_and_record(store, version_id, spec)


def run_deal(store: Store, version_id: int, fields: dict[str, Any]) -> RunInfo:
    """Packages judged: who gains, vetoes, repairs (``fields`` of a :class:`~accord.runs.DealSpec`)."""
    from accord.runs import DealSpec, build

    check_limits(fields.get("draws", 0), {})
    spec = build(DealSpec, scenario=store.version(version_id).scenario_id, **fields)
    return execute_and_record(store, version_id, spec)


def named_whatifs(scenario_id: str) -> list[dict[str, Any]]:
    """The named what-ifs shipped for a scenario, for the what-if page's picker."""
    from accord.experiments.whatif import builtin_whatifs

    return [
        {"id": w.id, "name": w.name, "description": w.description, "lines": w.lines(),
         "shows": w.extra.get("shows")}
        for w in builtin_whatifs(scenario_id)
    ]
