"""Evaluate a package: each actor's gain, vetoes, the coalition, acceptance under uncertainty.

The Python API the CLI and the web UI share::

    result = evaluate_deal(scenario, "28-point", against="no-deal", draws=1000,
                           rng=np.random.default_rng(1))
    result.to_dict()
    compare_deals(scenario, ["28-point", "geneva-19"]).to_dict()

Rules: :mod:`accord.analysis.utility` (gains), :mod:`accord.analysis.acceptance` (verdicts),
:mod:`accord.analysis.disagreement` (the no-deal point), :mod:`accord.analysis.repair`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.acceptance import Assessment, Rules, assess
from accord.analysis.breakers import Breaker, deal_breakers
from accord.analysis.coverage import Coverage
from accord.analysis.disagreement import Against, against_dict, disagreement_point, parse_against, sources
from accord.analysis.proposals import package_vector, resolve_proposal
from accord.analysis.repair import Repair, find_repair, reference_point
from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.decisions import Requirements, requirements
from accord.scenario.sampling import sample_arrays, sample_no_deal
from accord.scenario.schema import Proposal, Scenario

UTILITY = ("u_i(x) = -100 * sum_k s_ik |x_k - x_ik| / (max_k - min_k); gain = u_i(package) - u_i(i's own "
           "no-deal outcome); issues the package leaves open count 0")
ProposalSpec = str | Path | Proposal | dict[str, float]


@dataclass(frozen=True)
class Setting:
    """What every package in one evaluation shares: inputs, no-deal points, and the draws.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    against : Against
        The disagreement-point spec.
    rules : Rules
        The acceptance rules.
    arrays : ScenarioArrays
        The compiled scenario.
    disagreement : np.ndarray
        Each actor's no-deal outcome, shape (A, I); NaN where an issue has none.
    sources : list of str
        Where each issue's disagreement values come from (:func:`~accord.analysis.disagreement.sources`).
    sampled : ScenarioArrays or None
        The perturbed copies, shape (B, ...), when draws are taken.
    disagreement_draws : np.ndarray or None
        The no-deal outcomes per draw, shape (B, A, I).
    """

    scenario: Scenario
    against: Against
    rules: Rules
    arrays: ScenarioArrays
    disagreement: np.ndarray  # [A, I] each actor's no-deal outcome
    sources: list[str]
    sampled: ScenarioArrays | None = None
    disagreement_draws: np.ndarray | None = None  # [B, A, I]

    @property
    def reference(self) -> np.ndarray:
        """The no-deal point shown for everyone, per issue, shape (I,).

        The shared one; where actors expect different things, the median of their expectations.
        """
        return reference_point(self.disagreement)[0]

    @property
    def shared(self) -> np.ndarray:
        """Whether every actor has the same no-deal point on the issue, shape (I,)."""
        return reference_point(self.disagreement)[1]

    def requirements(self, proposal: Proposal) -> Requirements:
        """Return whose consent a package needs.

        Parameters
        ----------
        proposal : Proposal
            The package; the scenario's rules that name it (or the proposal it was derived from:
            ``X-changed``, ``X-repaired``) apply, with the general ones.

        Returns
        -------
        Requirements
            The decision rules for this package.
        """
        return requirements(self.scenario, base_id(proposal.id))


def base_id(proposal_id: str) -> str:
    """Return the id of the proposal a changed or repaired one comes from.

    Parameters
    ----------
    proposal_id : str
        E.g. ``28-point-changed`` or ``28-point-repaired``.

    Returns
    -------
    str
        The id without its ``-changed`` and ``-repaired`` suffixes (``28-point``).
    """
    for suffix in ("-repaired", "-changed"):
        while proposal_id.endswith(suffix):
            proposal_id = proposal_id.removesuffix(suffix)
    return proposal_id


def prepare(
    scenario: Scenario,
    against: str | Against | None = None,
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
) -> Setting:
    """Compile the scenario, fix the no-deal points, and take perturbed copies.

    The stated no-deal outcomes are drawn after the arrays, from the same generator.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    against : str or Against, optional
        The disagreement-point spec (:mod:`accord.analysis.disagreement`); default ``no-deal``.
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    draws : int
        How many perturbed copies to take (0: none).
    rng : np.random.Generator, optional
        The generator; needed when ``draws`` > 0.

    Returns
    -------
    Setting
        What the packages of this evaluation share.

    Raises
    ------
    AccordError
        On a negative ``draws``, draws without a generator, or a bad ``against`` spec.
    """
    if draws < 0:
        raise AccordError(f"--draws {draws}: expected 0 or more")
    if draws and rng is None:
        raise AccordError("draws need a random generator (give a seed)")
    spec = parse_against(against, scenario)
    arrays = compile_scenario(scenario)
    d = disagreement_point(scenario, arrays, spec, rng)
    sampled = d_draws = None
    if draws:
        assert rng is not None
        sampled = sample_arrays(scenario, draws, rng)
        sq = np.broadcast_to(sampled.status_quo, (draws, arrays.n_issues))
        no_deal = sample_no_deal(scenario, sq, rng) if spec.model is None and not spec.status_quo else None
        d_draws = disagreement_point(scenario, sampled, spec, rng, no_deal)
    return Setting(scenario, spec, rules or Rules(), arrays, d, sources(scenario, arrays, spec),
                   sampled, d_draws)


@dataclass(frozen=True)
class DealResult:
    """One package judged against the no-deal points; ``draws`` when sampled.

    Parameters
    ----------
    setting : Setting
        The shared inputs.
    proposal : Proposal
        The package as proposed.
    package : np.ndarray
        Its points, shape (I,); NaN where the package is silent.
    point : Assessment
        The verdict on the scenario as coded.
    draws : Assessment or None
        The verdict per draw, leading axis B.
    breakers : list of Breaker
        The points that lose actors.
    repair : Repair or None
        The smallest change that makes the package accepted, when one was searched for.
    """

    setting: Setting
    proposal: Proposal
    package: np.ndarray  # [I], NaN where the package is silent
    point: Assessment
    draws: Assessment | None
    breakers: list[Breaker]
    repair: Repair | None

    @property
    def scenario(self) -> Scenario:
        """The scenario the package is judged in."""
        return self.setting.scenario

    @property
    def coverage(self) -> Coverage:
        """The issues the package settles and those it leaves open."""
        return Coverage.of(self.package, self.scenario.issue_ids)

    @property
    def verdict(self) -> str:
        """``accepted`` or ``rejected``; ``partial-accepted`` or ``partial-rejected`` on a partial package.

        A partial verdict is one on the points the package settles only.
        """
        return self.coverage.verdict(bool(self.point.accepted))

    @property
    def outcome(self) -> np.ndarray:
        """The package with silent issues at the shared no-deal point, shape (I,)."""
        return np.where(np.isnan(self.package), self.setting.reference, self.package)

    @property
    def not_compared(self) -> list[str]:
        """Issues the package sets but that have no disagreement point (gain 0 on them)."""
        d = self.setting.disagreement
        ids = self.scenario.issue_ids
        return [i for k, i in enumerate(ids) if np.isnan(d[:, k]).all() and not np.isnan(self.package[k])]

    def probabilities(self) -> dict[str, np.ndarray] | None:
        """Return per actor, over draws, the probabilities that it accepts, gains and vetoes.

        Returns
        -------
        dict of str to np.ndarray or None
            ``accepts``, ``gains`` and ``vetoes``, each of shape (A,); None without draws.
        """
        if self.draws is None:
            return None
        return {"accepts": self.draws.accepts.mean(axis=0), "gains": self.draws.gains.mean(axis=0),
                "vetoes": self.draws.vetoes.mean(axis=0)}

    def to_dict(self) -> dict[str, Any]:
        """Return the judgement as JSON-ready data (:func:`accord.analysis.deal_json.deal_dict`).

        Returns
        -------
        dict
            The judgement.
        """
        from accord.analysis.deal_json import deal_dict

        return deal_dict(self)


def judge(setting: Setting, proposal: Proposal, repair: bool = True, hold: Sequence[str] = ()) -> DealResult:
    """Evaluate one (validated) proposal in a prepared setting.

    Parameters
    ----------
    setting : Setting
        The shared inputs, from :func:`prepare`.
    proposal : Proposal
        The package.
    repair : bool
        Whether to search for a repair.
    hold : sequence of str
        Ids of issues the repair must not change.

    Returns
    -------
    DealResult
        The judgement.

    Raises
    ------
    AccordError
        When ``hold`` names an unknown issue.
    """
    for issue_id in hold:
        if issue_id not in setting.scenario.issue_ids:
            known = ", ".join(setting.scenario.issue_ids)
            raise AccordError(f"--hold {issue_id!r}: unknown issue; known: {known}")
    p = package_vector(setting.scenario, proposal)
    req = setting.requirements(proposal)
    point = assess(setting.arrays, p, setting.disagreement, setting.rules, req)
    draws = None
    if setting.sampled is not None:
        draws = assess(setting.sampled, p, setting.disagreement_draws, setting.rules, req)  # type: ignore[arg-type]
    breakers = deal_breakers(setting.scenario, setting.arrays, point)
    fix = None
    if repair:
        fix = find_repair(setting.scenario, setting.arrays, proposal, p, setting.disagreement,
                          setting.rules, tuple(hold), req)
    return DealResult(setting, proposal, p, point, draws, breakers, fix)


def evaluate_deal(
    scenario: Scenario,
    proposal: ProposalSpec,
    against: str | Against | None = "no-deal",
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
    repair: bool = True,
    hold: Sequence[str] = (),
) -> DealResult:
    """Judge one package.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    proposal : str, Path, Proposal or dict
        A :class:`Proposal`, a dict of points (issue id to value), a proposal id, or a file.
    against : str or Against, optional
        The disagreement-point spec (:mod:`accord.analysis.disagreement`).
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    draws : int
        How many perturbed copies to judge it on (0: none).
    rng : np.random.Generator, optional
        The generator; needed when ``draws`` > 0.
    repair : bool
        Whether to search for a repair.
    hold : sequence of str
        Ids of issues the repair must not change.

    Returns
    -------
    DealResult
        The judgement.

    Raises
    ------
    AccordError
        When ``proposal`` holds no proposal or several, or on bad input.
    """
    found = resolve_proposal(scenario, proposal)
    if len(found) != 1:
        raise AccordError(f"{proposal}: holds {len(found)} proposals; evaluate one, or compare them")
    return judge(prepare(scenario, against, rules, draws, rng), found[0], repair, hold)


@dataclass(frozen=True)
class Comparison:
    """Several packages judged against the same disagreement point and the same draws.

    Parameters
    ----------
    setting : Setting
        The shared inputs.
    results : list of DealResult
        One judgement per package.
    """

    setting: Setting
    results: list[DealResult]

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as JSON-ready data.

        Returns
        -------
        dict
            The shared scenario, disagreement spec, rules and utility, the proposals' ids, and per
            proposal its coverage and its judgement.
        """
        s = self.setting.scenario
        return {
            "scenario": {"id": s.id, "title": s.title},
            "against": against_dict(self.setting.against),
            "rules": self.setting.rules.to_dict(),
            "utility": UTILITY,
            "proposals": [r.proposal.id for r in self.results],
            "coverage": {r.proposal.id: r.coverage.to_dict() for r in self.results},
            "results": {r.proposal.id: r.to_dict() for r in self.results},
        }


