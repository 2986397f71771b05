"""The ``accord`` command: forecast, scenario, and the commands of later layers."""

from __future__ import annotations

import os
import sys
from typing import Any, cast

import typer
from rich.markup import escape

from accord import __version__
from accord.cli import runs_cmd, scenario_cmd
from accord.cli.backtest_cmd import backtest_command
from accord.cli.common import err_console
from accord.cli.deal_cmd import deal_command
from accord.cli.forecast_cmd import forecast_command
from accord.cli.models_cmd import models_command
from accord.cli.report_cmd import report_command
from accord.cli.sensitivity_cmd import sensitivity_command
from accord.cli.serve_cmd import serve_command
from accord.cli.strategy_cmd import strategy_command
from accord.cli.sweep_cmd import sweep_command
from accord.cli.whatif_cmd import whatif_command
from accord.errors import AccordError


def _click_errors() -> tuple[type[Exception], ...]:
    """Return Click's user-error class, as Typer raises it.

    Typer >= 0.17 ships its own copy of click (``typer._click``), whose exceptions are not
    ``click.ClickException``.
    """
    import click

    found: list[type[Exception]] = [click.ClickException]
    found += [c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"]
    return tuple(dict.fromkeys(found))


_CLICK_ERRORS = _click_errors()

app = typer.Typer(
    name="accord",
    help="Forecast how multi-party negotiations end.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("forecast")(forecast_command)
app.command("backtest")(backtest_command)
app.command("whatif")(whatif_command)
app.command("sensitivity")(sensitivity_command)
app.command("sweep")(sweep_command)
app.command("deal")(deal_command)
app.command("strategy")(strategy_command)
app.add_typer(scenario_cmd.app, name="scenario")
app.add_typer(runs_cmd.app, name="runs")
app.command("report")(report_command)
app.command("models")(models_command)
app.command("serve")(serve_command)


def _version(value: bool) -> None:
    if value:
        print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Forecast how multi-party negotiations end."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors print one readable message and exit 1, never a traceback."""
    from accord.cli.grammar import tidy

    try:
        command = tidy(typer.main.get_command(app))
        result = command.main(args=argv, prog_name="accord", standalone_mode=False)
    except AccordError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return 1
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except _CLICK_ERRORS as exc:  # bad options, values, missing arguments: usage, exit 2
        usage = cast(Any, exc)  # a ClickException, possibly Typer's own copy (see _click_errors)
        usage.show()
        return int(usage.exit_code)
    except Exception as exc:  # noqa: BLE001  (the last line of defence for users)
        if os.environ.get("ACCORD_DEBUG"):
            raise
        err_console.print(
            f"[red]internal error:[/red] {type(exc).__name__}: {escape(str(exc))}\n"
            "This is a bug in accord; rerun with ACCORD_DEBUG=1 for the traceback "
            "and report it.",
            highlight=False,
        )
        return 70
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
