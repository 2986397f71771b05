"""``accord scenario ...``: list, show, validate, import and export scenarios."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.cli.common import console, err_console, say_wrote, write_json, write_rendered, write_text
from accord.cli.options import InputFormat, Output, ScenarioArg
from accord.errors import AccordError, ScenarioError


class ShowFormat(StrEnum):
    """What ``scenario show --format`` writes."""

    table = "table"
    json = "json"
    yaml = "yaml"


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
def show_command(
    scenario: ScenarioArg = None,
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format: a readable table, or "
                                               "the scenario in accord's JSON or YAML.")] = ShowFormat.table,
    output: Output = None,
    input_format: InputFormat = None,
) -> None:
    """Print a scenario readably: actors, issues and their scales, positions, proposals, sources."""
    from accord.scenario.resolve import resolve_scenario

    chosen = resolve_scenario(scenario, input_format)
    if format is ShowFormat.json:
        from accord.scenario.io.writers import scenario_to_dict

        write_json(scenario_to_dict(chosen), output)
    elif format is ShowFormat.yaml:
        import yaml

        from accord.scenario.io.writers import scenario_to_dict

        write_text(yaml.safe_dump(scenario_to_dict(chosen), sort_keys=False, allow_unicode=True, width=100),
                   output)
    else:
        from accord.report.tables.scenario import scenario_view

        write_rendered(lambda out: out.print(scenario_view(chosen, out.width)), output, width=100)


def _file_to_check(given: str) -> Path:
    """Return the file to validate: the path given, or a built-in scenario's own file."""
    path = Path(given)
    if path.exists():
        return path
    from accord.scenario.builtin import builtin_names, builtin_path

    if given in builtin_names():
        return builtin_path(given)
    raise AccordError(f"{given}: no such file, and no built-in scenario of that name "
                      f"(built-in: {', '.join(builtin_names())})")


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(help="The scenario file to check, or a built-in scenario's name.",
                                        show_default=False)],
    input_format: InputFormat = None,
) -> None:
    """Check a scenario (a file or a built-in name) and list every problem.

    Exits 0 when valid, 1 when not.

    Warnings leave it valid: rules naming no actor, issues with no rule, odd numbers or citations.
    """
    from accord.scenario.decisions import rule_warnings
    from accord.scenario.io import read_raw
    from accord.scenario.lint import lint
    from accord.scenario.validate import check

    raw = None
    path = _file_to_check(file)
    try:
        raw = read_raw(path, input_format)
        scenario, problems = check(raw)
    except ScenarioError as exc:
        scenario, problems = None, exc.problems
    if scenario is None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        err_console.print(f"[red]{escape(file)}: {count}[/red]")
        for problem in problems:
            err_console.print(Text(f"  - {problem}"), soft_wrap=True)
        raise typer.Exit(1)
    console.print(
        f"[green]{escape(file)}: valid[/green] — {len(scenario.actors)} actors, "
        f"{len(scenario.issues)} issues, {len(scenario.positions)} positions, "
        f"{len(scenario.proposals)} proposals, {len(scenario.sources)} sources"
    )
    warnings = rule_warnings(scenario, raw.lines if raw is not None else None, str(file))
    if warnings:
        err_console.print(f"[yellow]{len(warnings)} warning{'s' if len(warnings) != 1 else ''}[/yellow] "
                          "(the scenario is valid; these may not be what you meant):")
        for warning in warnings:
            err_console.print(Text(f"  - {warning}"), soft_wrap=True)
    for note in lint(scenario):
        err_console.print(Text.assemble(("warning: ", "yellow"), note), soft_wrap=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A file in any format accord reads.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write (.yaml, .json, .csv, .xlsx).")
    ],
    input_format: InputFormat = None,
) -> None:
    """Convert a scenario file (Decide, KTAB, CSV, XLSX, ...) to accord's native format."""
    export_command(output=output, scenario=str(file), input_format=input_format)


@app.command("export")
def export_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write (.yaml, .json, .csv, .xlsx).")
    ],
    scenario: ScenarioArg = None,
    input_format: InputFormat = None,
) -> None:
    """Write a scenario (a file or a built-in one) as YAML, JSON, long CSV or XLSX."""
    from accord.scenario.io.writers import write_scenario
    from accord.scenario.resolve import resolve_scenario

    lost = write_scenario(resolve_scenario(scenario, input_format), output)
    say_wrote(output)
    if lost:
        err_console.print(f"[yellow]note:[/yellow] a CSV table cannot hold {escape('; '.join(lost))}; "
                          "use .yaml, .json or .xlsx for a complete copy", highlight=False)
