"""Load DEU (Decision-making in the European Union) data as one-issue scenarios with outcomes.

Three layouts of the same content are read:

* the wide table, one row per issue with ``p<actor>``/``s<actor>`` columns (75 columns in DEU III):
  the tab-separated public copy ``deu3.tsv`` (quoted, damaged dates, see :mod:`.dates`) or the
  official semicolon-separated ``Dataset_DEU_III.csv`` (delimiter detected; decimal commas read);
* the long pair ``issues.csv`` + ``positions.csv`` (given the folder or either file).

``999`` is DEU's missing-value code. An actor with a position but no salience is left out of the
issue. Every issue with at least one such actor becomes a one-issue
:class:`~accord.scenario.Scenario` (reference point as status quo, capabilities from
:mod:`.capabilities`, vetoes from the decision rule) inside a :class:`DeuCase` carrying the
outcome. Data: Arregui & Perarnaud (2022), doi:10.34810/data53; Thomson et al. (2012; 2006).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.io.base import RawScenario
from accord.scenario.io.deu.capabilities import (
    ACTOR_NAMES,
    DEFAULT_TABLE,
    MEMBER_STATES,
    CapabilityTable,
    capability,
    regime_of,
    regime_year,
)
from accord.scenario.io.deu.dates import MISSING, is_damaged_mix, parse_date
from accord.scenario.io.tables import csv_records
from accord.scenario.schema import ISSUE_ID, Scenario
from accord.scenario.validate import build

MIN_ACTORS = 3
WIDE_REQUIRED = ("prnr", "isnr", "proc", "counvte", "intro", "finact", "rp", "out")
LONG_ISSUE_REQUIRED = ("isnr", "prnr", "proc", "counvte", "rp", "out")
LONG_POSITION_REQUIRED = ("isnr", "actor", "position", "salience")
WAVES = (
    (1996, 2000, "A_EU15_1996-2000"),
    (2003, 2008, "B_EU25-27_2003-2008"),
    (2012, 2018, "C_DEU3new_2012-2018"),
)


@dataclass(frozen=True)
class DeuCase:
    """One DEU issue: its scenario, its true outcome and what the breakdowns group by.

    ``scenario`` is None when no actor has position and salience; ``outcome`` is None when
    missing.
    """

    issue_id: str
    proposal_id: str
    proposal_name: str
    wave: str
    procedure: str  # COD or CNS
    voting_rule: str  # QMV, Unan, QMV(10)
    act_type: str
    council: str
    intro: dt.date | None
    final_act: dt.date | None
    regime: str
    reference_point: float | None
    outcome: float | None
    n_actors: int  # actors with both position and salience
    scenario: Scenario | None
    file: str
    row: int

    @property
    def scoreable(self) -> bool:
        """Outcome present and at least three actors with position and salience (SOURCES.md)."""
        return self.outcome is not None and self.n_actors >= MIN_ACTORS and self.scenario is not None


@dataclass(frozen=True)
class DeuData:
    """What :func:`load_deu` read: every case, the file or folder, and its layout."""

    cases: list[DeuCase]
    source: str
    layout: str  # "wide" or "long"

    @property
    def scoreable(self) -> list[DeuCase]:
        """The cases that can be scored (:attr:`DeuCase.scoreable`)."""
        return [c for c in self.cases if c.scoreable]


@dataclass
class _Issue:
    """An issue as read, before it becomes a case."""

    meta: dict[str, str]
    intro: dt.date | None
    final_act: dt.date | None
    rp: float | None
    out: float | None
    row: int
    file: str
    positions: list[tuple[str, float, float | None]] = field(default_factory=list)


class _Reader:
    """Collects problems while cells are read, so all of them are reported together."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(
        self,
        row: int | None,
        message: str,
        field: str | None = None,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        self.problems.append(Problem(message, self.file, row, field, value, expected, line_word="row"))

    def number(self, row: int, column: str, cell: str, lo: float = 0, hi: float = 100) -> float | None:
        text = cell.strip()
        if text.lower() in MISSING:
            return None
        try:
            value = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
        except ValueError:
            self.problem(row, "not a number", column, text, f"a number from {lo:g} to {hi:g}, blank or 999")
            return None
        if not lo <= value <= hi:
            self.problem(
                row,
                "value is outside the DEU scale",
                column,
                text,
                f"a number from {lo:g} to {hi:g}, blank or 999",
            )
            return None
        return value

    def date(self, row: int, column: str, cell: str, damaged: bool) -> dt.date | None:
        try:
            return parse_date(cell, damaged)
        except ValueError as exc:
            self.problem(row, str(exc), column, cell, "DD-MM-YY, DD-MM-YYYY or YYYY-MM-DD, or 999 for none")
            return None


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (lower case) and numbered rows of a delimited file; the delimiter is detected."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot read ({exc.strerror})", file=str(path))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    first = text.split("\n", 1)[0]
    delimiter = max("\t;,", key=first.count)
    records, problems = csv_records(text, str(path), delimiter=delimiter)
    if problems:
        raise ScenarioError(problems)
    header = [h.strip().lower() for h in (records[0][1] if records else [])]
    rows = [(line, r) for line, r in records[1:] if any(c.strip() for c in r)]
    return header, rows


