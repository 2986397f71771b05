"""The long table: one row per actor and issue.

Required columns: ``actor, issue, position, salience``; optional: ``capability`` (per row; an
actor whose capability differs between issues gets per-issue capabilities), ``actor_name``,
``issue_name``, ``position_sd``, ``salience_sd``, ``capability_sd``, ``position_low``,
``position_high``, ``scale_min``, ``scale_max``, ``status_quo``, ``sources`` (citations separated
by ``|``: a table cannot hold a source list, so each distinct citation becomes a source whose id
is made from its text), ``note``. Comma, semicolon or tab separated. The same rows can come from a spreadsheet
(:mod:`accord.scenario.io.xlsx`).

Columns that describe the issue (name, scale, status quo) or the actor (name, capability sd) may
be repeated on every row of that issue or actor, or given once; a later row that gives a
different value is reported, as is a row with more cells than the header and a column the table
does not know (with the nearest known name: ``postion_sd`` is probably ``position_sd``), so no
value is silently dropped. Text that accord's CSV export marked with a leading ``'`` (so that no
spreadsheet runs it as a formula) is read back without the mark
(:func:`~accord.scenario.io.tables.unescape_text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.tables import as_number, csv_records, slug, unescape_text, unknown_columns

REQUIRED = ("actor", "issue", "position", "salience")
OPTIONAL = (
    "capability", "actor_name", "issue_name", "position_sd", "salience_sd", "capability_sd",
    "position_low", "position_high", "scale_min", "scale_max", "status_quo", "sources", "note",
)
ISSUE_COLUMNS = ("issue_name", "scale_min", "scale_max", "status_quo")
ACTOR_COLUMNS = ("actor_name", "capability_sd")


def _dialect(head: str) -> str:
    first = head.split("\n", 1)[0]
    return max(",;\t", key=first.count)


def _header(head: str) -> list[str]:
    first = head.split("\n", 1)[0]
    return [c.strip().lower() for c in first.split(_dialect(head))]


def rows_to_raw(path: Path, header: list[str], rows: list[tuple[int, list[Any]]], title: str) -> RawScenario:
    """Build a raw scenario from numbered rows of a long table (shared with the xlsx reader).

    Parameters
    ----------
    path : Path
        The file, for problems and the description.
    header : list of str
        The header row's cells (case and surrounding spaces do not matter).
    rows : list of (int, list)
        Each data row's number and its cells (text, numbers or None).
    title : str
        The scenario's title (its id is made from it).

    Returns
    -------
    RawScenario
        The native form, with the row of each actor, issue and position and the problems met.
    """
    raw = RawScenario(data={}, file=str(path), line_word="row")
    header = [str(h or "").strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raw.problems.append(
            Problem(
                "header lacks required columns",
                file=str(path),
                line=1,
                value=", ".join(missing),
                expected="actor, issue, position, salience",
            )
        )
        return raw
    raw.problems += unknown_columns(header, (*REQUIRED, *OPTIONAL), str(path))
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    positions: list[dict[str, Any]] = []
    caps: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}  # id -> citation, in order of first use
    given: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}  # (kind, id) -> column -> (value, row)

    def remember(kind: str, key: str, row: dict[str, Any], line: int, columns: tuple[str, ...]) -> None:
        """Keep the first value of each column of an issue or actor; report later different ones."""
        seen = given.setdefault((kind, key), {})
        for col in columns:
            value = _cell(row.get(col), col)
            if value is None:
                continue
            if col not in seen:
                seen[col] = (value, line)
            elif repr(value) != repr(seen[col][0]):
                raw.problems.append(
                    Problem(
                        f"{kind} {key}: {col} differs from the {seen[col][0]!r} given at row {seen[col][1]}",
                        file=str(path),
                        line=line,
                        field=col,
                        value=value,
                        expected=f"the same {col} on every row of the {kind}, or an empty cell",
                        line_word="row",
                    )
                )

    for line, cells in rows:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        extra = [c for c in cells[len(header) :] if c is not None and str(c).strip()]
        if extra:
            raw.problems.append(
                Problem(
                    f"has {len(header) + len(extra)} or more cells, the header {len(header)}",
                    file=str(path),
                    line=line,
                    value=", ".join(str(c) for c in extra),
                    expected="one cell per header column (quote cells that hold the delimiter)",
                    line_word="row",
                )
            )
        if len(cells) < len(header):
            cells = [*cells, *[None] * (len(header) - len(cells))]
        cells = [unescape_text(c) if isinstance(c, str) else c for c in cells]
        row = dict(zip(header, cells, strict=False))
        actor_name = str(row["actor"] or "").strip()
        issue_name = str(row["issue"] or "").strip()
        actor_id, issue_id = slug(actor_name), slug(issue_name)
        k = len(positions)
        raw.lines[("positions", k)] = line
        if actor_id not in actors:
            raw.lines[("actors", len(actors))] = line
            actors[actor_id] = {"id": actor_id or actor_name, "name": actor_name or "?"}
        if issue_id not in issues:
            raw.lines[("issues", len(issues))] = line
            issues[issue_id] = {"id": issue_id or issue_name, "name": issue_name or "?", "scale": {}}
        remember("actor", actor_id, row, line, ACTOR_COLUMNS)
        remember("issue", issue_id, row, line, ISSUE_COLUMNS)
        if row.get("capability") not in (None, ""):
            caps.setdefault(actor_id, {})[issue_id] = as_number(row["capability"])
        pos: dict[str, Any] = {
            "actor": actor_id or actor_name,
            "issue": issue_id or issue_name,
            "position": as_number(row["position"]),
            "salience": as_number(row["salience"]),
        }
        if row.get("position_sd") not in (None, ""):
            pos["position_uncertainty"] = {"sd": as_number(row["position_sd"])}
        elif row.get("position_low") not in (None, ""):
            pos["position_uncertainty"] = {
                "low": as_number(row["position_low"]),
                "high": as_number(row.get("position_high")),
            }
        if row.get("salience_sd") not in (None, ""):
            pos["salience_uncertainty"] = {"sd": as_number(row["salience_sd"])}
        if row.get("sources"):
            pos["sources"] = []
            for citation in (c.strip() for c in str(row["sources"]).split("|")):
                if citation:
                    source_id = slug(citation) or citation
                    sources.setdefault(source_id, citation)
                    pos["sources"].append(source_id)
        if row.get("note"):
            pos["note"] = str(row["note"])
        positions.append(pos)
    for (kind, key), values in given.items():
        target = actors[key] if kind == "actor" else issues[key]
        for col, (value, _) in values.items():
            if col in ("actor_name", "issue_name"):
                target["name"] = value
            elif col in ("scale_min", "scale_max"):
                target["scale"][col.removeprefix("scale_")] = value
            elif col == "capability_sd":
                target["capability_uncertainty"] = {"sd": value}
            else:
                target[col] = value
    actor_rows = {a: n for n, a in enumerate(actors)}
    for actor_id, actor in actors.items():
        by_issue = caps.get(actor_id, {})
        if not by_issue:
            raw.problems.append(
                raw.problem(
                    ("actors", actor_rows[actor_id], "capability"),
                    f"no capability given for actor {actor_id}",
                    expected="a capability column value in at least one row",
                )
            )
            continue
        # the most common value is the actor's capability (ties: the first given), the rest
        # are per-issue overrides; repr compares cells that are not numbers too
        shown = [repr(v) for v in by_issue.values()]
        base = max(dict.fromkeys(shown), key=shown.count)
        actor["capability"] = next(v for v in by_issue.values() if repr(v) == base)
        overrides = {i: v for i, v in by_issue.items() if repr(v) != base}
        if overrides:
            actor["capability_by_issue"] = overrides
    raw.data = {
        "id": slug(title) or "scenario",
        "title": title,
        "description": f"Imported from {path.name} (long table).",
        "actors": list(actors.values()),
        "issues": list(issues.values()),
        "positions": positions,
        "sources": [{"id": sid, "citation": text} for sid, text in sources.items()],
    }
    return raw


def _cell(cell: Any, column: str) -> Any:
    """Read a cell for comparison and use: None when empty; text for names; else a number."""
    if cell is None or not str(cell).strip():
        return None
    return str(cell).strip() if column.endswith("_name") else as_number(cell)


def read_long_csv(path: Path, text: str) -> RawScenario:
    """Read a long table (comma, semicolon or tab separated) into the native form.

    Parameters
    ----------
    path : Path
        The file (its stem is the scenario's title).
    text : str
        The file's text; the delimiter is the most frequent of the three in its first line.

    Returns
    -------
    RawScenario
        The native form and the problems met.
    """
    records, problems = csv_records(text, str(path), delimiter=_dialect(text[:4096]))
    if problems or not records:
        return RawScenario(data={}, file=str(path), problems=problems, line_word="row")
    return rows_to_raw(path, records[0][1], list(records[1:]), path.stem)


register_format(
    Format(
        name="csv",
        description="long table: actor,issue,position,salience[,capability,...]",
        extensions=(".csv", ".tsv", ".txt"),
        sniff=lambda path, head: all(c in _header(head) for c in REQUIRED),
        read=read_long_csv,
    )
)
