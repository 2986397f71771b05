"""Excel workbooks (.xlsx), for analysts who live in spreadsheets.

Either accord's native workbook (sheets ``actors``, ``issues``, ``positions``, ...; see
:mod:`accord.scenario.io.workbook`), or one sheet holding the long table of
:mod:`accord.scenario.io.long_csv` (the first sheet, or one named ``positions``). Row numbers in
errors are the spreadsheet's own; sheet names appear in the file name as ``file[sheet]``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.long_csv import rows_to_raw
from accord.scenario.io.workbook import is_native_workbook, read_workbook


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows of values, in sheet order. The bytes are handed over as a stream, so
    the file's extension does not matter (a workbook saved as ``scenario`` still opens)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    try:
        return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    finally:
        book.close()


def read_xlsx(path: Path, text: str) -> RawScenario:
    try:
        sheets = _sheets(path)
    except Exception as exc:  # noqa: BLE001  (a damaged zip or XML fails in many ways inside openpyxl)
        return RawScenario(
            data={},
            file=str(path),
            problems=[
                Problem(
                    f"cannot open as an Excel workbook ({type(exc).__name__}: {exc})",
                    file=str(path),
                    expected="an .xlsx file",
                )
            ],
        )
    if is_native_workbook(list(sheets)):
        return read_workbook(path, sheets)
    title = "positions" if "positions" in sheets else next(iter(sheets), "")
    rows = [list(r) for r in sheets.get(title, [])]
    if not rows:
        return RawScenario(
            data={},
            file=f"{path}[{title}]",
            problems=[
                Problem("the sheet is empty", file=f"{path}[{title}]", expected="a header row and data rows")
            ],
        )
    return rows_to_raw(Path(f"{path}[{title}]"), rows[0], list(enumerate(rows[1:], start=2)), path.stem)


register_format(
    Format(
        name="xlsx",
        description="Excel workbook with the long table (actor,issue,position,salience,capability)",
        extensions=(".xlsx",),
        sniff=lambda path, head: False,
        read=read_xlsx,
        binary=True,
    )
)
