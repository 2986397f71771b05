"""``accord forecast``: every model's forecast for a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import (
    OutputFormat,
    check_figure_path,
    parse_params,
    run,
    write_figure,
    write_json,
    write_rendered,
    write_text,
)
from accord.cli.history import DbOpt, SaveOpt, save, store_for
from accord.cli.options import (
    SEED,
    Events,
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


def plot_paths(plot: Path, names: list[str]) -> dict[str, Path]:
    """One file per dynamic model when there are several (``plot-MODEL.png``)."""
    if len(names) <= 1:
        return dict.fromkeys(names, plot)
    return {n: plot.with_name(f"{plot.stem}-{n}{plot.suffix or '.png'}") for n in names}


def forecast_command(
    scenario: ScenarioArg = None,
    model: Models = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = OutputFormat.table,
    output: Output = None,
    rounds: Rounds = None,
    seed: Seed = SEED,
    param: Params = None,
    trajectory: Annotated[bool, typer.Option("--trajectory", help="Show dynamic models' per-round positions.")
                          ] = False,
    plot: Plot = None,
    details: Annotated[bool, typer.Option("--details", "--exchanges", "--bargains",
                                          help="List model-specific results (exchanges, bargains, risk).")
                       ] = False,
    input_format: InputFormat = None,
    draws: Annotated[int, typer.Option(help="Also run on this many draws from the inputs' stated "
                                       "uncertainty (0: none).", min=0)] = 0,
    event: Events = None,
    workers: Workers = None,
    save_: SaveOpt = False,
    db: DbOpt = None,
    label: Label = None,
) -> None:
    """Forecast where each issue settles, with every model (or those given)."""
    from accord.runs import ForecastSpec, build

    check_figure_path(plot)
    spec = build(ForecastSpec, scenario=scenario, input_format=input_format, models=list(model or []),
                 params=parse_params(param), rounds=rounds, seed=seed, draws=draws, events=list(event or []),
                 label=label, workers=workers)
    store = store_for(save_, db)
    result = run(spec, json_mode=format is OutputFormat.json)
    if format is OutputFormat.json:
        write_json(result.to_dict(), output)
    elif format is OutputFormat.csv:
        from accord.report.csv import forecast_csv

        write_text(forecast_csv(result), output)
    else:
        from accord.report.views import forecast_view

        write_rendered(lambda out: out.print(forecast_view(result, out.width, trajectory, details)), output,
                       width=100)
    if plot is not None:
        from accord.report.figures.forecast import plot_forecasts, plot_trajectory

        dynamic = [n for n, m in result.completed.items() if m.n_rounds > 1]
        if dynamic:
            for name, path in plot_paths(plot, dynamic).items():
                write_figure(lambda target, name=name: plot_trajectory(result, name, target), path)
        else:
            write_figure(lambda target: plot_forecasts(result, target), plot)
    save(store, result, scenario)
