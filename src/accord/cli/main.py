"""The ``accord`` command: forecast, scenario, and the commands of later layers.

A command's module loads when that command runs: ``accord forecast ...`` builds the command line of
``forecast`` alone and ``accord --version`` none, while ``accord --help`` (and any name that is not
a command, for Click's suggestion) builds all of them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection
from importlib import import_module
from typing import Any, cast

import typer
from rich.markup import escape

from accord import __version__
from accord.cli.common import err_console
from accord.errors import AccordError

#: the commands in the order ``accord --help`` lists them: name -> (module in accord.cli, its
#: command function, or the Typer app of a group of commands)
COMMANDS = {
    "forecast": ("forecast_cmd", "forecast_command"),
    "backtest": ("backtest_cmd", "backtest_command"),
    "whatif": ("whatif_cmd", "whatif_command"),
    "sensitivity": ("sensitivity_cmd", "sensitivity_command"),
    "sweep": ("sweep_cmd", "sweep_command"),
    "deal": ("deal_cmd", "deal_command"),
    "strategy": ("strategy_cmd", "strategy_command"),
    "scenario": ("scenario_cmd", "app"),
    "runs": ("runs_cmd", "app"),
    "report": ("report_cmd", "report_command"),
    "models": ("models_cmd", "models_command"),
    "serve": ("serve_cmd", "serve_command"),
}


def _click_errors() -> tuple[type[Exception], ...]:
    """Return Click's user-error class, as Typer raises it.

    Typer >= 0.17 ships its own copy of click (``typer._click``), whose exceptions are not
    ``click.ClickException``; older Typer raises click's own. Either is in the method resolution
    order of ``typer.BadParameter``.
    """
    return tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


_CLICK_ERRORS = _click_errors()


def _version(value: bool) -> None:
    if value:
        print(f"accord {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Forecast how multi-party negotiations end."""


def make_app(names: Collection[str] = tuple(COMMANDS)) -> typer.Typer:
    """Return the ``accord`` command line with the commands ``names`` (default: all).

    Parameters
    ----------
    names : Collection[str]
        Names in :data:`COMMANDS`; only their modules load.

    Returns
    -------
    typer.Typer
        The application.
    """
    app = typer.Typer(
        name="accord",
        help="Forecast how multi-party negotiations end.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(_root)
    for name, (module, attribute) in COMMANDS.items():
        if name not in names:
            continue
        target = getattr(import_module(f"accord.cli.{module}"), attribute)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)
    return app


def _commands_for(args: list[str]) -> tuple[str, ...]:
    """Return the commands ``args`` can reach: the one they name, none for ``--version``, else all.

    ``--version`` is eager: Click runs it first, whatever follows, and exits.
    """
    if args and args[0] in COMMANDS:
        return (args[0],)
    if args and args[0] == "--version":
        return ()
    return tuple(COMMANDS)


def __getattr__(name: str) -> Any:
    """``app``: the whole command line (:func:`make_app`), built on first use."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    app = make_app()
    globals()["app"] = app
    return app


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors print one readable message and exit 1, never a traceback."""
    from accord.cli.grammar import tidy

    args = sys.argv[1:] if argv is None else argv
    try:
        command = tidy(typer.main.get_command(make_app(_commands_for(args))))
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
