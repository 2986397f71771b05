"""Every kind of result, and reading any of them back from its stored JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.errors import AccordError
from accord.runs.backtest_run import BacktestRunResult
from accord.runs.deal_run import DealRunResult
from accord.runs.forecast_result import ForecastResult
from accord.runs.sensitivity_run import SensitivityRunResult
from accord.runs.strategy_run import StrategyResult
from accord.runs.whatif_result import WhatIfResult
from accord.scenario import Scenario

Result = (ForecastResult | WhatIfResult | DealRunResult | SensitivityRunResult | BacktestRunResult
          | StrategyResult)


def result_from_dict(kind: str, data: Mapping[str, Any], scenario: Scenario | None) -> Result:
    """Read a result back from its JSON (``result.to_dict()``).

    Parameters
    ----------
    kind : str
        The kind of run: forecast, whatif, deal, sensitivity, strategy or backtest.
    data : Mapping
        The JSON form.
    scenario : Scenario or None
        The scenario it ran on (every kind but backtest needs it).

    Returns
    -------
    Result
        The typed result.

    Raises
    ------
    AccordError
        On an unknown kind, or no scenario for a kind that needs one.
    """
    if kind == "backtest":
        return BacktestRunResult.from_dict(data)
    if scenario is None:
        raise AccordError(f"a {kind} result needs the scenario it ran on")
    readers: dict[str, Any] = {"forecast": ForecastResult, "whatif": WhatIfResult, "deal": DealRunResult,
                               "sensitivity": SensitivityRunResult, "strategy": StrategyResult}
    if kind not in readers:
        raise AccordError(f"unknown kind of run {kind!r}; known: {', '.join([*readers, 'backtest'])}")
    return readers[kind].from_dict(data, scenario)
