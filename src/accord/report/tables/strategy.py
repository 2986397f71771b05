"""A strategy run as Rich tables: the levers ranked, the plan, the relations and the blocs.

Everything is read from the result's JSON form (``payload``), so a reopened run renders exactly
as a fresh one.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.report.numbers import fmt_number
from accord.runs.strategy_run import StrategyResult

SCREENED_SHOWN = 8
MARKS = {"helps": ("+", "green"), "hurts": ("−", "red"), "unclear": ("?", "yellow"),
         "no effect": ("·", "dim")}
RELATION_CODES = {("confrontation", "other"): "C+", ("confrontation", "client"): "C−",
                  ("compromise", "other"): "cmp+", ("compromise", "client"): "cmp−",
                  ("capitulation", "other"): "cap+", ("capitulation", "client"): "cap−",
                  ("stalemate", "neither"): "st"}
RELATION_LEGEND = ("C+ confrontation the client expects to win, C− one it expects to lose; cmp+ / cap+ "
                   "the actor compromises / capitulates toward the client, cmp− / cap− the client does; "
                   "st stalemate; blank: they do not share the issue")


def _table(*columns: tuple[str, str], title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title=title, title_justify="left",
                  title_style="bold")
    for n, (name, justify) in enumerate(columns):
        table.add_column(name, justify=justify, overflow="fold",  # type: ignore[arg-type]
                         ratio=1 if justify == "left" and n < 2 else None, min_width=None)
    return table


def _gain(value: float | None) -> Text:
    text = fmt_number(value, True)
    style = "" if value is None else "green" if value > 0.05 else "red" if value < -0.05 else ""
    return Text(text, style=style)


def _verdicts(lever: dict[str, Any], models: list[str]) -> Text:
    """One mark per model, in the run's model order: + helps, − hurts, ? unclear, · no effect."""
    text = Text()
    for m in models:
        g = lever["gains"].get(m)
        mark, style = MARKS.get(g["verdict"], ("?", "")) if g else (" ", "")
        text.append(mark, style=style)
    return text


def lever_table(result: StrategyResult) -> Table:
    """Tabulate the levers evaluated on every draw, best first.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.

    Returns
    -------
    Table
        Per lever its cost, expected gain, gain per effort point, 90% range and one mark per model.
    """
    p = result.payload
    table = _table(("#", "right"), ("lever", "left"), ("cost", "right"), ("gain", "right"),
                   ("per pt", "right"), ("90% range", "right"), ("models", "left"),
                   title="Levers evaluated on every draw, best first (gain per effort point)")
    for n, lever in enumerate([lv for lv in result.levers if lv["evaluated"]], start=1):
        gains = list(lever["gains"].values())
        lows = [g["low"] for g in gains if g["low"] is not None]
        highs = [g["high"] for g in gains if g["high"] is not None]
        band = f"{fmt_number(min(lows), True)} … {fmt_number(max(highs), True)}" if lows and highs else "–"
        label = Text(lever["label"])
        label.append(f"\n{lever['family']}; {lever['robustness']}", style="dim")
        table.add_row(str(n), label, fmt_number(lever["cost"]), _gain(lever["expected_gain"]),
                      Text(f"{lever['score']:+.3f}"), band, _verdicts(lever, p["models"]))
    return table


def plan_text(result: StrategyResult) -> RenderableType:
    """Describe the plan within the budget.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.

    Returns
    -------
    RenderableType
        The plan, its cost and expected gain overall and per model; or why there is none.
    """
    plan = result.payload.get("plan")
    if not plan:
        return Text(f"No plan: no evaluated lever helps without hurting under some model within the "
                    f"budget of {fmt_number(result.payload['budget'])} effort points.", style="yellow")
    per_model = Text()
    for m, g in plan["gains"].items():
        band = (f" [{fmt_number(g['low'], True)}, {fmt_number(g['high'], True)}]"
                if g["low"] is not None else "")
        per_model.append(f"{m} {fmt_number(g['mean'], True)}{band}; ")
    spent = f"({fmt_number(plan['cost'])} of {fmt_number(result.payload['budget'])} effort points): "
    return Group(
        Text.assemble(("Plan within the budget ", "bold"), (spent, "bold"), plan["label"]),
        Text.assemble("expected gain ", _gain(plan["expected_gain"]),
                      f" utility points ({plan['robustness']}); per model: ", per_model),
    )


def screened_table(result: StrategyResult) -> Table:
    """Tabulate the next best levers, screened on the coded inputs only.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.

    Returns
    -------
    Table
        Up to :data:`SCREENED_SHOWN` levers not evaluated on the draws.
    """
    table = _table(("lever", "left"), ("family", "left"), ("cost", "right"), ("gain", "right"),
                   ("per pt", "right"),
                   title="Next best on the coded inputs (screened, not evaluated on the draws)")
    rest = [lv for lv in result.levers if not lv["evaluated"]][:SCREENED_SHOWN]
    for lever in rest:
        table.add_row(lever["label"], lever["family"], fmt_number(lever["cost"]),
                      _gain(lever["expected_gain"]), f"{lever['score']:+.3f}")
    return table


def _wrap_id(name: str) -> str:
    """Break a long id into a narrow header: a line break after each _ or - (ua_/military)."""
    return name.replace("_", "_\n").replace("-", "-\n") if len(name) > 6 else name


