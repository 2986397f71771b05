"""Read a user's YAML file (what-ifs, sweeps): every failure is an :class:`AccordError`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from accord.errors import AccordError


def read_yaml(path: str | Path) -> Any:
    """Read and parse a YAML file.

    Parameters
    ----------
    path : str or Path
        The file (UTF-8, a byte-order mark allowed).

    Returns
    -------
    Any
        The parsed content (``None`` for an empty file).

    Raises
    ------
    AccordError
        When the file is unreadable, not UTF-8 or not valid YAML; the message names the file.
    """
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise AccordError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise AccordError(f"{path}: cannot read (not UTF-8 text: {exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise AccordError(f"{path}: not valid YAML ({exc})") from None
