"""One validator for every format: structure (pydantic), then meaning (ids, ranges, stakes).

All problems are collected and reported together, each with file, line or row, field, the
bad value and what was expected.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from typing import Any

from pydantic import BaseModel, ValidationError

from accord.errors import Problem, ScenarioError
from accord.scenario.io.base import Loc, RawScenario
from accord.scenario.limits import MAX_ACTORS, MAX_ISSUES, MAX_ROWS
from accord.scenario.schema import (
    Actor,
    Body,
    DecisionRule,
    Issue,
    Lever,
    NoDeal,
    Position,
    Proposal,
    Scale,
    Scenario,
    ScenarioHeader,
    Source,
    Uncertainty,
)

LISTS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "actors": Actor,
    "issues": Issue,
    "positions": Position,
    "proposals": Proposal,
    "levers": Lever,
    "no_deal": NoDeal,
    "bodies": Body,
    "decision_rules": DecisionRule,
}
REQUIRED_LISTS = ("actors", "issues", "positions")
#: the most entries a list may have (a file beyond them is refused before its entries are checked)
MAX_ENTRIES = {"actors": MAX_ACTORS, "issues": MAX_ISSUES}
_MODELS: tuple[type[BaseModel], ...] = (*LISTS.values(), ScenarioHeader, Uncertainty, Scale)
#: every field name of the schema, for "did you mean" on a misspelt one
FIELD_NAMES = sorted({name for cls in _MODELS for name in cls.model_fields})

_EXPECTED = {
    "missing": "a value",
    "extra_forbidden": "one of the schema's fields (a typo?)",
    "finite_number": "a finite number",
    "float_parsing": "a number",
    "float_type": "a number",
    "string_type": "text",
    "string_pattern_mismatch": "letters, digits and _ (issue ids) or also . - (other ids)",
    "date_from_datetime_parsing": "a date as YYYY-MM-DD",
    "date_parsing": "a date as YYYY-MM-DD",
    "date_type": "a date as YYYY-MM-DD",
    "list_type": "a list",
    "dict_type": "a mapping",
    "literal_error": None,
    "bool_not_number": "a number",
}


def _pydantic_problems(raw: RawScenario, base: Loc, exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = (*base, *err["loc"])
        value = None if err["type"] in ("missing", "model_type") else err.get("input")
        if isinstance(value, dict | list):
            value = None
        message = err["msg"].removeprefix("Value error, ")
        expected = _EXPECTED.get(err["type"])
        if err["type"] == "missing":
            message = "required field is missing"
        elif err.get("input", "") is None and err["type"].endswith("_type"):
            message = "has no value"  # e.g. an empty table cell
        if err["type"] == "extra_forbidden" and isinstance(loc[-1], str):
            near = difflib.get_close_matches(loc[-1], FIELD_NAMES, n=1, cutoff=0.7)
            if near:
                expected = f"did you mean {near[0]!r}? " + (expected or "")
        problems.append(raw.problem(loc, message, value, expected))
    return problems


def declared_ids(raw: RawScenario, name: str) -> set[str]:
    """Collect the ids written in a list, valid entries or not.

    So one bad actor does not also make every position of it an 'unknown actor'.

    Parameters
    ----------
    raw : RawScenario
        The scenario as read.
    name : str
        The list, e.g. ``"actors"``.

    Returns
    -------
    set of str
        The ids of the list's mappings that have one; empty when the list is absent or not a
        list.
    """
    entries = raw.data.get(name)
    if not isinstance(entries, list):
        return set()
    return {str(e["id"]) for e in entries if isinstance(e, dict) and e.get("id") is not None}


def _structure(raw: RawScenario) -> tuple[dict[str, list[tuple[int, Any]]], dict[str, Any], list[Problem]]:
    """Validate each list entry on its own so that one bad row does not hide the others."""
    data = raw.data
    problems: list[Problem] = []
    items: dict[str, list[tuple[int, Any]]] = {}
    for name, cls in LISTS.items():
        entries = data.get(name)
        items[name] = []
        if entries is None:
            if name in REQUIRED_LISTS:
                problems.append(raw.problem((name,), "section is missing", expected=f"a list of {name}"))
            continue
        if not isinstance(entries, list):
            problems.append(
                raw.problem(
                    (name,), f"must be a list, not {type(entries).__name__}", expected=f"a list of {name}"
                )
            )
            continue
        if not entries and name in REQUIRED_LISTS:
            problems.append(raw.problem((name,), "is empty", expected=f"at least one of {name}"))
        limit = MAX_ENTRIES.get(name, MAX_ROWS)
        if len(entries) > limit:
            problems.append(raw.problem((name,), f"has {len(entries):,} entries, more than a "
                                        "scenario may have", expected=f"at most {limit:,} {name}"))
            continue
        for n, entry in enumerate(entries):
            try:
                items[name].append((n, cls.model_validate(entry)))
            except ValidationError as exc:
                problems.extend(_pydantic_problems(raw, (name, n), exc))
    top = {k: v for k, v in data.items() if k not in LISTS}
    return items, top, problems


def _in_range(raw: RawScenario, loc: Loc, value: float, lo: float, hi: float, what: str) -> list[Problem]:
    if lo <= value <= hi:
        return []
    return [raw.problem(loc, f"{what} is outside its range", value, f"a number from {lo:g} to {hi:g}")]


def _uncertainty(raw: RawScenario, loc: Loc, u: Uncertainty | None, lo: float, hi: float) -> list[Problem]:
    if u is None:
        return []
    if u.sd is not None:
        return (
            []
            if u.sd <= hi - lo
            else [
                raw.problem(
                    (*loc, "sd"),
                    "standard deviation is wider than the whole scale",
                    u.sd,
                    f"at most {hi - lo:g}",
                )
            ]
        )
    assert u.low is not None and u.high is not None  # Uncertainty's validator: a range has both ends
    return [
        *_in_range(raw, (*loc, "low"), u.low, lo, hi, "low end"),
        *_in_range(raw, (*loc, "high"), u.high, lo, hi, "high end"),
    ]


def _meaning(raw: RawScenario, items: dict[str, list[tuple[int, Any]]], salience_max: float) -> list[Problem]:
    problems: list[Problem] = []
    for name in LISTS:
        if name in ("positions", "no_deal"):
            continue
        counts = Counter(obj.id for _, obj in items[name])
        for n, obj in items[name]:
            if counts[obj.id] > 1:
                problems.append(
                    raw.problem((name, n, "id"), f"duplicate id in {name}", obj.id, "each id once")
                )
    sources = declared_ids(raw, "sources")
    actors = {a.id: a for _, a in items["actors"]}
    issues = {i.id: i for _, i in items["issues"]}
    known_actors, known_issues = declared_ids(raw, "actors"), declared_ids(raw, "issues")

    def check_sources(loc: Loc, ids: list[str]) -> None:
        for j, sid in enumerate(ids):
            if sid not in sources:
                problems.append(
                    raw.problem(
                        (*loc, "sources", j),
                        "unknown source id",
                        sid,
                        "an id from the scenario's sources list",
                    )
                )

    def check_issue(loc: Loc, issue_id: str) -> Issue | None:
        if issue_id not in known_issues:
            problems.append(
                raw.problem(
                    loc, "unknown issue id", issue_id, f"one of: {', '.join(issues) or 'no issues defined'}"
                )
            )
        return issues.get(issue_id)

    for n, issue in items["issues"]:
        check_sources(("issues", n), issue.sources)
        if issue.status_quo is not None:
            problems += _in_range(
                raw,
                ("issues", n, "status_quo"),
                issue.status_quo,
                issue.scale.min,
                issue.scale.max,
                "status quo",
            )
        problems += _uncertainty(
            raw,
            ("issues", n, "status_quo_uncertainty"),
            issue.status_quo_uncertainty,
            issue.scale.min,
            issue.scale.max,
        )
    for n, actor in items["actors"]:
        loc = ("actors", n)
        check_sources(loc, actor.sources)
        problems += _in_range(raw, (*loc, "capability"), actor.capability, 0, 100, "capability")
        problems += _uncertainty(raw, (*loc, "capability_uncertainty"), actor.capability_uncertainty, 0, 100)
        for issue_id, value in actor.capability_by_issue.items():
            check_issue((*loc, "capability_by_issue", issue_id), issue_id)
            problems += _in_range(raw, (*loc, "capability_by_issue", issue_id), value, 0, 100, "capability")
        for j, issue_id in enumerate(actor.veto):
            check_issue((*loc, "veto", j), issue_id)

    seen: dict[tuple[str, str], int] = {}
    weight: dict[str, float] = {}
    for n, pos in items["positions"]:
        loc = ("positions", n)
        check_sources(loc, pos.sources)
        actor = actors.get(pos.actor)
        if pos.actor not in known_actors:
            problems.append(
                raw.problem(
                    (*loc, "actor"),
                    "unknown actor id",
                    pos.actor,
                    f"one of: {', '.join(actors) or 'no actors defined'}",
                )
            )
        issue = check_issue((*loc, "issue"), pos.issue)
        key = (pos.actor, pos.issue)
        if key in seen:
            problems.append(
                raw.problem(
                    loc,
                    f"second position of {pos.actor} on {pos.issue} "
                    f"(first at {raw.line_word} {raw.line_of(('positions', seen[key]))})",
                    expected="one position per actor and issue",
                )
            )
        seen.setdefault(key, n)
        problems += _in_range(raw, (*loc, "salience"), pos.salience, 0, salience_max, "salience")
        problems += _uncertainty(
            raw, (*loc, "salience_uncertainty"), pos.salience_uncertainty, 0, salience_max
        )
        if issue is not None:
            lo, hi = issue.scale.min, issue.scale.max
            problems += _in_range(
                raw, (*loc, "position"), pos.position, lo, hi, f"position on {issue.id}'s scale"
            )
            problems += _uncertainty(raw, (*loc, "position_uncertainty"), pos.position_uncertainty, lo, hi)
            cap = actor.capability_by_issue.get(issue.id, actor.capability) if actor else 0.0
            weight[issue.id] = weight.get(issue.id, 0.0) + max(cap, 0) * max(pos.salience, 0)

    for n, issue in items["issues"]:
        if issue.id not in weight:
            problems.append(
                raw.problem(
                    ("issues", n),
                    f"nobody has a stake in issue {issue.id}",
                    expected="at least one position on it",
                )
            )
        elif weight[issue.id] <= 0 and math.isfinite(weight[issue.id]):
            problems.append(
                raw.problem(
                    ("issues", n),
                    f"every capability x salience on issue "
                    f"{issue.id} is zero, so no weighted model can forecast it",
                    expected="some actor with capability and salience above 0",
                )
            )
    for n, prop in items["proposals"]:
        check_sources(("proposals", n), prop.sources)
        for issue_id, value in prop.points.items():
            issue = check_issue(("proposals", n, "points", issue_id), issue_id)
            if issue is not None:
                problems += _in_range(
                    raw,
                    ("proposals", n, "points", issue_id),
                    value,
                    issue.scale.min,
                    issue.scale.max,
                    f"point on {issue_id}'s scale",
                )
    problems += _lever_problems(raw, items["levers"], known_actors, known_issues, check_sources)
    problems += _institutions(raw, items, check_issue, check_sources)
    return problems


#: ``field[a]`` or ``field[a, b]`` in a what-if assignment (full parsing happens where it is applied)
_REF = re.compile(r"([A-Za-z_]+)\s*\[([^\]]*)\]")


def _lever_problems(raw: RawScenario, levers: list[tuple[int, Lever]], actors: set[str], issues: set[str],
                    check_sources: Any) -> list[Problem]:
    """Check that a lever's actor exists and every ``field[...]`` it writes or reads names known ids."""
    problems: list[Problem] = []
    for n, lever in levers:
        check_sources(("levers", n), lever.sources)
        if lever.actor not in actors:
            problems.append(raw.problem(("levers", n, "actor"), "unknown actor id", lever.actor,
                                        f"one of: {', '.join(sorted(actors))}"))
        for j, text in enumerate(lever.set):
            for field, args in _REF.findall(text):
                names = [a.strip() for a in args.split(",")]
                wanted = [issues] if field == "status_quo" else [actors, issues]
                for name, known in zip(names, wanted, strict=False):
                    if name not in known:
                        problems.append(raw.problem(("levers", n, "set", j),
                                                    f"unknown id {name!r} in {text!r}", name,
                                                    "actor and issue ids of the scenario"))
    return problems


