"""Readable terminal views (Rich, 80 columns) of a deal evaluation and of a comparison."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.analysis.deal import Comparison, DealResult
from accord.report.numbers import fmt_number

WIDTH = 80


def _g(value: float, dot: bool = False) -> Text:
    if dot and abs(value) <= 1e-6:
        return Text("·", style="dim")
    value = value + 0.0 if abs(value) > 0.05 else 0.0
    style = "green" if value > 1e-6 else "red" if value < -1e-6 else "dim"
    return Text(f"{value:+.1f}", style=style)


def _v(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _wrap_at_hyphens(name: str, width: int = 11) -> str:
    """A long id as a narrow header: lines break after hyphens (berlin-2025-12-15 ->
    berlin-/2025-12-15), never inside a word."""
    lines: list[str] = []
    for part in name.replace("-", "-\0").split("\0"):
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", title_style="bold",
                  pad_edge=False, width=None)
    for n, name in enumerate(columns):
        label = name if n == 0 else _wrap_at_hyphens(name)
        table.add_column(label, justify="left" if n == 0 else "right", overflow="fold", no_wrap=n == 0,
                         min_width=None if n == 0 else min(max(map(len, label.split("\n"))), 11))
    return table


def _verdict_line(r: DealResult) -> Text:
    pt, s = r.point, r.scenario
    rules = r.setting.rules
    vetoed = [s.actor_ids[a] for a in range(len(s.actors)) if pt.vetoes[a]]
    text = Text()
    text.append(f"Actors who gain hold {_pct(float(pt.support_share))} of the clout "
                f"(a winning coalition needs more than {_pct(rules.threshold)}): ")
    text.append("winning coalition" if pt.coalition else "no winning coalition",
                style="green" if pt.coalition else "red")
    text.append(". Vetoed by: " + (", ".join(vetoed) if vetoed else "nobody") + ". ")
    text.append("ACCEPTED" if pt.accepted else "REJECTED", style="bold green" if pt.accepted else "bold red")
    if r.draws is not None:
        dr = r.draws
        text.append(f"\nOver {dr.gain.shape[0]} draws: P(accepted) {_pct(float(dr.accepted.mean()))}, "
                    f"P(winning coalition) {_pct(float(dr.coalition.mean()))}, "
                    f"P(vetoed) {_pct(float(dr.vetoed.mean()))}.")
    return text


def deal_view(r: DealResult) -> RenderableType:
    """The package, each actor's verdict, the issue-by-issue gains, breakers and repair."""
    s, pt, st = r.scenario, r.point, r.setting
    p = r.proposal
    head = Text(f"{p.name}", style="bold")
    head.append(f"  ({p.date})" if p.date else "", style="")
    head.append(f"\n{s.title} · against: {st.against.label()} · veto rule: {st.rules.veto_rule}",
                style="dim")
    package = _table("issue", "package", "no deal", "from", title="Package")
    for k, issue in enumerate(s.issues):
        value = r.package[k]
        d = st.disagreement[k]
        package.add_row(issue.id, "—" if value != value else _v(value), "—" if d != d else _v(d),
                        st.sources[k] if pt.moved[k] or value == value else "")
    probs = r.probabilities()
    cols = ["actor", "clout", "gain", "verdict", "veto"]
    if probs is not None:
        cols += ["P(accept)", "P(veto)"]
    actors = _table(*cols, title="Actors (gain in utility points)")
    for a, actor in enumerate(s.actors):
        verdict = "gains" if pt.gains[a] else "LOSES" if pt.loses[a] else "indifferent"
        veto = "VETO" if pt.vetoes[a] else "holds" if pt.holds_veto[a] else ""
        row: list[RenderableType] = [actor.id, f"{pt.clout[a]:.0f}", _g(float(pt.gain[a])), verdict, veto]
        if probs is not None:
            row += [_pct(float(probs["accepts"][a])), _pct(float(probs["vetoes"][a]))]
        actors.add_row(*row)
    moved = [k for k in range(len(s.issues)) if pt.moved[k]]
    parts: list[RenderableType] = [head, package, actors]
    if moved:
        for chunk in (moved[i:i + 4] for i in range(0, len(moved), 4)):
            by_issue = _table("actor", *(s.issue_ids[k] for k in chunk), title="Gain by issue")
            for a, actor in enumerate(s.actors):
                by_issue.add_row(actor.id, *(_g(float(pt.issue_gain[a, k]), dot=True) for k in chunk))
            parts.append(by_issue)
    parts.append(_verdict_line(r))
    if r.not_compared:
        parts.append(Text(f"Not compared (no disagreement point): {', '.join(r.not_compared)}", style="dim"))
    if r.breakers:
        parts.append(Text("\nDeal-breakers (points that lose actors; * decisive: without that point "
                          "the actor would accept; V: vetoed point)", style="bold"))
        for k in moved:
            hits = [b for b in r.breakers if b.issue == s.issue_ids[k]]
            if hits:
                who = ", ".join(f"{b.actor} {b.issue_gain:+.1f}{'*' if b.decisive else ''}"
                                f"{'V' if b.veto else ''}" for b in hits)
                parts.append(Text(f"  {s.issue_ids[k]} at {_v(r.package[k])}: {who}"))
    if r.repair is not None:
        parts.append(Text("\nRepair (fewest points moved, then least distance)", style="bold"))
        parts += [Text(f"  {line}") for line in r.repair.lines(s)]
        if r.repair.status == "found" and r.repair.assessment is not None:
            share = float(r.repair.assessment.support_share)
            parts.append(Text(f"  → accepted: no veto, gainers hold {_pct(share)} of the clout", style="dim"))
    return Group(*parts)


