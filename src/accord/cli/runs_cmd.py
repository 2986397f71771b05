"""``accord runs``: the run history kept by ``--save`` (and the web workbench): list, reopen, compare.

Runs live in :mod:`accord.store` (SQLite in the user's data folder, ``ACCORD_DB``, or ``--db URL``).
A run's results are the JSON its command printed, so ``runs show --format json`` gives that JSON
back, and ``runs show`` re-renders a forecast's table from it and the stored scenario version.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import typer
from rich import box
from rich.table import Table
from rich.text import Text

from accord.cli.common import console, err_console, fmt_number, whatif_cell, write_json
from accord.errors import AccordError
from accord.experiments.uncertainty import Ensemble

if TYPE_CHECKING:
    from accord.experiments.forecast import Forecast
    from accord.scenario.schema import Scenario
    from accord.store import RunInfo, Store, VersionInfo

app = typer.Typer(help="The run history: list, reopen and compare saved runs.", no_args_is_help=True)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", metavar="URL", help="Run-history database (SQLAlchemy URL, e.g. "
                 "sqlite:///runs.sqlite); default: ACCORD_DB, else SQLite in the user data folder."),
]
SaveOpt = Annotated[
    bool, typer.Option("--save", help="Record the scenario version and this run in the run history "
                       "(see `accord runs`); the run id goes to stderr.")
]


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


# saving (used by forecast, whatif, deal) ------------------------------------------------------
def open_store(db: str | None, must_exist: bool = False) -> Store:
    """The store at ``db`` (default: ``ACCORD_DB`` or the user data folder); user errors readable.

    ``must_exist``: a SQLite file that is not there is an error (reading commands), not a new file.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from accord.store import Store, default_url

    url = db or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AccordError(f"--db {url!r}: not a database URL; expected e.g. sqlite:///runs.sqlite") from None
    if must_exist and parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database).expanduser()
        if not path.exists():
            raise AccordError(f"no run history at {path} (runs are recorded by `accord forecast --save`)")
    return Store(url)


def save_run(
    store: Store, scenario: Scenario, source: str | None, kind: str, models: list[str],
    params: dict[str, Any], results: dict[str, Any], seed: int | None, draws: int | None,
    label: str | None = None,
) -> RunInfo:
    """Record the scenario version and the run in one transaction; say the run id on stderr."""
    run = store.save_run(
        scenario, "cli", kind, models, params, results, seed=seed, draws=draws, label=label,
        source_name=(source or scenario.id)[:300],
    )
    err_console.print(
        f"saved run {run.id} ({kind}, {run.scenario_id} v{run.version}) in {store.display_url}",
        highlight=False, markup=False, soft_wrap=True,
    )
    return run


# reading ----------------------------------------------------------------------------------------
def _get_run(store: Store, run_id: int) -> RunInfo:
    from accord.store import NotFound

    try:
        return store.run(run_id)
    except NotFound:
        raise AccordError(
            f"no run {run_id} in {store.display_url} (`accord runs list` shows the saved runs)"
        ) from None


def _num(x: Any) -> float:
    return float("nan") if x is None else float(x)


@dataclass(frozen=True)
class StoredEnsemble(Ensemble):
    """An ensemble reopened from stored summaries (the draws themselves are not stored)."""

    summaries: dict[str, pd.DataFrame] = field(default_factory=dict)

    def summary(self, model: str) -> pd.DataFrame:
        return self.summaries[model]


def stored_forecast(run: RunInfo, version: VersionInfo) -> Forecast:
    """A :class:`Forecast` rebuilt from a forecast run's JSON and its scenario version.

    Trajectories hold the stored outcomes and stakeholders' positions (others are NaN); models'
    details are not rebuilt (they are in the JSON).
    """
    from accord.experiments.forecast import Forecast, ModelRun
    from accord.models import Trajectory, model_class
    from accord.scenario import compile_scenario

    results = run.results or {}
    scenario = version.scenario()
    arrays = compile_scenario(scenario)
    actor_index = {a: n for n, a in enumerate(scenario.actor_ids)}
    issues = scenario.issue_ids
    runs: dict[str, ModelRun] = {}
    summaries: dict[str, pd.DataFrame] = {}
    for name, entry in (results.get("models") or {}).items():
        try:
            model = model_class(name)().with_params(**(entry.get("params") or {}))
        except AccordError:
            raise AccordError(f"run {run.id} used the model {name!r}, which accord {_version()} does "
                              "not have; `--format json` shows the stored results") from None
        if "issues" not in entry:
            runs[name] = ModelRun(model, None, entry.get("skipped") or "not run")
            continue
        n_rounds = int(entry.get("rounds") or 1)
        positions = np.full((n_rounds, len(actor_index), len(issues)), np.nan)
        outcome = np.full((n_rounds, len(issues)), np.nan)
        for k, issue in enumerate(issues):
            stored = entry["issues"][issue]
            for r, rnd in enumerate(stored.get("rounds") or []):
                outcome[r, k] = _num(rnd.get("outcome"))
                for actor, value in (rnd.get("positions") or {}).items():
                    positions[r, actor_index[actor], k] = _num(value)
            outcome[-1, k] = _num(stored.get("outcome"))
            if "summary" in stored:
                summaries.setdefault(name, pd.DataFrame(index=pd.Index(issues, name="issue"), dtype=float))
                for key, value in stored["summary"].items():
                    summaries[name].loc[issue, key] = _num(value)
        runs[name] = ModelRun(model, Trajectory(positions, outcome))
    ensemble = None
    if results.get("draws"):
        finals = {n: np.empty((0, len(issues))) for n in summaries}
        skipped = {n: "no stored summary" for n, r in runs.items() if r.trajectory is not None
                   and n not in summaries}
        ensemble = StoredEnsemble(scenario, int(results["draws"]), results.get("seed"), finals, skipped,
                                  summaries)
    events = {e["expr"]: {m: (_num(v.get("p")), _num(v.get("se"))) for m, v in e["models"].items()}
              for e in results.get("events") or []}
    return Forecast(scenario, arrays, runs, results.get("seed"), ensemble=ensemble, events=events)


