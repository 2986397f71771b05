"""The reader interface: every file format becomes a native-form dict plus a line map.

A reader turns a file into a :class:`RawScenario`: the dict a native YAML file would hold, the
line (or row) each part came from, and any problems it met while parsing. One validator
(:mod:`accord.scenario.validate`) then checks every format the same way, so errors read the
same whichever format the user brought.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem

Loc = tuple[str | int, ...]


@dataclass
class RawScenario:
    """A scenario as read, before validation.

    Parameters
    ----------
    data : dict of str to Any
        The native-form dict (what a YAML scenario file would hold).
    file : str
        The file's name, for problems.
    lines : dict of Loc to int
        The line (or row) each part came from, e.g. ``("positions", 3) -> 17``.
    problems : list of Problem
        What the reader met while parsing.
    line_word : str
        ``"line"``, or ``"row"`` for tables.
    files : dict of Loc to str
        The file (or sheet) a top-level part came from when it is not ``file``, e.g.
        ``("actors",) -> "x.xlsx[actors]"``.
    """

    data: dict[str, Any]
    file: str
    lines: dict[Loc, int] = field(default_factory=dict)  # e.g. ("positions", 3) -> 17
    problems: list[Problem] = field(default_factory=list)
    line_word: str = "line"  # "row" for tables
    files: dict[Loc, str] = field(default_factory=dict)  # e.g. ("actors",) -> "x.xlsx[actors]"

    def line_of(self, loc: Loc) -> int | None:
        """Return the line of ``loc`` or of its nearest enclosing part.

        Parameters
        ----------
        loc : Loc
            A location in the native form, e.g. ``("positions", 3, "salience")``.

        Returns
        -------
        int or None
            The line (or row), or None when neither ``loc`` nor any enclosing part has one.
        """
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def problem(self, loc: Loc, message: str, value: Any = None, expected: str | None = None) -> Problem:
        """Make a :class:`Problem` at ``loc``, with its file, line and dotted field name.

        Parameters
        ----------
        loc : Loc
            Where the problem is, e.g. ``("actors", 2, "capability")``.
        message : str
            What is wrong.
        value : Any
            The bad value, if any.
        expected : str or None
            What was expected.

        Returns
        -------
        Problem
            The problem (not yet added to :attr:`problems`).
        """
        return Problem(
            message=message,
            file=self.files.get(loc[:1], self.file),
            line=self.line_of(loc),
            field=".".join(str(p) for p in loc) or None,
            value=value,
            expected=expected,
            line_word=self.line_word,
        )


@dataclass(frozen=True)
class Format:
    """A file format accord reads: how to recognise it and how to read it."""

    name: str
    description: str
    extensions: tuple[str, ...]
    sniff: Callable[[Path, str], bool]  # (path, first 64 KiB of text) -> is it this format?
    read: Callable[[Path, str], RawScenario]  # (path, full text; "" for binary formats)
    binary: bool = False


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    """Add ``fmt`` to :data:`FORMATS` under its name (replacing one of the same name).

    Parameters
    ----------
    fmt : Format
        The format.

    Returns
    -------
    Format
        ``fmt`` itself.
    """
    FORMATS[fmt.name] = fmt
    return fmt
