"""``accord sensitivity``: which inputs drive an issue's outcome (Sobol or Morris, via SALib)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from accord.cli.common import check_figure_path, parse_params, run, write_figure, write_json, write_rendered
from accord.cli.options import SEED, Force, InputFormat, Output, Params, Plot, ScenarioArg, Seed


class Method(StrEnum):
    auto = "auto"
    sobol = "sobol"
    morris = "morris"


class Scope(StrEnum):
    issue = "issue"
    all = "all"


class SensitivityFormat(StrEnum):
    table = "table"
    json = "json"


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
    seed: Seed = SEED,
    top: Annotated[int, typer.Option(help="Show this many inputs.", min=1)] = 20,
    plot: Plot = None,
    param: Params = None,
    format: Annotated[SensitivityFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = SensitivityFormat.table,
    json_out: Annotated[bool, typer.Option("--json", help="Same as --format json.", hidden=True)] = False,
    output: Output = None,
    input_format: InputFormat = None,
    force: Force = False,
) -> None:
    """Rank each actor's position, salience and capability by influence on an issue's outcome."""
    from accord.runs import SensitivitySpec, build

    check_figure_path(plot)
    spec = build(SensitivitySpec, scenario=scenario, input_format=input_format, issue=issue, model=model,
                 params=parse_params(param), method=method.value, samples=samples, scope=scope.value,
                 spread=spread, seed=seed)
    as_json = json_out or format is SensitivityFormat.json
    result = run(spec, json_mode=as_json, force=force)
    if as_json:
        write_json(result.to_dict(), output)
    else:
        from accord.report.views import view

        write_rendered(lambda out: out.print(view(result, out.width, top=top)), output, width=100)
    if plot is not None:
        from accord.report.figures.sensitivity import plot_sensitivity

        write_figure(lambda path: plot_sensitivity(result, path, top), plot)
