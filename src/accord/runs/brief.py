"""A brief: one scenario's forecast, what-ifs, deals and sensitivity, run together for a reader.

:func:`run_brief` executes the runs a :class:`~accord.runs.spec.BriefSpec` asks for through the
one run path (each is an ordinary spec given to :func:`accord.runs.execute`) and returns a
:class:`BriefResult`; :mod:`accord.report.brief` renders it as one self-contained HTML page or as
Markdown. Saved runs from the history (``accord report --run N``) are attached by the caller,
which holds the store (:meth:`BriefResult.with_saved`).

What it runs, by default:

* the forecast of every chosen model, with ``draws`` draws of the inputs (bands);
* every named what-if of the scenario (``whatifs`` to choose; names or what-if files);
* the scenario's proposals, judged side by side against the status quo (``proposals``);
* a sensitivity analysis of the ``sensitivity`` issues the models disagree on most (Morris
  screening under ``sensitivity_model``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from accord import __version__
from accord.runs.spec import BriefSpec, Change, DealSpec, ForecastSpec, SensitivitySpec, WhatIfSpec
from accord.scenario import Scenario


@dataclass(frozen=True)
class BriefResult:
    """Everything a brief shows: the runs it made, and saved runs attached to it.

    Attributes
    ----------
    spec : BriefSpec
        The request.
    scenario : Scenario
        The scenario.
    forecast : ForecastResult
        The forecast.
    whatifs : list of WhatIfResult
        One per what-if.
    deal : DealRunResult or None
        The proposals judged, when there are any.
    sensitivity : list of SensitivityRunResult
        One per disputed issue analysed.
    saved : list of (int, result)
        Saved runs attached, with their run ids.
    accord_version : str
        The version that made the brief.
    kind : str
        ``brief``.
    """

    spec: BriefSpec
    scenario: Scenario
    forecast: Any  # ForecastResult
    whatifs: list[Any] = field(default_factory=list)  # WhatIfResult
    deal: Any = None  # DealRunResult
    sensitivity: list[Any] = field(default_factory=list)  # SensitivityRunResult
    saved: list[tuple[int, Any]] = field(default_factory=list)  # (run id, any result)
    accord_version: str = __version__
    kind: str = "brief"

    def disputed(self) -> list[tuple[str, float]]:
        """Rank the issues by how far the models disagree, most disputed first.

        Returns
        -------
        list of (str, float)
            ``(issue id, spread)``, the spread being the highest minus the lowest forecast, as a
            share of the issue's scale; issues without a finite spread are left out.
        """
        outcomes = self.forecast.outcomes()
        spans = {i.id: i.scale.max - i.scale.min for i in self.scenario.issues}
        spread = (outcomes.max(axis=1) - outcomes.min(axis=1)) / [spans[i] for i in outcomes.index]
        ranked = sorted(
            ((str(i), float(v)) for i, v in spread.items() if np.isfinite(v)), key=lambda t: -t[1]
        )
        return ranked

    def with_saved(self, runs: Sequence[tuple[int, Any]]) -> BriefResult:
        """Return the same brief with saved runs attached.

        Parameters
        ----------
        runs : Sequence of (int, result)
            ``(run id, result)`` pairs.

        Returns
        -------
        BriefResult
            A copy with the runs added after those already attached.
        """
        return replace(self, saved=[*self.saved, *runs])

    def to_dict(self) -> dict[str, Any]:
        """Return the brief's JSON: each part as its own result's JSON.

        Returns
        -------
        dict
            ``kind``, ``spec``, ``accord_version``, ``scenario`` (id, title, as_of), ``forecast``,
            ``whatifs``, ``deal``, ``sensitivity`` and ``saved`` (``{run, kind, results}``).
        """
        from accord.jsonsafe import clean

        return clean(
            {
                "kind": self.kind,
                "spec": self.spec.model_dump(mode="json"),
                "accord_version": self.accord_version,
                "scenario": {
                    "id": self.scenario.id,
                    "title": self.scenario.title,
                    "as_of": self.scenario.as_of.isoformat() if self.scenario.as_of else None,
                },
                "forecast": self.forecast.to_dict(),
                "whatifs": [w.to_dict() for w in self.whatifs],
                "deal": self.deal.to_dict() if self.deal is not None else None,
                "sensitivity": [s.to_dict() for s in self.sensitivity],
                "saved": [
                    {"run": run_id, "kind": r.kind, "results": r.to_dict()} for run_id, r in self.saved
                ],
            }
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario) -> BriefResult:
        """Read a brief back from :meth:`to_dict`'s JSON.

        Parameters
        ----------
        data : Mapping
            The JSON form.
        scenario : Scenario
            The scenario it ran on (saved runs must be of this scenario too).

        Returns
        -------
        BriefResult
            The brief.
        """
        from accord.runs.results import result_from_dict

        return cls(
            BriefSpec.model_validate(data["spec"]),
            scenario,
            result_from_dict("forecast", data["forecast"], scenario),
            [result_from_dict("whatif", w, scenario) for w in data.get("whatifs") or []],
            result_from_dict("deal", data["deal"], scenario) if data.get("deal") else None,
            [result_from_dict("sensitivity", s, scenario) for s in data.get("sensitivity") or []],
            [
                (int(s["run"]), result_from_dict(s["kind"], s["results"], scenario))
                for s in data.get("saved") or []
            ],
            str(data.get("accord_version") or __version__),
        )


def whatif_changes(spec: BriefSpec, scenario: Scenario, read_files: bool) -> list[Change]:
    """Return one change per what-if the brief asks for.

    Parameters
    ----------
    spec : BriefSpec
        The request; ``spec.whatifs`` None means every named what-if of the scenario.
    scenario : Scenario
        The scenario.
    read_files : bool
        Whether files may be read: a name that is a file is then a what-if file.

    Returns
    -------
    list of Change
        A what-if file's change when the name is a file (and files may be read), else a named
        what-if of the scenario.
    """
    from accord.experiments.whatif import builtin_whatifs

    if spec.whatifs is None:
        return [Change(named=[w.id]) for w in builtin_whatifs(scenario.id)]
    changes = []
    for given in spec.whatifs:
        if read_files and Path(given).is_file():
            changes.append(Change(files=[given]))
        else:
            changes.append(Change(named=[given]))
    return changes


def run_brief(spec: BriefSpec, scenario: Scenario, progress: Any, read_files: bool = True) -> BriefResult:
    """Run the forecast, the what-ifs, the deals and the sensitivity analyses of a brief.

    Each part goes through :func:`accord.runs.execute` as an ordinary spec. Sensitivity is
    analysed for the ``spec.sensitivity`` most disputed issues, skipping those the models agree
    on.

    Parameters
    ----------
    spec : BriefSpec
        The request.
    scenario : Scenario
        The scenario.
    progress : Progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``.
    read_files : bool, optional
        Whether the spec may name files (what-if and proposal files).

    Returns
    -------
    BriefResult
        The runs, without saved runs (the caller attaches them).
    """
    from accord.runs.execute import execute

    common: dict[str, Any] = {"models": spec.models, "params": spec.params, "rounds": spec.rounds,
                              "seed": spec.seed}
    forecast = execute(
        ForecastSpec(scenario=spec.scenario, input_format=spec.input_format, draws=spec.draws, **common),
        scenario,
        progress,
        read_files,
    )
    whatifs = [
        execute(
            WhatIfSpec(
                scenario=spec.scenario,
                input_format=spec.input_format,
                change=change,
                draws=max(spec.draws, 1),
                **common,
            ),
            scenario,
            progress,
            read_files,
        )
        for change in whatif_changes(spec, scenario, read_files)
    ]
    proposals = [p.id for p in scenario.proposals] if spec.proposals is None else list(spec.proposals)
    deal = None
    if proposals:
        deal = execute(
            DealSpec(
                scenario=spec.scenario,
                input_format=spec.input_format,
                proposals=proposals,
                compare=len(proposals) > 1,
                draws=spec.draws,
                seed=spec.seed,
            ),
            scenario,
            progress,
            read_files,
        )
    result = BriefResult(spec, scenario, forecast, whatifs, deal)
    sensitivity = []
    for issue, spread in result.disputed()[: spec.sensitivity]:
        if spread <= 0:
            break
        sensitivity.append(
            execute(
                SensitivitySpec(
                    scenario=spec.scenario,
                    input_format=spec.input_format,
                    issue=issue,
                    model=spec.sensitivity_model,
                    method="morris",
                    samples=spec.sensitivity_samples,
                    seed=spec.seed,
                ),
                scenario,
                progress,
                read_files,
            )
        )
    return replace(result, sensitivity=sensitivity)
