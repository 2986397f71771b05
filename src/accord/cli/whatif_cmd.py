"""``accord whatif``: a what-if against the baseline, on the same random draws."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import (
    check_figure_path,
    console,
    parse_params,
    run,
    write_figure,
    write_json,
    write_rendered,
)
from accord.cli.history import DbOpt, SaveOpt, save, store_for
from accord.cli.options import (
    SEED,
    Force,
    InputFormat,
    Label,
    Models,
    Output,
    Params,
    Plot,
    Rounds,
    ScenarioArg,
    Seed,
    Workers,
)
from accord.errors import AccordError


class WhatIfFormat(StrEnum):
    table = "table"
    json = "json"


def list_table(scenario_id: str) -> object:
    """Tabulate the scenario's named what-ifs: id, name and the changes each makes."""
    from rich.table import Table
    from rich.text import Text

    from accord.experiments.whatif import builtin_whatifs

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
    file: Annotated[list[Path] | None, typer.Option("--file", help="A what-if YAML file (all its what-ifs "
                                                     "are applied, in order; repeatable).")] = None,
    named: Annotated[list[str] | None, typer.Option(help="A named what-if of the scenario (see --list; "
                                                     "repeatable).")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the scenario's named what-ifs.")] = False,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: the coded inputs only).", min=0)] = 1000,
    seed: Seed = SEED,
    workers: Workers = None,
    model: Models = None,
    param: Params = None,
    rounds: Rounds = None,
    event: Annotated[list[str] | None, typer.Option(
        "--event", "-e", help="An event whose probability the what-if changes, e.g. 'territory >= 50' "
        "(repeatable).")] = None,
    format: Annotated[WhatIfFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = WhatIfFormat.table,
    output: Output = None,
    plot: Plot = None,
    input_format: InputFormat = None,
    save_: SaveOpt = False,
    db: DbOpt = None,
    label: Label = None,
    force: Force = False,
) -> None:
    """Compare a what-if with the baseline on the same draws, per model and issue.

    A what-if sets or scales capabilities, saliences, positions or status quos, adds or removes actors.

    The effect reported is the what-if's, not sampling noise.
    """
    from accord.runs import Change, WhatIfSpec, build

    if list_:
        from accord.experiments.whatif import builtin_whatifs
        from accord.scenario.resolve import resolve_scenario

        chosen = resolve_scenario(scenario, input_format)
        if not builtin_whatifs(chosen.id):
            raise AccordError(f"scenario {chosen.id!r} has no named what-ifs; write one in a YAML file "
                              "(docs/whatifs.md) and pass it with --file, or use --set/--remove/--add-actor")
        console.print(list_table(chosen.id))
        return
    check_figure_path(plot)
    change = build(Change, named=list(named or []), files=[str(f) for f in file or []], set=list(set_ or []),
                   add=list(add_actor or []), remove=list(remove or []))
    if change.is_empty:
        raise AccordError("nothing to change: give --set, --remove, --add-actor, --file or --named "
                          "(--list shows the named what-ifs)")
    spec = build(WhatIfSpec, scenario=scenario, input_format=input_format, change=change, draws=draws,
                 seed=seed, models=list(model or []), params=parse_params(param), rounds=rounds,
                 events=list(event or []), label=label, workers=workers)
    store = store_for(save_, db)
    result = run(spec, json_mode=format is WhatIfFormat.json, force=force)
    if format is WhatIfFormat.json:
        write_json(result.to_dict(), output)
    else:
        from accord.report.views import view

        write_rendered(lambda out: out.print(view(result, out.width)), output, width=100)
    if plot is not None:
        from accord.report.figures.whatif import plot_effects

        write_figure(lambda path: plot_effects(result, path), plot)
    save(store, result, scenario)
