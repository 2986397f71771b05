"""``accord sensitivity``: which inputs drive an issue's outcome (Sobol or Morris, via SALib)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich import box
from rich.table import Table
from rich.text import Text

from accord.cli.common import (
    check_figure_path,
    check_params,
    console,
    err_console,
    parse_params,
    write_figure,
    write_json,
)
from accord.cli.forecast_cmd import InputFormat, ScenarioArg
from accord.experiments.sensitivity import SensitivityResult, plot_sensitivity, sensitivity
from accord.models import model_class
from accord.scenario.resolve import resolve_scenario


class Method(StrEnum):
    auto = "auto"
    sobol = "sobol"
    morris = "morris"


class Scope(StrEnum):
    issue = "issue"
    all = "all"


def result_table(result: SensitivityResult, top: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("input", overflow="fold")
    columns = (["ST", "±", "S1", "±"] if result.method == "sobol" else ["mu*", "±", "mu", "sigma"])
    keys = (["ST", "ST_conf", "S1", "S1_conf"] if result.method == "sobol"
            else ["mu_star", "mu_star_conf", "mu", "sigma"])
    for name in columns:
        table.add_column(name, justify="right")
    for label, row in result.table.head(top).iterrows():
        table.add_row(Text(str(label)), *(f"{row[k]:.3f}" if result.method == "sobol" else f"{row[k]:.2f}"
                                     for k in keys))
    return table


def sensitivity_command(
    scenario: ScenarioArg = None,
    issue: Annotated[str, typer.Option(help="The issue whose outcome is explained.")] = ...,  # type: ignore[assignment]
    model: Annotated[str, typer.Option("--model", "-m", help="The model to analyse.")] = "compromise",
    method: Annotated[Method, typer.Option(help="sobol, morris, or auto (Sobol up to 20 inputs).")
                      ] = Method.auto,
    samples: Annotated[int | None, typer.Option(
        help="Sobol base samples (a power of 2; default 1024) or Morris trajectories (default 50).",
        min=2)] = None,
    scope: Annotated[Scope, typer.Option(help="Inputs on this issue only, or on all issues.")] = Scope.issue,
    spread: Annotated[float, typer.Option(help="Range (share of the scale) for numbers stated without "
                                          "an uncertainty.", min=0.0, max=1.0)] = 0.1,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same ranking.")] = 0,
    top: Annotated[int, typer.Option(help="Show this many inputs.", min=1)] = 20,
    plot: Annotated[Path | None, typer.Option(help="Write a bar chart (PNG/SVG/PDF).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Model parameter KEY=VALUE.")
                     ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    input_format: InputFormat = None,
) -> None:
    """Rank each actor's position, salience and capability by influence on an issue's outcome."""
    check_figure_path(plot)
    model_class(model)
    params = parse_params(param)
    check_params(params, [model])
    chosen = resolve_scenario(scenario, input_format)
    err_console.print(f"sensitivity of {issue} ({model}): running ...", style="dim")
    result = sensitivity(chosen, issue, model, method.value, samples, np.random.default_rng(seed),
                         scope.value, spread, params)
    if json_out:
        write_json({"scenario": chosen.id, "issue": issue, "model": model, "method": result.method,
                    "runs": result.n_runs, "seed": seed,
                    "inputs": [{"input": k, **{c: float(v) for c, v in row.items()}}
                               for k, row in result.table.iterrows()]}, None)
    else:
        name = "Sobol indices (total ST, first-order S1, 95% CI)" if result.method == "sobol" else \
            "Morris screening (mu*: mean absolute effect across each input's range)"
        console.print(Text(f"{chosen.title}: what drives {issue} under {model}", style="bold"))
        console.print(Text(f"{name}; {result.n_runs:,} model runs", style="dim"))
        console.print(result_table(result, top))
    if plot is not None:
        write_figure(lambda path: plot_sensitivity(result, str(path), top), plot)
