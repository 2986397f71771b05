"""``accord forecast``: every model's forecast for a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from accord.cli.common import (
    OutputFormat,
    check_figure_path,
    check_params,
    console,
    err_console,
    parse_params,
    write_figure,
    write_json,
    write_rendered,
    write_text,
)
from accord.cli.runs_cmd import DbOpt, SaveOpt, open_store, save_run
from accord.errors import AccordError
from accord.experiments.forecast import Forecast, forecast
from accord.models import Model, available_models, model_class
from accord.scenario.resolve import resolve_scenario

ScenarioArg = Annotated[
    str | None,
    typer.Argument(
        help="A scenario file (YAML, JSON, CSV, XLSX, ...) or a built-in scenario's "
        "name; default: the built-in ukraine-2025-12.",
        show_default=False,
    ),
]
InputFormat = Annotated[
    str | None, typer.Option("--input-format", help="Read the file as this format (default: detect).")
]


def configured_models(spec: str | None, names: list[str] | None) -> list[str | Model] | None:
    """Models as named, with ``smp`` configured by the file when it is a KTAB XML scenario
    (which carries SMP's model parameters and ideal adjustment)."""
    if spec is None or not Path(spec).is_file() or not spec.lower().endswith(".xml"):
        return list(names) if names else None
    from accord.models import get_model
    from accord.scenario.io.ktab import ktab_settings

    settings = ktab_settings(spec)
    if not settings.params and settings.accommodation is None:
        return list(names) if names else None
    params: dict[str, Any] = dict(settings.params)
    if settings.accommodation is not None:
        params["accommodation"] = settings.accommodation.tolist()
    chosen = list(names) if names else available_models()
    return [get_model("smp", **params) if n == "smp" else n for n in chosen]


def plot_paths(plot: Path, names: list[str]) -> dict[str, Path]:
    if len(names) <= 1:
        return dict.fromkeys(names, plot)
    return {n: plot.with_name(f"{plot.stem}-{n}{plot.suffix or '.png'}") for n in names}


def render_table(fc: Forecast, trajectory: bool, details: bool, out: Console = console) -> None:
    from accord.report.forecast_table import forecast_tables, model_legend, trajectory_tables

    s = fc.scenario
    out.print(Text(s.title, style="bold"), Text(f"  (as of {s.as_of})" if s.as_of else ""))
    out.print(forecast_tables(fc, width=out.width))
    out.print(model_legend(fc))
    if fc.ensemble is not None:
        from accord.report.forecast_table import event_table, uncertainty_tables

        out.print(uncertainty_tables(fc, width=min(out.width, 100)))
        out.print(event_table(fc, width=min(out.width, 100)))
        for name, reason in fc.ensemble.skipped.items():
            out.print(f"{name}: not run on the draws ({reason})", style="yellow")
    for name, run in fc.completed.items():
        traj = run.trajectory
        assert traj is not None
        if trajectory and traj.n_rounds > 1:
            out.print(trajectory_tables(fc, name, width=out.width))
        if details:
            from accord.report.model_details import details_lines

            lines = details_lines(traj.details, s.actor_ids, s.issue_ids)
            if lines:
                out.print(Rule(f"{name}: details"))
                for line in lines:
                    out.print(line, highlight=False)


def forecast_command(
    scenario: ScenarioArg = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model to run (repeatable); default: all available."),
    ] = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    rounds: Annotated[int | None, typer.Option(help="Rounds for dynamic models.", min=1)] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (tie-breaks, stochastic modes).")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="Model parameter KEY=VALUE (repeatable), given to models that have it."
        ),
    ] = None,
    trajectory: Annotated[bool, typer.Option(help="Show dynamic models' per-round positions.")] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Write a figure (PNG/SVG/PDF) of the forecast or trajectories.")
    ] = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            "--exchanges",
            "--bargains",
            help="List model-specific results (exchanges, bargains, risk).",
        ),
    ] = False,
    input_format: InputFormat = None,
    draws: Annotated[
        int | None,
        typer.Option(help="Also run on this many draws from the inputs' stated uncertainty.", min=1),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event", "-e",
            help="With --draws: probability of an event, e.g. 'territory >= 70 and guarantees <= 30' "
            "(repeatable).",
        ),
    ] = None,
    save: SaveOpt = False,
    db: DbOpt = None,
) -> None:
    """Forecast where each issue settles, with every model (or those given)."""
    check_figure_path(plot)
    for name in model or []:
        model_class(name)  # unknown names fail before any work is done
    params = parse_params(param)
    if event and not draws:
        raise AccordError("--event needs --draws N (events are scored on Monte Carlo draws)")
    chosen = resolve_scenario(scenario, input_format)
    model = configured_models(scenario, model)
    check_params(params, model)
    if rounds is not None:  # for the dynamic models among those run; the others have no rounds
        params["rounds"] = rounds
    store = open_store(db) if save or db else None  # a bad --db fails before any work
    if draws:
        from accord.experiments.progress import progress_bar

        n_models = len(model) if model else len(available_models())
        with progress_bar(draws * n_models, "draws", console=err_console) as advance:
            fc = forecast(chosen, model, params, seed, draws, event or (), advance)
    else:
        fc = forecast(chosen, model, params, seed)
    if not fc.completed:
        reasons = "; ".join(f"{n}: {r.skipped}" for n, r in fc.runs.items())
        raise AccordError(f"no model could run on this scenario ({reasons})")
    results = None
    if format is OutputFormat.json or store is not None:
        from accord.report.forecast_json import forecast_to_dict

        results = forecast_to_dict(fc)
    if format is OutputFormat.json:
        write_json(results, output)
    elif format is OutputFormat.csv:
        from accord.report.forecast_csv import forecast_to_csv

        write_text(forecast_to_csv(fc), output)
    else:
        write_rendered(lambda out: render_table(fc, trajectory, details, out), output, width=100)
    if plot is not None:
        from accord.report.plots import plot_forecasts, plot_trajectory

        dynamic = [n for n, r in fc.completed.items() if r.trajectory.n_rounds > 1]  # type: ignore[union-attr]
        if dynamic:
            for name, path in plot_paths(plot, dynamic).items():
                write_figure(lambda target, name=name: plot_trajectory(fc, name, target), path)
        else:
            write_figure(lambda target: plot_forecasts(fc, target), plot)
    if store is not None:
        assert results is not None
        save_run(store, chosen, scenario, "forecast", list(fc.runs), params, results, fc.seed, draws)
