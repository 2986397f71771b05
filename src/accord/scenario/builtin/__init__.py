"""Scenarios shipped with accord, as YAML files inside the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from accord.errors import AccordError
from accord.scenario.schema import Scenario

DEFAULT = "ukraine-2025-12"


def builtin_names() -> list[str]:
    """List the built-in scenarios' names.

    Returns
    -------
    list of str
        The names, sorted (e.g. ``ukraine-2025-12``).
    """
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_path(name: str) -> Path:
    """Return the file of the built-in scenario ``name``.

    Parameters
    ----------
    name : str
        A built-in scenario's name.

    Returns
    -------
    Path
        Its YAML file inside the package.

    Raises
    ------
    AccordError
        If there is no built-in scenario of that name (the message lists them).
    """
    path = Path(str(resources.files(__name__).joinpath(f"{name}.yaml")))
    if not path.exists():
        raise AccordError(f"no built-in scenario {name!r}; built-in: {', '.join(builtin_names())}")
    return path


def load_builtin(name: str = DEFAULT) -> Scenario:
    """Load a built-in scenario.

    Parameters
    ----------
    name : str
        A built-in scenario's name; :data:`DEFAULT` unless given.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    AccordError
        If there is no built-in scenario of that name.
    """
    from accord.scenario.io import load_scenario

    return load_scenario(builtin_path(name), format="yaml")
