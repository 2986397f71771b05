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
    """Make inline content of one piece of text.

    Parameters
    ----------
    value : str
        The text.
    style : str
        Its style (see the module docstring); ``""`` is plain.

    Returns
    -------
    Inline
        One ``(text, style)`` piece.
    """
    return [(value, style)]


def join(*parts: Inline | str) -> Inline:
    """Join inline pieces one after another.

    Parameters
    ----------
    *parts : Inline or str
        Inline content, or plain text.

    Returns
    -------
    Inline
        The pieces in order.
    """
    out: Inline = []
    for part in parts:
        out += text(part) if isinstance(part, str) else part
    return out


def plain_text(inline: Inline) -> str:
    """Return inline content as plain text, its styles dropped.

    Parameters
    ----------
    inline : Inline
        ``(text, style)`` pieces.

    Returns
    -------
    str
        The texts, joined.
    """
    return "".join(piece for piece, _ in inline)


@dataclass(frozen=True)
class Cell:
    """A table cell; ``rows`` > 1 spans the cells below it (those rows hold ``None`` there)."""

    content: Inline
    rows: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``role`` ``"lead"`` marks a headline, ``"note"`` small print."""

    content: Inline
    role: str = ""  # "lead" (a headline), "note" (small print)


@dataclass(frozen=True)
class Bullets:
    """A bulleted list, one inline item per bullet."""

    items: list[Inline]


@dataclass(frozen=True)
class Table:
    """A table: header texts, rows of cells (``None`` under a cell spanning rows), a caption.

    ``numeric`` are the columns aligned right; ``sections`` the rows after which a group ends.
    """

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
    """A titled section of blocks and subsections; ``id`` is its anchor in the page."""

    id: str
    title: str
    blocks: list[Block | Section] = field(default_factory=list)

    def add(self, *blocks: Block | Section) -> Section:
        """Append blocks or subsections.

        Parameters
        ----------
        *blocks : Block or Section
            What to append, in order.

        Returns
        -------
        Section
            This section, so calls can be chained.
        """
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    """The whole brief: its title, a subtitle and the top-level sections."""

    title: str
    subtitle: Inline
    sections: list[Section]