def _missing_columns(reader: _Reader, header: list[str], required: Iterable[str]) -> bool:
    """Report required columns that are missing and columns named twice (one would be lost)."""
    missing = [c for c in required if c not in header]
    if missing:
        reader.problem(
            1, "header lacks required columns", value=", ".join(missing), expected=", ".join(required)
        )
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        reader.problem(1, "columns named twice in the header", value=", ".join(twice), expected="each once")
    return bool(missing or twice)


def _dates(reader: _Reader, rows: list[dict[str, str]], names: tuple[str, str]) -> list[tuple[Any, Any]]:
    damaged = is_damaged_mix(r.get(n, "") for r in rows for n in names)
    # the ignore: a tuple built from a generator has no fixed length to mypy (``names`` has two)
    return [
        tuple(reader.date(int(r["_row"]), n, r.get(n, ""), damaged) for n in names)  # type: ignore[misc]
        for r in rows
    ]


def _read_wide(path: Path) -> tuple[list[_Issue], list[Problem]]:
    reader = _Reader(str(path))
    header, rows = _read_table(path)
    actors = [a for a in ACTOR_NAMES if f"p{a}" in header and f"s{a}" in header]
    if _missing_columns(reader, header, WIDE_REQUIRED) or not actors:
        if not actors:
            reader.problem(1, "no actor columns", expected="pairs p<actor>, s<actor> such as pcom, scom")
        return [], reader.problems
    records = []
    for line, cells in rows:
        if len(cells) != len(header):
            reader.problem(line, f"has {len(cells)} columns, the header {len(header)}")
            continue
        rec = dict(zip(header, cells, strict=True))
        if not rec["isnr"].strip():  # e.g. the GDP row the blksv copy adds under the header
            continue
        records.append({**rec, "_row": str(line)})
    issues = []
    for rec, (intro, final_act) in zip(records, _dates(reader, records, ("intro", "finact")), strict=True):
        line = int(rec["_row"])
        issue = _Issue(
            meta={
                k: rec.get(k, "").strip()
                for k in ("prnr", "prname", "isnr", "type", "council", "proc", "counvte")
            },
            intro=intro,
            final_act=final_act,
            row=line,
            file=str(path),
            rp=reader.number(line, "rp", rec["rp"]),
            out=reader.number(line, "out", rec["out"]),
        )
        for a in actors:
            x = reader.number(line, f"p{a}", rec[f"p{a}"])
            s = reader.number(line, f"s{a}", rec[f"s{a}"])
            if x is not None:
                issue.positions.append((a, x, s))
        issues.append(issue)
    return issues, reader.problems


