"""A readable view of a scenario: who, over what, standing where, on whose word."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.scenario import Scenario


def _pm(value: float, uncertainty: object) -> str:
    if uncertainty is None:
        return f"{value:g}"
    sd = getattr(uncertainty, "sd", None)
    if sd is not None:
        return f"{value:g} ±{sd:g}"
    return f"{value:g} [{uncertainty.low:g}–{uncertainty.high:g}]"  # type: ignore[attr-defined]


def _add_row(table: Table, *cells: str) -> None:
    """A row of user text, shown verbatim: ``[draft]`` in a name is text, not Rich markup."""
    table.add_row(*(Text(cell) for cell in cells))


def scenario_view(s: Scenario) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text(s.title, style="bold")
    head.append(f"  ({s.id}" + (f", as of {s.as_of}" if s.as_of else "") + ")", style="dim")
    parts.append(head)
    if s.description:
        parts.append(Text(s.description.strip() + "\n"))
    actors = Table(title="Actors", title_justify="left", show_lines=False)
    for col in ("id", "name", "capability", "veto on", "sources"):
        actors.add_column(col, overflow="fold")
    for a in s.actors:
        cap = _pm(a.capability, a.capability_uncertainty)
        if a.capability_by_issue:
            cap += "\n" + ", ".join(f"{k}: {v:g}" for k, v in a.capability_by_issue.items())
        _add_row(actors, a.id, a.name, cap, ", ".join(a.veto), ", ".join(a.sources))
    parts.append(actors)
    for issue in s.issues:
        t = Table(title=Text(f"{issue.name} [{issue.id}]", style="bold"), title_justify="left")
        anchors = "; ".join(f"{k:g}: {v}" for k, v in sorted(issue.scale.anchors.items()))
        sq = (
            "no status quo"
            if issue.status_quo is None
            else f"status quo {_pm(issue.status_quo, issue.status_quo_uncertainty)}"
        )
        t.caption = Text(f"scale {issue.scale.min:g}–{issue.scale.max:g}: {anchors or 'unlabelled'}; {sq}")
        t.caption_justify = "left"
        for col in ("actor", "position", "salience", "sources", "note"):
            t.add_column(col, overflow="fold")
        for p in s.positions:
            if p.issue == issue.id:
                _add_row(
                    t,
                    p.actor,
                    _pm(p.position, p.position_uncertainty),
                    _pm(p.salience, p.salience_uncertainty),
                    ", ".join(p.sources),
                    p.note or "",
                )
        parts.append(t)
    if s.proposals:
        t = Table(title="Proposals", title_justify="left")
        for col in ("id", "date", "name", "points"):
            t.add_column(col, overflow="fold")
        for prop in s.proposals:
            _add_row(
                t,
                prop.id,
                str(prop.date or ""),
                prop.name,
                ", ".join(f"{k}={v:g}" for k, v in prop.points.items()),
            )
        parts.append(t)
    if s.sources:
        t = Table(title="Sources", title_justify="left")
        for col in ("id", "citation", "date", "evidence", "url"):
            t.add_column(col, overflow="fold")
        for src in s.sources:
            _add_row(t, src.id, src.citation, str(src.date or ""), src.quote or "", src.url or "")
        parts.append(t)
    return Group(*parts)
