"""Decide's input format (the exchange model's data files, ``decide-exchange-model``).

One record per row; the first field is a tag, values may be wrapped in single quotes, fields are
separated by tabs (all shipped examples), semicolons or commas:

    #A  actor id, full name, comment
    #P  issue id, description (further fields are joined with spaces)
    #M  issue id, position, meaning        a labelled point of the issue's scale
    #D  actor id, issue id, position, salience, power, comment
    #/  comment                            #O  free text (a description)

Mapping to accord: ids become slugs (names keep the original text); an issue's scale runs from
the lowest to the highest of its ``#M`` points (0..100 when it has none) and every ``#M`` point
becomes a labelled anchor; power is per actor and issue and becomes the capability (the most
common value as the actor's capability, the others as per-issue overrides), taken as given
(multiplying all powers on an issue by one constant changes none of the weighted models);
saliences are 0..1 (``salience_scale: 1``) unless some salience exceeds 1. An actor without a
``#D`` row on an issue has no stake in it. Positions outside the scale, unknown ids, duplicate
rows and unknown tags are reported with their row numbers.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.tables import as_number, slug

TAGS = ("#A", "#P", "#M", "#D", "#/", "#O")
_FIRST = re.compile(r"^\s*'?#[APMDO/]'?[\t;,]")
_MIN_FIELDS = {"#A": 1, "#P": 1, "#M": 2, "#D": 5}
_EXPECTED = {
    "#A": "#A, actor id, full name, comment",
    "#P": "#P, issue id, description",
    "#M": "#M, issue id, position, meaning",
    "#D": "#D, actor id, issue id, position, salience, power",
}


def sniff_decide(path: Path, head: str) -> bool:
    """Tell whether the text is a Decide file.

    It is when its first non-blank row starts with one of the tags and a separator.

    Parameters
    ----------
    path : Path
        The file (not used: the text decides).
    head : str
        The start of the file's text.

    Returns
    -------
    bool
        True for a Decide file.
    """
    for line in head.split("\n"):
        if line.strip():
            return bool(_FIRST.match(line))
    return False


def _unquote(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == "'":
        return cell[1:-1].strip()
    return cell


def _split(line: str) -> list[str]:
    """Fields of a row: the separator is the character right after the tag."""
    match = re.match(r"^\s*'?#.'?([\t;,])", line)
    sep = match.group(1) if match else "\t"
    return [_unquote(c) for c in line.split(sep)]


class _Ids:
    """Slug ids for the file's own ids, kept unique (``a-b`` and ``a b`` both slug to ``a_b``)."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.by_original: dict[str, str] = {}

    def add(self, original: str) -> str:
        base = slug(original) or f"{self.fallback}{len(self.by_original) + 1}"
        if base[0].isdigit() and self.fallback == "issue":
            base = f"issue_{base}"  # issue ids must start with a letter or _
        new, n = base, 2
        while new in self.by_original.values():
            new, n = f"{base}_{n}", n + 1
        self.by_original[original] = new
        return new


