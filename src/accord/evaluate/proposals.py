"""Group the issues of one DEU proposal into one multi-issue scenario.

In DEU the issues of a legislative proposal are negotiated together: the setting of Stokman's
exchange model (Stokman & van Oosten 1994), applied to DEU per proposal in Thomson et al. (2006),
*The European Union Decides*. A proposal with at least two scoreable issues becomes one
scenario whose dimensions are those issues: the actors are the union of the issues' actors, each
with a stake (position and salience) only on the issues it was coded on; its capability and
vetoes are those of the one-issue cases (so the same conventions,
:mod:`accord.scenario.io.deu.capabilities` and :func:`accord.scenario.io.deu.veto_players`), with
``capability_by_issue`` where they differ between issues; each issue keeps its own reference
point as status quo. The scenario is checked by the same validator as the one-issue cases
(:func:`accord.scenario.validate.build`); the truth stays per issue, in the cases. Running a
model on these scenarios is the backtest's (:func:`.backtest.forecast_per_proposal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.errors import ScenarioError
from accord.scenario.io.base import RawScenario
from accord.scenario.schema import Scenario
from accord.scenario.validate import build

MIN_PROPOSAL_ISSUES = 2
ZERO_WEIGHT = "is zero, so no weighted model"


@dataclass(frozen=True)
class ProposalCase:
    """The scoreable issues of one proposal (in data order) and their joint scenario.

    Parameters
    ----------
    proposal_id : str
        The proposal's id.
    cases : tuple
        Its one-issue cases (DeuCase-like: scenario, outcome, issue_id, proposal_id, file, row).
    scenario : Scenario
        The joint scenario (:func:`proposal_scenario`).
    """

    proposal_id: str
    cases: tuple[Any, ...]  # DeuCase-like: scenario, outcome, issue_id, proposal_id, file, row
    scenario: Scenario

    @property
    def issue_ids(self) -> list[str]:
        """The issues' ids, in data order."""
        return [c.issue_id for c in self.cases]


def _capabilities(cases: Sequence[Any]) -> dict[str, dict[str, float]]:
    """Return actor -> {issue: capability} over the issues the actor has a stake in."""
    caps: dict[str, dict[str, float]] = {}
    for case in cases:
        for actor in case.scenario.actors:
            caps.setdefault(actor.id, {})[case.issue_id] = actor.capability_by_issue.get(
                case.issue_id, actor.capability
            )
    return caps


def proposal_scenario(cases: Sequence[Any]) -> Scenario:
    """Build one scenario with the issues of one proposal's cases.

    Parameters
    ----------
    cases : sequence
        The proposal's cases, each with a one-issue scenario.

    Returns
    -------
    Scenario
        The joint scenario (see the module docstring).

    Raises
    ------
    ScenarioError
        With the file and row of the issues, when the joint scenario is invalid (other than for
        issues with zero total weight, which are let through as for one issue).
    """
    first = cases[0]
    proposal = first.proposal_id
    caps = _capabilities(cases)
    actors: dict[str, dict[str, Any]] = {}
    for case in cases:
        for actor in case.scenario.actors:
            entry = actors.setdefault(
                actor.id,
                {"id": actor.id, "name": actor.name, "capability": caps[actor.id][case.issue_id],
                 "veto": [], "group": actor.group},
            )
            entry["veto"] += [i for i in actor.veto if i == case.issue_id]
    for actor_id, entry in actors.items():
        by_issue = {i: c for i, c in caps[actor_id].items() if c != entry["capability"]}
        if by_issue:
            entry["capability_by_issue"] = by_issue
    issues = [issue.model_dump(exclude_defaults=True) for c in cases for issue in c.scenario.issues]
    positions = [p.model_dump(exclude_defaults=True) for c in cases for p in c.scenario.positions]
    data: dict[str, Any] = {
        "id": proposal,
        "title": f"DEU {proposal} ({first.proposal_name}): {len(cases)} issues negotiated together",
        "as_of": first.scenario.as_of,
        "description": first.scenario.description,
        "actors": list(actors.values()),
        "issues": issues,
        "positions": positions,
    }
    rows: dict[tuple[str | int, ...], int] = {("issues", k): c.row for k, c in enumerate(cases)}
    raw = RawScenario(data, first.file, rows, line_word="row")
    try:
        return build(raw)
    except ScenarioError as exc:
        if all(ZERO_WEIGHT in p.message for p in exc.problems):
            return Scenario.model_validate(data)  # as for one issue: the plain mean stands in
        raise


def group_proposals(cases: Sequence[Any], min_issues: int = MIN_PROPOSAL_ISSUES) -> list[ProposalCase]:
    """Group the cases into proposals with at least ``min_issues`` scoreable cases.

    Parameters
    ----------
    cases : sequence
        The cases; those not ``scoreable`` are dropped.
    min_issues : int
        The fewest scoreable cases a proposal needs.

    Returns
    -------
    list of ProposalCase
        In order of first appearance.
    """
    scoreable = [c for c in cases if getattr(c, "scoreable", True)]
    out = []
    for index in grouped_index(scoreable, min_issues):
        group = tuple(scoreable[k] for k in index)
        out.append(ProposalCase(group[0].proposal_id, group, proposal_scenario(group)))
    return out


def grouped_index(cases: Sequence[Any], min_issues: int = MIN_PROPOSAL_ISSUES) -> list[tuple[int, ...]]:
    """Return the positions of each proposal's cases, for proposals with at least ``min_issues``.

    Parameters
    ----------
    cases : sequence
        The cases.
    min_issues : int
        The fewest cases a proposal needs.

    Returns
    -------
    list of tuple of int
        Positions in ``cases``, one tuple per proposal, in first-seen order.
    """
    by_proposal: dict[str, list[int]] = {}
    for n, case in enumerate(cases):
        by_proposal.setdefault(case.proposal_id, []).append(n)
    return [tuple(ix) for ix in by_proposal.values() if len(ix) >= min_issues]
