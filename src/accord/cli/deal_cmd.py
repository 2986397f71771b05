"""``accord deal``: is a package acceptable, to whom, what breaks it, what would fix it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from accord.analysis.acceptance import Rules
from accord.analysis.deal import compare_deals, evaluate_deal
from accord.analysis.proposals import looks_like_proposals, parse_points, resolve_proposal, with_points
from accord.cli.common import check_figure_path, console, write_figure, write_json, write_rendered
from accord.cli.runs_cmd import DbOpt, SaveOpt, open_store, save_run
from accord.errors import AccordError
from accord.scenario.builtin import builtin_names
from accord.scenario.resolve import resolve_scenario
from accord.scenario.schema import Proposal, Scenario


class DealFormat(StrEnum):
    table = "table"
    json = "json"


class VetoRule(StrEnum):
    total = "total"
    issue = "issue"


def _is_scenario(text: str) -> bool:
    path = Path(text)
    if path.exists():
        return not looks_like_proposals(path)
    return text in builtin_names()


def _split(args: list[str], input_format: str | None) -> tuple[Scenario, list[str]]:
    """The first argument is the scenario when it names one; the rest are proposals."""
    if args and _is_scenario(args[0]):
        return resolve_scenario(args[0], input_format), args[1:]
    return resolve_scenario(None), args


def _packages(scenario: Scenario, specs: list[str], point: list[str] | None) -> list[Proposal]:
    found = [p for spec in specs for p in resolve_proposal(scenario, spec)]
    if point:
        points = parse_points(point, scenario)
        if len(found) > 1:
            raise AccordError("--point changes one proposal; name one (or none for a package of points)")
        found = [with_points(found[0] if found else None, points)]
    if not found:
        known = ", ".join(p.id for p in scenario.proposals) or "none"
        raise AccordError(f"name a proposal (scenario {scenario.id} has: {known}), "
                          "a proposal file, or give --point ISSUE=VALUE")
    return found


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
    against: Annotated[
        str, typer.Option("--against", help="The no-deal point: status-quo, model:NAME, and/or "
                          "ISSUE=VALUE,... overriding it.")
    ] = "status-quo",
    veto_rule: Annotated[
        VetoRule, typer.Option("--veto-rule", help="total: a veto player blocks when it loses overall; "
                               "issue: also when it loses on an issue it can veto.")
    ] = VetoRule.total,
    threshold: Annotated[
        float, typer.Option(help="Clout share the gainers must exceed for a winning coalition.")
    ] = 0.5,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws from the inputs' uncertainty.", min=0)] = 0,
    seed: Annotated[int, typer.Option(help="Random seed for the draws (same seed, same numbers).")] = 0,
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
    save: SaveOpt = False,
    db: DbOpt = None,
) -> None:
    """Evaluate a proposed package: who gains, who loses, who vetoes, and what would fix it."""
    check_figure_path(plot)
    scenario, specs = _split(list(args or []), input_format)
    packages = _packages(scenario, specs, point)
    rules = Rules(veto_rule=veto_rule.value, threshold=threshold)
    store = open_store(db) if save or db else None  # a bad --db fails before any work
    rng = np.random.default_rng(seed) if draws else None
    many = compare or len(packages) > 1
    do_repair = (not many) if repair is None else repair
    hold_issues = tuple(hold or ())
    if many:
        result = compare_deals(scenario, packages, against, rules, draws, rng, do_repair, hold_issues)
        results = result.results
    else:
        result = evaluate_deal(scenario, packages[0], against, rules, draws, rng, do_repair, hold_issues)
        results = [result]
    payload = result.to_dict() if format is DealFormat.json or store is not None else None
    if format is DealFormat.json:
        write_json(payload, output)
    else:
        from accord.analysis.tables import WIDTH, comparison_view, deal_view

        view = comparison_view(result) if many else deal_view(result)  # type: ignore[arg-type]
        if output is None:
            Console(width=min(console.width, WIDTH)).print(view)
        else:
            write_rendered(lambda out: out.print(view), output, width=WIDTH)
    if plot is not None:
        from accord.analysis.plot import plot_gains

        write_figure(lambda path: plot_gains(results, path), plot)
    if store is not None:
        from accord.report.forecast_json import clean

        assert payload is not None
        source = args[0] if args and _is_scenario(args[0]) else None
        params = {"proposals": [p.id for p in packages], "points": list(point or []), "against": against,
                  "veto_rule": veto_rule.value, "threshold": threshold, "repair": do_repair,
                  "hold": list(hold_issues)}
        save_run(store, scenario, source, "deal", [], params, clean(payload), seed if draws else None,
                 draws, label=" vs ".join(p.id for p in packages))
