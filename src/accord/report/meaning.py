"""What a number on an issue's scale means, in the words of the scale's anchors.

A forecast of 40 on the territory scale reads "between *Fighting stops on the current line of
contact* (25) and *Freeze on the line with de facto recognition* (50)": the two labelled points
(anchors) it lies between, or the one it is close to (within :data:`NEAR` of the scale's span).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from accord.scenario import Issue

#: a value within this share of the scale's span of an anchor is read as that anchor ("≈")
NEAR = 0.03


def short_label(label: str) -> str:
    """Shorten an anchor's label to the point it makes.

    Parameters
    ----------
    label : str
        The anchor's label.

    Returns
    -------
    str
        The label up to its first semicolon, without the qualifiers.
    """
    return label.split(";")[0].strip() or label.strip()


@dataclass(frozen=True)
class Meaning:
    """Where a value lies among the anchors of an issue's scale.

    Attributes
    ----------
    relation : str
        ``at`` one anchor (≈), ``between`` two, ``below`` the lowest or ``above`` the highest;
        ``none`` when there are no anchors or no value.
    anchors : tuple[tuple[float, str], ...]
        The anchors it refers to, as ``(point, label)`` in scale order.
    """

    relation: str
    anchors: tuple[tuple[float, str], ...]

    def _parts(self, short: bool) -> list[tuple[str, bool]]:
        """Alternating plain and label pieces: ``[(text, is_label), ...]``."""
        def name(point: float, label: str) -> list[tuple[str, bool]]:
            return [(short_label(label) if short else label, True), (f" ({point:g})", False)]

        if not self.anchors:
            return []
        if self.relation == "at":
            return [("≈ ", False), *name(*self.anchors[0])]
        if self.relation == "between":
            return [("between ", False), *name(*self.anchors[0]), (" and ", False), *name(*self.anchors[1])]
        word = "below " if self.relation == "below" else "beyond "
        return [(word, False), *name(*self.anchors[0])]

    def text(self, short: bool = True) -> str:
        """Return the meaning as plain text, e.g. ``between Fighting stops ... (25) and Freeze ... (50)``."""
        return "".join(piece for piece, _ in self._parts(short))

    def rich(self, short: bool = True) -> Text:
        """Return the meaning as Rich text, the anchors' labels in italics."""
        text = Text()
        for piece, is_label in self._parts(short):
            text.append(piece, style="italic" if is_label else None)
        return text

    def markdown(self, short: bool = False) -> str:
        """Return the meaning in Markdown, labels emphasised (``*...*``)."""
        return "".join(f"*{_md(piece)}*" if is_label else piece for piece, is_label in self._parts(short))

    def html(self, short: bool = False) -> str:
        """Return the meaning in HTML, labels in ``<em>``."""
        from html import escape

        return "".join(f"<em>{escape(piece)}</em>" if is_label else escape(piece)
                       for piece, is_label in self._parts(short))


def _md(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_")


def meaning(issue: Issue, value: float) -> Meaning:
    """Find the anchors a value lies at or between on an issue's scale.

    Parameters
    ----------
    issue : Issue
        The issue, with its scale's anchors.
    value : float
        A position on the scale.

    Returns
    -------
    Meaning
        Where ``value`` lies; relation ``none`` when the scale has no anchors or the value is
        missing.
    """
    points = sorted(issue.scale.anchors.items())
    if not points or value is None or not math.isfinite(value):
        return Meaning("none", ())
    span = issue.scale.max - issue.scale.min
    closest = min(points, key=lambda p: abs(p[0] - value))
    if abs(closest[0] - value) <= NEAR * span:
        return Meaning("at", (closest,))
    below = [p for p in points if p[0] < value]
    above = [p for p in points if p[0] > value]
    if below and above:
        return Meaning("between", (below[-1], above[0]))
    if above:
        return Meaning("below", (above[0],))
    return Meaning("above", (below[-1],))


def scale_words(issue: Issue, short: bool = True) -> str:
    """Describe an issue's scale in one line.

    Parameters
    ----------
    issue : Issue
        The issue.
    short : bool
        Whether to shorten the end anchors' labels (:func:`short_label`).

    Returns
    -------
    str
        ``0–100: 0 = <low end>; 100 = <high end>`` (the end anchors' words), or just the range
        when an end has no label.
    """
    lo, hi = issue.scale.min, issue.scale.max
    low, high = issue.scale.label(lo), issue.scale.label(hi)
    text = f"{lo:g}–{hi:g}"
    if low and high:
        if short:
            low, high = short_label(low), short_label(high)
        text += f": {lo:g} = {low}; {hi:g} = {high}"
    return text


Named = tuple[str, float]


def group_by_meaning(issue: Issue, values: Sequence[Named]) -> list[tuple[Meaning, list[Named]]]:
    """Group named values by what they mean on an issue's scale.

    Parameters
    ----------
    issue : Issue
        The issue.
    values : Sequence[Named]
        ``(name, value)`` pairs.

    Returns
    -------
    list[tuple[Meaning, list[Named]]]
        The pairs sorted by value and grouped where they mean the same (lie at the same anchor,
        or between the same two); missing values last, as one group of meaning ``none``.
    """
    ordered = sorted((v for v in values if v[1] is not None and math.isfinite(v[1])), key=lambda v: v[1])
    groups: list[tuple[Meaning, list[Named]]] = []
    for name, value in ordered:
        m = meaning(issue, value)
        if groups and groups[-1][0] == m:
            groups[-1][1].append((name, value))
        else:
            groups.append((m, [(name, value)]))
    missing = [v for v in values if v[1] is None or not math.isfinite(v[1])]
    if missing:
        groups.append((Meaning("none", ()), missing))
    return groups
