"""``accord deal``: is a package acceptable, to whom, what breaks it, what would fix it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from accord.cli.common import check_figure_path, console, run, write_figure, write_json, write_rendered
from accord.cli.history import DbOpt, SaveOpt, save, store_for
from accord.cli.options import SEED, Force, Label, Seed

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario


class DealFormat(StrEnum):
    table = "table"
    json = "json"


class VetoRule(StrEnum):
    total = "total"
    issue = "issue"


def _is_scenario(text: str) -> bool:
    from accord.analysis.proposals import looks_like_proposals
    from accord.scenario.builtin import builtin_names

    path = Path(text)
    if path.exists():
        return not looks_like_proposals(path)
    return text in builtin_names()


def _split(args: list[str], input_format: str | None) -> tuple[Scenario, list[str]]:
    """Split the arguments: the first is the scenario when it names one; the rest are proposals."""
    from accord.scenario.resolve import resolve_scenario

    if args and _is_scenario(args[0]):
        return resolve_scenario(args[0], input_format), args[1:]
    return resolve_scenario(None), args


def deal_command(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SCENARIO] PROPOSAL...",
            help="A scenario (file or built-in name; default ukraine-2025-12), then one or more "
            "proposals: ids of the scenario's proposals or YAML/JSON files of proposals.",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Show the packages side by side.")] = False,
    point: Annotated[
        list[str] | None,
        typer.Option("--point", help="ISSUE=VALUE (repeatable): a package of these points, or changes "
                     "to the one proposal named."),
    ] = None,
    leave_open: Annotated[
        list[str] | None,
        typer.Option("--open", help="ISSUE (repeatable): drop the named proposal's point on it (left open, "
                     "as a printed repair may say)."),
    ] = None,
    against: Annotated[
        str, typer.Option("--against", help="The no-deal point: no-deal (each actor's own, as the scenario "
                          "states it; else the status quo), status-quo, model:NAME, and/or ISSUE=VALUE,... "
                          "overriding it.")
    ] = "no-deal",
    veto_rule: Annotated[
        VetoRule, typer.Option("--veto-rule", help="total: a veto player blocks when it loses overall; "
                               "issue: also when it loses on an issue it can veto.")
    ] = VetoRule.total,
    threshold: Annotated[
        float, typer.Option(help="Clout share the gainers must exceed for a winning coalition.")
    ] = 0.5,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws from the inputs' uncertainty.", min=0)] = 0,
    seed: Seed = SEED,
    repair: Annotated[
        bool | None,
        typer.Option("--repair/--no-repair", help="Search for the smallest repair (default: on for one "
                     "package, off when comparing)."),
    ] = None,
    hold: Annotated[
        list[str] | None, typer.Option("--hold", help="An issue the repair may not move (repeatable).")
    ] = None,
    format: Annotated[DealFormat, typer.Option("--format", "-f", help="Output format.")] = DealFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Write a chart (PNG/SVG/PDF): per actor, gain per package.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Read the scenario as this format.")
    ] = None,
    save_: SaveOpt = False,
    db: DbOpt = None,
    label: Label = None,
    force: Force = False,
) -> None:
    """Evaluate a proposed package: who gains, who loses, who vetoes, and what would fix it."""
    from accord.analysis.proposals import parse_points
    from accord.runs import DealSpec, build

    check_figure_path(plot)
    scenario, specs = _split(list(args or []), input_format)
    source = args[0] if args and _is_scenario(args[0]) else None
    points = parse_points(point, scenario) if point else {}
    spec = build(DealSpec, scenario=source, input_format=input_format, proposals=specs, points=points,
                 leave_open=list(leave_open or []),
                 against=against, veto_rule=veto_rule.value, threshold=threshold, draws=draws, seed=seed,
                 repair=repair, hold=list(hold or []), compare=compare, label=label)
    store = store_for(save_, db)
    result = run(spec, json_mode=format is DealFormat.json, scenario=scenario, force=force)
    if format is DealFormat.json:
        write_json(result.to_dict(), output)
    else:
        from accord.report.tables.deal import WIDTH
        from accord.report.views import view

        if output is None:
            Console(width=min(console.width, WIDTH)).print(view(result))
        else:
            write_rendered(lambda out: out.print(view(result)), output, width=WIDTH)
    if plot is not None:
        from accord.report.figures.deal import plot_gains

        write_figure(lambda path: plot_gains(result.live.results, path), plot)
    save(store, result, source)
