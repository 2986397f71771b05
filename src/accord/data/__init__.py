"""Data sets shipped with accord as package data, found by name.

Each data set is a folder next to this module with its own ``SOURCES.md`` (provenance, licence,
what was changed). :func:`dataset_path` gives the file a reader takes, so that for example
``accord backtest`` can accept ``deu3`` as well as a path.
"""

from __future__ import annotations

from pathlib import Path

from accord.errors import AccordError

_HERE = Path(__file__).resolve().parent

# name -> (file the readers take, relative to this folder; one-line description)
_DATASETS: dict[str, tuple[str, str]] = {
    "deu3": (
        "deu3/deu3.tsv",
        "DEU III development split: 236 issues of 90 EU legislative proposals (wide table; "
        "the long pair issues.csv + positions.csv sits in the same folder)",
    ),
}


def dataset_names() -> list[str]:
    """Return the names of the shipped data sets, sorted.

    Returns
    -------
    list of str
        Names accepted by :func:`dataset_path`.
    """
    return sorted(_DATASETS)


def dataset_description(name: str) -> str:
    """Return the one-line description of a shipped data set.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`.

    Returns
    -------
    str
        What the data set holds.

    Raises
    ------
    AccordError
        If ``name`` is not a shipped data set.
    """
    return _lookup(name)[1]


def dataset_path(name: str) -> Path:
    """Return the path of the file a reader takes for a shipped data set.

    Parameters
    ----------
    name : str
        A name from :func:`dataset_names`, e.g. ``"deu3"``.

    Returns
    -------
    pathlib.Path
        An existing file inside the installed package (for ``deu3``: ``deu3/deu3.tsv``); its
        folder holds the data set's other files and ``SOURCES.md``.

    Raises
    ------
    AccordError
        If ``name`` is not a shipped data set (the message lists the known names).
    """
    return _HERE / _lookup(name)[0]


def _lookup(name: str) -> tuple[str, str]:
    try:
        return _DATASETS[name]
    except (KeyError, TypeError):
        known = ", ".join(dataset_names())
        raise AccordError(f"unknown data set {name!r}; the shipped data sets are: {known}") from None
