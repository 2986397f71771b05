"""``accord forecast``: every model's forecast for a scenario."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    SETTLEMENT_DRAWS,
    Events,
    Force,
    InputFormat,
    Label,
    Models,
    Output,
    Params,
    Rounds,
    ScenarioArg,
    Seed,
    Workers,
)

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult


def model_paths(plot: Path, names: list[str]) -> dict[str, Path]:
    """Return one file per model beside ``plot``: ``plot-MODEL.png``."""
    return {n: plot.with_name(f"{plot.stem}-{n}{plot.suffix or '.png'}") for n in names}


def write_plots(result: ForecastResult, plot: Path, trajectory: bool) -> None:
    """Draw a forecast's charts.

    ``plot`` is the forecast of every model with its band; with ``trajectory``, the rounds of
    the dynamic models instead: one model's stakeholders per round, or several models' outcomes
    per round in ``plot`` and each model's stakeholders in ``plot-MODEL``.
    """
    from accord.report.figures.forecast import plot_forecasts, plot_outcome_paths, plot_trajectory

    dynamic = [n for n, m in result.completed.items() if m.n_rounds > 1]
    if not (trajectory and dynamic):
        write_figure(lambda target: plot_forecasts(result, target), plot)
    elif len(dynamic) == 1:
        write_figure(lambda target: plot_trajectory(result, dynamic[0], target), plot)
    else:
        write_figure(lambda target: plot_outcome_paths(result, dynamic, target), plot)
        for name, path in model_paths(plot, dynamic).items():
            write_figure(partial(plot_trajectory, result, name), path)


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
    plot: Annotated[Path | None, typer.Option(
        help="Write a chart (PNG, SVG, PDF, ...): every model's forecast per issue, with its 90% band when "
        "there are draws; with --trajectory, the dynamic models' rounds instead.")] = None,
    details: Annotated[bool, typer.Option("--details", "--exchanges", "--bargains",
                                          help="List model-specific results (exchanges, bargains, risk).")
                       ] = False,
    input_format: InputFormat = None,
    draws: Annotated[int, typer.Option(help="Also run on this many draws from the inputs' stated "
                                       "uncertainty (0: none).", min=0)] = 0,
    event: Events = None,
    veto_rule: Annotated[
        str, typer.Option("--veto-rule", help="Settlement headline: 'total' (an actor whose consent is "
                          "needed refuses when it loses overall) or 'issue' (also when it loses on any point "
                          "it ratifies).")
    ] = "total",
    settlement_draws: Annotated[int, typer.Option(
        "--settlement-draws", min=1, help="The settlement headline analyses the first this many draws (its "
        "linear programs cost about 3 ms of CPU a draw); the models run on all of them.")] = SETTLEMENT_DRAWS,
    workers: Workers = None,
    save_: SaveOpt = False,
    db: DbOpt = None,
    label: Label = None,
    force: Force = False,
) -> None:
    """Forecast where each issue settles, with every model (or those given)."""
    from accord.runs import ForecastSpec, build

    check_figure_path(plot)
    spec = build(ForecastSpec, scenario=scenario, input_format=input_format, models=list(model or []),
                 params=parse_params(param), rounds=rounds, seed=seed, draws=draws, events=list(event or []),
                 veto_rule=veto_rule, label=label, workers=workers, settlement_draws=settlement_draws)
    store = store_for(save_, db)
    result = run(spec, json_mode=format is OutputFormat.json, force=force)
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
        write_plots(result, plot, trajectory)
    save(store, result, scenario)
