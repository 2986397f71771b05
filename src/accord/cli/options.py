"""The options every command shares, declared once: one grammar across ``accord``'s commands.

``--input-format`` says how a file is read, ``--format``/``-f`` and ``--output``/``-o`` what is
written; ``--draws 0`` means no draws; ``--seed`` defaults to 0 everywhere; ``--model``/``-m``
and ``--param``/``-p`` choose models and their parameters; ``--save``/``--db``/``--label``
record a run in the history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ScenarioArg = Annotated[
    str | None,
    typer.Argument(help="A scenario file (YAML, JSON, CSV, XLSX, ...) or a built-in scenario's name; "
                   "default: the built-in ukraine-2025-12.", show_default=False),
]
InputFormat = Annotated[
    str | None, typer.Option("--input-format", help="Read the file as this format (default: detect it).")
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")]
Models = Annotated[
    list[str] | None,
    typer.Option("--model", "-m", help="Model to run (repeatable, case-insensitive); default: all. "
                 "`accord models` lists them."),
]
Params = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="Model parameter KEY=VALUE (repeatable), given to each chosen model "
                 "that has it; a name no chosen model has is an error."),
]
Rounds = Annotated[int | None, typer.Option(help="Rounds of the dynamic models.", min=1)]
Seed = Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.", min=0)]
SEED = 0  # accord.rng.DEFAULT_SEED (not imported: the CLI starts without numpy)
SETTLEMENT_DRAWS = 2000  # accord.runs.spec.SETTLEMENT_DRAWS (not imported: nor without pydantic)
Events = Annotated[
    list[str] | None,
    typer.Option("--event", "-e", help="With --draws: the probability of an event, e.g. "
                 "'territory >= 70 and guarantees <= 30' (repeatable)."),
]
Plot = Annotated[Path | None, typer.Option(help="Write a figure (PNG, SVG, PDF, ...).")]
Label = Annotated[str | None, typer.Option(help="A label for the run in the history (with --save).")]
Force = Annotated[bool, typer.Option("--force", help="Run even when the estimated time or memory is over "
                                      "the budget (accord.runs.budget.LOCAL); a warning is still printed.")]
Workers = Annotated[int | None, typer.Option(help="Threads for the Monte Carlo draws (default: every core; "
                                             "the numbers do not depend on it).", min=1)]
