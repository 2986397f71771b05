"""A readable view of a scenario: who, over what, standing where, on whose word.

Every table fits the width it is given without breaking a word (split into several, or one
record per row, when it would not: :func:`accord.report.fit.fitted_tables`).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from accord.report.fit import ColumnSpec, fitted_tables, legend
from accord.report.meaning import meaning
from accord.scenario import Scenario
from accord.scenario.decisions import approval_text, individual_vetoes


def _pm(value: float, uncertainty: object) -> str:
    if uncertainty is None:
        return f"{value:g}"
    sd = getattr(uncertainty, "sd", None)
    if sd is not None:
        return f"{value:g} ±{sd:g}"
    return f"{value:g} [{uncertainty.low:g}–{uncertainty.high:g}]"  # type: ignore[attr-defined]


def _cells(*cells: str) -> list[RenderableType]:
    """User text shown verbatim: ``[draft]`` in a name is text, not Rich markup."""
    return [Text(cell) for cell in cells]


def _ids(items: list[str]) -> str:
    return ", ".join(items)


def _title(text: str) -> Text:
    return Text(text, style="bold")


def scenario_view(s: Scenario, width: int = 80) -> RenderableType:
    """Show a scenario readably.

    Parameters
    ----------
    s : Scenario
        The scenario.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        Title and description, the actors, each issue's scale and positions, decision rules,
        no-deal outcomes, proposals, sources.
    """
    parts: list[RenderableType] = []
    head = Text(s.title, style="bold")
    head.append(f"  ({s.id}" + (f", as of {s.as_of}" if s.as_of else "") + ")", style="dim")
    parts.append(head)
    if s.description:
        parts.append(Text(s.description.strip() + "\n"))
    parts.append(legend([
        ("capability", "the actor's clout in the negotiation (0–100); per issue where it differs"),
        ("salience", f"how much the issue matters to the actor (0–{s.salience_scale:g})"),
        ("±", "the stated uncertainty (a standard deviation); [low–high]: a stated range"),
        ("sources", "ids of the sources listed at the end"),
    ]))
    parts += [Text(), _title("Actors")]
    columns: list[ColumnSpec] = [(name, {}) for name in ("id", "name", "capability", "veto on", "sources")]
    rows = []
    vetoes = individual_vetoes(s)  # from the decision rules and the actors' veto lists
    for n, a in enumerate(s.actors):
        cap = _pm(a.capability, a.capability_uncertainty)
        if a.capability_by_issue:
            cap += "\n" + "\n".join(f"{k}: {v:g}" for k, v in a.capability_by_issue.items())
        veto = _ids([i for k, i in enumerate(s.issue_ids) if vetoes[n, k]])
        rows.append(_cells(a.id, a.name, cap, veto, _ids(a.sources)))
    parts.append(fitted_tables(columns, rows, width))
    for issue in s.issues:
        parts += [Text(), _title(f"{issue.name} [{issue.id}]")]
        scale = Text(f"scale {issue.scale.min:g}–{issue.scale.max:g}", style="dim")
        if issue.units:
            scale.append(f" ({issue.units})", style="dim")
        if issue.status_quo is not None:
            scale.append(f"; status quo {_pm(issue.status_quo, issue.status_quo_uncertainty)}", style="dim")
            where = meaning(issue, issue.status_quo)
            if where.anchors:
                scale.append(" ", style="dim")
                scale.append_text(where.rich())
        parts.append(scale)
        if issue.scale.anchors:
            anchors = Table.grid(padding=(0, 2), pad_edge=True)
            anchors.add_column(justify="right", style="bold")
            anchors.add_column()
            for point, label in sorted(issue.scale.anchors.items()):
                anchors.add_row(f"{point:g}", Text(label))
            parts.append(anchors)
        columns = [("actor", {}), ("position", {"justify": "right"}), ("salience", {"justify": "right"}),
                   ("sources", {}), ("note", {})]
        rows = [_cells(p.actor, _pm(p.position, p.position_uncertainty),
                       _pm(p.salience, p.salience_uncertainty), _ids(p.sources), p.note or "")
                for p in s.positions if p.issue == issue.id]
        if rows:
            parts.append(fitted_tables(columns, rows, width))
    if s.decision_rules or s.bodies:
        parts += [Text(), _title("Who must agree (decision rules)")]
        columns = [("rule", {}), ("applies to", {}), ("requires", {}), ("sources", {})]
        rows = [_cells(rule.id, _ids([*rule.issues, *(f"proposal {p}" for p in rule.proposals)])
                       or "every package", "; ".join(approval_text(a) for a in rule.requires),
                       _ids(rule.sources))
                for rule in s.decision_rules]
        rows += [_cells(f"body {body.id}", body.name, _ids([f"{m} ({w:g})" for m, w in body.members.items()]),
                        _ids(body.sources)) for body in s.bodies]
        parts.append(fitted_tables(columns, rows, width))
    if s.no_deal:
        parts += [Text(), _title("Without agreement (stated no-deal outcomes; the status quo elsewhere)")]
        columns = [("issue", {}), ("expected by", {}), ("value", {"justify": "right"}), ("by", {}),
                   ("sources", {})]
        rows = [_cells(e.issue, e.actor or "everyone", _pm(e.value, e.uncertainty), str(e.date or ""),
                       _ids(e.sources)) for e in s.no_deal]
        parts.append(fitted_tables(columns, rows, width))
    if s.proposals:
        parts += [Text(), _title("Proposals")]
        columns = [("id", {}), ("date", {}), ("name", {}), ("settles", {"justify": "right"}), ("points", {})]
        rows = [_cells(prop.id, str(prop.date or ""), prop.name, f"{len(prop.points)}/{len(s.issues)}",
                       ", ".join(f"{k}={v:g}" for k, v in prop.points.items())) for prop in s.proposals]
        parts.append(fitted_tables(columns, rows, width))
    if s.sources:
        parts += [Text(), _title("Sources")]
        for src in s.sources:
            entry = Text.assemble((src.id, "bold"), ": ", src.citation)
            if src.date:
                entry.append(f" ({src.date})")
            parts.append(entry)
            if src.quote:
                parts.append(Padding(Text(src.quote, style="italic"), (0, 0, 0, 4)))
            if src.url:
                parts.append(Padding(Text(src.url, style="dim"), (0, 0, 0, 4)))
    return Group(*parts)
