"""How numbers read in every table: one decimal, a dash for missing values, never "-0.0"."""

from __future__ import annotations

import math


def fmt_number(x: float | None, sign: bool = False) -> str:
    """Format a number as every table shows it.

    Parameters
    ----------
    x : float or None
        The number.
    sign : bool
        Whether to show the sign of a positive number too.

    Returns
    -------
    str
        One decimal; a dash for missing, NaN or infinite; never "-0.0".
    """
    if x is None or not math.isfinite(x):
        return "–"
    x = round(x, 1) + 0.0
    return f"{x:+.1f}" if sign else f"{x:.1f}"
