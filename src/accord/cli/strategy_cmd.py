"""``accord strategy ACTOR``: what one actor can do to move the outcome its way."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from accord.cli.common import check_figure_path, parse_params, run, write_figure, write_json, write_rendered
from accord.cli.history import DbOpt, SaveOpt, save, store_for
from accord.cli.options import SEED, InputFormat, Label, Models, Output, Params, Plot, Rounds, Seed


class StrategyFormat(StrEnum):
    table = "table"
    json = "json"


class Family(StrEnum):
    position = "position"
    salience = "salience"
    persuasion = "persuasion"
    transfer = "transfer"
    concession = "concession"


def strategy_command(
    actor: Annotated[str, typer.Argument(help="The client: the actor whose levers are searched.",
                                         show_default=False)],
    scenario: Annotated[str | None, typer.Argument(
        help="A scenario file or a built-in scenario's name; default: the built-in ukraine-2025-12.",
        show_default=False)] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (0: the coded inputs only).", min=0)] = 200,
    seed: Seed = SEED,
    model: Models = None,
    param: Params = None,
    rounds: Rounds = None,
    step: Annotated[float, typer.Option(help="One lever's size in effort points (1% of a scale, or one "
                                        "salience point of 100).", min=0.001, max=100)] = 10.0,
    budget: Annotated[float, typer.Option(help="Effort points the combined plan may spend.",
                                          min=0.001)] = 30.0,
    top: Annotated[int, typer.Option(help="Levers evaluated on every draw (the rest are screened on the "
                                     "coded inputs only).", min=1, max=50)] = 6,
    family: Annotated[list[Family] | None, typer.Option(
        "--family", help="Lever family to search (repeatable); default: all.")] = None,
    lobby: Annotated[list[str] | None, typer.Option(
        "--lobby", help="An actor the client may lobby (repeatable); default: every other actor.")] = None,
    format: Annotated[StrategyFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = StrategyFormat.table,
    output: Output = None,
    plot: Plot = None,
    input_format: InputFormat = None,
    save_: SaveOpt = False,
    db: DbOpt = None,
    label: Label = None,
) -> None:
    """Rank what ACTOR can do to move the outcome its way.

    Its levers: its stated line and salience, lobbying, declared transfers, concessions.

    Ranked by expected gain per effort point on common draws, robust across models.

    With the expected-utility model's relations as it sees them, and the blocs.

    Units and method: docs/strategy.md.
    """
    from accord.runs import StrategySpec, build

    check_figure_path(plot)
    spec = build(StrategySpec, scenario=scenario, input_format=input_format, actor=actor, draws=draws,
                 seed=seed, models=list(model or []), params=parse_params(param), rounds=rounds, step=step,
                 budget=budget, top=top, families=[f.value for f in family or []], targets=list(lobby or []),
                 label=label)
    store = store_for(save_, db)
    result = run(spec, json_mode=format is StrategyFormat.json)
    if format is StrategyFormat.json:
        write_json(result.to_dict(), output)
    else:
        from accord.report.views import view

        write_rendered(lambda out: out.print(view(result, min(out.width, 100))), output, width=100)
    if plot is not None:
        from accord.report.figures.strategy import plot_strategy

        write_figure(lambda path: plot_strategy(result.payload, path), plot)
    save(store, result, scenario)