def _read_long(issues_path: Path, positions_path: Path) -> tuple[list[_Issue], list[Problem]]:
    reader = _Reader(str(issues_path))
    header, rows = _read_table(issues_path)
    date_cols = (
        "intro_date" if "intro_date" in header else "intro",
        "finact_date" if "finact_date" in header else "finact",
    )
    if _missing_columns(reader, header, (*LONG_ISSUE_REQUIRED, *date_cols)):
        return [], reader.problems
    records = [{**dict(zip(header, cells, strict=False)), "_row": str(line)} for line, cells in rows]
    by_id: dict[str, _Issue] = {}
    for rec, (intro, final_act) in zip(records, _dates(reader, records, date_cols), strict=True):
        line = int(rec["_row"])
        issue = _Issue(
            meta={
                k: (rec.get(k) or "").strip()
                for k in ("prnr", "prname", "isnr", "type", "council", "proc", "counvte")
            },
            intro=intro,
            final_act=final_act,
            row=line,
            file=str(issues_path),
            rp=reader.number(line, "rp", rec.get("rp") or ""),
            out=reader.number(line, "out", rec.get("out") or ""),
        )
        if issue.meta["isnr"] in by_id:
            reader.problem(line, "duplicate issue id", "isnr", issue.meta["isnr"], "each issue once")
        by_id.setdefault(issue.meta["isnr"], issue)
    preader = _Reader(str(positions_path))
    pheader, prows = _read_table(positions_path)
    if not _missing_columns(preader, pheader, LONG_POSITION_REQUIRED):
        first_row: dict[tuple[str, str], int] = {}
        for line, cells in prows:
            rec = dict(zip(pheader, cells, strict=False))
            isnr, actor = (rec.get("isnr") or "").strip(), (rec.get("actor") or "").strip().lower()
            if isnr not in by_id:
                preader.problem(line, "unknown issue id", "isnr", isnr, f"an isnr of {issues_path.name}")
                continue
            if actor not in ACTOR_NAMES:
                preader.problem(line, "unknown actor code", "actor", actor, ", ".join(ACTOR_NAMES))
                continue
            if (isnr, actor) in first_row:
                preader.problem(line, f"second row for {actor} on issue {isnr} (first at row "
                                f"{first_row[isnr, actor]})", "actor", actor, "one row per issue and actor")
                continue
            first_row[isnr, actor] = line
            x = preader.number(line, "position", rec.get("position") or "")
            s = preader.number(line, "salience", rec.get("salience") or "")
            if x is not None:
                by_id[isnr].positions.append((actor, x, s))
    return list(by_id.values()), reader.problems + preader.problems


def wave_of(intro: dt.date | None) -> str:
    """Return the DEU wave of a proposal, by its year of introduction.

    Parameters
    ----------
    intro : datetime.date or None
        The proposal's introduction.

    Returns
    -------
    str
        The wave's name (one of :data:`WAVES`), or ``"other"``.
    """
    for lo, hi, name in WAVES:
        if intro is not None and lo <= intro.year <= hi:
            return name
    return "other"


def veto_players(voting_rule: str, procedure: str, actors: Iterable[str]) -> list[str]:
    """List who can block: every member state under unanimity; the Parliament under co-decision.

    Under co-decision the Parliament can reject the act (Tsebelis & Garrett 2000; Thomson et al.
    2006, ch. 1).

    Parameters
    ----------
    voting_rule : str
        The Council's voting rule (``QMV``, ``Unan``, ...).
    procedure : str
        ``COD`` (co-decision) or ``CNS`` (consultation).
    actors : Iterable of str
        The actor codes present.

    Returns
    -------
    list of str
        The veto players among ``actors``, in their order.

    References
    ----------
    G. Tsebelis and G. Garrett, "Legislative politics in the European Union", *European Union
    Politics* 1(1), 2000.

    R. Thomson, F. N. Stokman, C. H. Achen & T. Koenig (eds.), *The European Union Decides*,
    Cambridge University Press, 2006.
    """
    unanimity = voting_rule.strip().lower().startswith("unan")
    return [a for a in actors if (unanimity and a in MEMBER_STATES) or (a == "ep" and procedure == "COD")]


def _scenario(issue: _Issue, regime: str, table: CapabilityTable) -> Scenario:
    m = issue.meta
    present = [(a, x, s) for a, x, s in issue.positions if s is not None]
    vetoes = set(veto_players(m["counvte"], m["proc"], [a for a, _, _ in present]))
    name = f"{m['prname'] or m['prnr']}, issue {m['isnr']}"
    data: dict[str, Any] = {
        "id": m["isnr"],
        "title": f"DEU {m['prnr']} ({m['prname']}): issue {m['isnr']}",
        "as_of": issue.intro,
        "description": f"{m['type']} {m['proc']} {m['counvte']}, Council {m['council']}; "
        f"capabilities: {regime} Council weights",
        "actors": [
            {
                "id": a,
                "name": ACTOR_NAMES[a],
                "capability": capability(a, regime, table),
                "veto": [m["isnr"]] if a in vetoes else [],
                "group": "institution" if a not in MEMBER_STATES else "member state",
            }
            for a, _, _ in present
        ],
        "issues": [{"id": m["isnr"], "name": name, "status_quo": issue.rp}],
        "positions": [{"actor": a, "issue": m["isnr"], "position": x, "salience": s} for a, x, s in present],
    }
    raw = RawScenario(data, issue.file, {("issues", 0): issue.row}, line_word="row")
    try:
        return build(raw)
    except ScenarioError as exc:
        if all("is zero, so no weighted model" in p.message for p in exc.problems):
            return Scenario.model_validate(data)  # all saliences 0: still a scenario (plain mean)
        raise


