"""``accord runs``: the run history kept by ``--save`` (and the web workbench): list, reopen, compare.

Runs live in :mod:`accord.store` (SQLite in the user's data folder, ``ACCORD_DB``, or ``--db URL``).
A run's results are the JSON its command printed, so ``runs show --format json`` gives that JSON
back, and ``runs show`` re-renders a forecast's table from it and the stored scenario version.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from accord.cli.common import console, write_json
from accord.cli.history import DbOpt, get_run, open_store
from accord.report.numbers import fmt_number

if TYPE_CHECKING:
    from accord.store import RunInfo

app = typer.Typer(help="The run history: list, reopen and compare saved runs.", no_args_is_help=True)


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


# rendering ------------------------------------------------------------------------------------
def _header(run: RunInfo) -> Text:
    text = Text(f"run {run.id}", style="bold")
    text.append(f"  {run.kind} of {run.scenario_id} v{run.version}, {run.created_at:%Y-%m-%d %H:%M} UTC, "
                f"accord {run.accord_version}", style="dim")
    bits = [f"seed {run.seed}" if run.seed is not None else "no seed",
            *([f"{run.draws:,} draws"] if run.draws else [])]
    shown = {k: v for k, v in run.params.items() if k != "scenario"}
    bits += [f"{key} {json.dumps(value, ensure_ascii=False)}" for key, value in shown.items()]
    if run.label:
        bits.append(f"label {run.label!r}")
    text.append("\n" + "; ".join(bits), style="dim")
    return text


def _compare_table(result: dict[str, Any], width: int) -> Any:
    from accord.report.fit import Cell, ColumnSpec, fitted_tables

    a, b = result["a"]["id"], result["b"]["id"]
    columns: list[ColumnSpec] = [("model", {}), ("issue", {}), (f"run {a}", {"justify": "right"}),
               (f"run {b}", {"justify": "right"}), ("difference", {"justify": "right"})]
    rows: list[list[Cell]] = []
    sections: list[bool] = []
    for col, values in result["values"].items():
        for n, (row, v) in enumerate(values.items()):
            rows.append([Text(col if n == 0 else ""), Text(row), fmt_number(v["a"]), fmt_number(v["b"]),
                         Text(fmt_number(v["difference"], True), style="bold")])
            sections.append(n == len(values) - 1)
    return fitted_tables(columns, rows, width, keys=2, sections=sections)


def _short_seed(seed: int | None) -> str:
    text = "–" if seed is None else str(seed)
    return text if len(text) <= 7 else text[:6] + "…"


# commands -------------------------------------------------------------------------------------
@app.command("list")
def list_command(
    scenario: Annotated[str | None, typer.Option("--scenario", help="Only runs of this scenario id.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many runs, newest first.", min=1)] = 50,
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    db: DbOpt = None,
) -> None:
    """List saved runs, newest first."""
    store = open_store(db, must_exist=True)
    runs = store.runs(scenario_id=scenario, limit=limit)
    if format is ShowFormat.json:
        write_json([r.summary() for r in runs], None)
        return
    if not runs:
        console.print(f"no saved runs{f' of {scenario}' if scenario else ''} in {store.display_url}",
                      markup=False, highlight=False)
        return
    from accord.report.fit import Cell, ColumnSpec, fitted_tables, legend

    columns: list[ColumnSpec] = [(title, {"justify": "right"} if title in ("run", "draws") else {})
               for title in ("run", "saved (UTC)", "kind", "scenario", "seed", "draws", "models / label")]
    rows: list[list[Cell]] = []
    for r in runs:
        what = Text(", ".join(r.models) if len(r.models) <= 3 else f"{len(r.models)} models")
        if r.label:
            what.append(("\n" if r.models else "") + r.label, style="dim")
        rows.append([str(r.id), f"{r.created_at:%m-%d %H:%M}", r.kind, f"{r.scenario_id} v{r.version}",
                     _short_seed(r.seed), str(r.draws or "–"), what])
    console.print(fitted_tables(columns, rows, console.width))
    console.print(legend([("scenario", "its id and the version the run used (edits make new versions)"),
                          ("seed", "long seeds are shortened (…); `accord runs show N` gives it in full"),
                          ("draws", "Monte Carlo draws (–: none)")]))


@app.command("show")
def show_command(
    run_id: Annotated[int, typer.Argument(help="The run's id (see `accord runs list`).")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    trajectory: Annotated[bool, typer.Option("--trajectory", help="Forecasts: dynamic models' per-round "
                                            "positions.")] = False,
    db: DbOpt = None,
) -> None:
    """Reopen a run: its results as the command showed them (a forecast's table, or the JSON)."""
    store = open_store(db, must_exist=True)
    run = get_run(store, run_id)
    if format is ShowFormat.json:
        write_json(run.results, None)
        return
    from accord.report.views import view
    from accord.store.results import load_result

    console.print(_header(run))
    result = load_result(run, store.version(run.scenario_version_id))
    options = {"trajectory": trajectory} if result.kind == "forecast" else {}
    console.print(view(result, console.width, **options))


@app.command("compare")
def compare_command(
    run_a: Annotated[int, typer.Argument(help="The first run's id.")],
    run_b: Annotated[int, typer.Argument(help="The second run's id.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    db: DbOpt = None,
) -> None:
    """Compare two runs: per model and issue, the outcome in each and the difference (B - A)."""
    store = open_store(db, must_exist=True)
    from accord.store.compare import compare_two

    a, b = get_run(store, run_a), get_run(store, run_b)
    result = compare_two(store, a, b)
    if format is ShowFormat.json:
        write_json(result, None)
        return
    console.print(_header(a))
    console.print(_header(b))
    if result["differences"]:
        console.print(Text("The runs differ in:", style="bold"))
        for key, value in result["differences"].items():
            if key == "params":
                for name, (x, y) in value.items():
                    console.print(f"  param {name}: {json.dumps(x)} → {json.dumps(y)}", markup=False,
                                  highlight=False)
            else:
                console.print(f"  {key}: {value[0]} → {value[1]}", markup=False, highlight=False)
    else:
        console.print("Same scenario version, models, parameters, seed and draws.", style="dim")
    console.print(_compare_table(result, console.width))
    for key, run in (("only_in_a", a), ("only_in_b", b)):
        if result[key]:
            console.print(f"only in run {run.id}: {', '.join(result[key])}", style="yellow", markup=False)
