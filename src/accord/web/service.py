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
                "veto": a.veto,
                "group": a.group,
                "notes": a.notes,
                "sources": a.sources,
            }
            for a in s.actors
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


MAX_DRAWS = 5000


# models and runs -----------------------------------------------------------------------------
MAX_ROUNDS = 500


def model_catalog() -> list[dict[str, Any]]:
    from accord.models import available_models, model_class
    from accord.report.forecast_json import clean

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


def check_params(models: list[str], params: dict[str, Any]) -> None:
    """Each parameter must exist in some chosen model and match its default's type."""
    from accord.models import get_model

    chosen = [get_model(m) for m in models]
    for key, value in params.items():
        owners = [m for m in chosen if key in m.params()]
        if not owners:
            raise AccordError(f"parameter {key!r} belongs to none of the models {', '.join(models)}")
        for model in owners:
            default = model.params()[key]
            kind = type(default)
            ok = (
                isinstance(value, bool) if kind is bool
                else isinstance(value, int) and not isinstance(value, bool) if kind is int
                else isinstance(value, int | float) and not isinstance(value, bool) if kind is float
                else isinstance(value, str) if kind is str
                else default is None or type(value) is kind
            )
            if not ok:
                raise AccordError(
                    f"parameter {key!r} of model {model.name}: got {value!r}; expected {kind.__name__} "
                    f"like its default {default!r}"
                )
    if isinstance(params.get("rounds"), int) and not 1 <= params["rounds"] <= MAX_ROUNDS:
        raise AccordError(f"rounds: got {params['rounds']}; expected 1 to {MAX_ROUNDS}")


def checked_request(models: list[str] | None, params: dict[str, Any], draws: int) -> list[str]:
    """The models to run (all when none are named), once each, after checking every name, the
    parameters and the number of draws; a bad request fails before any work."""
    from accord.models import available_models, model_class

    names = list(dict.fromkeys(models)) if models else available_models()
    for name in names:
        model_class(name)
    check_params(names, params)
    if not 0 <= draws <= MAX_DRAWS:
        raise AccordError(f"draws: got {draws}; expected 0 to {MAX_DRAWS}")
    return names


def run_forecast(
    store: Store,
    version_id: int,
    models: list[str] | None,
    params: dict[str, Any],
    seed: int | None,
    label: str | None = None,
    draws: int = 0,
) -> RunInfo:
    """Forecast with ``accord.experiments.forecast`` (uncertainty bands from ``draws``), recorded."""
    from accord.experiments.forecast import forecast
    from accord.report.forecast_json import forecast_to_dict

    version = store.version(version_id)
    names = checked_request(models, params, draws)
    try:
        fc = forecast(version.scenario(), names, params, seed, **({"draws": draws} if draws else {}))
    except ValueError as exc:
        raise AccordError(f"the models could not run with these parameters: {exc}") from None
    results = forecast_to_dict(fc)
    return store.record_run(
        version_id, "forecast", names, params, results, seed=fc.seed, draws=draws or None, label=label
    )


