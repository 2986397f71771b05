"""Errors that reach users: each names where the problem is and what was expected."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class AccordError(Exception):
    """Base class for errors a user can fix; the CLI prints them without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, which field, the bad value, what was expected."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    value: Any = None
    expected: str | None = None
    line_word: str = "line"  # "row" for tables

    def location(self) -> str:
        """Return where the problem is: the file (or ``<input>``) and, when known, its line or row.

        Returns
        -------
        str
            For example ``"actors.csv, row 3"``.
        """
        where = self.file or "<input>"
        return f"{where}, {self.line_word} {self.line}" if self.line is not None else where

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-safe data (what the web's problem details carry).

        The bad value stays a number, text, true/false or null where JSON can hold it; NaN,
        infinities and any other object become their text (``"nan"``, ``"inf"``), so
        serialising never fails.

        Returns
        -------
        dict of str to Any
            ``file``, ``line``, ``line_word``, ``field``, ``message``, ``value``, ``expected``
            and ``text`` (the problem as one line).
        """
        return {
            "file": self.file,
            "line": self.line,
            "line_word": self.line_word,
            "field": self.field,
            "message": self.message,
            "value": _json_value(self.value),
            "expected": self.expected,
            "text": str(self),
        }

    def __str__(self) -> str:
        text = f"{self.location()}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.value is not None and self.value != "":
            text += f" (got {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


class ScenarioError(AccordError):
    """A scenario file or object has one or more problems; all are listed at once.

    Parameters
    ----------
    problems : list of Problem
        Every problem found; the message counts them and lists one per line.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))
