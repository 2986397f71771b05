"""Turn results into strict JSON values and back, for every layer that writes or reads JSON.

JSON has no NaN or infinity: :func:`clean` writes them as ``null``, and :func:`number` reads
``null`` back as NaN, so numeric results survive a round trip through JSON exactly (Python's
``json`` writes floats with ``repr``, which reads back bit for bit).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def clean(value: Any) -> Any:
    """Make ``value`` JSON-safe: string keys, lists, Python numbers; NaN and infinities as None.

    Parameters
    ----------
    value : Any
        Nested dicts, lists, tuples, numpy arrays and scalars, and JSON scalars.

    Returns
    -------
    Any
        The same structure with numpy values as Python values and non-finite floats as None.
    """
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def number(value: Any) -> float:
    """Read a stored number as a float; ``None`` (a NaN or infinity written as null) as NaN.

    Parameters
    ----------
    value : Any
        A number, or None.

    Returns
    -------
    float
        ``float(value)``, or NaN for None.
    """
    return float("nan") if value is None else float(value)
