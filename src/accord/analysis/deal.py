"""Evaluate a package: each actor's gain, vetoes, the coalition, acceptance under uncertainty.

The Python API the CLI and the web UI share::

    result = evaluate_deal(scenario, "28-point", against="status-quo", draws=1000,
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
from accord.analysis.disagreement import Against, against_dict, disagreement_point, parse_against, sources
from accord.analysis.proposals import package_vector, proposal_dict, resolve_proposal
from accord.analysis.repair import Repair, find_repair
from accord.errors import AccordError
from accord.experiments.uncertainty import summarise
from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.sampling import sample_arrays
from accord.scenario.schema import Proposal, Scenario

UTILITY = "u_i(x) = -100 * sum_k s_ik |x_k - x_ik| / (max_k - min_k); gain = u_i(package) - u_i(no deal)"
ProposalSpec = str | Path | Proposal | dict[str, float]


@dataclass(frozen=True)
class Setting:
    """What every package in one evaluation shares: inputs, no-deal point, and the draws."""

    scenario: Scenario
    against: Against
    rules: Rules
    arrays: ScenarioArrays
    disagreement: np.ndarray  # [I]
    sources: list[str]
    sampled: ScenarioArrays | None = None
    disagreement_draws: np.ndarray | None = None  # [B, I]


def prepare(
    scenario: Scenario,
    against: str | Against | None = None,
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
) -> Setting:
    """Compile the scenario, fix the disagreement point, and take ``draws`` perturbed copies."""
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
        d_draws = disagreement_point(scenario, sampled, spec, rng)
    return Setting(scenario, spec, rules or Rules(), arrays, d, sources(scenario, arrays, spec),
                   sampled, d_draws)


@dataclass(frozen=True)
class DealResult:
    """One package judged against the disagreement point; ``draws`` when sampled."""

    setting: Setting
    proposal: Proposal
    package: np.ndarray  # [I], NaN where the package is silent
    point: Assessment
    draws: Assessment | None
    breakers: list[Breaker]
    repair: Repair | None

    @property
    def scenario(self) -> Scenario:
        return self.setting.scenario

    @property
    def outcome(self) -> np.ndarray:
        """The package with silent issues at the disagreement point ``[I]``."""
        return np.where(np.isnan(self.package), self.setting.disagreement, self.package)

    @property
    def not_compared(self) -> list[str]:
        """Issues the package sets but that have no disagreement point (gain 0 on them)."""
        d = self.setting.disagreement
        ids = self.scenario.issue_ids
        return [i for k, i in enumerate(ids) if np.isnan(d[k]) and not np.isnan(self.package[k])]

    def probabilities(self) -> dict[str, np.ndarray] | None:
        """Per actor, over draws: P(accepts), P(gains), P(vetoes)."""
        if self.draws is None:
            return None
        return {"accepts": self.draws.accepts.mean(axis=0), "gains": self.draws.gains.mean(axis=0),
                "vetoes": self.draws.vetoes.mean(axis=0)}

    def to_dict(self) -> dict[str, Any]:
        s, pt = self.scenario, self.point
        d = self.setting.disagreement
        issues = {}
        for k, issue_id in enumerate(s.issue_ids):
            issues[issue_id] = {
                "package": None if np.isnan(self.package[k]) else float(self.package[k]),
                "no_deal": None if np.isnan(d[k]) else float(d[k]),
                "no_deal_source": self.setting.sources[k],
                "moved": bool(pt.moved[k]),
            }
        probs = self.probabilities()
        q = summarise(self.draws.gain) if self.draws is not None else None  # per actor, over draws
        actors = {}
        for a, actor in enumerate(s.actors):
            entry: dict[str, Any] = {
                "name": actor.name,
                "clout": float(pt.clout[a]),
                "gain": float(pt.gain[a]),
                "issue_gains": {i: float(pt.issue_gain[a, k]) for k, i in enumerate(s.issue_ids)},
                "verdict": "gains" if pt.gains[a] else "loses" if pt.loses[a] else "indifferent",
                "accepts": bool(pt.accepts[a]),
                "holds_veto": bool(pt.holds_veto[a]),
                "veto_issues": [i for k, i in enumerate(s.issue_ids)
                                if self.setting.arrays.veto[a, k] and pt.moved[k]],
                "vetoes": bool(pt.vetoes[a]),
            }
            if probs is not None and q is not None:
                entry.update({f"p_{key}": float(v[a]) for key, v in probs.items()})
                entry["gain_quantiles"] = {"5%": float(q["q05"][a]), "50%": float(q["median"][a]),
                                           "95%": float(q["q95"][a])}
            actors[actor.id] = entry
        out: dict[str, Any] = {
            "scenario": {"id": s.id, "title": s.title},
            "proposal": proposal_dict(self.proposal),
            "against": against_dict(self.setting.against),
            "rules": self.setting.rules.to_dict(),
            "utility": UTILITY,
            "issues": issues,
            "not_compared": self.not_compared,
            "actors": actors,
            "support_share": float(pt.support_share),
            "coalition": bool(pt.coalition),
            "vetoed_by": [s.actor_ids[a] for a in np.flatnonzero(pt.vetoes)],
            "accepted": bool(pt.accepted),
            "draws": None,
            "breakers": [b.to_dict() for b in self.breakers],
            "repair": None if self.repair is None else self.repair.to_dict(s),
        }
        if self.draws is not None:
            dr = self.draws
            out["draws"] = {
                "n": int(dr.gain.shape[0]),
                "p_accepted": float(dr.accepted.mean()),
                "p_coalition": float(dr.coalition.mean()),
                "p_vetoed": float(dr.vetoed.mean()),
                "support_share_mean": float(dr.support_share.mean()),
            }
        return out


def judge(setting: Setting, proposal: Proposal, repair: bool = True, hold: Sequence[str] = ()) -> DealResult:
    """Evaluate one (validated) proposal in a prepared setting."""
    for issue_id in hold:
        if issue_id not in setting.scenario.issue_ids:
            known = ", ".join(setting.scenario.issue_ids)
            raise AccordError(f"--hold {issue_id!r}: unknown issue; known: {known}")
    p = package_vector(setting.scenario, proposal)
    point = assess(setting.arrays, p, setting.disagreement, setting.rules)
    draws = None
    if setting.sampled is not None:
        draws = assess(setting.sampled, p, setting.disagreement_draws, setting.rules)  # type: ignore[arg-type]
    breakers = deal_breakers(setting.scenario, setting.arrays, point)
    fix = None
    if repair:
        fix = find_repair(setting.scenario, setting.arrays, proposal, p, setting.disagreement,
                          setting.rules, tuple(hold))
    return DealResult(setting, proposal, p, point, draws, breakers, fix)


def evaluate_deal(
    scenario: Scenario,
    proposal: ProposalSpec,
    against: str | Against | None = "status-quo",
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
    repair: bool = True,
    hold: Sequence[str] = (),
) -> DealResult:
    """Judge one package: a :class:`Proposal`, a dict of points, a proposal id, or a file."""
    found = resolve_proposal(scenario, proposal)
    if len(found) != 1:
        raise AccordError(f"{proposal}: holds {len(found)} proposals; evaluate one, or compare them")
    return judge(prepare(scenario, against, rules, draws, rng), found[0], repair, hold)


@dataclass(frozen=True)
class Comparison:
    """Several packages judged against the same disagreement point and the same draws."""

    setting: Setting
    results: list[DealResult]

    def to_dict(self) -> dict[str, Any]:
        s = self.setting.scenario
        return {
            "scenario": {"id": s.id, "title": s.title},
            "against": against_dict(self.setting.against),
            "rules": self.setting.rules.to_dict(),
            "utility": UTILITY,
            "proposals": [r.proposal.id for r in self.results],
            "results": {r.proposal.id: r.to_dict() for r in self.results},
        }


def compare_deals(
    scenario: Scenario,
    proposals: Sequence[ProposalSpec],
    against: str | Against | None = "status-quo",
    rules: Rules | None = None,
    draws: int = 0,
    rng: np.random.Generator | None = None,
    repair: bool = False,
    hold: Sequence[str] = (),
) -> Comparison:
    """Judge several packages side by side (common random numbers across packages)."""
    found = [p for n, spec in enumerate(proposals) for p in resolve_proposal(
        scenario, Proposal(id=f"package-{n + 1}", name=f"package {n + 1}", points=spec)
        if isinstance(spec, dict) else spec)]
    ids = [p.id for p in found]
    if len(set(ids)) != len(ids):
        raise AccordError(f"proposals repeat an id: {', '.join(ids)}")
    setting = prepare(scenario, against, rules, draws, rng)
    return Comparison(setting, [judge(setting, p, repair, hold) for p in found])