def relations_tables(result: StrategyResult, width: int = 100) -> list[Table]:
    """Tabulate the relations as the client sees them, split to fit.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    list[Table]
        Issues down, actors across; as many tables as it takes to fit ``width``.
    """
    actors = list(dict.fromkeys(r["actor"] for r in result.payload["relations"]))
    per = max(1, (width - 20) // 10)
    return [relations_table(result, actors[n:n + per], first=n == 0) for n in range(0, len(actors), per)]


def relations_table(result: StrategyResult, actors: list[str], first: bool = True) -> Table:
    """Tabulate the relations with some of the actors.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.
    actors : list[str]
        The actors in this table, in column order.
    first : bool
        Whether this is the first table (the one with the title).

    Returns
    -------
    Table
        Issues down, the actors across, one relation code per cell.
    """
    p = result.payload
    issues = list(dict.fromkeys(r["issue"] for r in p["relations"]))
    title = f"Relations as {p['actor']} sees them (expected-utility model)" if first else None
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left",
                  title_style="bold", title=title)
    table.add_column("issue", overflow="fold", no_wrap=True)
    for actor in actors:
        header = _wrap_id(actor)
        table.add_column(header, justify="center", overflow="fold",
                         min_width=min(9, max(4, *(len(part) for part in header.split("\n")))))
    cells = {(r["actor"], r["issue"]): r for r in p["relations"]}
    for issue in issues:
        row: list[Text | str] = [issue]
        for actor in actors:
            r = cells.get((actor, issue))
            if r is None:
                row.append(Text("", style="dim"))
                continue
            code = RELATION_CODES.get((r["relation"], r["gives"]), "?")
            style = "green" if code.endswith("+") else "red" if code.endswith("−") else "dim"
            row.append(Text(code, style=style))
        table.add_row(*row)
    return table


def blocs_tables(result: StrategyResult, width: int = 100) -> list[Table]:
    """Tabulate the blocs, split to fit.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    list[Table]
        Issues down, blocs across; as many tables as it takes to fit ``width``.
    """
    names = list(dict.fromkeys(b["bloc"] for b in result.payload["blocs"]))
    per = max(1, (width - 20) // 13)
    return [blocs_table(result, names[n:n + per], first=n == 0) for n in range(0, len(names), per)]


def blocs_table(result: StrategyResult, names: list[str], first: bool = True) -> Table:
    """Tabulate some of the blocs.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.
    names : list[str]
        The blocs in this table, in column order.
    first : bool
        Whether this is the first table (the one with the title).

    Returns
    -------
    Table
        Issues down, the blocs across: position and clout share, ``*`` on the pivot.
    """
    p = result.payload
    title = "Blocs (the actors' group): position (clout share); * holds the pivot" if first else None
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, title_justify="left",
                  title_style="bold", title=title)
    table.add_column("issue", overflow="fold")
    for name in names:
        table.add_column(_wrap_id(name), justify="right")
    by = {(b["bloc"], b["issue"]): b for b in p["blocs"]}
    for issue in dict.fromkeys(b["issue"] for b in p["blocs"]):
        row: list[Text | str] = [issue]
        for name in names:
            b = by.get((name, issue))
            if b is None:
                row.append("")
                continue
            cell = Text(f"{b['position']:.0f} ({100 * b['clout']:.0f}%)")
            if b["pivot"]:
                cell.append("*", style="bold")
            row.append(cell)
        table.add_row(*row)
    return table


def strategy_view(result: StrategyResult, width: int = 100) -> RenderableType:
    """Show a strategy run as tables.

    Parameters
    ----------
    result : StrategyResult
        The strategy run.
    width : int
        The width to lay out for, in columns.

    Returns
    -------
    RenderableType
        Title and units, the evaluated levers, the plan, the next screened levers, relations, blocs.
    """
    p, s = result.payload, result.scenario
    head = Text.assemble((f"Strategy for {p['actor']}", "bold"), f" · {s.title}",
                         f" (as of {s.as_of})" if s.as_of else "")
    draws = f"{p['draws']} draws" if p["draws"] else "the coded inputs (no draws)"
    meta = Text(f"{draws}, seed {p['seed']}; models: {', '.join(p['models'])}; one lever moves "
                f"{fmt_number(p['step'])} effort points; {sum(p['candidates'].values())} candidates "
                f"({', '.join(f'{k} {v}' for k, v in p['candidates'].items())}).", style="dim")
    units = Text(f"gain: {p['units']['gain']}. cost: {p['units']['cost']}. per pt: gain per effort point. "
                 "models: one mark per model in the order above (+ helps: its 90% paired-bootstrap interval "
                 "lies above 0; − hurts; ? unclear; · no effect).", style="dim")
    parts: list[RenderableType] = [head, meta, lever_table(result), units, plan_text(result), Text(""),
                                   screened_table(result)]
    if p.get("skipped"):
        skipped = "; ".join(f"{m} ({r})" for m, r in p["skipped"].items())
        parts.append(Text(f"skipped: {skipped}", style="yellow"))
    if p["relations"]:
        parts += [*relations_tables(result, width), Text(RELATION_LEGEND, style="dim")]
    parts += blocs_tables(result, width)
    wide: dict[str, list[str]] = {}
    for b in p["blocs"]:
        if b.get("spread", 0) > 50:
            wide.setdefault(b["bloc"], []).append(b["issue"])
    if wide:
        n_issues = len({b["issue"] for b in p["blocs"]})
        where = [f"{bloc} ({'every issue' if len(issues) == n_issues else ', '.join(issues)})"
                 for bloc, issues in wide.items()]
        parts.append(Text("Members more than half a scale apart, so the bloc's mean stands for none of them: "
                          + "; ".join(where) + ".", style="yellow"))
    parts.append(Text(f"{p['actor']} is in bloc {p['client_bloc']}.", style="dim"))
    return Group(*parts)
