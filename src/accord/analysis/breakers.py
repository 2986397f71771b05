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
    """One point of a package that loses one actor.

    Parameters
    ----------
    issue : str
        The issue's id.
    actor : str
        The actor's id.
    issue_gain : float
        The actor's gain on that issue (negative), in utility points.
    total_gain : float
        The actor's total gain from the package.
    decisive : bool
        The actor rejects the package but would accept it without this point.
    veto : bool
        Under the per-issue veto rule, the actor votes on a requirement of the issue and so
        refuses the package on this point alone.
    """

    issue: str
    actor: str
    issue_gain: float
    total_gain: float
    decisive: bool
    veto: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the breaker as plain data.

        Returns
        -------
        dict
            One key per field.
        """
        return asdict(self)


def deal_breakers(scenario: Scenario, arrays: ScenarioArrays, assessment: Assessment) -> list[Breaker]:
    """List every moved point with each actor it loses.

    Parameters
    ----------
    scenario : Scenario
        The scenario (issue and actor ids).
    arrays : ScenarioArrays
        Its arrays, without draw axes (the vetoes when the assessment has no requirements).
    assessment : Assessment
        The verdict on the package, without draw axes.

    Returns
    -------
    list of Breaker
        In issue order, then from the largest loss to the smallest.

    Raises
    ------
    ValueError
        When the assessment has draw axes.
    """
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
