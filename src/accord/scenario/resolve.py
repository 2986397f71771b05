"""Turn what a user typed (a file path or a built-in scenario's name) into a scenario."""

from __future__ import annotations

from pathlib import Path

from accord.errors import AccordError
from accord.scenario.builtin import DEFAULT, builtin_names, load_builtin
from accord.scenario.io import load_scenario
from accord.scenario.schema import Scenario


def resolve_scenario(spec: str | Path | None = None, format: str | None = None) -> Scenario:
    """Load ``spec``: a file, or a built-in scenario's name; ``None`` means the default one.

    Parameters
    ----------
    spec : str or Path or None
        A path to a scenario file or a built-in scenario's name; an existing file wins.
    format : str or None
        The file's format (see :data:`accord.scenario.io.FORMATS`); None lets the reader decide.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    AccordError
        If ``spec`` is neither a file nor a built-in name (the message lists the built-in ones).
    ScenarioError
        If the file has problems.
    """
    if spec is None:
        return load_builtin(DEFAULT)
    path = Path(spec)
    if path.exists():
        return load_scenario(path, format=format)
    if str(spec) in builtin_names():
        return load_builtin(str(spec))
    raise AccordError(
        f"{spec}: no such file, and no built-in scenario of that name "
        f"(built-in: {', '.join(builtin_names())})"
    )
