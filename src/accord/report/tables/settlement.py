"""The settlement-or-stalemate headline that opens a forecast.

Is a comprehensive agreement possible, which package is likely, and who blocks
(:mod:`accord.analysis.settlement`).
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.analysis.settlement import Settlement


def _v(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"


def _range(stats: dict[str, float] | None, draws: bool = True) -> str:
    if not stats:
        return "–"
    if not draws:
        return f"{stats['median']:.1f}"
    return f"{stats['median']:.1f} [{stats['q05']:.1f}–{stats['q95']:.1f}]"


def _share(x: float) -> str:
    """Format a share as a whole percentage, but never "0%" or "100%" for what is not 0 or 1."""
    if 0 < x < 0.005:
        return "<1%"
    if 0.995 <= x < 1:
        return ">99%"
    return f"{x:.0%}"


def headline_lines(st: Settlement) -> list[str]:
    """Write the settlement-or-stalemate headline as sentences.

    The web page writes the same ones from the JSON.

    Parameters
    ----------
    st : Settlement
        The settlement analysis.

    Returns
    -------
    list[str]
        P(agreement), whose consent it needs, the zone's width, the likely package, the likely
        blocker, who is closest to refusing, and the analysis' notes.
    """
    draws = st.n_draws > 0
    where = ((f"over the first {st.n_draws:,} of the {st.of_draws:,} draws" if st.of_draws else
              f"over {st.n_draws} draws") if draws else "at the coded values (no draws)")
    coded = "yes" if st.zone_at_coded_values else "no"
    rule = ("each judges the package as a whole" if st.rules["veto_rule"] == "total"
            else "each also refuses any point it ratifies that leaves it worse off")
    exists = "exists" if st.p_zone > 0 else "does not exist"
    lines = [f"P(agreement) {_share(st.p_zone)} {where}: a complete package that every actor whose consent "
             f"it needs prefers to its own no-deal outcome exists in that share of the draws "
             f"(at the coded values: {coded})." if draws else
             f"P(agreement) {_share(st.p_zone)} {where}: a complete package that every actor whose consent "
             f"it needs prefers to its own no-deal outcome {exists}; --draws gives a probability."]
    who = ", ".join(st.consent_of) or "nobody (no decision rules or vetoes)"
    lines.append(f"It needs the consent of {who}"
                 f" ({rule}: veto rule {st.rules['veto_rule']}) and a coalition holding more than "
                 f"{st.rules['threshold']:.0%} of the clout.")
    if st.slack:
        lines.append(f"Width of the zone (the most every one of them gains at once, utility points): "
                     f"{_range(st.slack, draws)}; below 0 there is no zone.")
    if st.package:
        where_ = "per issue the median over the draws with a zone" if draws else "at the coded values"
        accepted = "" if st.package_p_accepted is None or not draws else (
            f"; as one package it is accepted in {_share(st.package_p_accepted)} of the draws")
        lines.append(f"Likely package: the acceptable package nearest {st.anchor}, {where_}{accepted}.")
    else:
        lines.append("Likely package: none — no draw has a complete package that every consent allows.")
    if st.blocker is not None:
        b = st.blocker
        share = f", in {_share(b['share'])} of the draws without a zone" if draws else ""
        lines.append(f"Likely blocker: {b['actor']}{share}; it would need {_range(b['compensation'], draws)} "
                     "utility points of compensation to agree.")
        others = [f"{e['actor']} {_share(e['share'])}" for e in st.blockers[1:]]
        if others:
            lines.append("Other blockers: " + ", ".join(others) + ".")
    elif st.p_zone < 1:
        lines.append("Likely blocker: no single actor; several would need compensation at once.")
    else:
        lines.append("Likely blocker: none — " + ("every draw has a zone." if draws else "a zone exists."))
    if st.closest:
        c = st.closest[0]
        share = f"in {_share(c['share'])} of the draws with a zone " if draws else ""
        lines.append(f"Closest to refusing: {c['actor']} — {share}the likely package leaves it the smallest "
                     "gain of those whose consent is needed.")
    if st.several and st.p_zone < 1:
        lines.append(f"In {_share(st.several)} of the draws without a zone no single payment suffices "
                     f"(smallest total compensation {_range(st.total_compensation, draws)}).")
    lines += st.notes
    return lines


def settlement_view(st: Settlement) -> RenderableType:
    """Show the settlement-or-stalemate headline.

    Parameters
    ----------
    st : Settlement
        The settlement analysis.

    Returns
    -------
    RenderableType
        The headline lines, then the likely package per issue.
    """
    lines = headline_lines(st)
    title = Text("Settlement or stalemate", style="bold")
    head = Text(lines[0], style="bold green" if st.p_zone >= 0.5 else "bold red")
    parts: list[RenderableType] = [title, head, *(Text(line) for line in lines[1:])]
    if st.package:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left")
        table.add_column("issue")
        table.add_column("likely", justify="right")
        if st.n_draws:
            table.add_column("5–95%", justify="right")
            table.add_column("coded\nvalues", justify="right")
        for issue, s in st.package.items():
            row = [issue, _v(s["median"])]
            if st.n_draws:
                row += [f"{_v(s['q05'])}–{_v(s['q95'])}", _v((st.package_at_coded_values or {}).get(issue))]
            table.add_row(*row)
        parts.append(table)
    return Group(*parts)
