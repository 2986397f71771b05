"""Readable terminal views (Rich, 80 columns) of a deal evaluation and of a comparison.

Both render from the deal's JSON (``DealRunResult.payload``, :mod:`accord.analysis.deal_json`),
so a run reopened from the store shows exactly what it showed when it ran.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.analysis.coverage import verdict_words

WIDTH = 80
TOL = 1e-6  # as the acceptance rules' tolerance (utility points)


def gain_text(value: float | None, dot: bool = False) -> Text:
    """Format a gain with its sign.

    Small non-zero gains keep enough digits to show their sign, so a loser never reads "+0.0"
    (or "-0.0").

    Parameters
    ----------
    value : float or None
        The gain, in utility points.
    dot : bool
        Whether to show no gain (within :data:`TOL` of 0) as a dot rather than ``0.0``.

    Returns
    -------
    Text
        Green for a gain, red for a loss, dim for none or a missing value.
    """
    if value is None:
        return Text("–", style="dim")
    if abs(value) <= TOL:
        return Text("·" if dot else "0.0", style="dim")
    style = "green" if value > 0 else "red"
    text = f"{value:+.1f}" if abs(value) >= 0.05 else f"{value:+.2g}"
    return Text(text, style=style)


def _v(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _wrap_at_hyphens(name: str, width: int = 11) -> str:
    """Break a long id into a narrow header.

    Lines break after hyphens (berlin-2025-12-15 -> berlin-/2025-12-15), never inside a word.
    """
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


def coverage_of(r: dict[str, Any]) -> dict[str, Any]:
    """Return which issues a package settles.

    Parameters
    ----------
    r : dict[str, Any]
        One package's evaluation, as JSON.

    Returns
    -------
    dict[str, Any]
        The coverage from the JSON; worked out from the package's points for runs stored before
        coverage was recorded.
    """
    if r.get("coverage"):
        return r["coverage"]
    issues = r.get("issues") or {}
    settled = [i for i, e in issues.items() if e.get("package") is not None]
    open_ = [i for i in issues if i not in settled]
    return {"settled": settled, "open": open_, "n_settled": len(settled), "n_issues": len(issues),
            "complete": not open_, "text": ""}


def verdict_of(r: dict[str, Any]) -> str:
    """Return a package's verdict.

    Parameters
    ----------
    r : dict[str, Any]
        One package's evaluation, as JSON.

    Returns
    -------
    str
        The stored verdict, else accepted or rejected (``partial-`` before it for a package that
        leaves issues open).
    """
    cov = coverage_of(r)
    if r.get("verdict"):
        return str(r["verdict"])
    word = "accepted" if r.get("accepted") else "rejected"
    return word if cov["complete"] else f"partial-{word}"


def coverage_line(r: dict[str, Any]) -> Text:
    """Say which issues a package settles.

    Parameters
    ----------
    r : dict[str, Any]
        One package's evaluation, as JSON.

    Returns
    -------
    Text
        That it settles every issue, or which it leaves open and what that means for the verdict.
    """
    cov = coverage_of(r)
    if cov["complete"]:
        return Text(f"Settles all {cov['n_issues']} issues.", style="dim")
    text = Text("Partial package: ", style="bold yellow")
    text.append(f"settles {cov['n_settled']} of {cov['n_issues']} issues; open: {', '.join(cov['open'])}. "
                "The open issues stay where each actor expects them without agreement; the verdict below "
                "is on the settled points only.")
    return text


def _verdict_line(r: dict[str, Any]) -> Text:
    rules = r.get("rules") or {}
    text = Text()
    text.append(f"Actors who gain hold {_pct(r['support_share'])} of the clout (a winning coalition needs "
                f"more than {_pct(rules.get('threshold', 0.5))}): ")
    text.append("winning coalition" if r["coalition"] else "no winning coalition",
                style="green" if r["coalition"] else "red")
    text.append(". Refused by: " + (", ".join(r["vetoed_by"]) if r["vetoed_by"] else "nobody") + ". ")
    verdict = verdict_of(r)
    text.append(verdict_words(verdict, coverage_of(r)),
                style="bold green" if verdict.endswith("accepted") else "bold red")
    draws = r.get("draws")
    if draws:
        what = "P(accepted)" if coverage_of(r)["complete"] else "P(its points accepted)"
        text.append(f"\nOver {draws['n']} draws: {what} {_pct(draws['p_accepted'])}, "
                    f"P(winning coalition) {_pct(draws['p_coalition'])}, "
                    f"P(refused) {_pct(draws['p_vetoed'])}.")
    return text


def _consents(r: dict[str, Any]) -> list[RenderableType]:
    reqs = r.get("requirements") or []
    if not reqs:
        return []
    out: list[RenderableType] = [Text("Consents the package needs (decision rules)", style="bold")]
    for q in reqs:
        line = Text(f"  {q['text']} [{q['rule'].removeprefix('veto:')}] on {', '.join(q['issues'])}: ")
        if q["met"]:
            line.append("given", style="green")
        else:
            line.append("REFUSED", style="bold red")
            if q.get("refused_by"):
                line.append(f" by {', '.join(q['refused_by'])}")
        out.append(line)
    return out


def _no_deal_notes(r: dict[str, Any]) -> list[RenderableType]:
    lines = []
    for issue, e in (r.get("issues") or {}).items():
        own = e.get("no_deal_by_actor")
        if own:
            shown = ", ".join(f"{a} {_v(v)}" for a, v in own.items() if v != e.get("no_deal"))
            lines.append(Text(f"  * {issue}: {shown}; everyone else {_v(e.get('no_deal'))}", style="dim"))
    if lines:
        return [Text("No-deal outcomes that differ by actor (each actor's gain is against its own):",
                     style="dim"), *lines]
    return []


def _repair_lines(repair: dict[str, Any]) -> list[str]:
    """Return the repair's lines as printed (runs stored before ``lines`` was recorded: the moves' texts)."""
    if repair.get("lines"):
        return list(repair["lines"])
    moves = [m.get("text") or f"{m['issue']} to {m.get('to')}" for m in repair.get("moves") or []]
    if repair["status"] == "found" and moves:
        return moves
    if repair["status"] == "impossible":
        return [f"no repair exists: {repair.get('reason')}"]
    return ["no repair needed: what the package settles is accepted as it stands"]


def deal_view(r: dict[str, Any], title: str = "") -> RenderableType:
    """Show one package's evaluation.

    Parameters
    ----------
    r : dict[str, Any]
        One package's evaluation, as JSON.
    title : str
        The scenario's title to show; default: the one in ``r``.

    Returns
    -------
    RenderableType
        The package, each actor's verdict, the issue-by-issue gains, breakers and repair.
    """
    p = r["proposal"]
    rules = r.get("rules") or {}
    head = Text(f"{p['name']}", style="bold")
    head.append(f"  ({p['date']})" if p.get("date") else "", style="")
    against = r.get("against") or {}
    head.append(f"\n{title or r.get('scenario', {}).get('title', '')} · against: "
                f"{against.get('label') or against.get('base', '')} · "
                f"veto rule: {rules.get('veto_rule', 'total')}", style="dim")
    issues = r.get("issues") or {}
    package = _table("issue", "package", "no deal", "from", title="Package")
    for issue_id, e in issues.items():
        value = e.get("package")
        star = "*" if e.get("no_deal_by_actor") else ""
        shown = e.get("moved") or value is not None
        package.add_row(issue_id, "open" if value is None else _v(value), _v(e.get("no_deal")) + star,
                        e.get("no_deal_source", "") if shown else "")
    actors = r.get("actors") or {}
    has_p = any("p_accepts" in a for a in actors.values())
    cols = ["actor", "clout", "gain", "verdict", "veto"] + (["P(accept)", "P(veto)"] if has_p else [])
    table = _table(*cols, title="Actors (gain in utility points, against each one's no-deal outcome)")
    for actor_id, a in actors.items():
        verdict = {"gains": "gains", "loses": "LOSES"}.get(a["verdict"], "indifferent")
        veto = "REFUSES" if a["vetoes"] else "holds" if a["holds_veto"] else ""
        row: list[RenderableType] = [actor_id, f"{a['clout']:.0f}", gain_text(a["gain"]), verdict, veto]
        if has_p:
            row += [_pct(a.get("p_accepts", 0.0)), _pct(a.get("p_vetoes", 0.0))]
        table.add_row(*row)
    moved = [i for i, e in issues.items() if e.get("moved")]
    parts: list[RenderableType] = [head, coverage_line(r), package, *_no_deal_notes(r), table]
    for chunk in (moved[i:i + 4] for i in range(0, len(moved), 4)):
        by_issue = _table("actor", *chunk, title="Gain by issue")
        for actor_id, a in actors.items():
            by_issue.add_row(actor_id, *(gain_text(a["issue_gains"].get(k), dot=True) for k in chunk))
        parts.append(by_issue)
    parts += _consents(r)
    parts.append(_verdict_line(r))
    if r.get("not_compared"):
        parts.append(Text(f"Not compared (no disagreement point): {', '.join(r['not_compared'])}",
                          style="dim"))
    breakers = r.get("breakers") or []
    if breakers:
        parts.append(Text("\nDeal-breakers (points that lose actors; * decisive: without that point "
                          "the actor would accept; V: a point it ratifies and refuses)", style="bold"))
        for issue_id in moved:
            hits = [b for b in breakers if b["issue"] == issue_id]
            if hits:
                who = ", ".join(f"{b['actor']} {gain_text(b['issue_gain']).plain}"
                                f"{'*' if b['decisive'] else ''}"
                                f"{'V' if b['veto'] else ''}" for b in hits)
                parts.append(Text(f"  {issue_id} at {_v(issues[issue_id].get('package'))}: {who}"))
    repair = r.get("repair")
    if repair is not None:
        parts.append(Text("\nRepair (fewest points changed, then least distance)", style="bold"))
        parts += [Text(f"  {line}") for line in _repair_lines(repair)]
        if repair["status"] == "found" and repair.get("support_share") is not None:
            left = repair.get("open") or []
            partial = f" as a partial package (open: {', '.join(left)})" if left else ""
            parts.append(Text(f"  → accepted{partial}: every consent given, gainers hold "
                              f"{_pct(repair['support_share'])} of the clout", style="dim"))
    return Group(*parts)


def comparison_view(payload: dict[str, Any]) -> RenderableType:
    """Show several packages side by side.

    Parameters
    ----------
    payload : dict[str, Any]
        A comparison of packages, as JSON.

    Returns
    -------
    RenderableType
        Per actor, the gain of each package; then coverage, coalition, refusals and verdicts.
    """
    per = dict(payload.get("results") or {})
    ids = list(payload.get("proposals") or per)
    first = per[ids[0]] if ids else {}
    rules = payload.get("rules") or first.get("rules") or {}
    against = payload.get("against") or first.get("against") or {}
    head = Text(f"{(payload.get('scenario') or first.get('scenario') or {}).get('title', '')}", style="bold")
    head.append(f"\nagainst: {against.get('label') or against.get('base', '')} · veto rule: "
                f"{rules.get('veto_rule', 'total')} · coalition needs > {_pct(rules.get('threshold', 0.5))} "
                "of the clout", style="dim")
    table = _table("actor", *ids, title="Gain per package (utility points)")
    actors = list(dict.fromkeys(a for pid in ids for a in per[pid].get("actors", {})))
    for actor in actors:
        cells: list[RenderableType] = [actor]
        for pid in ids:
            a = per[pid]["actors"].get(actor)
            cell = gain_text(None if a is None else a["gain"])
            if a is not None and a.get("vetoes"):
                cell.append(" V", style="bold red")
            cells.append(cell)
        table.add_row(*cells)
    table.add_section()
    covs = [coverage_of(per[pid]) for pid in ids]
    table.add_row("settles", *(f"{c['n_settled']}/{c['n_issues']}" for c in covs))
    table.add_row("gainers' clout", *(_pct(per[pid]["support_share"]) for pid in ids))
    table.add_row("refusals", *(str(len(per[pid]["vetoed_by"])) for pid in ids))
    verdicts = []
    for pid in ids:
        v = verdict_of(per[pid])
        word = "yes" if v.endswith("accepted") else "no"
        verdicts.append(Text(word if not v.startswith("partial-") else f"points: {word}",
                             style="green" if word == "yes" else "red"))
    table.add_row("accepted", *verdicts)
    if ids and per[ids[0]].get("draws"):
        table.add_row("P(accepted)", *(_pct(per[pid]["draws"]["p_accepted"]) for pid in ids
                                       if per[pid].get("draws")))
    parts: list[RenderableType] = [head, table, Text(
        "V: the actor refuses the package (its consent is needed). settles: issues the package sets a "
        "point on; for a partial package (points: yes/no) the verdict is on those points only.", style="dim")]
    for pid, cov in zip(ids, covs, strict=True):
        r = per[pid]
        line = f"{pid}: " + (f"settles all {cov['n_issues']} issues" if cov["complete"] else
                             f"settles {cov['n_settled']} of {cov['n_issues']} "
                             f"(open: {', '.join(cov['open'])})")
        line += f"; refused by {', '.join(r['vetoed_by']) if r['vetoed_by'] else 'nobody'}"
        repair = r.get("repair")
        if repair is not None:
            line += "; repair: " + "; ".join(_repair_lines(repair))
        parts.append(Text(line))
    return Group(*parts)


def deal_run_view(result: Any) -> RenderableType:
    """Show a deal run, fresh or reopened, from its JSON.

    Parameters
    ----------
    result : Any
        A deal result.

    Returns
    -------
    RenderableType
        The comparison when it compared packages, else the one package's evaluation.
    """
    payload = result.payload
    if result.compared:
        return comparison_view(payload)
    per = dict(payload.get("results") or {})
    return deal_view(next(iter(per.values())), (payload.get("scenario") or {}).get("title", ""))
