"""``accord whatif``: a what-if against the baseline, on the same random draws."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from accord.cli.common import (
    check_params,
    console,
    err_console,
    parse_params,
    whatif_cell,
    write_json,
    write_rendered,
)
from accord.cli.forecast_cmd import InputFormat, ScenarioArg
from accord.cli.runs_cmd import DbOpt, SaveOpt, open_store, save_run
from accord.errors import AccordError
from accord.experiments.interventions import Intervention, parse_assignment, parse_new_actor
from accord.experiments.progress import progress_bar
from accord.experiments.whatif import (
    WhatIfResult,
    builtin_whatifs,
    combine,
    load_whatifs,
    named_whatif,
    whatif,
)
from accord.models import available_models, model_class
from accord.report.whatif_json import whatif_to_dict
from accord.scenario.resolve import resolve_scenario


class WhatIfFormat(StrEnum):
    table = "table"
    json = "json"


def result_table(result: WhatIfResult, width: int = 80) -> Table:
    """Issues down, models across; each cell: baseline → what-if (medians), the median paired
    difference, and its 90% interval."""
    names = list(result.changed)
    cell_width = 12
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, padding=(0, 1),
                  collapse_padding=True, show_lines=True)
    table.add_column("issue", width=max(14, width - len(names) * (cell_width + 1) - 1) if names else 20,
                     overflow="fold")
    for name in names:
        table.add_column(name, justify="right", width=cell_width, overflow="fold")
    frames = {name: result.table(name) for name in names}
    for issue in result.scenario.issues:
        cells: list[Any] = [Text(issue.name, style="bold")]
        for name in names:
            row = frames[name].loc[issue.id]
            cells.append(whatif_cell(row["baseline"], row["whatif"], row["diff_median"],
                                     row["diff_q05"], row["diff_q95"]))
        table.add_row(*cells)
    return table


def render(result: WhatIfResult, out: Console) -> None:
    iv = result.intervention
    out.print(Text(f"What-if: {iv.name or iv.id}", style="bold"))
    for line in iv.lines():
        out.print(Text(f"  {line}"))
    out.print(Text(
        f"{result.scenario.title}: {result.n_draws:,} draws (seed {result.seed}); per model: baseline → "
        "what-if median, Δ = median paired difference, 5%…95% of the difference", style="dim"))
    names = list(result.changed)
    per_table = max(1, (min(out.width, 100) - 20) // 13)
    for start in range(0, len(names), per_table):
        part = WhatIfResult(result.scenario, iv, result.n_draws, result.seed,
                            {n: result.baseline[n] for n in names[start:start + per_table]},
                            {n: result.changed[n] for n in names[start:start + per_table]})
        out.print(result_table(part, min(out.width, 100)))
    for name, reason in result.skipped.items():
        out.print(f"{name}: not run ({reason})", style="yellow")


def list_table(scenario_id: str) -> Table:
    table = Table("name", "what it changes", title=f"named what-ifs for {scenario_id}", show_lines=True)
    for item in builtin_whatifs(scenario_id):
        table.add_row(Text(item.id, style="bold"), Text(f"{item.name}\n", style="italic")
                      + Text("\n".join(item.lines()), style="dim"))
    return table


def whatif_command(
    scenario: ScenarioArg = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", "-s", help="An assignment, e.g. 'capability\\[us] = 0.5 * capability\\[us]', "
        "'salience\\[russia, territory] = 90', 'position\\[ukraine, territory] += 10' (repeatable).")] = None,
    remove: Annotated[list[str] | None, typer.Option(help="Remove this actor (repeatable).")] = None,
    add_actor: Annotated[list[str] | None, typer.Option(
        help="Add an actor ID=CAPABILITY, e.g. china=40; give it stakes with --set position\\[...] "
        "and --set salience\\[...] (repeatable).")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="A what-if YAML file (all its what-ifs "
                                               "are applied, in order).")] = None,
    named: Annotated[str | None, typer.Option(help="A named what-if of the scenario (see --list).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the scenario's named what-ifs.")] = False,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: the point scenario only).", min=0)] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.")] = 0,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="Model (repeatable); "
                                                     "default: all.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Model parameter KEY=VALUE.")
                     ] = None,
    format: Annotated[WhatIfFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = WhatIfFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    input_format: InputFormat = None,
    save: SaveOpt = False,
    db: DbOpt = None,
) -> None:
    """Compare a what-if with the baseline on the same draws, per model and issue.

    A what-if sets or scales capabilities, saliences, positions or status quos, and adds or
    removes actors; the difference reported is its effect, not sampling noise."""
    chosen = resolve_scenario(scenario, input_format)
    if list_:
        if not builtin_whatifs(chosen.id):
            raise AccordError(f"scenario {chosen.id!r} has no named what-ifs")
        console.print(list_table(chosen.id))
        return
    for name in model or []:
        model_class(name)
    parts: list[Intervention] = []
    if named:
        parts.append(named_whatif(chosen.id, named))
    if file is not None:
        parts.extend(load_whatifs(file))
    if set_ or remove or add_actor:
        parts.append(Intervention(
            id="command-line", name="command line",
            add=tuple(parse_new_actor(a) for a in add_actor or []),
            set=tuple(parse_assignment(s) for s in set_ or []), remove=tuple(remove or []),
        ))
    if not parts:
        raise AccordError("nothing to change: give --set, --remove, --add-actor, --file or --named "
                          "(--list shows the named what-ifs)")
    intervention = combine(parts, id="+".join(p.id for p in parts))
    store = open_store(db) if save or db else None  # a bad --db fails before any work
    params = parse_params(param)
    check_params(params, model)
    n_models = len(model) if model else len(available_models())
    with progress_bar(2 * max(draws, 1) * n_models, "what-if", console=err_console) as advance:
        result = whatif(chosen, intervention, draws, seed, model, params, advance=advance)
    results = whatif_to_dict(result) if format is WhatIfFormat.json or store is not None else None
    if format is WhatIfFormat.json:
        write_json(results, output)
    else:
        write_rendered(lambda out: render(result, out), output, width=100)
    if store is not None:
        assert results is not None
        stored = {**params, "intervention": {"id": intervention.id, "changes": intervention.lines()}}
        save_run(store, chosen, scenario, "whatif", list(model or available_models()), stored, results,
                 result.seed, draws, label=intervention.name or intervention.id)
