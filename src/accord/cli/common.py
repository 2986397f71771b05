"""Shared pieces of the command line: consoles, output, and option parsing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from accord.errors import AccordError


class OutputFormat(StrEnum):
    """What ``--format`` takes on commands that print tables, JSON or CSV."""

    table = "table"
    json = "json"
    csv = "csv"


console = Console(width=None)
err_console = Console(stderr=True)


def say_wrote(path: Path) -> None:
    """Tell the user where output went (the path verbatim: brackets are not Rich markup)."""
    err_console.print(f"wrote {escape(str(path))}", highlight=False, soft_wrap=True)


def write_text(text: str, output: Path | None) -> None:
    """Write to ``output`` when given (creating its folder; and say so), else to standard output."""
    if output is None:
        print(text, end="" if text.endswith("\n") else "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise AccordError(f"{output}: cannot write ({exc.strerror})") from None
    say_wrote(output)


def write_rendered(render: Callable[[Console], object], output: Path | None, width: int) -> None:
    """Write Rich output to ``output`` (plain text, ``width`` columns) or to the terminal.

    The file is written only once everything has rendered, so an error leaves no half-written file.
    """
    if output is None:
        render(console)
        return
    buffer = io.StringIO()
    render(Console(file=buffer, width=width, color_system=None, force_terminal=False))
    write_text(buffer.getvalue(), output)


FIGURE_SUFFIXES = (".png", ".svg", ".pdf", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp")


def check_figure_path(path: Path | None) -> None:
    """Fail before any work when a figure could not be written there (no folder, unknown type)."""
    if path is None:
        return
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise AccordError(f"{path}: unknown figure type {path.suffix or '(none)'!r}; "
                          f"expected one of {', '.join(FIGURE_SUFFIXES)}")
    if not path.parent.is_dir():
        raise AccordError(f"{path}: the folder {path.parent} does not exist")


def write_figure(draw: Callable[[Path], object], path: Path) -> None:
    """Draw a figure into ``path`` (its suffix picks PNG, SVG or PDF) and say so.

    A path that cannot be written or an unknown suffix becomes one readable error.
    """
    try:
        draw(path)
    except (OSError, ValueError) as exc:
        raise AccordError(f"{path}: cannot write the figure ({exc})") from None
    say_wrote(path)


def write_json(data: Any, output: Path | None) -> None:
    """Strict JSON: numpy values as numbers, NaN and infinities as null (never a bare NaN)."""
    from accord.jsonsafe import clean

    write_text(json.dumps(clean(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n", output)


def parse_params(items: list[str] | None) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; values read as JSON when they parse (numbers, true/false), else text."""
    params: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise AccordError(f"--param {item!r}: expected KEY=VALUE, e.g. --param Q=1.0")
        try:
            params[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[key.strip()] = value.strip()
    return params


def progress(enabled: bool = True) -> Any:
    """Return the progress reporter for :func:`accord.runs.execute`.

    A bar on stderr when it is a terminal (shown once the work passes a second), nothing when
    piped or when ``enabled`` is false.
    """
    from accord.runs import quiet

    if not (enabled and err_console.is_terminal):
        return quiet

    def bar(description: str, total: int) -> Any:
        from accord.experiments.progress import progress_bar

        return progress_bar(total, description, console=err_console)

    return bar


def run(spec: Any, json_mode: bool = False, scenario: Any = None, force: bool = False) -> Any:
    """Execute ``spec`` with a progress bar (none in JSON mode).

    A run over the budget (:mod:`accord.runs.budget`) is refused, naming the limits it exceeds,
    unless ``force``: then it runs after a warning. Says so on stderr when the models' compiled
    kernels are not cached yet (the first run on a machine compiles them, ~1 minute).
    """
    from accord.runs import execute
    from accord.runs.budget import LOCAL, OverBudget

    compiled_kernels_notice(spec)
    try:
        return execute(spec, scenario, progress=progress(not json_mode), limits=LOCAL)
    except OverBudget as exc:
        if not force:
            raise AccordError(f"{exc}. Add --force to run it anyway.") from None
        err_console.print(f"warning: {escape(str(exc))}; running it anyway (--force)", highlight=False)
    return execute(spec, scenario, progress=progress(not json_mode), limits=None)


def compiled_kernels_notice(spec: Any) -> None:
    """Tell the user that a run will first compile the numba kernels it needs.

    It takes a while and happens once (``make run`` compiles them ahead:
    ``python -m accord.models.warmup``).
    """
    names = list(getattr(spec, "models", None) or ([spec.model] if getattr(spec, "model", None) else []))
    if not names and spec.kind not in ("forecast", "whatif", "backtest", "sweep"):
        return  # a deal or the like runs no dynamic model
    from accord.models.warmup import COMPILED_MODELS, MESSAGE, needs_compiling

    if {n.lower() for n in names or COMPILED_MODELS} & COMPILED_MODELS and needs_compiling(names):
        err_console.print(MESSAGE, highlight=False, soft_wrap=True)
