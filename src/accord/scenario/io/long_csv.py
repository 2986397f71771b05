"""The long table: one row per actor and issue.

Required columns: ``actor, issue, position, salience``; optional: ``capability`` (per row; an
actor whose capability differs between issues gets per-issue capabilities), ``actor_name``,
``issue_name``, ``position_sd``, ``salience_sd``, ``capability_sd``, ``position_low``,
``position_high``, ``scale_min``, ``scale_max``, ``status_quo``, ``sources`` (citations separated
by ``|``: a table cannot hold a source list, so each distinct citation becomes a source whose id
is made from its text), ``note``. Comma, semicolon or tab separated. The same rows can come from a spreadsheet
(:mod:`accord.scenario.io.xlsx`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.tables import as_number, slug

REQUIRED = ("actor", "issue", "position", "salience")


def _dialect(head: str) -> str:
    first = head.split("\n", 1)[0]
    return max(",;\t", key=first.count)


def _header(head: str) -> list[str]:
    first = head.split("\n", 1)[0]
    return [c.strip().lower() for c in first.split(_dialect(head))]


def rows_to_raw(path: Path, header: list[str], rows: list[tuple[int, list[Any]]], title: str) -> RawScenario:
    """Build a raw scenario from numbered rows of a long table (shared with the xlsx reader)."""
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
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    positions: list[dict[str, Any]] = []
    caps: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}  # id -> citation, in order of first use
    for line, cells in rows:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        if len(cells) < len(header):
            cells = [*cells, *[None] * (len(header) - len(cells))]
        row = dict(zip(header, cells, strict=False))
        actor_name = str(row["actor"] or "").strip()
        issue_name = str(row["issue"] or "").strip()
        actor_id, issue_id = slug(actor_name), slug(issue_name)
        k = len(positions)
        raw.lines[("positions", k)] = line
        if actor_id not in actors:
            raw.lines[("actors", len(actors))] = line
            actors[actor_id] = {
                "id": actor_id or actor_name,
                "name": row.get("actor_name") or actor_name or "?",
            }
        if issue_id not in issues:
            raw.lines[("issues", len(issues))] = line
            scale = {
                key: as_number(row[col])
                for key, col in (("min", "scale_min"), ("max", "scale_max"))
                if row.get(col) not in (None, "")
            }
            issue: dict[str, Any] = {
                "id": issue_id or issue_name,
                "name": row.get("issue_name") or issue_name or "?",
                "scale": scale,
            }
            if row.get("status_quo") not in (None, ""):
                issue["status_quo"] = as_number(row["status_quo"])
            issues[issue_id] = issue
        if row.get("capability") not in (None, ""):
            caps.setdefault(actor_id, {})[issue_id] = as_number(row["capability"])
            if row.get("capability_sd") not in (None, ""):
                actors[actor_id]["capability_uncertainty"] = {"sd": as_number(row["capability_sd"])}
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
        values = list(by_issue.values())
        base = max(set(map(repr, values)), key=[repr(v) for v in values].count)
        actor["capability"] = next(v for v in values if repr(v) == base)
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


def read_long_csv(path: Path, text: str) -> RawScenario:
    rows = list(csv.reader(io.StringIO(text), delimiter=_dialect(text[:4096])))
    numbered = [(n, r) for n, r in enumerate(rows[1:], start=2)]
    return rows_to_raw(path, rows[0], numbered, path.stem)


register_format(
    Format(
        name="csv",
        description="long table: actor,issue,position,salience[,capability,...]",
        extensions=(".csv", ".tsv", ".txt"),
        sniff=lambda path, head: all(c in _header(head) for c in REQUIRED),
        read=read_long_csv,
    )
)
