"""Excel workbooks (.xlsx), for analysts who live in spreadsheets.

Either accord's native workbook (sheets ``actors``, ``issues``, ``positions``, ...; see
:mod:`accord.scenario.io.workbook`), or one sheet holding the long table of
:mod:`accord.scenario.io.long_csv` (the first sheet, or one named ``positions``). Row numbers in
errors are the spreadsheet's own; sheet names appear in the file name as ``file[sheet]``.

Only the cells a sheet really holds are read, never the range it declares (a 2 KB workbook may
declare ``A1:XFD1048576``). Before openpyxl sees the file, the archive and the sheets' used
ranges are measured against :mod:`accord.scenario.limits` (unpacked size, compression ratio,
parts, rows, columns, cells, shared strings), so a zip bomb or a sheet of a million padded rows
is refused with the bound it broke.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from accord.errors import Problem
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.long_csv import rows_to_raw
from accord.scenario.io.workbook import is_native_workbook, read_workbook
from accord.scenario.limits import (
    MAX_ROWS,
    XLSX_MAX_CELLS,
    XLSX_MAX_COLUMNS,
    XLSX_MAX_PARTS,
    XLSX_MAX_RATIO,
    XLSX_MAX_UNPACKED,
    XLSX_RATIO_FLOOR,
)

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


class Refused(Exception):
    """The workbook breaks one of the limits (or declares entities); the message says which."""


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


class _UsedRange:
    """Stream one XML part and measure the sheet data it holds.

    It measures the last row, the widest row and the cells a reader allocates when it fills each
    row up to its last cell.
    """

    def __init__(self) -> None:
        self.rows = 0  # the last row number
        self.columns = 0  # the widest row
        self.cells = 0  # sum over rows of the row's last column
        self.strings = 0  # shared strings (<si> of a shared-strings part)
        self._row_last = 0
        self._in_row = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rsplit(":", 1)[-1]
        if tag == "row":
            self._in_row = True
            self._row_last = 0
            ref = attrs.get("r", "")
            self.rows = int(ref) if ref.isdigit() else self.rows + 1
            if self.rows > MAX_ROWS + 1:
                raise Refused(f"a sheet reaches row {self.rows:,}; at most {MAX_ROWS + 1:,} rows")
        elif tag == "c" and self._in_row:
            match = _CELL_REF.match(attrs.get("r", ""))
            self._row_last = _column(match.group(1)) if match else self._row_last + 1
            if self._row_last > XLSX_MAX_COLUMNS:
                raise Refused(f"a sheet reaches column {self._row_last:,} in row {self.rows:,}; "
                               f"at most {XLSX_MAX_COLUMNS:,} columns")
        elif tag == "si":
            self.strings += 1
            if self.strings > XLSX_MAX_CELLS:
                raise Refused(f"more than {XLSX_MAX_CELLS:,} shared strings")

    def end(self, tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "row" and self._in_row:
            self._in_row = False
            self.columns = max(self.columns, self._row_last)
            self.cells += self._row_last
            if self.cells > XLSX_MAX_CELLS:
                raise Refused(f"the sheets hold more than {XLSX_MAX_CELLS:,} cells")


def _refuse_doctype(*args: Any) -> None:
    raise Refused("a part of the workbook declares a DOCTYPE (entities), which accord does not read")


def check_workbook(data: bytes) -> None:
    """Check a workbook's archive and its sheets' used ranges against the limits.

    Every part is measured, whatever its name (the workbook's own index says which parts are
    sheets); a file that is not a zip archive is left to openpyxl.

    Parameters
    ----------
    data : bytes
        The workbook's bytes.

    Raises
    ------
    Refused
        When the archive or a sheet's used range breaks a limit, or a part declares a DOCTYPE.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > XLSX_MAX_PARTS:
            raise Refused(f"the archive has {len(parts):,} parts; at most {XLSX_MAX_PARTS:,}")
        unpacked = sum(p.file_size for p in parts)
        if unpacked > XLSX_MAX_UNPACKED:
            raise Refused(f"the archive unpacks to {unpacked / 2**20:,.0f} MiB; "
                          f"at most {XLSX_MAX_UNPACKED // 2**20} MiB")
        if unpacked > XLSX_RATIO_FLOOR and unpacked > XLSX_MAX_RATIO * len(data):
            raise Refused(f"the archive unpacks to {unpacked / len(data):,.0f} times its size "
                          f"(a zip bomb?); at most {XLSX_MAX_RATIO} times")
        used = _UsedRange()  # cells and shared strings add up over the parts; rows are per sheet
        for part in parts:
            used.rows = 0
            parser = expat.ParserCreate()
            parser.StartElementHandler = used.start
            parser.EndElementHandler = used.end
            parser.StartDoctypeDeclHandler = _refuse_doctype
            try:
                with archive.open(part) as stream:
                    parser.ParseFile(stream)
            except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError):
                continue  # not XML (e.g. an image), or damaged: openpyxl reports it if it needs it


def _sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Read every sheet's rows of values, in sheet order, each row up to its last cell.

    The bytes are handed over as a stream, so the file's extension does not matter (a workbook
    saved as ``scenario`` still opens).
    """
    import openpyxl

    check_workbook(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # the used range, not the declared one (measured above)
            sheets[sheet.title] = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        return sheets
    finally:
        book.close()


def read_xlsx(path: Path, text: str) -> RawScenario:
    """Read an .xlsx workbook: the native workbook, or the long table on one sheet.

    Parameters
    ----------
    path : Path
        The workbook.
    text : str
        Unused (a binary format is read from ``path``); ``""``.

    Returns
    -------
    RawScenario
        The native form; or no data and a problem when the workbook breaks a limit, cannot be
        opened or its sheet is empty.
    """
    try:
        sheets = _sheets(path.read_bytes())
    except Refused as exc:
        return RawScenario(data={}, file=str(path), problems=[
            Problem(f"the workbook is refused: {exc}", file=str(path),
                    expected="a workbook within the limits of one scenario file (accord.scenario.limits)")])
    except MemoryError:
        raise  # not the file's fault as such: never reported as a damaged workbook
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
