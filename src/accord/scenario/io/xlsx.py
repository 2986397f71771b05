"""Excel workbooks (.xlsx), for analysts who live in spreadsheets.

Either accord's native workbook (sheets ``actors``, ``issues``, ``positions``, ...; see
:mod:`accord.scenario.io.workbook`), or one sheet holding the long table of
:mod:`accord.scenario.io.long_csv` (the first sheet, or one named ``positions``). Row numbers in
errors are the spreadsheet's own; sheet names appear in the file name as ``file[sheet]``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.long_csv import rows_to_raw
from accord.scenario.io.workbook import is_native_workbook, read_workbook


def read_xlsx(path: Path, text: str) -> RawScenario:
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return RawScenario(
            data={},
            file=str(path),
            problems=[
                Problem(f"cannot open as an Excel workbook ({exc})", file=str(path), expected="an .xlsx file")
            ],
        )
    if is_native_workbook(book.sheetnames):
        raw = read_workbook(path, book)
        book.close()
        return raw
    sheet = book["positions"] if "positions" in book.sheetnames else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        return RawScenario(
            data={},
            file=f"{path}[{sheet.title}]",
            problems=[
                Problem(
                    "the sheet is empty", file=f"{path}[{sheet.title}]", expected="a header row and data rows"
                )
            ],
        )
    raw = rows_to_raw(Path(f"{path}[{sheet.title}]"), rows[0], list(enumerate(rows[1:], start=2)), path.stem)
    return raw


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
