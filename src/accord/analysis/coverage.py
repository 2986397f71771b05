"""What a package settles and what it leaves open, and the verdict that follows from it.

A package settles the issues it sets a point on; the others stay open, where they would be
without any agreement. A verdict on a partial package is a verdict on its points only: it says
so ("settles 2 of 10 issues; open: territory, ...") and is never reported as a whole settlement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Coverage:
    """The issues a package settles and those it leaves open.

    Parameters
    ----------
    settled : list of str
        Ids of the issues the package sets a point on, in issue order.
    open : list of str
        Ids of the issues it leaves open, in issue order.
    """

    settled: list[str]
    open: list[str]

    @classmethod
    def of(cls, package: np.ndarray, issue_ids: list[str]) -> Coverage:
        """Read the coverage off a package.

        Parameters
        ----------
        package : np.ndarray
            The package's points in issue order, shape (I,); NaN where it leaves the issue open.
        issue_ids : list of str
            The issues' ids in the same order.

        Returns
        -------
        Coverage
            The settled and the open issues.
        """
        return cls([i for k, i in enumerate(issue_ids) if not np.isnan(package[k])],
                   [i for k, i in enumerate(issue_ids) if np.isnan(package[k])])

    @property
    def complete(self) -> bool:
        """Whether the package settles every issue."""
        return not self.open

    @property
    def n_issues(self) -> int:
        """The number of issues, settled and open."""
        return len(self.settled) + len(self.open)

    def text(self, limit: int = 4) -> str:
        """Describe the coverage in words.

        Parameters
        ----------
        limit : int
            How many open issues to name before ``...``.

        Returns
        -------
        str
            ``settles all 10 issues`` or ``settles 2 of 10 issues; open: a, b, c, d, ...``.
        """
        if self.complete:
            return f"settles all {self.n_issues} issues"
        shown = ", ".join(self.open[:limit]) + (", ..." if len(self.open) > limit else "")
        return f"settles {len(self.settled)} of {self.n_issues} issues; open: {shown}"

    def verdict(self, accepted: bool) -> str:
        """Name the verdict, marking one on a partial package.

        Parameters
        ----------
        accepted : bool
            Whether the package is accepted.

        Returns
        -------
        str
            ``accepted`` or ``rejected`` for a complete package; ``partial-accepted`` or
            ``partial-rejected`` (a verdict on its points only) for a partial one.
        """
        word = "accepted" if accepted else "rejected"
        return word if self.complete else f"partial-{word}"

    def to_dict(self) -> dict[str, Any]:
        """Return the coverage as plain data.

        Returns
        -------
        dict
            ``settled``, ``open``, ``n_settled``, ``n_issues``, ``complete`` and ``text`` (every open
            issue named).
        """
        return {"settled": self.settled, "open": self.open, "n_settled": len(self.settled),
                "n_issues": self.n_issues, "complete": self.complete, "text": self.text(limit=99)}


def verdict_words(verdict: str, coverage: dict[str, Any]) -> str:
    """Write the verdict as the tables print it.

    Parameters
    ----------
    verdict : str
        ``accepted``, ``rejected``, ``partial-accepted`` or ``partial-rejected``.
    coverage : dict
        The package's coverage, as from :meth:`Coverage.to_dict`.

    Returns
    -------
    str
        ``ACCEPTED``, ``REJECTED``, or for a partial package e.g.
        ``PARTIAL: its 2 points ACCEPTED (8 issues open)``.
    """
    word = verdict.removeprefix("partial-").upper()
    if not verdict.startswith("partial-"):
        return word
    n, n_open = coverage["n_settled"], coverage["n_issues"] - coverage["n_settled"]
    points = "its point" if n == 1 else f"its {n} points"
    return f"PARTIAL: {points} {word} ({n_open} issue{'s' if n_open != 1 else ''} open)"
