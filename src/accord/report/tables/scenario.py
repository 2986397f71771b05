"""A readable view of a scenario: who, over what, standing where, on whose word."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.scenario import Scenario
from accord.scenario.decisions import approval_text, individual_vetoes


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
    vetoes = individual_vetoes(s)  # from the decision rules and the actors' veto lists
    for n, a in enumerate(s.actors):
        cap = _pm(a.capability, a.capability_uncertainty)
        if a.capability_by_issue:
            cap += "\n" + ", ".join(f"{k}: {v:g}" for k, v in a.capability_by_issue.items())
        veto = ", ".join(i for k, i in enumerate(s.issue_ids) if vetoes[n, k])
        _add_row(actors, a.id, a.name, cap, veto, ", ".join(a.sources))
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
    if s.decision_rules or s.bodies:
        t = Table(title="Who must agree (decision rules)", title_justify="left")
        for col in ("rule", "applies to", "requires", "sources"):
            t.add_column(col, overflow="fold")
        for rule in s.decision_rules:
            scope = ", ".join([*rule.issues, *(f"proposal {p}" for p in rule.proposals)]) or "every package"
            requires = "; ".join(approval_text(a) for a in rule.requires)
            _add_row(t, rule.id, scope, requires, ", ".join(rule.sources))
        for body in s.bodies:
            members = ", ".join(f"{m} ({w:g})" for m, w in body.members.items())
            _add_row(t, f"body {body.id}", body.name, members, ", ".join(body.sources))
        parts.append(t)
    if s.no_deal:
        t = Table(title="Without agreement (stated no-deal outcomes; the status quo elsewhere)",
                  title_justify="left")
        for col in ("issue", "expected by", "value", "by", "sources"):
            t.add_column(col, overflow="fold")
        for e in s.no_deal:
            _add_row(t, e.issue, e.actor or "everyone", _pm(e.value, e.uncertainty), str(e.date or ""),
                     ", ".join(e.sources))
        parts.append(t)
    if s.proposals:
        t = Table(title="Proposals", title_justify="left")
        for col in ("id", "date", "name", "settles", "points"):
            t.add_column(col, overflow="fold")
        for prop in s.proposals:
            _add_row(
                t,
                prop.id,
                str(prop.date or ""),
                prop.name,
                f"{len(prop.points)}/{len(s.issues)}",
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
