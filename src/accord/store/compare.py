"""Runs side by side: what each run concluded, as one table of values, for any kind of run.

The command line (``accord runs compare``) and the web's compare page both read this, so a
forecast, a what-if and a deal are tabulated the same way everywhere:

* forecast: a column per model, a row per issue, the forecast;
* what-if: two columns per model, ``MODEL (baseline)`` and ``MODEL (what-if)``, the medians;
* deal: a column per package, a row per actor, the actor's gain.
"""

from __future__ import annotations

import math
from typing import Any

from accord.jsonsafe import clean
from accord.runs import KIND_LABELS
from accord.store.results import load_result
from accord.store.store import RunInfo, Store


def headline_values(result: Any) -> dict[str, dict[str, float]]:
    """Return what a run concluded, as a table of values.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.

    Returns
    -------
    dict[str, dict[str, float]]
        ``{column: {row: value}}`` (see the module docstring); empty for other kinds of run.
    """
    out: dict[str, dict[str, float]] = {}
    if result.kind == "forecast":
        ids = result.scenario.issue_ids
        for name, m in result.completed.items():
            out[name] = {i: float(m.outcome[k]) for k, i in enumerate(ids)}
    elif result.kind == "whatif":
        ids = result.scenario.issue_ids
        for name, m in result.models.items():
            for side, stats in (("baseline", m.baseline), (KIND_LABELS["whatif"], m.whatif)):
                out[f"{name} ({side})"] = {i: float(stats["median"][k]) for k, i in enumerate(ids)}
    elif result.kind == "deal":
        for pid, deal in result.packages.items():
            out[pid] = {a: math.nan if v.get("gain") is None else float(v["gain"])
                        for a, v in (deal.get("actors") or {}).items()}
    elif result.kind == "strategy":
        levers = [lv for lv in result.levers if lv["evaluated"]] + [result.payload.get("plan") or {}]
        out[f"gain of {result.actor}"] = {lv["label"]: float(lv["expected_gain"]) for lv in levers if lv}
    return out


def stored_values(store: Store, run: RunInfo) -> dict[str, dict[str, float]]:
    """Return :func:`headline_values` of a stored run.

    Parameters
    ----------
    store : Store
        The run history.
    run : RunInfo
        The run, with its results.

    Returns
    -------
    dict[str, dict[str, float]]
        ``{column: {row: value}}``.
    """
    return headline_values(load_result(run, store.version(run.scenario_version_id)))


def compare_two(store: Store, a: RunInfo, b: RunInfo) -> dict[str, Any]:
    """Compare two stored runs.

    Parameters
    ----------
    store : Store
        The run history.
    a, b : RunInfo
        The runs, with their results.

    Returns
    -------
    dict[str, Any]
        JSON-safe: the runs' summaries (``a``, ``b``); ``values``, per column and row the value
        in each run and ``difference`` (``b - a``); ``differences``, every setting the runs
        differ in; the columns only in one run (``only_in_a``, ``only_in_b``).
    """
    oa, ob = stored_values(store, a), stored_values(store, b)
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
        "accord_version": (a.accord_version, b.accord_version), "label": (a.label, b.label),
    }
    differ: dict[str, Any] = {k: list(v) for k, v in settings.items() if v[0] != v[1]}
    params = {k: [a.params.get(k), b.params.get(k)] for k in dict.fromkeys([*a.params, *b.params])
              if a.params.get(k) != b.params.get(k)}
    if params:
        differ["params"] = params
    return clean({
        "a": a.summary(), "b": b.summary(), "differences": differ, "values": values,
        "only_in_a": [c for c in oa if c not in ob], "only_in_b": [c for c in ob if c not in oa],
    })


def compare_many(store: Store, runs: list[RunInfo]) -> dict[str, Any]:
    """Put every (run, column) of several stored runs in one table.

    Parameters
    ----------
    store : Store
        The run history.
    runs : list[RunInfo]
        The runs, with their results.

    Returns
    -------
    dict[str, Any]
        JSON-safe: the runs' summaries (``runs``), ``columns``, the union of the rows in order
        (``issues``) and per row the values of each column (``rows``, None where missing).
    """
    columns: list[dict[str, Any]] = []
    rows: list[str] = []
    values: list[dict[str, float]] = []
    for run in runs:
        for col, per_row in stored_values(store, run).items():
            columns.append({"run": run.id, "model": col, "label": f"run {run.id}: {col}",
                            "scenario_id": run.scenario_id, "version": run.version, "seed": run.seed})
            values.append(per_row)
            rows += [r for r in per_row if r not in rows]
    table = {row: [v.get(row) for v in values] for row in rows}
    return clean({"runs": [r.summary() for r in runs], "columns": columns, "issues": rows, "rows": table})
