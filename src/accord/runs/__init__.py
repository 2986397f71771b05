"""One run path: a validated request (a spec) -> :func:`execute` -> a typed result.

Specs (:mod:`accord.runs.spec`) say what to run; :func:`execute` runs it; each result renders
through :mod:`accord.report` and round-trips through JSON (``to_dict`` / :func:`result_from_dict`),
which is how the run history stores it. Example::

    from accord.runs import ForecastSpec, execute

    result = execute(ForecastSpec(models=["compromise", "eum"], draws=1000, seed=7))
    result.outcomes()
"""

from typing import Any

from accord.runs.execute import build, execute, quiet
from accord.runs.spec import (
    KIND_LABELS,
    BacktestSpec,
    BriefSpec,
    Change,
    DealSpec,
    ForecastSpec,
    ModelChoice,
    RunSpec,
    SensitivitySpec,
    StrategySpec,
    WhatIfSpec,
    spec_from_dict,
)

__all__ = [
    "KIND_LABELS", "BacktestSpec", "BriefSpec", "Change", "DealSpec", "ForecastSpec", "ModelChoice", "Result",
    "RunSpec", "SensitivitySpec", "StrategySpec", "WhatIfSpec", "build", "execute", "quiet",
    "result_from_dict", "spec_from_dict",
]


def __getattr__(name: str) -> Any:
    """Import ``Result`` and ``result_from_dict`` on first use.

    They import every kind of result (and pandas), which running one forecast does not need.
    """
    if name not in ("Result", "result_from_dict"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from accord.runs import results

    value = getattr(results, name)
    globals()[name] = value
    return value
