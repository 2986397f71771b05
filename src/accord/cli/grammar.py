"""How options read in ``--help``: flags without a value placeholder, values named plainly.

Typer prints a type beside every option: ``<bool>`` beside a flag (inviting ``--save true``,
which is an error), ``<list[str]>`` beside a repeatable option, ``<int range>``. Here every flag
shows nothing and values show what to type (``TEXT``, ``INTEGER``, ``NUMBER``, ``FILE``, the
choices), and repeatable options say so.
"""

from __future__ import annotations

import re
from typing import Any

#: typer's type labels -> what a user types
PLAIN = {"str": "TEXT", "int": "INTEGER", "int range": "INTEGER", "float": "NUMBER", "float range": "NUMBER",
         "path": "FILE", "list[str]": "TEXT", "list[path]": "FILE"}
#: clearer names for some options' values
BY_NAME = {"model": "MODEL", "param": "KEY=VALUE", "event": "EVENT", "set_": "ASSIGNMENT",
           "input_format": "FORMAT", "output": "FILE", "plot": "FILE", "whatif": "NAME", "proposal": "ID",
           "run": "ID"}


def _metavar(param: Any, ctx: Any) -> str:
    """Return the placeholder to show for a value option."""
    if param.name in BY_NAME:
        return BY_NAME[param.name]
    shown = param.display_type(ctx) if hasattr(param, "display_type") else ""
    label = shown.strip("<>") if isinstance(shown, str) else ""
    if "|" in label:
        return "[" + re.sub(r"^list\[(.*)\]$", r"\1", label) + "]"
    return PLAIN.get(label, label.upper() or "VALUE")


def tidy(command: Any) -> Any:
    """Set the placeholders of ``command``'s options and its subcommands' (in place); returns it."""
    import typer

    ctx = typer.Context(command)
    for param in getattr(command, "params", []):
        if getattr(param, "param_type_name", "") == "argument":
            shown = _metavar(param, ctx)
            param.display_type_rich = lambda ctx, shown=shown: "" if shown == "TEXT" else shown
            continue
        if getattr(param, "param_type_name", "") != "option":
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif param.metavar is None:
            param.metavar = _metavar(param, ctx)
    original = command.get_help_option

    def help_option(context: Any) -> Any:
        found = original(context)
        if found is not None:
            found.metavar = ""
        return found

    command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
    return command
