"""Small helpers shared by the tabular readers and writers."""

from __future__ import annotations

import csv
import difflib
import io
import re
from typing import Any

from accord.errors import Problem
from accord.scenario.limits import MAX_CELL_CHARS, MAX_ROWS

#: what a spreadsheet program may read as the start of a formula in a text cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the mark put before such text on export, so it stays text (OWASP's CSV-injection advice)
TEXT_MARK = "'"


def slug(text: str) -> str:
    """Make an id from a name: lower case, runs of other characters become ``_``.

    Parameters
    ----------
    text : str
        The name.

    Returns
    -------
    str
        The id, without leading or trailing ``_``.
    """
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def as_number(cell: Any) -> Any:
    """Read a cell as a float when it reads as one.

    Otherwise the cell is returned unchanged, for the validator to report (empty cells become
    None, so they show as missing values; a boolean stays a boolean).

    Parameters
    ----------
    cell : Any
        A cell's value: a number, text (one ``,`` and no ``.`` is read as a decimal comma), a
        boolean or None.

    Returns
    -------
    Any
        A float (NaN and infinities included, for the validator to name), None for an empty
        cell, or the cell as it was.
    """
    if cell is None or isinstance(cell, bool):  # a spreadsheet's TRUE is no number: the validator says so
        return cell
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except ValueError:
        return text
    return value  # NaN and inf pass through so the validator names them


def escape_text(text: str) -> str:
    """Make text for a CSV cell that no spreadsheet runs as a formula.

    A leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a ``'`` before it; so does a
    ``'`` that already precedes one of them (or another ``'``), which keeps
    :func:`unescape_text` its exact inverse (OWASP's CSV-injection advice).

    Parameters
    ----------
    text : str
        The cell's text.

    Returns
    -------
    str
        The text, marked where needed.
    """
    marked = text.startswith(FORMULA_START) or (
        text.startswith(TEXT_MARK) and text[1:2] != "" and text[1:2] in (*FORMULA_START, TEXT_MARK)
    )
    return TEXT_MARK + text if marked else text


def unescape_text(text: str) -> str:
    """Return the text :func:`escape_text` was given.

    One leading ``'`` before a formula character or another ``'`` is dropped; any other text is
    returned as it is.

    Parameters
    ----------
    text : str
        A cell's text as read.

    Returns
    -------
    str
        The text without its mark.
    """
    if text.startswith(TEXT_MARK) and text[1:2] != "" and text[1:2] in (*FORMULA_START, TEXT_MARK):
        return text[1:]
    return text


def csv_records(
    text: str, file: str, delimiter: str = ",", skipinitialspace: bool = False
) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Split delimited text into records, each with the line it starts on.

    Reading stops at a quote never closed (the rest of the file would become one cell), a cell
    longer than :data:`~accord.scenario.limits.MAX_CELL_CHARS`, or more than
    :data:`~accord.scenario.limits.MAX_ROWS` records. Blank lines are records with no cells.

    Parameters
    ----------
    text : str
        The table's text.
    file : str
        The file's name, for problems.
    delimiter : str
        The cell separator.
    skipinitialspace : bool
        Drop spaces after a delimiter.

    Returns
    -------
    records : list of (int, list of str)
        The line each record starts on, and its cells.
    problems : list of Problem
        What stopped the reading (empty when the whole text was read).
    """
    records: list[tuple[int, list[str]]] = []
    for strict in (True, False):  # strict finds an unclosed quote; lenient reads stray quotes
        records = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                            skipinitialspace=skipinitialspace, strict=strict)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return records, []
            except csv.Error as exc:
                reason = str(exc)
                if "end of data" in reason or "field larger" in reason:
                    return records, [_unreadable(file, start, reason)]
                if strict:
                    break  # a stray quote inside a cell (e.g. 5"): read leniently, as before
                return records, [_unreadable(file, start, reason)]
            if len(records) >= MAX_ROWS + 1:  # the header and MAX_ROWS data rows
                return records, [Problem(
                    f"the table has more than {MAX_ROWS:,} rows", file=file, line=start,
                    expected=f"at most {MAX_ROWS:,} rows", line_word="row")]
            records.append((start, cells))
    return records, []


def _unreadable(file: str, line: int, reason: str) -> Problem:
    if "field larger" in reason or "end of data" in reason:
        message = ("a quoted cell that starts in this row is never closed, or a cell is longer "
                   f"than {MAX_CELL_CHARS:,} characters")
    else:
        message = f"cannot read this row as a delimited table ({reason})"
    return Problem(message, file=file, line=line, line_word="row",
                   expected='every " that opens a cell closed by another "')


def unknown_columns(header: list[str], known: tuple[str, ...], file: str) -> list[Problem]:
    """Report each header cell that is not a known column, suggesting the nearest one.

    A misspelt optional column would otherwise be dropped unnoticed.

    Parameters
    ----------
    header : list of str
        The header row's cells (empty cells are skipped).
    known : tuple of str
        The columns the table may have.
    file : str
        The file's name, for problems.

    Returns
    -------
    list of Problem
        One problem per unknown column, on row 1.
    """
    problems = []
    for name in header:
        if not name or name in known:
            continue
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
        hint = f"did you mean {near[0]!r}? " if near else ""
        problems.append(Problem(
            f"unknown column {name!r}; its values would be ignored", file=file, line=1,
            field=name, expected=f"{hint}one of: {', '.join(known)}", line_word="row"))
    return problems
