"""``accord sweep``: scenarios x what-ifs x models x draws, in-process or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from accord.cli.common import console, err_console, parse_params, run
from accord.cli.options import Models, Params


def sweep_command(
    spec_file: Annotated[Path | None, typer.Argument(
        help="A sweep file (YAML: scenarios, whatifs, models, draws, seed, params; see docs/whatifs.md); "
        "or use the options.", show_default=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Results file: .csv or .parquet.")
                      ] = Path("sweep.csv"),
    scenario: Annotated[list[str] | None, typer.Option(
        help="Scenario file or built-in name (repeatable; default: the built-in one).")] = None,
    whatif: Annotated[list[str] | None, typer.Option(
        help="'baseline', a named what-if, 'named' (all of them) or a what-if YAML file (repeatable).")
    ] = None,
    model: Models = None,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws per task (default 1000).", min=1)
                     ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (default 0); same seed, same results anywhere.",
                                             min=0)] = None,
    param: Params = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on this Dask scheduler, tcp://HOST:PORT.")
                         ] = None,
    workers: Annotated[int | None, typer.Option(
        help="Run on a local Dask cluster of N worker processes (one thread each).", min=1)] = None,
    chunk: Annotated[int | None, typer.Option(
        help="Tasks per Dask job (default: ~4 jobs per worker thread, at most 64 tasks).", min=1)
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Keep the finished tasks in --output and run "
                                         "the rest.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --output.")] = False,
) -> None:
    """Run many scenarios x what-ifs x models x draws; results stream to a CSV or Parquet file."""
    from accord.runs import build
    from accord.runs.spec import SweepSpec

    spec = build(SweepSpec, file=None if spec_file is None else str(spec_file),
                 scenarios=list(scenario or []), whatifs=list(whatif or []), models=list(model or []),
                 params=parse_params(param), draws=draws, seed=seed, output=str(output), resume=resume,
                 force=force, scheduler=scheduler, workers=workers, chunk=chunk)
    where = f"Dask scheduler {scheduler}" if scheduler else (f"{workers} local Dask workers" if workers
                                                            else "in-process")
    err_console.print(f"sweep {where}", style="dim")
    result = run(spec)
    console.print(Text(f"{result.ran} tasks run, {result.skipped} already done; results in {result.output}"))
    shift = result.largest_shift
    if shift is not None:
        console.print(Text(f"largest median shift: {shift['whatif']} moves {shift['issue']} by "
                           f"{shift['diff_median']:+.1f} under {shift['model']}", style="dim"))
