"""Small helpers shared by the tabular readers."""

from __future__ import annotations

import re
from typing import Any


def slug(text: str) -> str:
    """An id from a name: lower case, runs of other characters become ``_``."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def as_number(cell: Any) -> Any:
    """A cell as a float when it reads as one; otherwise the cell unchanged, for the validator to
    report (empty cells become None, so they show as missing values)."""
    if cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return text
    return value  # NaN and inf pass through so the validator names them
