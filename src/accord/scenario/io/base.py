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
    """A scenario as read, before validation."""

    data: dict[str, Any]
    file: str
    lines: dict[Loc, int] = field(default_factory=dict)  # e.g. ("positions", 3) -> 17
    problems: list[Problem] = field(default_factory=list)
    line_word: str = "line"  # "row" for tables
    files: dict[Loc, str] = field(default_factory=dict)  # e.g. ("actors",) -> "x.xlsx[actors]"

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc`` or of its nearest enclosing part."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def problem(self, loc: Loc, message: str, value: Any = None, expected: str | None = None) -> Problem:
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
    FORMATS[fmt.name] = fmt
    return fmt