def compare_deals(
    scenario: Scenario,
    proposals: Sequence[ProposalSpec],
    against: str | Against | None = "no-deal",
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
    repair: bool = False,
    hold: Sequence[str] = (),
) -> Comparison:
    """Judge several packages side by side (common random numbers across packages).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    proposals : sequence of str, Path, Proposal or dict
        The packages; a dict of points is named ``package-N`` by its place.
    against : str or Against, optional
        The disagreement-point spec (:mod:`accord.analysis.disagreement`).
    rules : Rules, optional
        The acceptance rules; default ``Rules()``.
    draws : int
        How many perturbed copies to judge them on (0: none).
    rng : np.random.Generator, optional
        The generator; needed when ``draws`` > 0.
    repair : bool
        Whether to search for a repair of each.
    hold : sequence of str
        Ids of issues the repairs must not change.

    Returns
    -------
    Comparison
        The judgements.

    Raises
    ------
    AccordError
        When two proposals share an id, or on bad input.
    """
    found = [p for n, spec in enumerate(proposals) for p in resolve_proposal(
        scenario, Proposal(id=f"package-{n + 1}", name=f"package {n + 1}", points=spec)
        if isinstance(spec, dict) else spec)]
    ids = [p.id for p in found]
    if len(set(ids)) != len(ids):
        raise AccordError(f"proposals repeat an id: {', '.join(ids)}")
    setting = prepare(scenario, against, rules, draws, rng)
    return Comparison(setting, [judge(setting, p, repair, hold) for p in found])