def read_decide(path: Path, text: str) -> RawScenario:
    """Read a Decide file (``#A``/``#P``/``#M``/``#D`` rows) into the native form.

    The mapping is the module docstring's: slug ids, scales from the ``#M`` points, power as
    capability, saliences on 0..1 unless one exceeds 1.

    Parameters
    ----------
    path : Path
        The file (its stem names the scenario).
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, with the row of each actor, issue and position and the problems met.
    """
    raw = RawScenario(data={}, file=str(path), line_word="row")
    actors: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    points: dict[str, list[tuple[float, str, int]]] = {}
    caps: dict[str, dict[str, Any]] = {}
    actor_ids, issue_ids = _Ids("actor"), _Ids("issue")
    notes: list[str] = []

    def problem(row: int, message: str, value: Any = None, expected: str | None = None) -> None:
        raw.problems.append(Problem(message, file=str(path), line=row, value=value, expected=expected,
                                    line_word="row"))

    for row, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        cells = _split(line)
        tag, fields = cells[0].upper(), cells[1:]
        while fields and not fields[-1]:
            fields.pop()
        if tag not in TAGS:
            problem(row, "unknown row tag", cells[0], "one of " + ", ".join(TAGS))
            continue
        if tag in ("#/", "#O"):
            if tag == "#O" and fields:
                (issues[-1].setdefault("_notes", []) if issues else notes).append(" ".join(fields))
            continue
        if len(fields) < _MIN_FIELDS[tag] or not fields[0]:
            problem(row, f"{tag} row has too few fields", line.strip(), _EXPECTED[tag])
            continue
        if tag == "#A":
            if fields[0] in actor_ids.by_original:
                problem(row, "actor defined twice", fields[0], "each actor once")
                continue
            raw.lines[("actors", len(actors))] = row
            actor: dict[str, Any] = {"id": actor_ids.add(fields[0]),
                                     "name": (fields[1] if len(fields) > 1 and fields[1] else fields[0])}
            if len(fields) > 2 and " ".join(fields[2:]).strip():
                actor["notes"] = " ".join(fields[2:]).strip()
            actors.append(actor)
        elif tag == "#P":
            if fields[0] in issue_ids.by_original:
                problem(row, "issue defined twice", fields[0], "each issue once")
                continue
            raw.lines[("issues", len(issues))] = row
            issue: dict[str, Any] = {"id": issue_ids.add(fields[0]), "name": fields[0]}
            description = " ".join(f for f in fields[1:] if f).strip()
            if description:
                issue["description"] = description
            issues.append(issue)
        elif tag == "#M":
            value = as_number(fields[1])
            if not isinstance(value, float) or value != value or abs(value) == float("inf"):
                problem(row, "scale point is not a number", fields[1], "a finite number")
                continue
            meaning = " ".join(fields[2:]).strip()
            points.setdefault(fields[0], []).append((value, meaning, row))
        else:  # "#D"
            k = len(positions)
            raw.lines[("positions", k)] = row
            actor_key = actor_ids.by_original.get(fields[0], fields[0])
            issue_key = issue_ids.by_original.get(fields[1], fields[1])
            pos, sal, power = (as_number(c) for c in fields[2:5])
            entry: dict[str, Any] = {"actor": actor_key, "issue": issue_key, "position": pos,
                                     "salience": sal}
            if len(fields) > 5 and " ".join(fields[5:]).strip():
                entry["note"] = " ".join(fields[5:]).strip()
            positions.append(entry)
            if isinstance(power, float) and not 0 <= power <= 100:
                problem(row, "power is outside its range", fields[4], "a number from 0 to 100 (usually 0..1)")
            elif not isinstance(power, float):
                problem(row, "power is not a number", fields[4], "a number from 0 to 100 (usually 0..1)")
            else:
                caps.setdefault(actor_key, {})[issue_key] = power

    for original, marks in points.items():
        if original not in issue_ids.by_original:
            problem(marks[0][2], "scale point for an unknown issue", original,
                    "an issue id from a #P row")
    for issue in issues:
        notes_here = issue.pop("_notes", [])
        if notes_here:
            issue["description"] = " ".join([issue.get("description", ""), *notes_here]).strip()
        marks = next((m for o, m in points.items() if issue_ids.by_original.get(o) == issue["id"]), [])
        values = sorted({v for v, _, _ in marks})
        if len(values) == 1:
            problem(marks[0][2], f"issue {issue['name']} has one scale point only", values[0],
                    "no #M rows (scale 0..100) or at least two distinct points")
            values = []
        lo, hi = (values[0], values[-1]) if values else (0.0, 100.0)
        issue["scale"] = {"min": lo, "max": hi,
                          "anchors": {v: m for v, m, _ in marks} if values else {}}
    for n, actor in enumerate(actors):
        by_issue = caps.get(actor["id"], {})
        if not by_issue:
            actor["capability"] = 0.0
            raw.lines[("actors", n, "capability")] = raw.lines[("actors", n)]
            continue
        values = list(by_issue.values())
        base = max(values, key=values.count)
        actor["capability"] = base
        overrides = {i: v for i, v in by_issue.items() if v != base}
        if overrides:
            actor["capability_by_issue"] = overrides
    saliences = [p["salience"] for p in positions if isinstance(p["salience"], float)]
    raw.data = {
        "id": slug(path.stem) or "scenario",
        "title": path.stem,
        "description": " ".join([*notes, f"Imported from {path.name} (Decide exchange-model file)."]),
        "salience_scale": 100 if any(s > 1 for s in saliences) else 1,
        "actors": actors,
        "issues": issues,
        "positions": positions,
    }
    return raw


