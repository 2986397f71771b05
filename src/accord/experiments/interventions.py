"""Declarative what-ifs, applied to (sampled) scenario arrays.

An intervention is, in this order: actors to add (``id=capability``, no stakes until given a
position and a salience), assignments, and actors to remove. An assignment reads

    FIELD[ACTOR] OP EXPR    or    FIELD[ACTOR, ISSUE] OP EXPR    or    status_quo[ISSUE] OP EXPR

with FIELD one of ``capability``, ``salience``, ``position``; OP one of ``= *= /= += -=``;
EXPR arithmetic (``+ - * /``, parentheses) over numbers and references such as
``capability[eu]``. Values are in the scenario's own units (positions and status quo on the
issue scale, saliences 0..100 or 0..1 as the scenario writes them, capabilities as written).
Without an issue the target means every issue (for ``position``/``salience``: every issue the
actor has a stake in) and a reference without an issue means the target's issue(s), so
``position[us] = position[eu]`` copies the EU's position issue by issue (reading a position
or salience where that actor has no stake is an error).

Because the what-if acts on the sampled arrays, every draw is changed the same way and the
baseline and the intervention share their random draws (common random numbers).
Results are kept in range: positions and status quo on the scale, saliences in 0..1 (after
scaling), capabilities >= 0.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.errors import AccordError
from accord.experiments.expr import Binary, ExpressionError, Node, Num, Parser, Ref, Unary, is_boolean
from accord.scenario import ScenarioArrays

FIELDS = ("capability", "salience", "position", "status_quo")
OPS = {"=": None, "*=": operator.mul, "/=": operator.truediv, "+=": operator.add, "-=": operator.sub}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@dataclass(frozen=True)
class Assignment:
    """One parsed assignment ``FIELD[...] OP EXPR`` (made by :func:`parse_assignment`).

    Attributes
    ----------
    text : str
        The assignment as written.
    target : Ref
        What is changed, e.g. ``position[us, tariffs]``.
    op : str
        One of ``= *= /= += -=``.
    value : Node
        The right-hand side.
    """

    text: str
    target: Ref
    op: str
    value: Node


@dataclass(frozen=True)
class NewActor:
    """An actor a what-if adds: its id and capability (an optional display name)."""

    id: str
    capability: float
    name: str | None = None


@dataclass(frozen=True)
class Intervention:
    """A what-if: actors added, assignments made (in order), actors removed.

    Attributes
    ----------
    id : str
        Short id of the what-if.
    name : str
        Display name.
    description : str
        What it means.
    add : tuple of NewActor
        Actors added first.
    set : tuple of Assignment
        Assignments made next, in order.
    remove : tuple of str
        Ids of the actors removed last.
    extra : dict of str to str
        Other fields the what-if's file gave.
    """

    id: str = "custom"
    name: str = ""
    description: str = ""
    add: tuple[NewActor, ...] = ()
    set: tuple[Assignment, ...] = ()
    remove: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Whether the what-if changes nothing."""
        return not (self.add or self.set or self.remove)

    def lines(self) -> list[str]:
        """Return the what-if as readable lines, one change each.

        Returns
        -------
        list of str
            ``add ID (capability C)`` lines, then the assignments, then ``remove ID`` lines.
        """
        return ([f"add {a.id} (capability {a.capability:g})" for a in self.add]
                + [a.text for a in self.set] + [f"remove {r}" for r in self.remove])


def parse_assignment(text: str) -> Assignment:
    """Parse and check an assignment ``FIELD[...] OP EXPR``.

    Parameters
    ----------
    text : str
        The assignment, e.g. ``capability[eu] *= 1.5``.

    Returns
    -------
    Assignment
        The parsed assignment.

    Raises
    ------
    ExpressionError
        Pointing at the problem: bad syntax, an unknown field, a wrong number of subscripts,
        a missing operator, or a condition where a number belongs.
    """
    parser = Parser(text, "what-if")
    target = parser.atom()
    if not isinstance(target, Ref):
        raise ExpressionError(text, target.pos, "expected a target such as capability[us]", "what-if")
    _check_ref(target, text)
    tok = parser.tok
    if tok.kind != "op" or tok.text not in OPS:
        raise parser.error(f"expected one of {' '.join(OPS)}, found {parser.describe()}")
    parser.i += 1
    value = parser.sum()
    parser.at_end()
    _check_value(value, text)
    return Assignment(text, target, tok.text, value)


def parse_new_actor(text: str) -> NewActor:
    """Parse an added actor written ``ID=CAPABILITY``, e.g. ``china=40``.

    Parameters
    ----------
    text : str
        The actor as written.

    Returns
    -------
    NewActor
        The actor to add.

    Raises
    ------
    AccordError
        When the text is not of that form.
    """
    name, sep, cap = text.partition("=")
    try:
        return NewActor(name.strip(), float(cap)) if sep and name.strip() else _bad_actor(text)
    except ValueError:
        return _bad_actor(text)


def _bad_actor(text: str) -> NewActor:
    raise AccordError(f"--add-actor {text!r}: expected ID=CAPABILITY, e.g. china=40")


def _check_ref(ref: Ref, text: str) -> None:
    if ref.field not in FIELDS:
        raise ExpressionError(text, ref.pos, f"unknown field {ref.field!r}; fields: {', '.join(FIELDS)}",
                              "what-if")
    most = 1 if ref.field == "status_quo" else 2
    if not 1 <= len(ref.args) <= most:
        shape = "status_quo[ISSUE]" if most == 1 else f"{ref.field}[ACTOR] or {ref.field}[ACTOR, ISSUE]"
        raise ExpressionError(text, ref.pos, f"expected {shape}", "what-if")


def _check_value(node: Node, text: str) -> None:
    if is_boolean(node):
        raise ExpressionError(text, node.pos, "expected a number, found a condition", "what-if")
    if isinstance(node, Ref):
        _check_ref(node, text)
    elif isinstance(node, Unary):
        _check_value(node.operand, text)
    elif isinstance(node, Binary):
        _check_value(node.left, text)
        _check_value(node.right, text)
    elif not isinstance(node, Num):
        raise ExpressionError(text, node.pos, "expected a number or a reference such as capability[us]",
                              "what-if")


class _State:
    """Mutable copies of the arrays being changed, with the actor labels beside them."""

    def __init__(self, arrays: ScenarioArrays, actor_ids: Sequence[str], issue_ids: Sequence[str],
                 salience_scale: float):
        self.actor_ids = list(actor_ids)
        self.issue_ids = list(issue_ids)
        self.scale = float(salience_scale)
        self.position = np.array(arrays.position, dtype=float)
        self.salience = np.array(arrays.salience, dtype=float)
        self.capability = np.array(arrays.capability, dtype=float)
        self.stake = np.array(arrays.stake, dtype=bool)
        self.veto = np.array(arrays.veto, dtype=bool)
        self.status_quo = np.array(arrays.status_quo, dtype=float)
        self.lower, self.upper = arrays.lower, arrays.upper
        self.touched: dict[tuple[int, int], set[str]] = {}

    def actor(self, name: str, a: Assignment, pos: int) -> int:
        if name not in self.actor_ids:
            raise ExpressionError(a.text, pos, f"unknown actor {name!r}; actors: {', '.join(self.actor_ids)}",
                                  "what-if")
        return self.actor_ids.index(name)

    def issue(self, name: str, a: Assignment, pos: int) -> int:
        if name not in self.issue_ids:
            raise ExpressionError(a.text, pos, f"unknown issue {name!r}; issues: {', '.join(self.issue_ids)}",
                                  "what-if")
        return self.issue_ids.index(name)

    def cells(self, ref: Ref, a: Assignment, cols: np.ndarray | None) -> tuple[int, np.ndarray]:
        """(actor index or -1, issue columns) of a target or reference."""
        if ref.field == "status_quo":
            return -1, np.array([self.issue(ref.args[0], a, ref.pos)])
        actor = self.actor(ref.args[0], a, ref.pos)
        if len(ref.args) == 2:
            return actor, np.array([self.issue(ref.args[1], a, ref.pos)])
        if cols is not None:
            return actor, cols
        if ref.field == "capability":
            return actor, np.arange(len(self.issue_ids))
        cols = np.flatnonzero(self.stake[actor])
        if cols.size == 0:  # nothing to change or read: say so rather than do nothing
            who = self.actor_ids[actor]
            raise ExpressionError(a.text, ref.pos, f"{who} has no stake in any issue; name one, e.g. "
                                  f"{ref.field}[{who}, {self.issue_ids[0]}]", "what-if")
        return actor, cols

    def read(self, ref: Ref, a: Assignment, cols: np.ndarray) -> np.ndarray:
        actor, cols = self.cells(ref, a, cols)
        if ref.field == "status_quo":
            return self.status_quo[..., cols]
        if ref.field != "capability" and not self.stake[actor, cols].all():
            missing = self.issue_ids[int(cols[~self.stake[actor, cols]][0])]
            raise ExpressionError(a.text, ref.pos, f"{self.actor_ids[actor]} has no stake in {missing}, "
                                  f"so no {ref.field} there to read", "what-if")
        values = getattr(self, ref.field)[..., actor, cols]
        return values * self.scale if ref.field == "salience" else values

    def evaluate(self, node: Node, a: Assignment, cols: np.ndarray) -> np.ndarray | float:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Ref):
            return self.read(node, a, cols)
        if isinstance(node, Unary):
            value = self.evaluate(node.operand, a, cols)
            return -value if node.op == "-" else value
        assert isinstance(node, Binary)
        left, right = self.evaluate(node.left, a, cols), self.evaluate(node.right, a, cols)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ARITH[node.op](left, right)

    def assign(self, a: Assignment) -> None:
        actor, cols = self.cells(a.target, a, None)
        value = self.evaluate(a.value, a, cols)
        name = a.target.field
        if name == "status_quo":
            current = self.status_quo[..., cols]
        else:
            current = getattr(self, name)[..., actor, cols]
            if name == "salience":
                current = current * self.scale
        with np.errstate(divide="ignore", invalid="ignore"):
            new = value if OPS[a.op] is None else OPS[a.op](current, value)  # type: ignore[misc]
        new = np.broadcast_to(new, np.broadcast_shapes(np.shape(new), current.shape))
        if not np.all(np.isfinite(new) | np.isnan(current)):
            raise ExpressionError(a.text, a.value.pos, "the result is not a finite number", "what-if")
        lo, hi = self.lower[cols], self.upper[cols]
        if name == "status_quo":
            if new.ndim > self.status_quo.ndim:
                shape = (*new.shape[:-1], len(self.issue_ids))
                self.status_quo = np.broadcast_to(self.status_quo, shape).copy()
            self.status_quo[..., cols] = np.clip(new, lo, hi)
            return
        if name == "position":
            new = np.clip(new, lo, hi)
        elif name == "salience":
            new = np.clip(new / self.scale, 0.0, 1.0)
        else:
            new = np.maximum(new, 0.0)
        getattr(self, name)[..., actor, cols] = new
        if name in ("position", "salience"):
            for k in cols:
                self.touched.setdefault((actor, int(k)), set()).add(name)

    def add(self, new: NewActor) -> None:
        if new.id in self.actor_ids:
            raise AccordError(f"what-if: cannot add actor {new.id!r}: it already exists")
        if not new.capability >= 0:
            raise AccordError(f"what-if: added actor {new.id!r}: capability must be >= 0")
        self.actor_ids.append(new.id)
        mid = (self.lower + self.upper) / 2
        batch = self.position.shape[:-2]
        self.position = np.concatenate([self.position, np.broadcast_to(mid, (*batch, 1, mid.size))], axis=-2)
        self.salience = np.concatenate([self.salience, np.zeros((*batch, 1, mid.size))], axis=-2)
        cap = np.full((*batch, 1, mid.size), float(new.capability))
        self.capability = np.concatenate([self.capability, cap], axis=-2)
        self.stake = np.concatenate([self.stake, np.zeros((1, mid.size), dtype=bool)])
        self.veto = np.concatenate([self.veto, np.zeros((1, mid.size), dtype=bool)])

    def remove(self, actor_id: str) -> None:
        if actor_id not in self.actor_ids:
            raise AccordError(f"what-if: cannot remove unknown actor {actor_id!r}; "
                              f"actors: {', '.join(self.actor_ids)}")
        keep = np.array([x != actor_id for x in self.actor_ids])
        self.actor_ids = [x for x in self.actor_ids if x != actor_id]
        self.position, self.salience = self.position[..., keep, :], self.salience[..., keep, :]
        self.capability = self.capability[..., keep, :]
        self.stake, self.veto = self.stake[keep], self.veto[keep]

    def new_stakes(self) -> None:
        """Cells outside the stake mask that were given both a position and a salience join it."""
        for (a, k), fields in self.touched.items():
            if self.stake[a, k]:
                continue
            if fields != {"position", "salience"}:
                missing = ({"position", "salience"} - fields).pop()
                who, what = self.actor_ids[a], self.issue_ids[k]
                raise AccordError(f"what-if: {who} has no stake in {what}; give it a {missing} "
                                  f"there too (e.g. {missing}[{who}, {what}] = ...)")
            self.stake[a, k] = True


def apply(
    intervention: Intervention,
    arrays: ScenarioArrays,
    actor_ids: Sequence[str],
    issue_ids: Sequence[str],
    salience_scale: float = 100,
) -> tuple[ScenarioArrays, list[str]]:
    """Apply a what-if to scenario arrays of any batch shape.

    Actors are added, assignments made in order, then actors removed; cells outside the stake
    mask that were given both a position and a salience join it. Results are kept in range.

    Parameters
    ----------
    intervention : Intervention
        The what-if.
    arrays : ScenarioArrays
        The (sampled) arrays, any batch shape before the actor and issue axes.
    actor_ids : Sequence of str
        Actor ids of the arrays' actor axis.
    issue_ids : Sequence of str
        Issue ids of the arrays' issue axis.
    salience_scale : float, optional
        The scenario's salience scale (100 for 0..100, 1 for 0..1): assignments read and
        write saliences in the scenario's units.

    Returns
    -------
    arrays : ScenarioArrays
        The changed arrays.
    actor_ids : list of str
        The actor ids that go with them.

    Raises
    ------
    ExpressionError
        On an unknown actor or issue, a reference to a cell without a stake, or a result that
        is not finite.
    AccordError
        When an added actor exists already or has a negative capability, a removed actor is
        unknown, or a new stake is given only one of position and salience.
    """
    state = _State(arrays, actor_ids, issue_ids, salience_scale)
    for new in intervention.add:
        state.add(new)
    for assignment in intervention.set:
        state.assign(assignment)
    state.new_stakes()
    for actor_id in intervention.remove:
        state.remove(actor_id)
    state.salience = np.where(state.stake, state.salience, 0.0)
    changed = ScenarioArrays(state.position, state.salience, state.capability, state.stake,
                             arrays.lower, arrays.upper, state.status_quo, state.veto)
    return changed, state.actor_ids
