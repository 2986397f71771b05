"""``accord sweep``: scenarios x what-ifs x models x draws, in-process or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from accord.cli.common import console, err_console, parse_params
from accord.experiments.progress import progress_bar
from accord.experiments.sweep import load_results, load_spec, make_spec, run_sweep
from accord.scenario.resolve import resolve_scenario


def sweep_command(
    spec_file: Annotated[Path | None, typer.Argument(
        help="A sweep file (YAML: scenarios, whatifs, models, draws, seed); or use the options.",
        show_default=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Results file: .csv or .parquet.")
                      ] = Path("sweep.csv"),
    scenario: Annotated[list[str] | None, typer.Option(
        help="Scenario file or built-in name (repeatable; default: the built-in one).")] = None,
    whatif: Annotated[list[str] | None, typer.Option(
        help="'baseline', a named what-if, 'named' (all of them) or a what-if YAML file (repeatable).")
    ] = None,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="Model (repeatable); default: all.")
                     ] = None,
    draws: Annotated[int | None, typer.Option(help="Monte Carlo draws per task (default 1000).", min=1)
                     ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (default 0); same seed, same results anywhere.")
                    ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Model parameter KEY=VALUE.")
                     ] = None,
    scheduler: Annotated[str | None, typer.Option(help="Run on this Dask scheduler, tcp://HOST:PORT.")
                         ] = None,
    workers: Annotated[int | None, typer.Option(
        help="Run on a local Dask cluster of N worker processes (one thread each).", min=1)] = None,
    chunk: Annotated[int | None, typer.Option(
        help="Tasks per Dask job (default: ~4 jobs per worker thread, at most 64 tasks).", min=1)
    ] = None,
    resume: Annotated[bool, typer.Option(help="Keep the finished tasks in --output and run the rest.")
                      ] = False,
    force: Annotated[bool, typer.Option(help="Replace an existing --output.")] = False,
) -> None:
    """Run many scenarios x what-ifs x models x draws; results stream to a CSV or Parquet file."""
    if spec_file is not None:
        spec = load_spec(spec_file)
        overrides = {k: v for k, v in {"draws": draws, "seed": seed}.items() if v is not None}
        if model or overrides or param:
            spec = make_spec(spec.scenarios, spec.whatifs, model or spec.models,
                             overrides.get("draws", spec.draws), overrides.get("seed", spec.seed),
                             {**spec.params, **parse_params(param)}, spec.base_dir)
    else:
        scenarios = [resolve_scenario(s) for s in scenario or [None]]  # type: ignore[list-item]
        entries: list = [{"file": w} if w.endswith((".yaml", ".yml")) else w for w in whatif or ["baseline"]]
        spec = make_spec(scenarios, entries, model, draws or 1000, seed if seed is not None else 0,
                         parse_params(param))
    tasks = spec.tasks()
    where = f"Dask scheduler {scheduler}" if scheduler else (f"{workers} local Dask workers" if workers
                                                            else "in-process")
    err_console.print(f"{len(tasks)} tasks ({len(spec.scenarios)} scenarios x what-ifs x "
                      f"{len(spec.models)} models, {spec.draws} draws, seed {spec.seed}) {where}",
                      style="dim")
    with progress_bar(len(tasks), "sweep", console=err_console) as advance:
        run = run_sweep(spec, output, resume, force, scheduler, workers, advance, chunk)
    console.print(Text(f"{run.ran} tasks run, {run.skipped} already done; results in {run.output}"))
    if run.ran + run.skipped:
        frame = load_results(run.output)
        moved = frame.loc[frame["diff_median"].abs().idxmax()] if len(frame) else None
        if moved is not None and moved["diff_median"] != 0:
            console.print(Text(f"largest median shift: {moved['whatif']} moves {moved['issue']} by "
                               f"{moved['diff_median']:+.1f} under {moved['model']}", style="dim"))