def _institutions(raw: RawScenario, items: dict[str, list[tuple[int, Any]]], check_issue: Any,
                  check_sources: Any) -> list[Problem]:
    """Check no-deal outcomes and decision rules: known issues, actors and proposals, values on the scale.

    Names in rules that are not actors are warnings
    (:func:`accord.scenario.decisions.rule_warnings`).
    """
    problems: list[Problem] = []
    actors = declared_ids(raw, "actors")
    proposals = declared_ids(raw, "proposals")
    seen: dict[tuple[str, str | None], int] = {}
    for n, entry in items["no_deal"]:
        loc = ("no_deal", n)
        check_sources(loc, entry.sources)
        issue = check_issue((*loc, "issue"), entry.issue)
        if entry.actor is not None and entry.actor not in actors:
            problems.append(raw.problem((*loc, "actor"), "unknown actor id", entry.actor,
                                        "an actor id, or no actor for everyone's expectation"))
        key = (entry.issue, entry.actor)
        if key in seen:
            who = f"{entry.actor}'s" if entry.actor else "the shared"
            problems.append(raw.problem(loc, f"second no-deal outcome ({who}) on {entry.issue} (first at "
                                        f"{raw.line_word} {raw.line_of(('no_deal', seen[key]))})",
                                        expected="one per issue, and one per actor and issue"))
        seen.setdefault(key, n)
        if issue is not None:
            lo, hi = issue.scale.min, issue.scale.max
            problems += _in_range(raw, (*loc, "value"), entry.value, lo, hi,
                                  f"no-deal outcome on {issue.id}'s scale")
            problems += _uncertainty(raw, (*loc, "uncertainty"), entry.uncertainty, lo, hi)
    for n, body in items["bodies"]:
        check_sources(("bodies", n), body.sources)
        if body.id in actors:
            problems.append(raw.problem(("bodies", n, "id"), "a body and an actor share this id", body.id,
                                        "a body id that is not an actor's (or no body: an actor's consent)"))
    for n, rule in items["decision_rules"]:
        loc = ("decision_rules", n)
        check_sources(loc, rule.sources)
        for j, issue_id in enumerate(rule.issues):
            check_issue((*loc, "issues", j), issue_id)
        for j, pid in enumerate(rule.proposals):
            if pid not in proposals:
                known = ", ".join(sorted(proposals)) or "no proposals defined"
                problems.append(raw.problem((*loc, "proposals", j), "unknown proposal id", pid,
                                            f"one of: {known}"))
    return problems