def comparison_view(c: Comparison) -> RenderableType:
    """Per actor, the gain of each package; then coalition, vetoes and acceptance."""
    s, st = c.setting.scenario, c.setting
    head = Text(f"{s.title}", style="bold")
    head.append(f"\nagainst: {st.against.label()} · veto rule: {st.rules.veto_rule} · "
                f"coalition needs > {_pct(st.rules.threshold)} of the clout", style="dim")
    ids = [r.proposal.id for r in c.results]
    table = _table("actor", *ids, title="Gain per package (utility points)")
    for a, actor in enumerate(s.actors):
        cells: list[RenderableType] = [actor.id]
        for r in c.results:
            cell = _g(float(r.point.gain[a]))
            if r.point.vetoes[a]:
                cell.append(" V", style="bold red")
            cells.append(cell)
        table.add_row(*cells)
    table.add_section()
    table.add_row("gainers' clout", *(_pct(float(r.point.support_share)) for r in c.results))
    table.add_row("vetoes", *(str(int(r.point.vetoes.sum())) for r in c.results))
    table.add_row("accepted", *(Text("yes", style="green") if r.point.accepted else Text("no", style="red")
                                for r in c.results))
    if c.results and c.results[0].draws is not None:
        table.add_row("P(accepted)", *(_pct(float(r.draws.accepted.mean())) for r in c.results if r.draws))
    parts: list[RenderableType] = [head, table, Text("V: the actor vetoes the package", style="dim")]
    for r in c.results:
        vetoed = [s.actor_ids[a] for a in range(len(s.actors)) if r.point.vetoes[a]]
        line = f"{r.proposal.id}: vetoed by {', '.join(vetoed) if vetoed else 'nobody'}"
        if r.repair is not None:
            line += "; repair: " + "; ".join(r.repair.lines(s))
        parts.append(Text(line))
    return Group(*parts)


def stored_deal_view(payload: dict[str, Any]) -> RenderableType:
    """Actors down, packages across: gain and verdict (V: vetoes); accepted or not at the foot.
    The view of a deal reopened from its JSON (the judged objects are not stored)."""
    per = dict(payload.get("results") or {})
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("actor")
    for pid in per:
        table.add_column(pid, justify="right")
    actors = list(dict.fromkeys(a for d in per.values() for a in d.get("actors", {})))
    for actor in actors:
        cells = []
        for deal in per.values():
            v = deal.get("actors", {}).get(actor)
            cells.append("" if v is None else f"{fmt_number(v.get('gain'), True)} {v.get('verdict', '')}"
                         + (" V" if v.get("vetoes") else ""))
        table.add_row(actor, *cells)
    table.add_row(Text("accepted", style="bold"),
                  *(Text("yes" if d.get("accepted") else "no", style="bold") for d in per.values()))
    return Group(table, Text("V: the actor vetoes the package", style="dim"))


def deal_run_view(result: Any) -> RenderableType:
    """A deal run: the full view while fresh, the stored summary when reopened."""
    if result.live is None:
        return stored_deal_view(result.payload)
    return comparison_view(result.live) if result.compared else deal_view(result.live.results[0])
