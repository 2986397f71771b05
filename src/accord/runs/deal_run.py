"""Deal runs: packages judged through :mod:`accord.analysis` from a :class:`DealSpec`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.jsonsafe import clean
from accord.runs.spec import DealSpec
from accord.runs.stored import payload_json, payload_of
from accord.scenario import Scenario
from accord.scenario.schema import Proposal


@dataclass(frozen=True)
class DealRunResult:
    """What ``accord deal`` answers: packages judged against one no-deal point and the same draws.

    Attributes
    ----------
    spec : DealSpec
        The request.
    scenario : Scenario
        The scenario.
    payload : dict
        The JSON form, one shape for one package or several: ``{"proposals": [ids],
        "results": {id: judgement}, ...}``.
    compared : bool
        Whether the packages are shown side by side.
    live : Any
        The analysis objects while the run is fresh (a reopened run has none).
    kind : str
        ``deal``.
    """

    spec: DealSpec
    scenario: Scenario
    payload: dict[str, Any]
    compared: bool
    live: Any = field(default=None, compare=False, repr=False)
    kind: str = "deal"

    @property
    def packages(self) -> dict[str, dict[str, Any]]:
        """``{proposal id: its judgement}``."""
        return dict(self.payload.get("results") or {})

    def to_dict(self) -> dict[str, Any]:
        """Return the result's JSON: ``kind``, ``spec`` and the payload's fields.

        Returns
        -------
        dict
            The JSON form (NaN and infinities as null).
        """
        return payload_json(self.kind, self.spec, self.payload)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario) -> DealRunResult:
        """Read a result back from :meth:`to_dict`'s JSON (also one package stored before wave 2).

        Parameters
        ----------
        data : Mapping
            The JSON form.
        scenario : Scenario
            The scenario it ran on.

        Returns
        -------
        DealRunResult
            The result, without live analysis objects.
        """
        payload = payload_of(data)
        if "results" not in payload and "proposal" in payload:  # one package, stored before wave 2
            pid = payload["proposal"]["id"]
            payload = {"proposals": [pid], "results": {pid: payload}}
        spec = DealSpec.model_validate(data["spec"]) if data.get("spec") else DealSpec(
            proposals=list(payload.get("proposals") or []))
        return cls(spec, scenario, payload, spec.compare or len(payload.get("results") or {}) > 1)


def packages(spec: DealSpec, scenario: Scenario, read_files: bool) -> list[Proposal]:
    """Return the packages to judge.

    Parameters
    ----------
    spec : DealSpec
        The request: the named proposals, and ``points`` that replace points of the one named
        (``leave_open`` drops some) or form a package of their own.
    scenario : Scenario
        The scenario.
    read_files : bool
        Whether proposals may be files; otherwise they must be the scenario's proposal ids.

    Returns
    -------
    list of Proposal
        The packages, at least one.

    Raises
    ------
    ScenarioError
        When a point is invalid or ``leave_open`` names an unknown issue.
    AccordError
        When a proposal is unknown, points are given with several proposals, ``leave_open``
        without one, or nothing is named at all.
    """
    from accord.analysis.proposals import point_problems, resolve_proposal, with_points
    from accord.errors import Problem, ScenarioError
    from accord.scenario.io.base import RawScenario

    found: list[Proposal] = []
    for given in dict.fromkeys(spec.proposals):
        if not read_files and given not in {p.id for p in scenario.proposals}:
            known = ", ".join(p.id for p in scenario.proposals) or "none"
            raise AccordError(f"{given}: no proposal of that id in scenario {scenario.id} "
                              f"(its proposals: {known})")
        found.extend(resolve_proposal(scenario, given))
    if spec.points or spec.leave_open:
        problems = point_problems(scenario, dict(spec.points), RawScenario(data={}, file="points"), ())
        known = ", ".join(scenario.issue_ids)
        problems += [Problem(f"--open {i!r}: unknown issue", expected=f"one of: {known}")
                     for i in spec.leave_open if i not in scenario.issue_ids]
        if problems:
            raise ScenarioError(problems)
        if len(found) > 1:
            raise AccordError("changed points apply to one proposal; name one (or none for a package of "
                              "points)")
        if spec.leave_open and not found:
            raise AccordError("--open drops points of a proposal: name the proposal")
        found = [with_points(found[0] if found else None, dict(spec.points), list(spec.leave_open))]
    if not found:
        known = ", ".join(p.id for p in scenario.proposals) or "none"
        raise AccordError(f"name a proposal (scenario {scenario.id} has: {known}) or give points "
                          "(ISSUE=VALUE)")
    return found


def run_deal(spec: DealSpec, scenario: Scenario, read_files: bool = True) -> DealRunResult:
    """Judge the spec's packages against its no-deal point, under its rules and draws.

    Parameters
    ----------
    spec : DealSpec
        The request.
    scenario : Scenario
        The scenario.
    read_files : bool, optional
        Whether proposals may be files.

    Returns
    -------
    DealRunResult
        The judgements.

    Raises
    ------
    AccordError
        When the packages cannot be found or the analysis cannot run.
    """
    from accord.analysis import Rules, compare_deals

    found = packages(spec, scenario, read_files)
    rules = Rules(veto_rule=spec.veto_rule, threshold=spec.threshold)
    rng = np.random.default_rng(spec.seed) if spec.draws else None
    many = spec.compare or len(found) > 1
    repair = (not many) if spec.repair is None else spec.repair
    try:
        live = compare_deals(scenario, found, spec.against, rules, spec.draws, rng, repair, tuple(spec.hold))
    except ValueError as exc:
        raise AccordError(f"the deal analysis could not run: {exc}") from None
    return DealRunResult(spec, scenario, clean(live.to_dict()), many, live)
