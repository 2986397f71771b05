"""``accord backtest``: every model on real negotiations with known outcomes (DEU III), scored."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from accord.cli.common import (
    OutputFormat,
    check_figure_path,
    run,
    write_figure,
    write_json,
    write_rendered,
    write_text,
)
from accord.cli.options import SEED, Models, Output, Plot, Seed


class GroupBy(StrEnum):
    wave = "wave"
    procedure = "procedure"
    voting_rule = "voting-rule"


def backtest_command(
    data: Annotated[
        str, typer.Argument(help="A built-in data set (deu3: the DEU III development split) or DEU data: "
                            "the wide .tsv/.csv, issues.csv/positions.csv, or their folder.")
    ] = "deu3",
    model: Models = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    output: Output = None,
    by: Annotated[
        list[GroupBy] | None, typer.Option("--by", help="Also break down by this (repeatable).")
    ] = None,
    plot: Plot = None,
    seed: Seed = SEED,
    n_boot: Annotated[
        int, typer.Option("--n-boot", help="Bootstrap draws for the intervals.", min=100)
    ] = 2000,
    cv: Annotated[
        bool,
        typer.Option(
            "--cv/--no-cv", help="Score models fitted on DEU (choice) by leave-one-proposal-out CV."
        ),
    ] = True,
) -> None:
    """Forecast every scoreable issue with every model and report the errors against the outcomes."""
    from accord.runs import BacktestSpec, build

    check_figure_path(plot)
    spec = build(BacktestSpec, data=data, models=list(model or []), by=[b.value for b in by or []], seed=seed,
                 n_boot=n_boot, cross_validate=cv)
    result = run(spec, json_mode=format is OutputFormat.json)
    if format is OutputFormat.json:
        write_json(result.to_dict(), output)
    elif format is OutputFormat.csv:
        from accord.report.csv import backtest_csv

        write_text(backtest_csv(result.summary), output)
    else:
        from accord.report.views import view

        write_rendered(lambda out: out.print(view(result, out.width)), output, width=100)
    if plot is not None:
        from accord.report.figures.backtest import plot_backtest

        write_figure(lambda path: plot_backtest(result.live, path), plot)