def _version() -> str:
    from accord import __version__

    return __version__


def _deals(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{proposal: its result}`` of a deal run (one package, or a comparison of several)."""
    if "results" in results:
        return results["results"]
    return {results["proposal"]["id"]: results} if "proposal" in results else {}


def outcomes(run: RunInfo) -> dict[str, dict[str, float]]:
    """What a run concluded, as ``{column: {row: value}}``: forecasts ``{model: {issue: outcome}}``;
    what-ifs ``{"model (baseline)"|"model (what-if)": {issue: median}}``; deals
    ``{proposal: {actor: gain}}``."""
    results = run.results or {}
    out: dict[str, dict[str, float]] = {}
    if run.kind == "deal":
        for pid, deal in _deals(results).items():
            out[pid] = {a: _num(v.get("gain")) for a, v in (deal.get("actors") or {}).items()}
        return out
    for name, entry in (results.get("models") or {}).items():
        issues = entry.get("issues") if isinstance(entry, dict) else None
        if not issues:
            continue
        if run.kind == "whatif":
            for side, shown in (("baseline", "baseline"), ("whatif", "what-if")):
                out[f"{name} ({shown})"] = {
                    i: _num((v.get(side) or {}).get("median")) for i, v in issues.items()
                }
        else:
            out[name] = {i: _num(v.get("outcome")) for i, v in issues.items()}
    return out


def compare(a: RunInfo, b: RunInfo) -> dict[str, Any]:
    """Per column (model, or proposal for deals) and row (issue, or actor): the value in each run and
    ``b - a``; and every setting in which the two runs differ."""
    oa, ob = outcomes(a), outcomes(b)
    values: dict[str, Any] = {}
    for col in [c for c in oa if c in ob]:
        rows = list(oa[col]) + [r for r in ob[col] if r not in oa[col]]
        values[col] = {}
        for row in rows:
            x, y = oa[col].get(row, math.nan), ob[col].get(row, math.nan)
            values[col][row] = {"a": x, "b": y, "difference": y - x}
    settings = {
        "kind": (a.kind, b.kind),
        "scenario": (f"{a.scenario_id} v{a.version}", f"{b.scenario_id} v{b.version}"),
        "seed": (a.seed, b.seed), "draws": (a.draws, b.draws), "models": (a.models, b.models),
        "accord_version": (a.accord_version, b.accord_version),
    }
    differ = {k: list(v) for k, v in settings.items() if v[0] != v[1]}
    params = {k: [a.params.get(k), b.params.get(k)] for k in dict.fromkeys([*a.params, *b.params])
              if a.params.get(k) != b.params.get(k)}
    if params:
        differ["params"] = params
    from accord.report.forecast_json import clean

    return clean({
        "a": a.summary(), "b": b.summary(), "differences": differ, "values": values,
        "only_in_a": [c for c in oa if c not in ob], "only_in_b": [c for c in ob if c not in oa],
    })


# rendering ------------------------------------------------------------------------------------
def _header(run: RunInfo) -> Text:
    text = Text(f"run {run.id}", style="bold")
    text.append(f"  {run.kind} of {run.scenario_id} v{run.version}, {run.created_at:%Y-%m-%d %H:%M} UTC, "
                f"accord {run.accord_version}", style="dim")
    bits = [f"seed {run.seed}" if run.seed is not None else "no seed",
            *([f"{run.draws:,} draws"] if run.draws else [])]
    if run.params:
        bits.append("params " + json.dumps(run.params, ensure_ascii=False))
    if run.label:
        bits.append(f"label {run.label!r}")
    text.append("\n" + "; ".join(bits), style="dim")
    return text


def _whatif_table(run: RunInfo) -> Table:
    """Issues down, models across: baseline → what-if median, Δ median paired difference, 5%…95%."""
    models = (run.results or {}).get("models") or {}
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_lines=True)
    table.add_column("issue", overflow="fold")
    for name in models:
        table.add_column(name, justify="right")
    issues = list(dict.fromkeys(i for m in models.values() for i in m.get("issues", {})))
    for issue in issues:
        cells: list[Any] = [Text(issue, style="bold")]
        for entry in models.values():
            v = entry.get("issues", {}).get(issue, {})
            base, new = v.get("baseline") or {}, v.get("whatif") or {}
            diff = v.get("difference") or {}
            cells.append(whatif_cell(base.get("median"), new.get("median"), diff.get("median"),
                                     diff.get("q05"), diff.get("q95")))
        table.add_row(*cells)
    return table


def _deal_table(run: RunInfo) -> Table:
    """Actors down, packages across: gain and verdict (V: vetoes); accepted or not at the foot."""
    results = run.results or {}
    per = _deals(results)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("actor")
    for pid in per:
        table.add_column(pid, justify="right")
    actors = list(dict.fromkeys(a for d in per.values() for a in d.get("actors", {})))
    for actor in actors:
        cells = []
        for deal in per.values():
            v = deal.get("actors", {}).get(actor)
            cells.append("" if v is None else f"{fmt_number(v.get('gain'), True)} {v.get('verdict', '')}"
                         + (" V" if v.get("vetoes") else ""))
        table.add_row(actor, *cells)
    table.add_row(Text("accepted", style="bold"),
                  *(Text("yes" if d.get("accepted") else "no", style="bold") for d in per.values()))
    return table


def _compare_table(result: dict[str, Any]) -> Table:
    a, b = result["a"]["id"], result["b"]["id"]
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for title, justify in (("model", "left"), ("issue", "left"), (f"run {a}", "right"),
                           (f"run {b}", "right"), ("difference", "right")):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for col, rows in result["values"].items():
        for n, (row, v) in enumerate(rows.items()):
            difference = Text(fmt_number(v["difference"], True), style="bold")
            table.add_row(col if n == 0 else "", row, fmt_number(v["a"]), fmt_number(v["b"]), difference,
                          end_section=n == len(rows) - 1)
    return table


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
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True,
                  padding=(0, 1))
    for title in ("run", "saved (UTC)", "kind", "scenario", "seed", "draws", "models / label"):
        table.add_column(title, no_wrap=title != "models / label", overflow="fold",
                         justify="right" if title in ("run", "draws") else "left")
    for r in runs:
        what = Text(", ".join(r.models) if len(r.models) <= 3 else f"{len(r.models)} models")
        if r.label:
            what.append(("\n" if r.models else "") + r.label, style="dim")
        table.add_row(str(r.id), f"{r.created_at:%m-%d %H:%M}", r.kind, f"{r.scenario_id} v{r.version}",
                      _short_seed(r.seed), str(r.draws or "–"), what)
    console.print(table)


@app.command("show")
def show_command(
    run_id: Annotated[int, typer.Argument(help="The run's id (see `accord runs list`).")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    trajectory: Annotated[bool, typer.Option(help="Forecasts: dynamic models' per-round positions.")] = False,
    db: DbOpt = None,
) -> None:
    """Reopen a run: its results as the command showed them (a forecast's table, or the JSON)."""
    store = open_store(db, must_exist=True)
    run = _get_run(store, run_id)
    if format is ShowFormat.json:
        write_json(run.results, None)
        return
    console.print(_header(run))
    if run.kind == "forecast":
        from accord.cli.forecast_cmd import render_table

        render_table(stored_forecast(run, store.version(run.scenario_version_id)), trajectory, False)
    elif run.kind == "whatif":
        console.print(_whatif_table(run))
    elif run.kind == "deal":
        console.print(_deal_table(run))
    else:
        write_json(run.results, None)


@app.command("compare")
def compare_command(
    run_a: Annotated[int, typer.Argument(help="The first run's id.")],
    run_b: Annotated[int, typer.Argument(help="The second run's id.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.table,
    db: DbOpt = None,
) -> None:
    """Compare two runs: per model and issue, the outcome in each and the difference (B - A)."""
    store = open_store(db, must_exist=True)
    a, b = _get_run(store, run_a), _get_run(store, run_b)
    result = compare(a, b)
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
    console.print(_compare_table(result))
    for key, run in (("only_in_a", a), ("only_in_b", b)):
        if result[key]:
            console.print(f"only in run {run.id}: {', '.join(result[key])}", style="yellow", markup=False)
