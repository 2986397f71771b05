"""``execute(spec) -> result``: the one path from a request to an answer.

The command line, the web workbench and Python scripts all call :func:`execute`; the front ends
only build a spec (:mod:`accord.runs.spec`) and render the result (:mod:`accord.report`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from pydantic import ValidationError

from accord.errors import AccordError
from accord.experiments.progress import Advance, no_progress
from accord.runs.budget import LOCAL, Limits, check
from accord.runs.spec import (
    BacktestSpec,
    BriefSpec,
    DealSpec,
    ForecastSpec,
    SensitivitySpec,
    StrategySpec,
    SweepSpec,
    WhatIfSpec,
)
from accord.scenario import Scenario

#: ``progress(description, total)`` -> a context manager yielding ``advance(n)``; the CLI shows a
#: bar on a terminal, the web and scripts use :func:`quiet`
Progress = Callable[[str, int], AbstractContextManager[Advance]]


@contextmanager
def quiet(description: str, total: int) -> Iterator[Advance]:
    """Report no progress: the reporter of the web and of scripts.

    Parameters
    ----------
    description : str
        What runs (ignored).
    total : int
        Steps in all (ignored).

    Yields
    ------
    Advance
        An ``advance(n)`` that does nothing.
    """
    yield no_progress


def build(spec_type: type, **fields: Any) -> Any:
    """Build a spec from keyword fields.

    Parameters
    ----------
    spec_type : type
        The spec's class (:mod:`accord.runs.spec`).
    **fields : Any
        Its fields.

    Returns
    -------
    Any
        The spec, an instance of ``spec_type``.

    Raises
    ------
    AccordError
        When fields are invalid: one readable message naming each of them.
    """
    try:
        return spec_type(**fields)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "request"
            lines.append(f"{where}: {err['msg']} (got {err.get('input')!r})")
        raise AccordError("; ".join(lines)) from None


def resolve(spec: Any, scenario: Scenario | None) -> Scenario:
    """Return the scenario a spec names (a file or a built-in name), unless the caller holds it.

    Parameters
    ----------
    spec : Any
        A spec with ``scenario`` and ``input_format``.
    scenario : Scenario or None
        The scenario, when the caller holds it already (returned as it is).

    Returns
    -------
    Scenario
        The scenario.
    """
    if scenario is not None:
        return scenario
    from accord.scenario.resolve import resolve_scenario

    return resolve_scenario(spec.scenario, spec.input_format)


def execute(spec: Any, scenario: Scenario | None = None, progress: Progress = quiet,
            read_files: bool = True, limits: Limits | None = LOCAL) -> Any:
    """Run ``spec`` and return its typed result.

    Parameters
    ----------
    spec
        A :class:`ForecastSpec`, :class:`WhatIfSpec`, :class:`DealSpec`, :class:`SensitivitySpec`,
        :class:`BacktestSpec`, :class:`SweepSpec`, :class:`StrategySpec` or :class:`BriefSpec`.
    scenario
        The scenario to run on, when the caller holds it already (the web's stored versions);
        otherwise the one ``spec.scenario`` names.
    progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``.
    read_files
        Whether the spec may name files to read (scenarios, proposals, what-ifs, sweeps); a server
        passes False so that a request can never read the server's files.
    limits
        What the run may cost (:mod:`accord.runs.budget`): a run whose estimate exceeds them is
        refused with :class:`~accord.runs.budget.OverBudget` before any work; ``None``: no check.

    Returns
    -------
    ForecastResult | WhatIfResult | DealRunResult | SensitivityRunResult | BacktestRunResult |
    SweepRunResult | StrategyResult | BriefResult
    """
    from accord.cores import limited

    with limited(getattr(spec, "workers", None)):
        return _execute(spec, scenario, progress, read_files, limits)


def _execute(spec: Any, scenario: Scenario | None, progress: Progress, read_files: bool,
             limits: Limits | None) -> Any:
    if not read_files:
        _no_files(spec, scenario)
    if isinstance(spec, ForecastSpec | WhatIfSpec | DealSpec | SensitivitySpec):
        held = resolve(spec, scenario)
        check(spec, held, limits)  # before any work
        if isinstance(spec, ForecastSpec):
            return _forecast(spec, held, progress)
        if isinstance(spec, WhatIfSpec):
            return _whatif(spec, held, progress)
        if isinstance(spec, DealSpec):
            from accord.runs.deal_run import run_deal

            return run_deal(spec, held, read_files)
        from accord.runs.sensitivity_run import run_sensitivity

        return run_sensitivity(spec, held, progress)
    if isinstance(spec, BacktestSpec):
        from accord.runs.backtest_run import run_backtest

        return run_backtest(spec, progress)
    if isinstance(spec, SweepSpec):
        from accord.runs.sweep_run import run_sweep

        return run_sweep(spec, progress)
    if isinstance(spec, StrategySpec):
        from accord.runs.strategy_run import run_strategy

        return run_strategy(spec, resolve(spec, scenario), progress)
    if isinstance(spec, BriefSpec):
        from accord.runs.brief import run_brief

        return run_brief(spec, resolve(spec, scenario), progress, read_files)
    raise TypeError(f"not a run spec: {type(spec).__name__}")


def _no_files(spec: Any, scenario: Scenario | None) -> None:
    """Refuse a spec that would read files (see ``read_files``); proposals are checked as ids."""
    if isinstance(spec, BacktestSpec | SweepSpec) or scenario is None:
        raise AccordError(f"a {spec.kind} run reads files; it is not available here")
    if isinstance(spec, WhatIfSpec) and spec.change.files:
        raise AccordError("what-if files cannot be read here; write the changes instead")


def _forecast(spec: ForecastSpec, scenario: Scenario, progress: Progress) -> Any:
    from accord.experiments.events import parse_event
    from accord.experiments.forecast import forecast
    from accord.runs.forecast_result import ForecastResult
    from accord.runs.models import configure

    for text in spec.events:
        parse_event(text, scenario.issue_ids)  # a bad event fails before any work
    if spec.events and not spec.draws:
        raise AccordError("events need draws (their probabilities are shares of Monte Carlo draws)")
    models = configure(spec, scenario)
    with progress("draws" if spec.draws else "models", (spec.draws + 1) * len(models)) as advance:
        fc = forecast(scenario, models, seed=spec.seed, draws=spec.draws, events=spec.events,
                      advance=advance, workers=spec.workers)
    if not fc.completed:
        reasons = "; ".join(f"{n}: {r.skipped}" for n, r in fc.runs.items())
        raise AccordError(f"no model could run on this scenario ({reasons})")
    return ForecastResult.from_forecast(spec, fc, settlement_of(fc, spec, progress))


def _capped(advance: Advance, total: int) -> Advance:
    """Return ``advance`` that stops counting at ``total`` (for a total that is a lower bound)."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        n = min(n, total - done)
        done += n
        if n:
            advance(n)

    return step


def settlement_of(fc: Any, spec: ForecastSpec, progress: Progress = quiet) -> Any:
    """Analyse settlement or stalemate on the forecast's draws.

    The anchor is the median of the models' forecasts in each draw (see
    :mod:`accord.analysis.settlement`). With draws, ``progress`` counts the draws whose linear
    programs are solved: two per draw at least (the zone's width, then the nearest package or
    the payments).

    Parameters
    ----------
    fc : Forecast
        A forecast with at least one completed model.
    spec : ForecastSpec
        The request (its seed and veto rule).
    progress : callable, optional
        ``progress(description, total)``, a context manager yielding ``advance(n)``.

    Returns
    -------
    Settlement
        The analysis.
    """
    import warnings

    import numpy as np

    from accord.analysis.batched_lp import reporting
    from accord.analysis.settlement import settle

    names = list(fc.completed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an issue no model forecasts: all NaN
        central = np.nanmedian(np.stack([fc.completed[n].trajectory.final for n in names]), axis=0)
        finals = fc.ensemble.finals if fc.ensemble is not None else {}
        anchors = np.nanmedian(np.stack(list(finals.values())), axis=0) if finals else None
    label = (f"the median of the forecasts of {', '.join(names)}" if len(names) > 1
             else f"the forecast of {names[0]}")
    from accord.analysis.acceptance import Rules

    n_draws = fc.ensemble.n_draws if fc.ensemble is not None else 0
    solved = min(n_draws, spec.settlement_draws)
    with (progress("settlement: linear programs per draw", 2 * solved) as advance,
          reporting(_capped(advance, 2 * solved))):
        return settle(fc.scenario, anchors, central, n_draws, spec.seed, anchor_label=label,
                      rules=Rules(veto_rule=spec.veto_rule), max_draws=spec.settlement_draws)


def intervention(spec: WhatIfSpec, scenario: Scenario) -> Any:
    """Return the what-if's change as one intervention: named ones, then files, then written ones.

    Parameters
    ----------
    spec : WhatIfSpec
        The request.
    scenario : Scenario
        The scenario (its named what-ifs).

    Returns
    -------
    Intervention
        The what-ifs combined.

    Raises
    ------
    AccordError
        When a named what-if or a file is unknown, a change does not parse, or nothing is
        changed at all.
    """
    from pathlib import Path

    from accord.experiments.interventions import Intervention, parse_assignment, parse_new_actor
    from accord.experiments.whatif import combine, load_whatifs, named_whatif

    change = spec.change
    parts: list[Intervention] = [named_whatif(scenario.id, n) for n in change.named]
    for file in change.files:
        parts.extend(load_whatifs(Path(file)))
    if change.set or change.add or change.remove:
        parts.append(Intervention(
            id="command-line", name="written changes",
            add=tuple(parse_new_actor(a) for a in change.add),
            set=tuple(parse_assignment(s) for s in change.set), remove=tuple(change.remove),
        ))
    if not parts:
        raise AccordError("nothing to change: name a what-if or write a change, e.g. capability[us] *= 0.5")
    return combine(parts, id="+".join(p.id for p in parts))


def _whatif(spec: WhatIfSpec, scenario: Scenario, progress: Progress) -> Any:
    from accord.experiments.events import parse_event
    from accord.experiments.whatif import whatif
    from accord.runs.models import configure
    from accord.runs.whatif_result import WhatIfResult

    events = [parse_event(text, scenario.issue_ids) for text in spec.events]
    iv = intervention(spec, scenario)
    models = configure(spec, scenario)
    with progress("what-if", 2 * max(spec.draws, 1) * len(models)) as advance:
        try:
            paired = whatif(scenario, iv, spec.draws, spec.seed, models, advance=advance,
                            workers=spec.workers)
        except ValueError as exc:
            raise AccordError(f"the what-if could not run: {exc}") from None
    return WhatIfResult.from_outcomes(spec, paired, events)
