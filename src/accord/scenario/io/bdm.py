"""The single-issue table of the expected-utility replications: ``Actor,Capability,Position,Salience``.

The columns may come in any order and under the names the replications use: ``Actor`` or
``Stakeholder`` or ``name``; ``Capability``, ``Capabilities``, ``Resources`` or ``Power``;
further columns (e.g. resolve) are ignored, but a row with more cells than the header is an error
(a cell would be lost). Used by Scholz, Calbert & Smith (2011) and its
replications (e.g. the ExampleActors and Sultan tables). Saliences run 0..100 in some copies
and 0..1 in others: when every salience is at most 1 the 0..1 variant is assumed (the
scenario's ``salience_scale`` says which was used). Line endings may be CR only. The position
scale is taken as the range of the positions, which is what the model's spec expects
(positions are not rescaled).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.tables import as_number, csv_records, slug

SYNONYMS = {
    "actor": ("actor", "stakeholder", "name"),
    "capability": ("capability", "capabilities", "resources", "power"),
    "position": ("position",),
    "salience": ("salience",),
}


def column_map(header: list[str]) -> dict[str, int] | None:
    """Find each of the four columns in the header, under any of its names.

    Parameters
    ----------
    header : list of str
        The header row's cells (case and surrounding spaces do not matter).

    Returns
    -------
    dict of str to int or None
        The index of ``actor``, ``capability``, ``position`` and ``salience``; None when one is
        missing.
    """
    names = [c.strip().lower() for c in header]
    found = {}
    for key, options in SYNONYMS.items():
        hits = [names.index(o) for o in options if o in names]
        if not hits:
            return None
        found[key] = hits[0]
    return found


def _header(head: str) -> list[str]:
    first = head.split("\n", 1)[0]
    return [c.strip().lower() for c in first.split(",")]


def read_bdm(path: Path, text: str) -> RawScenario:
    """Read an ``Actor,Capability,Position,Salience`` table as a one-issue scenario.

    Parameters
    ----------
    path : Path
        The file (its stem names the scenario and its issue).
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, with a row for every actor and position and the problems met.
    """
    raw = RawScenario(data={}, file=str(path), line_word="row")
    rows, raw.problems = csv_records(text, str(path))
    if raw.problems:
        return raw
    header = rows[0][1] if rows else []
    columns = column_map(header)
    if columns is None:
        raw.problems.append(
            Problem(
                "unexpected header",
                file=str(path),
                line=1,
                value=",".join(header),
                expected="Actor,Capability,Position,Salience",
            )
        )
        return raw
    actors: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    values: list[tuple[Any, Any]] = []
    for n, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        extra = [c for c in row[len(header):] if c.strip()]
        if extra:
            raw.problems.append(
                Problem(
                    f"has {len(header) + len(extra)} or more cells, the header {len(header)}",
                    file=str(path),
                    line=n,
                    value=",".join(extra),
                    expected="one cell per header column (quote cells that hold a comma)",
                    line_word="row",
                )
            )
            continue
        if len(row) <= max(columns.values()):
            raw.problems.append(
                Problem(
                    f"has {len(row)} columns",
                    file=str(path),
                    line=n,
                    value=",".join(row),
                    expected=f"{len(header)} columns, as in the header",
                    line_word="row",
                )
            )
            continue
        name = row[columns["actor"]].strip()
        k = len(actors)
        actor_id = slug(name) or f"actor{k + 1}"
        cap, pos, sal = (as_number(row[columns[k]]) for k in ("capability", "position", "salience"))
        actors.append({"id": actor_id, "name": name or actor_id, "capability": cap})
        positions.append({"actor": actor_id, "issue": "issue", "position": pos, "salience": sal})
        raw.lines[("actors", k)] = n
        raw.lines[("positions", k)] = n
        raw.lines[("actors", k, "capability")] = n
        values.append((pos, sal))
    numbers = [(p, s) for p, s in values if isinstance(p, float) and isinstance(s, float)]
    lo = min((p for p, _ in numbers), default=0.0)
    hi = max((p for p, _ in numbers), default=1.0)
    if hi <= lo:
        hi = lo + 1.0
    unit = all(s <= 1 for _, s in numbers) if numbers else False
    raw.data = {
        "id": slug(path.stem) or "scenario",
        "title": path.stem,
        "description": f"Imported from {path.name} (Actor,Capability,Position,Salience table).",
        "salience_scale": 1 if unit else 100,
        "actors": actors,
        "issues": [{"id": "issue", "name": path.stem, "scale": {"min": lo, "max": hi}}],
        "positions": positions,
    }
    return raw


register_format(
    Format(
        name="bdm",
        description="Actor,Capability,Position,Salience table (expected-utility replications)",
        extensions=(".csv",),
        sniff=lambda path, head: column_map(_header(head)) is not None and "issue" not in _header(head),
        read=read_bdm,
    )
)
