"""Proposals as data: the scenario's own, a user's YAML/JSON file, or ``--point ISSUE=VALUE``.

A file holds one proposal (a mapping with the fields of :class:`accord.scenario.Proposal`), a
list of them, or a mapping with a ``proposals:`` list. Every problem is reported at once with
file, line, field, value and expectation, by the same machinery as scenario files.

An issue a package leaves out is not settled by it: it stays where it would be without the
deal, at the disagreement point, so it neither helps nor hurts anyone.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError

from accord.errors import AccordError, Problem, ScenarioError
from accord.scenario.io.base import Loc, RawScenario
from accord.scenario.io.native import _walk
from accord.scenario.schema import Proposal, Scenario
from accord.scenario.validate import _pydantic_problems


def package_vector(scenario: Scenario, proposal: Proposal) -> np.ndarray:
    """Return the package's points in issue order.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its issue order).
    proposal : Proposal
        The package.

    Returns
    -------
    np.ndarray
        Points, shape (I,); NaN where the package leaves an issue open.
    """
    return np.array([proposal.points.get(i, np.nan) for i in scenario.issue_ids], dtype=float)


def point_problems(scenario: Scenario, points: dict[str, float], raw: RawScenario, loc: Loc) -> list[Problem]:
    """Find the unknown issues and the points outside their scale.

    Parameters
    ----------
    scenario : Scenario
        The scenario the points are checked against.
    points : dict of str to float
        Points by issue id.
    raw : RawScenario
        The source the problems are located in (file and lines).
    loc : Loc
        Where the proposal sits in that source.

    Returns
    -------
    list of Problem
        One per bad point; empty when all are good.
    """
    problems = []
    for issue_id, value in points.items():
        where = (*loc, "points", issue_id)
        if issue_id not in scenario.issue_ids:
            problems.append(raw.problem(where, "unknown issue id", issue_id,
                                        f"one of: {', '.join(scenario.issue_ids)}"))
            continue
        scale = scenario.issue(issue_id).scale
        if not scale.min <= value <= scale.max:
            problems.append(raw.problem(where, f"point on {issue_id}'s scale is outside it", value,
                                        f"a number from {scale.min:g} to {scale.max:g}"))
    return problems


def _entries(raw: RawScenario, data: Any) -> list[tuple[Loc, Any]] | None:
    """Return the proposals a parsed file holds, each with its location (None: none there)."""
    if isinstance(data, dict) and "proposals" in data and "points" not in data:
        data, base = data["proposals"], ("proposals",)
        if not isinstance(data, list):
            return None
        return [((*base, n), e) for n, e in enumerate(data)]
    if isinstance(data, list):
        return [((n,), e) for n, e in enumerate(data)]
    if isinstance(data, dict):
        return [((), data)]
    return None


def parse_proposals(text: str, file: str, scenario: Scenario) -> list[Proposal]:
    """Read proposals from YAML or JSON text and check them against the scenario.

    Parameters
    ----------
    text : str
        The file's text.
    file : str
        The file's name, for the problems.
    scenario : Scenario
        The scenario the points are checked against.

    Returns
    -------
    list of Proposal
        The proposals, in file order.

    Raises
    ------
    ScenarioError
        With every problem at once: invalid YAML, no proposal, a bad field, an unknown issue, a
        point off its scale, a repeated id.
    """
    raw = RawScenario(data={}, file=file)
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([Problem(f"not valid YAML: {reason}", file=file,
                                     line=mark.line + 1 if mark else None)]) from None
    if root is not None:
        _walk(root, (), raw.lines, [])
    entries = _entries(raw, data)
    if not entries:
        raise ScenarioError([raw.problem((), "the file holds no proposal", None,
                                         "a proposal (id, name, points), a list of them, "
                                         "or a mapping with a proposals list")])
    problems: list[Problem] = []
    proposals: list[tuple[Loc, Proposal]] = []
    for loc, entry in entries:
        try:
            proposal = Proposal.model_validate(entry)
        except ValidationError as exc:
            problems += _pydantic_problems(raw, loc, exc)
            points = entry.get("points") if isinstance(entry, dict) else None
            if isinstance(points, dict):  # still check the points that parse
                numeric = {str(k): v for k, v in points.items()
                           if isinstance(v, int | float) and not isinstance(v, bool)}
                problems += point_problems(scenario, numeric, raw, loc)
            continue
        problems += point_problems(scenario, proposal.points, raw, loc)
        proposals.append((loc, proposal))
    counts = Counter(p.id for _, p in proposals)
    for loc, p in proposals:
        if counts[p.id] > 1:
            problems.append(raw.problem((*loc, "id"), "duplicate proposal id", p.id, "each id once"))
    if problems:
        raise ScenarioError(problems)
    return [p for _, p in proposals]


def load_proposals(path: str | Path, scenario: Scenario) -> list[Proposal]:
    """Read a proposal file (YAML or JSON).

    Parameters
    ----------
    path : str or Path
        The file.
    scenario : Scenario
        The scenario the points are checked against.

    Returns
    -------
    list of Proposal
        The proposals, in file order.

    Raises
    ------
    AccordError
        When the file is missing or cannot be read; a :class:`ScenarioError` on bad content.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AccordError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AccordError(f"{path}: cannot read ({exc})") from None
    return parse_proposals(text, str(path), scenario)


