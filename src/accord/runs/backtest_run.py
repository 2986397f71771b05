"""Backtest runs: every model on negotiations with known outcomes, from a :class:`BacktestSpec`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import AccordError
from accord.runs.spec import BacktestSpec
from accord.runs.stored import payload_json, payload_of


@dataclass(frozen=True)
class BacktestRunResult:
    """What ``accord backtest`` answers: per-model error metrics with bootstrap intervals.

    Attributes
    ----------
    spec : BacktestSpec
        The request.
    summary : dict
        The metrics, in their JSON form.
    live : Any
        While the run is fresh, the per-issue forecasts (for charts); None once reopened.
    kind : str
        ``backtest``.
    """

    spec: BacktestSpec
    summary: dict[str, Any]
    live: Any = field(default=None, compare=False, repr=False)
    kind: str = "backtest"

    def to_dict(self) -> dict[str, Any]:
        """Return the result's JSON: ``kind``, ``spec`` and the summary's fields.

        Returns
        -------
        dict
            The JSON form (NaN and infinities as null).
        """
        return payload_json(self.kind, self.spec, self.summary)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BacktestRunResult:
        """Read a result back from :meth:`to_dict`'s JSON.

        Parameters
        ----------
        data : Mapping
            The JSON form.

        Returns
        -------
        BacktestRunResult
            The result, without its live forecasts.
        """
        summary = payload_of(data)
        return cls(BacktestSpec.model_validate(data["spec"]), summary)


def data_path(name: str) -> Path:
    """Find a data set: a built-in one by name, or the DEU file or folder at that path.

    Parameters
    ----------
    name : str
        A path or a built-in data set's name (a path that exists wins).

    Returns
    -------
    Path
        The file or folder.

    Raises
    ------
    AccordError
        When there is neither such a path nor such a data set.
    """
    path = Path(name)
    if path.exists():
        return path
    try:
        from accord.data import dataset_names, dataset_path
    except ImportError:  # pragma: no cover  (a tree without the packaged data sets)
        raise AccordError(f"{name}: no such file or folder") from None
    if name in dataset_names():
        return dataset_path(name)
    raise AccordError(f"{name}: no such file or folder, and no built-in data set of that name "
                      f"(built-in: {', '.join(dataset_names())})")


def run_backtest(spec: BacktestSpec, progress: Any) -> BacktestRunResult:
    """Forecast every scoreable issue of the data set with every chosen model and score them.

    Parameters
    ----------
    spec : BacktestSpec
        The request: data set, models, grouping, seed, bootstrap size, cross-validation.
    progress : Progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``; one step
        per model.

    Returns
    -------
    BacktestRunResult
        The metrics, and the forecasts while fresh.

    Raises
    ------
    AccordError
        When the data set is not found or no model could run on its issues.
    """
    from accord.evaluate.backtest import run_backtest as backtest
    from accord.evaluate.summary import summarize
    from accord.runs.models import model_names
    from accord.scenario.io.deu import load_deu

    names = model_names(spec.models)
    data = load_deu(data_path(spec.data))
    with progress("backtest", len(names)) as advance:
        done: set[str] = set()

        def report(model: str, n: int, total: int) -> None:
            if n == total and model not in done:
                done.add(model)
                advance(1)

        bt = backtest(data.cases, names, seed=spec.seed, progress=report, cross_validate=spec.cross_validate)
    if not bt.completed:
        reasons = "; ".join(f"{n}: {r.skipped}" for n, r in bt.results.items())
        raise AccordError(f"no model could run on these issues ({reasons})")
    summary = summarize(bt, list(spec.by), seed=spec.seed, n_boot=spec.n_boot, source=data.source)
    return BacktestRunResult(spec, summary, bt)
