"""Capabilities for the EU legislative actors, which DEU itself does not record.

Council members are weighted by the voting rule in force when the act was decided:

* ``pre-nice`` (to 31 Oct 2004): the weighted votes of the Treaty of Amsterdam (total 87);
* ``nice`` (1 Nov 2004 to 31 Oct 2014): the weighted votes of the Treaty of Nice (total 345
  for EU-27, 352 with Croatia);
* ``lisbon`` (from 1 Nov 2014): population, the proxy for the Lisbon double majority
  (approx. 2019 figures, millions).

Convention of the DEU reference numbers (``benchmark-data/deu3/SOURCES.md``): the regime year is
the year of the final act, or of the introduction where there is none; proposals introduced in
2003-2008 (the EU-25/27 wave) count from 2005 at least. Up to 2004 pre-Nice, 2005-2014 Nice,
from 2015 Lisbon. The Commission and the Parliament weigh as much as the regime's largest
member state, and a member state absent from a regime's table gets its smallest weight
(cf. the capability conventions of Thomson et al. 2006, *The European Union Decides*, ch. 1).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from accord.errors import Problem, ScenarioError

REGIMES = ("pre-nice", "nice", "lisbon")
INSTITUTIONS = ("com", "ep")
ACTOR_NAMES: dict[str, str] = {
    "com": "European Commission",
    "ep": "European Parliament",
    "at": "Austria",
    "be": "Belgium",
    "bu": "Bulgaria",
    "cr": "Croatia",
    "cy": "Cyprus",
    "cz": "Czech Republic",
    "dk": "Denmark",
    "ee": "Estonia",
    "fi": "Finland",
    "fr": "France",
    "de": "Germany",
    "el": "Greece",
    "hu": "Hungary",
    "ie": "Ireland",
    "it": "Italy",
    "lv": "Latvia",
    "lt": "Lithuania",
    "lu": "Luxembourg",
    "mt": "Malta",
    "nl": "Netherlands",
    "pl": "Poland",
    "pt": "Portugal",
    "ro": "Romania",
    "si": "Slovenia",
    "sk": "Slovakia",
    "es": "Spain",
    "se": "Sweden",
    "uk": "United Kingdom",
}
MEMBER_STATES = tuple(a for a in ACTOR_NAMES if a not in INSTITUTIONS)

# (pre-Nice votes, Nice votes, population in millions); None = not a member under that regime
_TABLE: dict[str, tuple[float | None, float, float]] = {
    "at": (4, 10, 8.93),
    "be": (5, 12, 11.57),
    "bu": (None, 10, 6.92),
    "cr": (None, 7, 4.04),
    "cy": (None, 4, 0.9),
    "cz": (None, 12, 10.57),
    "de": (10, 29, 83.12),
    "dk": (3, 7, 5.83),
    "ee": (None, 4, 1.33),
    "el": (5, 12, 10.38),
    "es": (8, 27, 48.95),
    "fi": (3, 7, 5.53),
    "fr": (10, 29, 67.44),
    "hu": (None, 12, 9.73),
    "ie": (3, 7, 5.01),
    "it": (10, 29, 58.97),
    "lt": (None, 7, 2.8),
    "lu": (2, 4, 0.63),
    "lv": (None, 4, 1.86),
    "mt": (None, 3, 0.52),
    "nl": (5, 13, 17.61),
    "pl": (None, 27, 37.84),
    "pt": (5, 12, 10.75),
    "ro": (None, 14, 19.19),
    "se": (4, 10, 10.37),
    "si": (None, 4, 2.11),
    "sk": (None, 7, 5.42),
    "uk": (10, 29, 67.79),
}

CapabilityTable = Mapping[str, Mapping[str, float]]  # regime -> member state -> weight

DEFAULT_TABLE: dict[str, dict[str, float]] = {
    regime: {a: float(w) for a, v in _TABLE.items() if (w := v[n]) is not None}
    for n, regime in enumerate(REGIMES)
}


def regime_year(intro: dt.date | None, final_act: dt.date | None) -> int | None:
    """Return the year that picks the voting regime (see the module docstring).

    Parameters
    ----------
    intro : datetime.date or None
        The proposal's introduction.
    final_act : datetime.date or None
        The final act's date.

    Returns
    -------
    int or None
        The final act's year, else the introduction's; at least 2005 for proposals introduced
        in 2003-2008; None without either date.
    """
    base = final_act or intro
    if base is None:
        return None
    year = base.year
    if intro is not None and 2003 <= intro.year <= 2008:
        year = max(year, 2005)
    return year


def regime_of(year: int | None) -> str:
    """Name the voting regime of a year.

    Parameters
    ----------
    year : int or None
        The regime year (:func:`regime_year`).

    Returns
    -------
    str
        ``pre-nice`` up to 2004, ``nice`` 2005-2014, ``lisbon`` from 2015 (no date: ``nice``).
    """
    if year is None:
        return "nice"
    return "pre-nice" if year <= 2004 else "nice" if year <= 2014 else "lisbon"


def capability(actor: str, regime: str, table: CapabilityTable = DEFAULT_TABLE) -> float:
    """Return an actor's capability: its weight, the largest for the institutions, else the smallest.

    Parameters
    ----------
    actor : str
        A DEU actor code (``com``, ``ep`` or a member state such as ``de``).
    regime : str
        One of :data:`REGIMES`.
    table : CapabilityTable
        Weights by regime and member state.

    Returns
    -------
    float
        The member state's weight; the regime's largest for the Commission and the Parliament;
        its smallest for a member state the table lacks.

    References
    ----------
    R. Thomson, F. N. Stokman, C. H. Achen & T. Koenig (eds.), *The European Union Decides*,
    Cambridge University Press, 2006.
    """
    weights = table[regime]
    if actor in INSTITUTIONS:
        return max(weights.values())
    return weights.get(actor, min(weights.values()))


def read_capability_table(path: Path) -> dict[str, dict[str, float]]:
    """Read a ``council_capabilities.csv`` (actor, name, then one column per regime in order).

    Parameters
    ----------
    path : Path
        The table; a blank cell means the actor has no weight under that regime.

    Returns
    -------
    dict of str to dict of str to float
        Weights by regime and actor code.

    Raises
    ------
    ScenarioError
        If the file cannot be read, has the wrong header, a weight that is not a number >= 0,
        or no weight at all for a regime.
    """
    problems: list[Problem] = []
    table: dict[str, dict[str, float]] = {r: {} for r in REGIMES}
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot read ({exc.strerror})", file=str(path))]) from None
    with handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if len(header) < 5 or header[0].strip().lower() != "actor":
            raise ScenarioError(
                [
                    Problem(
                        "not a capability table",
                        file=str(path),
                        line=1,
                        line_word="row",
                        expected="columns actor, name, pre-Nice votes, Nice votes, population",
                    )
                ]
            )
        for row in reader:
            for regime, col in zip(REGIMES, (2, 3, 4), strict=True):
                cell = row[col].strip() if len(row) > col else ""
                if not cell:
                    continue
                try:
                    weight = float(cell)
                except ValueError:
                    weight = float("nan")
                if not weight >= 0 or weight == float("inf"):
                    problems.append(
                        Problem(
                            "not a weight",
                            file=str(path),
                            line=reader.line_num,
                            field=header[col],
                            value=cell,
                            expected="a number >= 0, or blank",
                            line_word="row",
                        )
                    )
                    continue
                table[regime][row[0].strip()] = weight
    for regime, col in zip(REGIMES, (2, 3, 4), strict=True):
        if not table[regime]:
            problems.append(
                Problem(
                    f"no weight for the {regime} regime",
                    file=str(path),
                    line=1,
                    field=header[col],
                    expected="at least one member state's weight in this column",
                    line_word="row",
                )
            )
    if problems:
        raise ScenarioError(problems)
    return table