register_format(Format(
    name="decide",
    description="Decide exchange-model file: #A/#P/#M/#D rows (tab or semicolon separated)",
    extensions=(".csv", ".txt", ".tsv"),
    sniff=sniff_decide,
    read=read_decide,
))


# ----------------------------------------------------------------------------- exact numbers
@dataclass(frozen=True)
class DecideExact:
    """The numbers of a Decide file as decimals, exactly as written.

    Per issue its bounds and its ``#D`` rows ``(actor index, position in issue units, salience,
    power)`` in file (summation) order. The exchange model's replay mode computes with these
    (``docs/specs/exchange.md`` §11).
    """

    n_actors: int
    lower: list[Decimal]
    upper: list[Decimal]
    rows: list[list[tuple[int, Decimal, Decimal, Decimal]]]


def _exact_decimal(text: str, where: str) -> Decimal:
    text = text.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # the reader's decimal comma
    try:
        value = Decimal(text)
    except decimal.InvalidOperation:
        raise AccordError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite():
        raise AccordError(f"{where}: {text!r} is not a finite number")
    return value


def read_decide_exact(path: str | Path) -> DecideExact:
    """Read a Decide file's numbers as the decimals written in it.

    The file is validated by the ordinary reader first (structure, ranges, ids: every problem is
    reported the usual way); then its numbers are parsed from the text with ``Decimal``. Issue
    bounds: the lowest and highest ``#M`` point (0 and 100 without any).

    Parameters
    ----------
    path : str or Path
        A Decide file (``#A``/``#P``/``#M``/``#D`` rows).

    Returns
    -------
    DecideExact
        The actors' count and, per issue, its bounds and its rows.

    Raises
    ------
    AccordError
        When the file cannot be read, is not a Decide file, or has problems.
    """
    from accord.scenario.io import load_scenario

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AccordError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not sniff_decide(path, text[:1024]):
        raise AccordError(f"{path}: exchange replay needs a Decide file (#A/#P/#M/#D rows)")
    load_scenario(path, format="decide")  # every problem reported the usual way
    actors: list[str] = []
    issues: list[str] = []
    marks: dict[str, list[Decimal]] = {}
    found: list[tuple[str, str, Decimal, Decimal, Decimal]] = []
    for row, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        cells = _split(line)
        tag, fields = cells[0].upper(), cells[1:]
        where = f"{path}, row {row}"
        if tag == "#A":
            actors.append(fields[0])
        elif tag == "#P":
            issues.append(fields[0])
        elif tag == "#M":
            marks.setdefault(fields[0], []).append(_exact_decimal(fields[1], where))
        elif tag == "#D":
            pos, sal, power = (_exact_decimal(f, where) for f in fields[2:5])
            found.append((fields[0], fields[1], pos, sal, power))
    a_index = {a: n for n, a in enumerate(actors)}
    i_index = {k: n for n, k in enumerate(issues)}
    rows: list[list[tuple[int, Decimal, Decimal, Decimal]]] = [[] for _ in issues]
    for actor, issue, pos, sal, power in found:
        rows[i_index[issue]].append((a_index[actor], pos, sal, power))
    lower = [min(marks[k]) if marks.get(k) else Decimal(0) for k in issues]
    upper = [max(marks[k]) if marks.get(k) else Decimal(100) for k in issues]
    return DecideExact(len(actors), lower, upper, rows)