def looks_like_proposals(path: Path) -> bool:
    """Tell whether a YAML/JSON file holds proposals rather than a scenario (which has actors).

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    bool
        True for a readable ``.yaml``, ``.yml`` or ``.json`` file holding a list, or a mapping
        without ``actors``.
    """
    if path.suffix.lower() not in (".yaml", ".yml", ".json") or not path.is_file():
        return False
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, list) or (isinstance(data, dict) and "actors" not in data)


def parse_points(items: list[str], scenario: Scenario, option: str = "--point") -> dict[str, float]:
    """Read ``ISSUE=VALUE`` items into points and check them against the scenario.

    Parameters
    ----------
    items : list of str
        The items; one may hold several, comma-separated.
    scenario : Scenario
        The scenario the points are checked against.
    option : str
        The option's name, for the messages.

    Returns
    -------
    dict of str to float
        Points by issue id.

    Raises
    ------
    ScenarioError
        On an item that is not ``ISSUE=NUMBER``, an unknown issue, or a value off the issue's scale.
    """
    points: dict[str, float] = {}
    problems: list[Problem] = []
    for item in (part for text in items for part in text.split(",") if part.strip()):
        key, sep, value = item.partition("=")
        key = key.strip()
        try:
            number = float(value) if sep else float("nan")
        except ValueError:
            number = float("nan")
        if not sep or not key or not np.isfinite(number):
            problems.append(Problem(f"{option} {item!r}: expected ISSUE=NUMBER, e.g. territory=50"))
            continue
        points[key] = number
    if problems:
        raise ScenarioError(problems)
    raw = RawScenario(data={}, file=option)
    problems = point_problems(scenario, points, raw, ())
    if problems:
        raise ScenarioError(problems)
    return points


def resolve_proposal(
    scenario: Scenario, spec: str | Path | Proposal | dict[str, float]
) -> list[Proposal]:
    """Find the proposals a spec names.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    spec : str, Path, Proposal or dict
        A proposal object, a dict of points (issue id to value; named ``custom``), the id of one
        of the scenario's proposals, or a proposal file.

    Returns
    -------
    list of Proposal
        One proposal, or those of the file.

    Raises
    ------
    AccordError
        When ``spec`` is neither a proposal id nor a file; a :class:`ScenarioError` on bad points.
    """
    if isinstance(spec, Proposal):
        raw = RawScenario(data={}, file=f"proposal {spec.id}")
        problems = point_problems(scenario, spec.points, raw, ())
        if problems:
            raise ScenarioError(problems)
        return [spec]
    if isinstance(spec, dict):
        return resolve_proposal(scenario, Proposal(id="custom", name="custom package", points=spec))
    text = str(spec)
    if text in {p.id for p in scenario.proposals}:
        return [scenario.proposal(text)]
    if Path(text).is_file():
        return load_proposals(text, scenario)
    known = ", ".join(p.id for p in scenario.proposals) or "none"
    raise AccordError(f"{text}: no proposal of that id in scenario {scenario.id} "
                      f"(its proposals: {known}), and no such file")


def with_points(proposal: Proposal | None, points: dict[str, float], leave_open: list[str] | None = None
                ) -> Proposal:
    """Change some points of a package.

    Parameters
    ----------
    proposal : Proposal or None
        The package; None: a new package of just ``points``.
    points : dict of str to float
        Points to set, by issue id.
    leave_open : list of str, optional
        Ids of issues whose points to drop.

    Returns
    -------
    Proposal
        The changed package, with id ``ID-changed`` (a valid id, so that its repair,
        ``ID-changed-repaired``, is one too) and a name that lists the changes.

    Raises
    ------
    AccordError
        When the package would settle nothing.
    """
    if proposal is None:
        return Proposal(id="custom", name="custom package", points=points)
    dropped = set(leave_open or ())
    notes = {k: v for k, v in proposal.notes.items() if k not in points and k not in dropped}
    changes = [f"{k}={v:g}" for k, v in points.items()] + [f"{k} open" for k in sorted(dropped)]
    kept = {k: v for k, v in {**proposal.points, **points}.items() if k not in dropped}
    if not kept:
        raise AccordError("the package would settle nothing: every point is left open")
    return Proposal.model_validate({
        **proposal.model_dump(), "id": f"{proposal.id}-changed",
        "name": f"{proposal.name} with {', '.join(changes)}",
        "points": kept, "notes": notes,
    })


def proposal_dict(proposal: Proposal) -> dict[str, Any]:
    """Return a proposal as JSON-ready data.

    Parameters
    ----------
    proposal : Proposal
        The proposal.

    Returns
    -------
    dict
        Its fields, as the JSON form of the model.
    """
    return json.loads(proposal.model_dump_json())
