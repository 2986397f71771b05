"""Results in the run history: store a result of :mod:`accord.runs`, and read it back.

A run's row records what was asked (the models, seed, draws and label in their columns; the
spec's other fields that differ from their defaults as ``params``) and the result's JSON; reading
it back gives the same typed result, so a reopened run renders exactly as it did when it ran.
"""

from __future__ import annotations

from typing import Any

from accord.runs import KIND_LABELS, result_from_dict
from accord.runs.results import Result
from accord.store.store import RunInfo, Store, VersionInfo


def run_models(result: Any) -> list[str]:
    """Return the models a result ran.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.

    Returns
    -------
    list[str]
        The model names; none for a deal.
    """
    if result.kind in ("forecast", "whatif", "strategy"):
        return list(result.models)
    if result.kind == "sensitivity":
        return [result.model]
    return []


def default_label(result: Any) -> str | None:
    """Return what names a run in lists.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.

    Returns
    -------
    str or None
        The user's label if given, else a what-if's name, a deal's packages, a strategy's actor;
        None for other runs.
    """
    if result.spec.label:
        return result.spec.label
    if result.kind == "whatif":
        return result.change.get("name") or result.change.get("id")
    if result.kind == "deal":
        return " vs ".join(result.packages)
    if result.kind == "strategy":
        return f"strategy for {result.actor}"
    return None


def run_fields(result: Any) -> dict[str, Any]:
    """Return what a run's row records of a result.

    Plain JSON, so a worker process can compute it and the server record it.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.

    Returns
    -------
    dict[str, Any]
        The keyword arguments of ``Store.record_run`` but the version id.

    Raises
    ------
    ValueError
        If runs of this kind (e.g. a backtest) are not kept in the run history.
    """
    if result.kind not in KIND_LABELS or result.kind == "backtest":
        raise ValueError(f"a {result.kind} run is not kept in the run history")
    spec = result.spec.model_dump(mode="json")
    columns = {"kind", "label", "models", "seed", "draws"}  # kept in their own columns
    asked = result.spec.model_dump(mode="json", exclude_defaults=True, exclude=columns)
    return dict(kind=result.kind, models=run_models(result), params=asked, results=result.to_dict(),
                seed=spec.get("seed"), draws=spec.get("draws") or None, label=default_label(result))


def save_result(store: Store, result: Any, origin: str, source_name: str | None = None,
                version_id: int | None = None) -> RunInfo:
    """Record a result on its scenario, in one transaction.

    Parameters
    ----------
    store : Store
        The run history.
    result : Any
        A result of :mod:`accord.runs`.
    origin : str
        Where the scenario came from.
    source_name : str or None
        The file or upload it was read from; default: the scenario's id.
    version_id : int or None
        The stored version to record the run on (the web); when None, the scenario is stored as
        its next version or the identical stored one is reused.

    Returns
    -------
    RunInfo
        The stored run.
    """
    fields = run_fields(result)
    if version_id is not None:
        return store.record_run(version_id, **fields)
    return store.save_run(result.scenario, origin, source_name=(source_name or result.scenario.id)[:300],
                          **fields)


def load_result(run: RunInfo, version: VersionInfo) -> Result:
    """Return the typed result of a stored run.

    Parameters
    ----------
    run : RunInfo
        The run, with its results.
    version : VersionInfo
        The scenario version it ran on.

    Returns
    -------
    Result
        The result, as it was when the run was made.
    """
    return result_from_dict(run.kind, run.results or {}, version.scenario())