def _cases(issues: list[_Issue], table: CapabilityTable, problems: list[Problem]) -> list[DeuCase]:
    cases = []
    seen: set[str] = set()
    for issue in issues:
        m = issue.meta
        if not re.match(ISSUE_ID, m["isnr"]):
            problems.append(
                Problem(
                    "issue id must start with a letter and hold letters, digits or _",
                    issue.file,
                    issue.row,
                    "isnr",
                    m["isnr"],
                    line_word="row",
                )
            )
            continue
        if m["isnr"] in seen:
            problems.append(
                Problem(
                    "duplicate issue id",
                    issue.file,
                    issue.row,
                    "isnr",
                    m["isnr"],
                    "each issue once",
                    line_word="row",
                )
            )
            continue
        seen.add(m["isnr"])
        regime = regime_of(regime_year(issue.intro, issue.final_act))
        n = sum(s is not None for _, _, s in issue.positions)
        try:
            scenario = _scenario(issue, regime, table) if n else None
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        cases.append(
            DeuCase(
                issue_id=m["isnr"],
                proposal_id=m["prnr"],
                proposal_name=m["prname"],
                wave=wave_of(issue.intro),
                procedure=m["proc"],
                voting_rule=m["counvte"],
                act_type=m["type"],
                council=m["council"],
                intro=issue.intro,
                final_act=issue.final_act,
                regime=regime,
                reference_point=issue.rp,
                outcome=issue.out,
                n_actors=n,
                scenario=scenario,
                file=issue.file,
                row=issue.row,
            )
        )
    return cases


def _long_pair(path: Path) -> tuple[Path, Path] | None:
    folder = path if path.is_dir() else path.parent
    pair = folder / "issues.csv", folder / "positions.csv"
    if path.is_dir() or path.name in ("issues.csv", "positions.csv"):
        return pair if all(p.exists() for p in pair) else None
    return None


def load_deu(path: str | Path, capabilities: CapabilityTable | None = None) -> DeuData:
    """Read DEU data from a wide file, a long ``issues.csv``/``positions.csv`` pair, or a folder.

    Parameters
    ----------
    path : str or Path
        The wide table, either file of the long pair, or a folder holding the pair, a ``.tsv``
        or a ``Dataset_DEU*.csv``.
    capabilities : CapabilityTable or None
        Weights by regime and member state; None for :data:`DEFAULT_TABLE`.

    Returns
    -------
    DeuData
        Every issue as a :class:`DeuCase`.

    Raises
    ------
    ScenarioError
        Listing every problem (file, row, column, value, expectation).
    """
    path = Path(path)
    table = capabilities or DEFAULT_TABLE
    if not path.exists():
        raise ScenarioError([Problem("no such file or folder", file=str(path))])
    pair = _long_pair(path)
    if pair is not None:
        issues, problems = _read_long(*pair)
        layout, source = "long", str(pair[0].parent)
    else:
        if path.is_dir():
            wide = sorted([*path.glob("*.tsv"), *path.glob("Dataset_DEU*.csv")])
            if not wide:
                raise ScenarioError(
                    [
                        Problem(
                            "no DEU data in this folder",
                            file=str(path),
                            expected="issues.csv + positions.csv, a .tsv, or Dataset_DEU*.csv",
                        )
                    ]
                )
            path = wide[0]
        elif path.name in ("issues.csv", "positions.csv"):
            other = "positions.csv" if path.name == "issues.csv" else "issues.csv"
            raise ScenarioError(
                [
                    Problem(
                        f"{other} is missing beside it",
                        file=str(path),
                        expected="the long pair issues.csv + positions.csv",
                    )
                ]
            )
        issues, problems = _read_wide(path)
        layout, source = "wide", str(path)
    cases = _cases(issues, table, problems) if not problems else []
    if problems:
        raise ScenarioError(problems)
    return DeuData(cases, source, layout)