def run_outcomes(results: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """``{model: {issue: outcome}}`` from stored results (what-ifs: baseline and what-if medians)."""
    out: dict[str, dict[str, float | None]] = {}
    for name, entry in (results.get("models") or {}).items():
        if not (isinstance(entry, dict) and "issues" in entry):
            continue
        issues = entry["issues"]
        if "whatif" in results:  # a what-if: both sides' medians
            for side in ("baseline", "whatif"):
                out[f"{name} ({side})"] = {k: (v.get(side) or {}).get("median") for k, v in issues.items()}
        else:
            out[name] = {k: v.get("outcome") for k, v in issues.items()}
    return out


def compare_runs(runs: list[RunInfo]) -> dict[str, Any]:
    """Every (run, model) outcome per issue, in one table: columns, issues, rows of values."""
    columns: list[dict[str, Any]] = []
    issues: list[str] = []
    values: list[dict[str, float | None]] = []
    for run in runs:
        for model, per_issue in run_outcomes(run.results or {}).items():
            columns.append({"run": run.id, "model": model, "label": f"run {run.id}: {model}",
                            "scenario_id": run.scenario_id, "version": run.version, "seed": run.seed})
            values.append(per_issue)
            issues += [i for i in per_issue if i not in issues]
    rows = {issue: [v.get(issue) for v in values] for issue in issues}
    return {"runs": [r.summary() for r in runs], "columns": columns, "issues": issues, "rows": rows}



# what-if -----------------------------------------------------------------------------------

def named_whatifs(scenario_id: str) -> list[dict[str, Any]]:
    """The named what-ifs shipped for a scenario, for the what-if page's picker."""
    from accord.experiments.whatif import builtin_whatifs

    return [
        {"id": w.id, "name": w.name, "description": w.description, "lines": w.lines(),
         "shows": w.extra.get("shows")}
        for w in builtin_whatifs(scenario_id)
    ]


def build_intervention(
    scenario_id: str, named: list[str], set_lines: list[str], add: list[str], remove: list[str]
) -> Any:
    """One intervention from named what-ifs plus written changes, parsed by the library."""
    from accord.experiments.whatif import combine, intervention_from_dict, named_whatif

    parts = [named_whatif(scenario_id, n) for n in named]
    written = [s for s in (x.strip() for x in set_lines) if s]
    adds = [s for s in (x.strip() for x in add) if s]
    removes = [s for s in (x.strip() for x in remove) if s]
    if written or adds or removes:
        parts.append(
            intervention_from_dict(
                {"id": "custom", "set": written, "add": adds, "remove": removes}, "what-if"
            )
        )
    if not parts:
        raise AccordError("pick a named what-if or write a change, e.g. capability[us] *= 0.5")
    return combine(parts, id="+".join(p.id for p in parts))


def run_whatif(
    store: Store,
    version_id: int,
    intervention: dict[str, list[str]],
    models: list[str] | None,
    params: dict[str, Any],
    draws: int,
    seed: int | None,
    label: str | None = None,
) -> RunInfo:
    """Baseline vs intervention on the same draws (``accord.experiments.whatif``), recorded."""
    from accord.experiments.whatif import whatif

    version = store.version(version_id)
    names = checked_request(models, params, draws)
    iv = build_intervention(
        version.scenario_id, intervention.get("named", []), intervention.get("set", []),
        intervention.get("add", []), intervention.get("remove", []),
    )
    try:
        result = whatif(version.scenario(), iv, n_draws=draws, seed=seed, models=names, params=params)
    except ValueError as exc:
        raise AccordError(f"the what-if could not run: {exc}") from None
    from accord.report.whatif_json import whatif_to_dict

    results = whatif_to_dict(result)
    return store.record_run(
        version_id, "whatif", names, {**params, "intervention": intervention}, results,
        seed=result.seed, draws=draws, label=label or iv.name or iv.id,
    )


# deal --------------------------------------------------------------------------------------
def run_deal(
    store: Store,
    version_id: int,
    proposals: list[str],
    points: dict[str, float],
    against: str,
    veto_rule: str,
    threshold: float,
    draws: int,
    seed: int | None,
    repair: bool,
    hold: list[str],
    label: str | None = None,
) -> RunInfo:
    """Judge packages with ``accord.analysis.compare_deals`` (who gains, vetoes, repairs), recorded."""
    import numpy as np

    from accord.analysis import Rules, compare_deals, with_points

    version = store.version(version_id)
    scenario = version.scenario()
    if not 0 <= draws <= MAX_DRAWS:
        raise AccordError(f"draws: got {draws}; expected 0 to {MAX_DRAWS}")
    for issue_id, value in points.items():
        scale = scenario.issue(issue_id).scale
        if not scale.min <= value <= scale.max:
            raise AccordError(f"point {issue_id}={value:g}: outside the scale {scale.min:g}..{scale.max:g}")
    packages: list[Any] = [p for pid in dict.fromkeys(proposals) for p in _own_proposal(scenario, pid)]
    if points:
        if len(packages) > 1:
            raise AccordError("changed points apply to one proposal; pick one (or none for a new package)")
        packages = [with_points(packages[0] if packages else None, points)]
    if not packages:
        known = ", ".join(p.id for p in scenario.proposals) or "none"
        raise AccordError(f"pick a proposal (this scenario has: {known}) or give points")
    if draws and seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    rng = np.random.default_rng(seed) if draws else None
    rules = Rules(veto_rule=veto_rule, threshold=threshold)  # type: ignore[arg-type]
    try:
        result = compare_deals(scenario, packages, against, rules, draws, rng, repair, tuple(hold))
    except ValueError as exc:
        raise AccordError(f"the deal analysis could not run: {exc}") from None
    from accord.report.forecast_json import clean

    params = {"proposals": [p.id for p in packages], "points": points, "against": against,
              "veto_rule": veto_rule, "threshold": threshold, "repair": repair, "hold": hold}
    return store.record_run(
        version_id, "deal", [], params, clean(result.to_dict()), seed=seed if draws else None,
        draws=draws, label=label or " vs ".join(p.id for p in packages),
    )


def _own_proposal(scenario: Scenario, proposal_id: str) -> list[Any]:
    """A proposal of the scenario by id (never a file path: the web reads no server files)."""
    return [scenario.proposal(proposal_id)]


def whatif_available() -> bool:
    """Whether the what-if library (``accord.experiments.whatif``) is in this version."""
    import importlib.util

    return importlib.util.find_spec("accord.experiments.whatif") is not None


def deal_available() -> bool:
    """Whether the deal analysis (``accord.analysis``) is in this version."""
    import importlib.util

    return importlib.util.find_spec("accord.analysis") is not None
