"""Dates as DEU files write them, including the spreadsheet damage of the public copy.

Original values are ``DD-MM-YY`` (a few ``DD-MM-YYYY``). A spreadsheet turned some of them into
``YYYY-MM-DD`` where ``YYYY`` is 19DD or 20DD and the last field is the two-digit year: ``1930-05-01``
is 30 May 2001, ``2017-04-18`` is 17 Apr 2018 (``benchmark-data/deu3/SOURCES.md``, "Known quirks").
Whether a ``YYYY-MM-DD`` value is damaged cannot be told from the value alone, so it is decided
per file: a file whose date columns also hold ``DD-MM-YY`` values is the damaged mix; a file of
``YYYY-MM-DD`` values only is read as ISO dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MISSING = {"", "999", "999.0", "na", "nan", "."}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _year(text: str) -> int:
    """Two-digit years: 00-49 are 20xx, 50-99 are 19xx (DEU covers 1996-2019)."""
    y = int(text)
    if len(text) == 4:
        return y
    return 2000 + y if y < 50 else 1900 + y


def is_damaged_mix(values: Iterable[str]) -> bool:
    """Tell whether a file's date cells are the damaged mix.

    Parameters
    ----------
    values : Iterable of str
        The file's date cells.

    Returns
    -------
    bool
        True when some cells hold day-first values, so ``YYYY-MM-DD`` ones are damaged.
    """
    return any(_DMY.match(v.strip()) for v in values)


def parse_date(text: str, damaged: bool) -> dt.date | None:
    """Parse one DEU date cell.

    Parameters
    ----------
    text : str
        The cell; a time part after the date is dropped.
    damaged : bool
        Whether the file is the damaged mix (:func:`is_damaged_mix`): then ``YYYY-MM-DD`` is
        read as ``19DD/20DD-MM-YY``.

    Returns
    -------
    datetime.date or None
        The date; None for the missing codes (:data:`MISSING`).

    Raises
    ------
    ValueError
        If the cell is unreadable or not a valid date.
    """
    value = text.strip()
    if value.lower() in MISSING:
        return None
    value = value.split(" ", 1)[0].split("T", 1)[0]  # drop a time part
    m = _DMY.match(value)
    if m:
        return dt.date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _YMD.match(value)
    if m:
        first, month, last = m.groups()
        if not damaged:
            return dt.date(int(first), int(month), int(last))
        if first[:2] not in ("19", "20") or len(last) != 2:
            raise ValueError("not a damaged DD-MM-YY date (19DD/20DD-MM-YY)")
        return dt.date(_year(last), int(month), int(first[2:]))
    raise ValueError("unreadable date")
