"""``accord backtest``: score the models on negotiations with known outcomes (DEU data)."""

from __future__ import annotations

import csv
import io
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from accord.cli.common import (
    OutputFormat,
    check_figure_path,
    err_console,
    write_figure,
    write_json,
    write_rendered,
    write_text,
)
from accord.errors import AccordError


class GroupBy(StrEnum):
    wave = "wave"
    procedure = "procedure"
    voting_rule = "voting-rule"


class _DelayedProgress:
    """A progress bar that only shows when the run takes more than a second."""

    def __init__(self, delay: float = 1.0):
        self.start, self.delay = time.monotonic(), delay
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, model: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.start < self.delay:
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err_console,
                transient=True,
            )
            self.bar.start()
        if model not in self.tasks:
            self.tasks[model] = self.bar.add_task(model, total=total)
        self.bar.update(self.tasks[model], completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _fmt(x: Any, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render_table(summary: dict[str, Any]) -> Table:
    models = summary["models"]
    info = summary["data"]
    table = Table(
        title=f"Backtest: {info['n_scoreable']} issues, {info['n_proposals']} proposals ({info['source']})",
        title_justify="left",
    )
    for head in ("model", "n", "MAE", "95% CI", "median AE", "<=10", "cov 50%", "cov 90%", "vs compromise"):
        table.add_column(head, justify="left" if head == "model" else "right")
    for name, m in sorted(models.items(), key=lambda kv: kv[1]["mae"]):
        diff = m.get("mae_diff_vs_compromise")
        vs = "" if diff is None else f"{diff:+.2f} [{m['mae_diff_ci'][0]:+.2f}, {m['mae_diff_ci'][1]:+.2f}]"
        label = name + (" (CV)" if m["protocol"].startswith("leave-one") else "") + _mark(m)
        table.add_row(
            label,
            str(m["n"]),
            _fmt(m["mae"]),
            f"{_fmt(m['mae_ci'][0])}-{_fmt(m['mae_ci'][1])}",
            _fmt(m["median_ae"]),
            f"{100 * m['within_10']:.0f}%",
            _fmt(m["coverage_50"]),
            _fmt(m["coverage_90"]),
            vs,
        )
    return table


def _render(summary: dict[str, Any], out: Console) -> None:
    out.print(render_table(summary))
    for note in subset_notes(summary["models"]):
        out.print(note, highlight=False)
    for key in summary.get("by", {}):
        out.print(render_groups(summary, key))
    for name, reason in summary["skipped"].items():
        out.print(Text(f"skipped {name}: {reason}", style="dim"))


def _mark(entry: dict[str, Any]) -> str:
    return " *" if entry.get("subset") else ""


def subset_notes(models: dict[str, Any]) -> list[str]:
    """Footnotes for models scored on a subset: its size, compromise on the same issues, and why
    the other issues have no forecast."""
    notes = []
    for name, m in models.items():
        if not m.get("subset"):
            continue
        ref = m.get("compromise_same_subset")
        same = "" if ref is None else (
            f"; compromise on the same issues: MAE {_fmt(ref['mae'])} "
            f"[{_fmt(ref['mae_ci'][0])}, {_fmt(ref['mae_ci'][1])}], "
            f"difference {m['mae_diff_vs_compromise']:+.2f} "
            f"[{m['mae_diff_ci'][0]:+.2f}, {m['mae_diff_ci'][1]:+.2f}]"
        )
        notes.append(
            f"* {name}: n = {m['n']} issues of the {m['n_proposals']} {m['subset']}{same}. "
            f"{m['n_not_applicable']} issues: {m['not_applicable']}."
        )
    return notes


def _group_cell(entry: dict[str, Any]) -> str:
    """MAE; for a model scored on a subset also its n there."""
    mae = _fmt(entry.get("mae"))
    return f"{mae} ({entry['n']})" if entry.get("subset") else mae


def render_groups(summary: dict[str, Any], key: str) -> Table:
    groups = summary["by"][key]
    starred = any(m.get("subset") for m in summary["models"].values())
    note = "; * only on the issues of multi-issue proposals" if starred else ""
    table = Table(title=f"MAE by {key} (n issues{note})", title_justify="left")
    table.add_column("model")
    for g, info in groups.items():
        table.add_column(f"{g} ({info['n']})", justify="right")
    for name in summary["models"]:
        label = name + _mark(summary["models"].get(name, {}))
        table.add_row(label, *(_group_cell(info["models"].get(name, {})) for info in groups.values()))
    return table


CSV_FIELDS = (
    "group_by",
    "group",
    "model",
    "n",
    "mae",
    "mae_lo",
    "mae_hi",
    "median_ae",
    "within_10",
    "coverage_50",
    "coverage_90",
    "n_fallback",
    "protocol",
    "subset",
    "compromise_same_subset_mae",
)


def summary_csv(summary: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    blocks = [("all", "all", summary["models"])]
    for key, groups in summary.get("by", {}).items():
        blocks += [(key, g, info["models"]) for g, info in groups.items()]
    for key, group, models in blocks:
        for name, m in models.items():
            writer.writerow(
                [
                    key,
                    group,
                    name,
                    m["n"],
                    m["mae"],
                    m["mae_ci"][0],
                    m["mae_ci"][1],
                    m["median_ae"],
                    m["within_10"],
                    m["coverage_50"],
                    m["coverage_90"],
                    m["n_fallback"],
                    m["protocol"],
                    m.get("subset", ""),
                    m.get("compromise_same_subset", {}).get("mae", ""),
                ]
            )
    return out.getvalue()


def backtest_command(
    path: Annotated[
        Path, typer.Argument(help="DEU data: the wide .tsv/.csv, issues.csv/positions.csv, or their folder.")
    ],
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model to score (repeatable); default: all.")
    ] = None,
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    by: Annotated[
        list[GroupBy] | None, typer.Option("--by", help="Also break down by this (repeatable).")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Write predicted-vs-actual scatter plots (PNG/SVG/PDF).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and of stochastic models.")] = 0,
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
    check_figure_path(plot)
    from accord.evaluate.backtest import run_backtest
    from accord.evaluate.summary import summarize
    from accord.models import model_class
    from accord.scenario.io.deu import load_deu

    for name in model or []:
        model_class(name)
    data = load_deu(path)
    progress = _DelayedProgress()
    try:
        bt = run_backtest(data.cases, model, seed=seed, progress=progress, cross_validate=cv)
    finally:
        progress.close()
    if not bt.completed:
        reasons = "; ".join(f"{n}: {r.skipped}" for n, r in bt.results.items())
        raise AccordError(f"no model could run on these issues ({reasons})")
    summary = summarize(bt, [b.value for b in by or []], seed=seed, n_boot=n_boot, source=data.source)
    if format is OutputFormat.json:
        write_json(summary, output)
    elif format is OutputFormat.csv:
        write_text(summary_csv(summary), output)
    else:
        write_rendered(lambda out: _render(summary, out), output, width=120)
    if plot is not None:
        from accord.evaluate.plot import plot_backtest

        write_figure(lambda path: plot_backtest(bt, path), plot)
