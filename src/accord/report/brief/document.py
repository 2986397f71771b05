"""The brief as plain content: sections of paragraphs, lists, tables and figures.

:mod:`.sections` builds it from a :class:`~accord.runs.brief.BriefResult`; :mod:`.html` and
:mod:`.markdown` write it. Text is *inline*: a list of ``(text, style)`` pieces, the style one
of ``""``, ``"em"``, ``"strong"``, ``"code"``, ``"dim"`` or ``"link"`` (a web address), so that
each writer marks it up in its own way and user text is never read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Inline = list[tuple[str, str]]


def text(value: str, style: str = "") -> Inline:
    """Plain text (or one style) as inline content."""
    return [(value, style)]


def join(*parts: Inline | str) -> Inline:
    """Inline pieces one after another (a ``str`` is plain text)."""
    out: Inline = []
    for part in parts:
        out += text(part) if isinstance(part, str) else part
    return out


def plain_text(inline: Inline) -> str:
    return "".join(piece for piece, _ in inline)


@dataclass(frozen=True)
class Cell:
    """A table cell; ``rows`` > 1 spans the cells below it (those rows hold ``None`` there)."""

    content: Inline
    rows: int = 1


@dataclass(frozen=True)
class Paragraph:
    content: Inline
    role: str = ""  # "lead" (a headline), "note" (small print)


@dataclass(frozen=True)
class Bullets:
    items: list[Inline]


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[Cell | None]]
    numeric: frozenset[int] = frozenset()  # columns aligned right
    caption: Inline = field(default_factory=list)
    sections: frozenset[int] = frozenset()  # rows after which a group ends


@dataclass(frozen=True)
class Figure:
    """A matplotlib figure and what it shows."""

    figure: Any
    caption: Inline
    name: str  # unique within the brief (ids in inline SVG must not clash)


Block = Paragraph | Bullets | Table | Figure


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block | Section] = field(default_factory=list)

    def add(self, *blocks: Block | Section) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    title: str
    subtitle: Inline
    sections: list[Section]
