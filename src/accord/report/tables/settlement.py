"""The settlement-or-stalemate headline that opens a forecast: is a comprehensive agreement
possible, which package is likely, and who blocks (:mod:`accord.analysis.settlement`)."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.analysis.settlement import Settlement


def _v(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"


def _range(stats: dict[str, float] | None) -> str:
    if not stats:
        return "–"
    return f"{stats['median']:.1f} [{stats['q05']:.1f}–{stats['q95']:.1f}]"


def headline_lines(st: Settlement) -> list[str]:
    """The headline as sentences (also what the web page shows)."""
    where = f"over {st.n_draws} draws" if st.n_draws else "at the coded values (no draws)"
    coded = "yes" if st.zone_at_coded_values else "no"
    rule = ("each judges the package as a whole" if st.rules["veto_rule"] == "total"
            else "each also refuses any point it ratifies that leaves it worse off")
    lines = [f"P(agreement) {st.p_zone:.0%} {where}: a complete package that every actor whose consent "
             f"it needs prefers to its own no-deal outcome exists in that share"
             + (f" (at the coded values: {coded})." if st.n_draws else ".")]
    who = ", ".join(st.consent_of) or "nobody (no decision rules or vetoes)"
    lines.append(f"It needs the consent of {who}"
                 f" ({rule}: veto rule {st.rules['veto_rule']}) and a coalition holding more than "
                 f"{st.rules['threshold']:.0%} of the clout.")
    if st.slack:
        lines.append(f"Width of the zone (the most every one of them gains at once, utility points): "
                     f"{_range(st.slack)}; below 0 there is no zone.")
    if st.package:
        accepted = "" if st.package_p_accepted is None else (
            f"; as one package it is accepted in {st.package_p_accepted:.0%} of the draws")
        lines.append(f"Likely package: the acceptable package nearest {st.anchor}, per issue the median over "
                     f"the draws with a zone{accepted}.")
    else:
        lines.append("Likely package: none — no draw has a complete package that every consent allows.")
    if st.blocker is not None:
        b = st.blocker
        lines.append(f"Likely blocker: {b['actor']}, in {b['share']:.0%} of the draws without a zone; it "
                     f"would need {_range(b['compensation'])} utility points of compensation to agree.")
        others = [f"{e['actor']} {e['share']:.0%}" for e in st.blockers[1:]]
        if others:
            lines.append("Other blockers: " + ", ".join(others) + ".")
    elif st.p_zone < 1:
        lines.append("Likely blocker: no single actor; several would need compensation at once.")
    else:
        lines.append("Likely blocker: none — every draw has a zone.")
    if st.closest:
        c = st.closest[0]
        lines.append(f"Closest to refusing: {c['actor']} — in {c['share']:.0%} of the draws with a zone the "
                     "likely package leaves it the smallest gain of those whose consent is needed.")
    if st.several and st.p_zone < 1:
        lines.append(f"In {st.several:.0%} of the draws without a zone no single payment suffices "
                     f"(smallest total compensation {_range(st.total_compensation)}).")
    lines += st.notes
    return lines


def settlement_view(st: Settlement) -> RenderableType:
    """The headline lines, then the likely package per issue."""
    lines = headline_lines(st)
    title = Text("Settlement or stalemate", style="bold")
    head = Text(lines[0], style="bold green" if st.p_zone >= 0.5 else "bold red")
    parts: list[RenderableType] = [title, head, *(Text(line) for line in lines[1:])]
    if st.package:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left")
        table.add_column("issue")
        table.add_column("likely", justify="right")
        table.add_column("5–95%", justify="right")
        if st.n_draws:
            table.add_column("coded\nvalues", justify="right")
        for issue, s in st.package.items():
            row = [issue, _v(s["median"]), f"{_v(s['q05'])}–{_v(s['q95'])}"]
            if st.n_draws:
                coded = (st.package_at_coded_values or {}).get(issue)
                row.append(_v(coded))
            table.add_row(*row)
        parts.append(table)
    return Group(*parts)
