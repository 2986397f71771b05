"""``accord models``: every model, what it computes, and its parameters (``Model.parameters()``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from accord.cli.common import console, write_json


class ModelsFormat(StrEnum):
    table = "table"
    json = "json"


def allowed(p: Any) -> str:
    """Describe a parameter's allowed values in words: the choices, or the range of a number."""
    from accord.models.base import range_words

    if p.choices is not None:
        text = ", ".join(p.choices)
    elif p.type is bool:
        text = "true, false"
    elif p.type is tuple:
        text = "a matrix (rows of numbers)"
    elif p.low is not None or p.high is not None:
        text = range_words(p.low, p.high)
    else:
        text = {int: "a whole number", float: "a number", str: "text"}.get(p.type, p.type.__name__)
    if p.type is int and p.choices is None and (p.low is not None or p.high is not None):
        text += ", whole"
    return text + (", or null" if p.nullable else "")


def default_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if value == "":
        return '""'
    return f"{value:g}" if isinstance(value, float) else str(value)


def catalog(names: list[str]) -> list[dict[str, Any]]:
    """Return the chosen models (all when none) with their tags and declared parameters, as plain data."""
    from accord.models import model_class
    from accord.runs.models import model_names

    out = []
    for name in model_names(names):
        cls = model_class(name)
        out.append({"name": cls.name, "summary": cls.summary, "dynamic": cls.dynamic,
                    "uses_rng": cls.uses_rng, "parameters": [p.as_dict() for p in cls.parameters().values()]})
    return out


def models_view(names: list[str], width: int) -> Any:
    """Per model: its name and what it computes, then a table of its parameters."""
    from rich.console import Group
    from rich.text import Text

    from accord.models import model_class
    from accord.report.fit import Cell, ColumnSpec, fitted_tables
    from accord.runs.models import model_names

    parts: list[Any] = []
    for name in model_names(names):
        cls = model_class(name)
        head = Text(cls.name, style="bold")
        head.append(f": {cls.summary}")
        kind = "dynamic (rounds of moves)" if cls.dynamic else "static (one step)"
        head.append(f"\n{kind}" + ("; draws on the seed" if cls.uses_rng else ""), style="dim")
        parts += [Text(), head]
        params = list(cls.parameters().values())
        if not params:
            parts.append(Text("no parameters", style="dim"))
            continue
        columns: list[ColumnSpec] = [("parameter", {}), ("default", {}), ("allowed", {}),
                                     ("what it does", {})]
        rows: list[list[Cell]] = [
            [Text(p.name, style="bold"), default_text(p.default), allowed(p), Text(p.doc)] for p in params
        ]
        parts.append(fitted_tables(columns, rows, width))
    parts += [Text(), Text("Set a parameter with --param NAME=VALUE (-p), e.g. accord forecast -m eum "
                           "-p Q=0.9; it goes to every chosen model that has it.", style="dim")]
    return Group(*parts[1:])


def models_command(
    name: Annotated[list[str] | None, typer.Argument(help="Models to describe (any case); default: all.",
                                                     show_default=False)] = None,
    format: Annotated[ModelsFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = ModelsFormat.table,
) -> None:
    """List the models, what each computes, and its parameters with defaults, ranges and choices."""
    if format is ModelsFormat.json:
        write_json(catalog(list(name or [])), None)
        return
    console.print(models_view(list(name or []), console.width))