def check(raw: RawScenario) -> tuple[Scenario | None, list[Problem]]:
    """Validate a read scenario: its structure (pydantic), then its meaning (ids, ranges, stakes).

    Parameters
    ----------
    raw : RawScenario
        The scenario as read, with the problems its reader met.

    Returns
    -------
    scenario : Scenario or None
        The scenario when it is sound, else None.
    problems : list of Problem
        Every problem found (the reader's first); empty when the scenario is sound.
    """
    problems = list(raw.problems)
    if not raw.data:
        return None, problems or [raw.problem((), "the file holds no scenario")]
    items, top, structure_problems = _structure(raw)
    problems += structure_problems
    try:
        header = ScenarioHeader.model_validate(top)
    except ValidationError as exc:
        header = None
        problems += _pydantic_problems(raw, (), exc)
    salience_max = float(header.salience_scale) if header else 100.0
    problems += _meaning(raw, items, salience_max)
    if problems or header is None:
        return None, problems
    scenario = Scenario.model_validate({**top, **{k: [o for _, o in v] for k, v in items.items()}})
    return scenario, []


def build(raw: RawScenario) -> Scenario:
    """Validate and return the scenario.

    Parameters
    ----------
    raw : RawScenario
        The scenario as read.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        Listing every problem, when there is any.
    """
    scenario, problems = check(raw)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario
