"""Events over forecast outcomes, e.g. ``territory >= 70 and guarantees <= 30``.

An event is a boolean expression (see :mod:`accord.experiments.expr`) whose names are issue
ids; it is evaluated per draw on the outcomes ``[B, I]`` and its probability is the share of
draws where it holds, with the Monte Carlo standard error ``sqrt(p (1 - p) / B)``.
A comparison involving a missing outcome (NaN: no stakeholder) is false (``!=``: true).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.experiments.expr import (
    Binary,
    Compare,
    ExpressionError,
    Name,
    Node,
    Num,
    Ref,
    Unary,
    is_boolean,
    parse,
)

#: what a subexpression evaluates to: per-draw values or a constant
_Value = np.ndarray | float | bool

_COMPARE: dict[str, Callable[[_Value, _Value], np.ndarray]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
}
_ARITH: dict[str, Callable[[_Value, _Value], np.ndarray]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}


@dataclass(frozen=True)
class Event:
    """A parsed, checked event: evaluate it with :meth:`holds` on outcomes ``[..., I]``.

    Build one with :func:`parse_event`.

    Attributes
    ----------
    text : str
        The event as the user wrote it.
    tree : Node
        Its syntax tree.
    issue_ids : tuple of str
        The issue ids, in the order of the outcomes' last axis.
    """

    text: str
    tree: Node
    issue_ids: tuple[str, ...]

    def holds(self, outcomes: np.ndarray) -> np.ndarray:
        """Return, per draw, whether the event holds.

        Parameters
        ----------
        outcomes : np.ndarray
            Outcomes, shape (..., I), issues in the order of :attr:`issue_ids`.

        Returns
        -------
        np.ndarray
            Booleans, shape (...) (the outcomes' shape without the issue axis); an event
            without names (``1 < 2``) is broadcast to every draw.
        """
        index = {i: k for k, i in enumerate(self.issue_ids)}
        with np.errstate(divide="ignore", invalid="ignore"):
            hits = np.asarray(_evaluate(self.tree, outcomes, index), dtype=bool)
        return np.broadcast_to(hits, np.shape(outcomes)[:-1])  # '1 < 2' holds in every draw

    def probability(self, outcomes: np.ndarray) -> tuple[float, float]:
        """Return the event's probability over the draws and its Monte Carlo standard error.

        Parameters
        ----------
        outcomes : np.ndarray
            Outcomes, shape (B, I).

        Returns
        -------
        p : float
            Share of the B draws where the event holds (NaN when there are no draws).
        se : float
            ``sqrt(p (1 - p) / B)`` (NaN when there are no draws).
        """
        hits = self.holds(outcomes)
        n = hits.size
        p = float(hits.mean()) if n else float("nan")
        return p, float(np.sqrt(p * (1 - p) / n)) if n else float("nan")


def parse_event(text: str, issue_ids: Sequence[str]) -> Event:
    """Parse and check an event: names must be issue ids and the whole must be true/false.

    Parameters
    ----------
    text : str
        The event, e.g. ``territory >= 70 and guarantees <= 30``.
    issue_ids : Sequence of str
        The scenario's issue ids, in the order of the outcomes' last axis.

    Returns
    -------
    Event
        The checked event.

    Raises
    ------
    ExpressionError
        On bad syntax, an unknown issue, a subscript, or a number where a condition belongs
        (and the reverse).
    """
    tree = parse(text, "event")
    known = tuple(issue_ids)
    _check(tree, text, set(known), known, boolean=True)
    return Event(text, tree, known)


def _check(node: Node, text: str, known: set[str], order: tuple[str, ...], boolean: bool) -> None:
    """Names are issues, ``and/or/not`` take conditions, comparisons and arithmetic take numbers."""
    def fail(message: str) -> ExpressionError:
        return ExpressionError(text, node.pos, message, "event")

    if boolean and not is_boolean(node):
        raise fail("expected a condition here (a comparison such as 'territory >= 70')")
    if not boolean and is_boolean(node):
        raise fail("expected a number here, found a condition")
    if isinstance(node, Name):
        if node.name not in known:
            raise fail(f"unknown issue {node.name!r}; issues: {', '.join(order)}")
    elif isinstance(node, Ref):
        raise fail("subscripts are not allowed in events; write issue ids, e.g. 'territory >= 70'")
    elif isinstance(node, Unary):
        _check(node.operand, text, known, order, node.op == "not")
    elif isinstance(node, Binary):
        sub = node.op in ("and", "or")
        _check(node.left, text, known, order, sub)
        _check(node.right, text, known, order, sub)
    elif isinstance(node, Compare):
        for operand in node.operands:
            _check(operand, text, known, order, False)


def _evaluate(node: Node, outcomes: np.ndarray, index: dict[str, int]) -> np.ndarray | float:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return outcomes[..., index[node.name]]
    if isinstance(node, Unary):
        value = _evaluate(node.operand, outcomes, index)
        return np.logical_not(value) if node.op == "not" else (-value if node.op == "-" else value)
    if isinstance(node, Binary):
        left = _evaluate(node.left, outcomes, index)
        right = _evaluate(node.right, outcomes, index)
        if node.op == "and":
            return np.logical_and(left, right)
        if node.op == "or":
            return np.logical_or(left, right)
        return _ARITH[node.op](left, right)
    if isinstance(node, Compare):
        values = [_evaluate(o, outcomes, index) for o in node.operands]
        result: np.ndarray | bool = True
        for op, a, b in zip(node.ops, values, values[1:], strict=False):
            result = np.logical_and(result, _COMPARE[op](a, b))
        return result
    raise TypeError(node)  # pragma: no cover  (the checker admits no other node)
