"""What the API and the pages do, over the library: read uploads, edit scenarios, run models.

The same library functions serve the command line (``accord.scenario.io.read_raw`` and
``validate.check`` for reading, ``accord.experiments.forecast`` and
``accord.report.forecast_json.forecast_to_dict`` for forecasts); this module only adds the
web's concerns: safe file names, edits as new versions, and recording runs in the store.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from accord.errors import AccordError, Problem, ScenarioError
from accord.scenario.schema import Scenario, Uncertainty
from accord.store import Store, VersionInfo
from accord.web.uploads import UploadSpace

TEXT_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".tsv", ".txt"}
UPLOAD_SUFFIXES = TEXT_SUFFIXES | {".xlsx"}
MAX_SHOWN_LINES = 2000


def import_builtins(store: Store) -> list[VersionInfo]:
    """Make every built-in scenario a stored version (identical content is stored once)."""
    from accord.scenario.builtin import builtin_names, load_builtin

    return [store.save_scenario(load_builtin(name), "builtin", name) for name in builtin_names()]


def safe_name(filename: str | None) -> str:
    """Reduce an uploaded file's name to its base name in harmless characters (no folders)."""
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


def read_upload(filename: str | None, data: bytes, format: str | None = None,
                space: UploadSpace | None = None) -> UploadResult:
    """Read and validate uploaded bytes with the same readers and validator as the CLI.

    The bytes go to a private folder of the server's upload ``space`` (:mod:`accord.web.uploads`,
    cleaned after a crash; without one, a temporary folder) under the cleaned base name (no
    folders, only ``[A-Za-z0-9._ -]``), so the client's file name never becomes a path, and readers
    that name a scenario after its file (CSV, Decide, BDM) see the analyst's name, not a fixed one;
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
    stem = Path(name).stem.strip(" .") or "upload"
    with _upload_file(space, f"{stem}{suffix}", data) as path:
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


@contextlib.contextmanager
def _upload_file(space: UploadSpace | None, name: str, data: bytes) -> Iterator[Path]:
    if space is not None:
        with space.file(name, data) as path:
            yield path
        return
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def link_url(url: str | None) -> str | None:
    r"""Return ``url`` when it may become a link: an absolute http(s) address with a host; else None.

    Browsers drop tabs, newlines and leading blanks and control characters inside a scheme
    (``java\tscript:``), so the test is on the address as a browser reads it; ``javascript:``,
    ``data:``, ``file:`` and relative addresses never become links (they are shown as text).
    """
    if not url:
        return None
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


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
                "link": link_url(src.url),
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
    """Apply ``edits`` to the version's scenario and validate it; raises ScenarioError.

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
    removed: set[tuple[str | None, str]] = set()
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


def spec_class(kind: str) -> type:
    from accord.runs import DealSpec, ForecastSpec, StrategySpec, WhatIfSpec

    return {"forecast": ForecastSpec, "whatif": WhatIfSpec, "deal": DealSpec, "strategy": StrategySpec}[kind]


def prepare_run(store: Store, kind: str, version_id: int, fields: dict[str, Any],
                limits: Any) -> tuple[Any, VersionInfo]:
    """Build and admit the spec of a run of ``kind`` (forecast, whatif, deal) on a stored version.

    A bad request or one over the server's budget (:mod:`accord.runs.budget`) fails here, before
    it is queued. ``fields`` are the spec's fields (unset ones take the command line's defaults).
    """
    from accord.runs import build
    from accord.runs.budget import check

    version = store.version(version_id)
    spec = build(spec_class(kind), scenario=version.scenario_id, **fields)
    check(spec, version.scenario(), limits, hint="Run it with the command line, which has larger limits")
    return spec, version


def named_whatifs(scenario_id: str) -> list[dict[str, Any]]:
    """Return the named what-ifs shipped for a scenario, for the what-if page's picker."""
    from accord.experiments.whatif import builtin_whatifs

    return [
        {"id": w.id, "name": w.name, "description": w.description, "lines": w.lines(),
         "shows": w.extra.get("shows")}
        for w in builtin_whatifs(scenario_id)
    ]
