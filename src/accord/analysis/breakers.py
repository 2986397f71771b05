"""Deal-breakers: which points of a package lose which actors.

A point ``k`` loses actor ``i`` when ``g_ik < 0``. It is *decisive* when the actor rejects the
package (``g_i < 0``) but would accept it without that point (``g_i - g_ik >= 0``: the issue
left at the disagreement point), and a *veto* when, under the per-issue veto rule, the actor
votes on a requirement of ``k`` and so refuses the package on this point alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from accord.analysis.acceptance import Assessment
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.schema import Scenario


@dataclass(frozen=True)
class Breaker:
    issue: str
    actor: str
    issue_gain: float
    total_gain: float
    decisive: bool
    veto: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def deal_breakers(scenario: Scenario, arrays: ScenarioArrays, assessment: Assessment) -> list[Breaker]:
    """Every (moved point, actor it loses), by issue order and then by size of the loss."""
    tol = assessment.rules.tol
    g, gain = assessment.issue_gain, assessment.gain
    if g.ndim != 2:
        raise ValueError("deal_breakers takes an assessment without draw axes")
    req = assessment.requirements
    votes = req.voter_issues() if req is not None else arrays.veto
    out = []
    for k, issue_id in enumerate(scenario.issue_ids):
        if not assessment.moved[k]:
            continue
        for a in np.argsort(g[:, k], kind="stable"):
            if g[a, k] >= -tol:
                break
            veto = bool(assessment.rules.veto_rule == "issue" and votes[a, k])
            decisive = bool(gain[a] < -tol and gain[a] - g[a, k] >= -tol)
            out.append(Breaker(issue_id, scenario.actor_ids[a], float(g[a, k]), float(gain[a]),
                               decisive, veto))
    return out
