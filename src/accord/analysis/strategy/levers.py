"""A lever: a change one actor can make, its cost in effort points, and how it changes the arrays.

**Cost unit: the effort point.** One effort point is moving one actor's stated position by 1% of
an issue's scale (one point on a 0-100 scale), or its salience on one issue by one point of 100.
A lever that moves the client's own position by 10 points costs 10; lobbying the EU 10 points
toward the client costs 10; a declared transfer costs what the scenario states
(:class:`accord.scenario.Lever`); a concession costs the client's own move (what it gives up is
what buys the partner's move). A cost is a size, not a price: the analyst decides what a point of
another actor's position is worth buying.

**Gain unit: the utility point** of deal analysis (:mod:`accord.analysis.utility`): the client's
utility of a forecast outcome is ``-100 sum_k s_ck |x_k - x_ck| / span_k`` with its *true*
(coded, or drawn) position and salience, so one utility point is 1% of an issue's scale at full
salience. A lever's gain is the client's utility of the forecast with the lever minus without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from accord.experiments.interventions import Intervention, apply
from accord.experiments.whatif import combine
from accord.scenario import Scenario, ScenarioArrays

FAMILIES = ("position", "salience", "persuasion", "transfer", "concession")
Family = Literal["position", "salience", "persuasion", "transfer", "concession", "plan"]


@dataclass(frozen=True)
class Edit:
    """Add ``delta`` to one cell in every draw, kept in range.

    Positions stay on the scale, saliences in 0..1.

    Parameters
    ----------
    field : {"position", "salience"}
        The cell's array.
    actor : int
        The actor's index.
    issue : int
        The issue's index.
    delta : float
        The change: in scale units for a position, on 0..1 for a salience.
    """

    field: Literal["position", "salience"]
    actor: int
    issue: int
    delta: float


@dataclass(frozen=True)
class Lever:
    """One candidate move.

    Parameters
    ----------
    family : str
        ``position``, ``salience``, ``persuasion``, ``transfer``, ``concession``, or ``plan`` for
        several levers made together.
    id : str
        A stable id.
    label : str
        A readable label.
    cost : float
        Its cost, in effort points.
    edits : tuple of Edit
        Its cell edits.
    intervention : Intervention or None
        For a declared transfer, its what-if.
    target : str or None
        The other actor it moves (persuasion, concession).
    issues : tuple of str
        The issues it is about.
    notes : dict of str to str
        Details for the reader.
    """

    family: Family
    id: str
    label: str
    cost: float
    edits: tuple[Edit, ...] = ()
    intervention: Intervention | None = None
    target: str | None = None  # the other actor it moves (persuasion, concession)
    issues: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    def cells(self) -> set[tuple[str, int, int]]:
        """Return the cells the lever edits, to keep a plan from editing one cell twice.

        Returns
        -------
        set of tuple
            ``(field, actor, issue)``; a declared transfer counts as one cell of its own.
        """
        return {(e.field, e.actor, e.issue) for e in self.edits} | (
            {(f"transfer:{self.intervention.id}", -1, -1)} if self.intervention is not None else set())


def effort(arrays: ScenarioArrays, edit: Edit) -> float:
    """Return an edit's size in effort points.

    Parameters
    ----------
    arrays : ScenarioArrays
        The scenario's arrays (the scales).
    edit : Edit
        The edit.

    Returns
    -------
    float
        1 per 1% of the issue's scale, or per salience point of 100.
    """
    if edit.field == "salience":
        return 100.0 * abs(edit.delta)
    span = float(arrays.upper[edit.issue] - arrays.lower[edit.issue])
    return 100.0 * abs(edit.delta) / span


def apply_lever(lever: Lever, arrays: ScenarioArrays, scenario: Scenario) -> ScenarioArrays:
    """Make the lever in every draw.

    A declared transfer comes first (its what-if, :func:`accord.experiments.interventions.apply`),
    then the cell edits.

    Parameters
    ----------
    lever : Lever
        The lever.
    arrays : ScenarioArrays
        The arrays, any batch shape.
    scenario : Scenario
        The scenario (actor and issue ids, salience scale).

    Returns
    -------
    ScenarioArrays
        The changed arrays.
    """
    if lever.intervention is not None:
        arrays, _ = apply(lever.intervention, arrays, scenario.actor_ids, scenario.issue_ids,
                          scenario.salience_scale)
    if not lever.edits:
        return arrays
    position = np.array(arrays.position, dtype=float)
    salience = np.array(arrays.salience, dtype=float)
    for e in lever.edits:
        if e.field == "position":
            position[..., e.actor, e.issue] = np.clip(position[..., e.actor, e.issue] + e.delta,
                                                      arrays.lower[e.issue], arrays.upper[e.issue])
        else:
            salience[..., e.actor, e.issue] = np.clip(salience[..., e.actor, e.issue] + e.delta, 0.0, 1.0)
    return arrays.replace(position=position, salience=np.where(arrays.stake, salience, 0.0))


def stack(parts: list[ScenarioArrays]) -> ScenarioArrays:
    """Join batches of one scenario (same actors, stakes and vetoes) along the draw axis.

    Parameters
    ----------
    parts : list of ScenarioArrays
        The batches.

    Returns
    -------
    ScenarioArrays
        One batch.
    """
    first = parts[0]
    sq = [np.broadcast_to(p.status_quo, (*p.batch_shape, p.n_issues)) for p in parts]
    return first.replace(position=np.concatenate([p.position for p in parts]),
                         salience=np.concatenate([p.salience for p in parts]),
                         capability=np.concatenate([p.capability for p in parts]),
                         status_quo=np.concatenate(sq))


def combine_levers(levers: list[Lever]) -> Lever:
    """Make several levers together (a plan).

    Parameters
    ----------
    levers : list of Lever
        The parts.

    Returns
    -------
    Lever
        A ``plan`` lever with their edits, their transfers and their summed cost.
    """
    ivs = [lv.intervention for lv in levers if lv.intervention is not None]
    return Lever("plan", "plan:" + "+".join(lv.id for lv in levers), " + ".join(lv.label for lv in levers),
                 sum(lv.cost for lv in levers), tuple(e for lv in levers for e in lv.edits),
                 combine(ivs, id="plan") if ivs else None,
                 issues=tuple(dict.fromkeys(i for lv in levers for i in lv.issues)),
                 notes={"parts": " | ".join(lv.id for lv in levers)})
