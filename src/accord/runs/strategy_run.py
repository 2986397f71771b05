"""Strategy runs: one actor's levers, relations and blocs, from a :class:`StrategySpec`.

The analysis is :mod:`accord.analysis.strategy`; the result round-trips through JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.jsonsafe import clean
from accord.runs.spec import StrategySpec
from accord.runs.stored import payload_json, payload_of
from accord.scenario import Scenario

COST_UNIT = ("effort points: one point moves one actor's stated position by 1% of an issue's scale, or "
             "its salience on one issue by one point of 100; declared transfers cost what the scenario "
             "states; a concession costs the client's own move")
GAIN_UNIT = ("utility points of the client: -100 sum_k s_k |x_k - x_client,k| / span_k of the forecast "
             "(its true positions and saliences), so one point is 1% of an issue's scale at full salience")
RELATIONS_NOTE = ("the expected-utility model's first round (corrected mode, docs/specs/expected-utility.md "
                  "§4-§8) from the coded inputs: E_cj = what the client expects from challenging the actor, "
                  "E_jc = what it thinks the actor expects from challenging it, both as the client sees it")


@dataclass(frozen=True)
class StrategyResult:
    """What ``accord strategy ACTOR`` answers.

    Attributes
    ----------
    spec : StrategySpec
        The request.
    scenario : Scenario
        The scenario.
    payload : dict
        The JSON form: levers ranked, plan, baseline, relations, blocs.
    live : Any
        The analysis objects while the run is fresh (a reopened run has none).
    kind : str
        ``strategy``.
    """

    spec: StrategySpec
    scenario: Scenario
    payload: dict[str, Any]
    live: Any = field(default=None, compare=False, repr=False)
    kind: str = "strategy"

    @property
    def actor(self) -> str:
        """The client's actor id."""
        return str(self.payload["actor"])

    @property
    def models(self) -> list[str]:
        """The models the levers were evaluated with."""
        return list(self.payload.get("models") or [])

    @property
    def levers(self) -> list[dict[str, Any]]:
        """The levers, ranked, in their JSON form."""
        return list(self.payload.get("levers") or [])

    def to_dict(self) -> dict[str, Any]:
        """Return the result's JSON: ``kind``, ``spec`` and the payload's fields.

        Returns
        -------
        dict
            The JSON form (NaN and infinities as null).
        """
        return payload_json(self.kind, self.spec, self.payload)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario) -> StrategyResult:
        """Read a result back from :meth:`to_dict`'s JSON.

        Parameters
        ----------
        data : Mapping
            The JSON form.
        scenario : Scenario
            The scenario it ran on.

        Returns
        -------
        StrategyResult
            The result, without live analysis objects.
        """
        payload = payload_of(data)
        return cls(StrategySpec.model_validate(data["spec"]), scenario, payload)


def _lever_dict(r: Any) -> dict[str, Any]:
    lever = r.lever
    return {
        "family": lever.family, "id": lever.id, "label": lever.label, "cost": lever.cost,
        "target": lever.target, "issues": list(lever.issues), "evaluated": r.evaluated,
        "expected_gain": r.expected_gain, "score": r.score, "robustness": r.robustness,
        "screen": r.screen,
        "gains": {m: {"mean": g.mean, "low": g.low, "high": g.high, "p_gain": g.p_gain, "verdict": g.verdict}
                  for m, g in r.gains.items()},
        **({"changes": lever.notes["changes"]} if "changes" in lever.notes else {}),
    }


def run_strategy(spec: StrategySpec, scenario: Scenario, progress: Any) -> StrategyResult:
    """Search the client's levers, read its relations and the blocs.

    See :mod:`accord.analysis.strategy`.

    Parameters
    ----------
    spec : StrategySpec
        The request.
    scenario : Scenario
        The scenario.
    progress : Progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``.

    Returns
    -------
    StrategyResult
        Levers ranked, the plan, the baseline, the relations and the blocs.
    """
    from accord.analysis.strategy import FAMILIES, blocs, relations, search_levers
    from accord.analysis.strategy.blocs import bloc_of
    from accord.analysis.strategy.engine import draws
    from accord.runs.models import configure
    from accord.scenario import compile_scenario

    models = configure(spec, scenario)
    families: list[str] = list(spec.families) or list(FAMILIES)
    n = max(spec.draws, 1)
    with progress("strategy", len(models) * (n * (spec.top + 2) + 200)) as advance:
        found = search_levers(scenario, spec.actor, models, spec.draws, spec.seed, spec.step, spec.budget,
                              spec.top, families, spec.targets, advance)
    coded = compile_scenario(scenario)
    client = scenario.actor_ids.index(spec.actor)
    drawn = draws(scenario, spec.draws, spec.seed) if spec.draws > 0 else None
    eum = next((m for m in models if m.name == "eum"), None)
    q, t = float(getattr(eum, "Q", 1.0)), float(getattr(eum, "T", 1.0))
    rel = relations(scenario, coded, client, drawn, q, t)
    payload = {
        "actor": spec.actor,
        "models": found.models,
        "skipped": found.skipped,
        "draws": found.n_draws,
        "seed": found.seed,
        "step": found.step,
        "budget": found.budget,
        "top": found.top,
        "units": {"cost": COST_UNIT, "gain": GAIN_UNIT},
        "candidates": found.families,
        "baseline": {m: {"utility": found.baseline_utility[m],
                         "outcome": dict(zip(scenario.issue_ids, found.baseline_outcome[m].tolist(),
                                             strict=True))}
                     for m in found.models},
        "levers": [_lever_dict(r) for r in found.levers],
        "plan": None if found.plan is None else _lever_dict(found.plan),
        "relations": [{"actor": r.actor, "issue": r.issue, "E_cj": r.e_cj, "E_jc": r.e_jc,
                       "relation": r.relation, "gives": r.gives, "text": r.text(spec.actor), "agree": r.agree}
                      for r in rel],
        "relations_note": RELATIONS_NOTE,
        "blocs": [{"bloc": b.bloc, "issue": b.issue, "members": b.members, "clout": b.clout,
                   "position": b.position, "pivot": b.pivot, "spread": b.spread}
                  for b in blocs(scenario, coded)],
        "client_bloc": bloc_of(scenario)[spec.actor],
    }
    return StrategyResult(spec, scenario, clean(payload), found)
