"""``accord scenario ...``: list, show, validate, import and export scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.cli.common import console, err_console, say_wrote
from accord.cli.options import ScenarioArg
from accord.errors import ScenarioError

FileFormat = Annotated[
    str | None,
    typer.Option("--format", "--input-format", help="Read the file as this format (default: detect it)."),
]

app = typer.Typer(help="List, show, validate, import and export scenarios.", no_args_is_help=True)


@app.command("list")
def list_command() -> None:
    """List the built-in scenarios."""
    from accord.scenario.builtin import builtin_names, load_builtin

    table = Table("name", "title", "as of", "actors", "issues", "proposals")
    for name in builtin_names():
        s = load_builtin(name)
        table.add_row(
            name, s.title, str(s.as_of or ""), str(len(s.actors)), str(len(s.issues)), str(len(s.proposals))
        )
    console.print(table)


@app.command("show")
def show_command(scenario: ScenarioArg = None, input_format: FileFormat = None) -> None:
    """Print a scenario readably: actors, issues and their scales, positions, proposals, sources."""
    from accord.report.tables.scenario import scenario_view
    from accord.scenario.resolve import resolve_scenario

    console.print(scenario_view(resolve_scenario(scenario, input_format)))


@app.command("validate")
def validate_command(
    file: Annotated[Path, typer.Argument(help="The scenario file to check.")],
    input_format: FileFormat = None,
) -> None:
    """Check a scenario file and list every problem (exit 0 when valid, 1 when not); warn where its
    decision rules name something that is not an actor, or an issue has no rule on who decides."""
    from accord.scenario.decisions import rule_warnings
    from accord.scenario.io import read_raw
    from accord.scenario.validate import check

    raw = None
    try:
        raw = read_raw(file, input_format)
        scenario, problems = check(raw)
    except ScenarioError as exc:
        scenario, problems = None, exc.problems
    if scenario is None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        err_console.print(f"[red]{escape(str(file))}: {count}[/red]")
        for problem in problems:
            err_console.print(Text(f"  - {problem}"), soft_wrap=True)
        raise typer.Exit(1)
    console.print(
        f"[green]{escape(str(file))}: valid[/green] — {len(scenario.actors)} actors, "
        f"{len(scenario.issues)} issues, {len(scenario.positions)} positions, "
        f"{len(scenario.proposals)} proposals, {len(scenario.sources)} sources"
    )
    warnings = rule_warnings(scenario, raw.lines if raw is not None else None, str(file))
    if warnings:
        err_console.print(f"[yellow]{len(warnings)} warning{'s' if len(warnings) != 1 else ''}[/yellow] "
                          "(the scenario is valid; these may not be what you meant):")
        for warning in warnings:
            err_console.print(Text(f"  - {warning}"), soft_wrap=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A file in any format accord reads.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write (.yaml, .json, .csv, .xlsx).")
    ],
    input_format: FileFormat = None,
) -> None:
    """Convert a scenario file (Decide, KTAB, CSV, XLSX, ...) to accord's native format."""
    export_command(output=output, scenario=str(file), input_format=input_format)


@app.command("export")
def export_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write (.yaml, .json, .csv, .xlsx).")
    ],
    scenario: ScenarioArg = None,
    input_format: FileFormat = None,
) -> None:
    """Write a scenario (a file or a built-in one) as YAML, JSON, long CSV or XLSX."""
    from accord.scenario.io.writers import write_scenario
    from accord.scenario.resolve import resolve_scenario

    lost = write_scenario(resolve_scenario(scenario, input_format), output)
    say_wrote(output)
    if lost:
        err_console.print(f"[yellow]note:[/yellow] a CSV table cannot hold {escape('; '.join(lost))}; "
                          "use .yaml, .json or .xlsx for a complete copy", highlight=False)
