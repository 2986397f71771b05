"""Each kind of result as one Rich renderable: what ``--format table`` prints.

The command line prints these; ``accord runs show`` prints the same for a reopened run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

if TYPE_CHECKING:
    from accord.runs.forecast_result import ForecastResult



def forecast_view(fc: ForecastResult, width: int = 100, trajectory: bool = False,
                  details: bool = False) -> RenderableType:
    """Show a forecast as tables.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    width : int
        The width to lay out for, in columns.
    trajectory : bool
        Whether to add the dynamic models' rounds.
    details : bool
        Whether to add what the models report beyond the outcome.

    Returns
    -------
    RenderableType
        Title, the settlement-or-stalemate headline, the forecast per issue and model (in the
        layout that fits ``width``) with what it means, a legend of the columns, the models'
        one-line descriptions, the event probabilities and the warnings.
    """
    from accord.report.tables.forecast import (
        event_table,
        forecast_legend,
        forecast_tables,
        missing_draws_text,
        model_legend,
        trajectory_tables,
        uses_blocks,
        warnings_text,
    )

    s = fc.scenario
    parts: list[RenderableType] = [
        Text.assemble((s.title, "bold"), f"  (as of {s.as_of})" if s.as_of else ""),
    ]
    if fc.settlement is not None:
        from accord.report.tables.settlement import settlement_view

        parts += [settlement_view(fc.settlement), Rule("What the models forecast")]
    parts += [forecast_tables(fc, width=width), forecast_legend(fc, uses_blocks(fc, width)), Text(),
              model_legend(fc)]
    if fc.n_draws:
        parts += [*missing_draws_text(fc), event_table(fc, width=width)]
        parts += [Text(f"{name}: not run on the draws ({m.draws_skipped})", style="yellow")
                  for name, m in fc.models.items() if m.draws_skipped]
    if any(m.diagnostics for m in fc.models.values()):
        parts += [Text("Warnings (! beside a forecast): the number alone would mislead", style="bold"),
                  warnings_text(fc)]
    for name, m in fc.completed.items():
        if trajectory and m.n_rounds > 1:
            parts.append(trajectory_tables(fc, name, width=width))
        if details:
            lines = detail_lines(fc, name)
            if lines:
                parts.append(Rule(f"{name}: details"))
                parts += [Text(line) for line in lines]
    return Group(*parts)


def headline_text(result: Any) -> str | None:
    """Return a result's headline as text.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.

    Returns
    -------
    str or None
        Settlement or stalemate; None when the run has no such headline.
    """
    settlement = getattr(result, "settlement", None)
    if settlement is None:
        return None
    from accord.report.tables.settlement import headline_lines

    return " ".join(headline_lines(settlement))


def detail_lines(fc: ForecastResult, name: str) -> list[str]:
    """Return what a model reports beyond its outcome.

    Parameters
    ----------
    fc : ForecastResult
        The forecast.
    name : str
        The model's name.

    Returns
    -------
    list[str]
        Readable lines.
    """
    return fc.models[name].detail_lines


def view(result: Any, width: int = 80, **options: Any) -> RenderableType:
    """Show any result as tables: what ``--format table`` prints.

    Parameters
    ----------
    result : Any
        A result of :mod:`accord.runs`.
    width : int
        The width to lay out for, in columns.
    **options : Any
        ``trajectory`` and ``details`` for forecasts, ``top`` for sensitivity.

    Returns
    -------
    RenderableType
        The view.

    Raises
    ------
    ValueError
        If there is no view for the result's kind.
    """
    if result.kind == "forecast":
        return forecast_view(result, width, **options)
    if result.kind == "whatif":
        from accord.report.tables.whatif import whatif_view

        return whatif_view(result, width)
    if result.kind == "deal":
        from accord.report.tables.deal import deal_run_view

        return deal_run_view(result)
    if result.kind == "sensitivity":
        from accord.report.tables.sensitivity import sensitivity_view

        return sensitivity_view(result, width=width, **options)
    if result.kind == "strategy":
        from accord.report.tables.strategy import strategy_view

        return strategy_view(result, width)
    if result.kind == "backtest":
        from accord.report.tables.backtest import backtest_view

        return backtest_view(result.summary, width)
    raise ValueError(f"no view for a {result.kind} result")
