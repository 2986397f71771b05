"""accord's native scenario as an Excel workbook, lossless: one sheet per list of the schema.

Sheets ``scenario`` (key, value rows: id, title, as_of, ...), ``sources``, ``actors``,
``issues``, ``positions``, ``proposals``, ``no_deal``, ``bodies`` and ``decision_rules``, each
with one column per field and one row per entry. Nested fields (scales, uncertainties, lists
of source ids, per-issue capabilities, proposal points, approvals) are written as JSON text in
their cell, so a workbook written by
``accord scenario export x.xlsx`` reads back as the same scenario. Errors name the sheet and
row (``x.xlsx[positions], row 7``). Text that a spreadsheet would take for a formula (it starts
with ``=``, ``+``, ``-`` or ``@``) is written as a text cell marked "quote prefix", so it is never
run and reads back as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.scenario.io.base import RawScenario
from accord.scenario.io.tables import FORMULA_START
from accord.scenario.schema import Scenario

LIST_SHEETS = ("sources", "actors", "issues", "positions", "proposals", "no_deal", "bodies", "decision_rules")
REQUIRED_SHEETS = {"actors", "issues", "positions"}


def is_native_workbook(sheetnames: list[str]) -> bool:
    """Tell whether a workbook's sheets are those of a native workbook.

    Parameters
    ----------
    sheetnames : list of str
        The workbook's sheet names.

    Returns
    -------
    bool
        True when it has (at least) the ``actors``, ``issues`` and ``positions`` sheets.
    """
    return set(sheetnames) >= REQUIRED_SHEETS


def _to_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _from_cell(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # the validator reports it against its field
    return value


def write_workbook(scenario: Scenario, path: Path) -> None:
    """Write ``scenario`` as a native workbook that reads back as the same scenario.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    path : Path
        The .xlsx file to write (replaced if it exists).
    """
    import openpyxl

    from accord.scenario.io.writers import scenario_to_dict

    data = scenario_to_dict(scenario)
    book = openpyxl.Workbook()
    head = book.active
    assert head is not None  # a new workbook has one sheet, the active one
    head.title = "scenario"
    head.append(["field", "value"])
    for key, value in data.items():
        if key not in LIST_SHEETS:
            head.append([key, _to_cell(value)])
    for name in LIST_SHEETS:
        sheet = book.create_sheet(name)
        items = data.get(name, [])
        columns = list(dict.fromkeys(k for item in items for k in item))
        sheet.append(columns or ["id"])
        for item in items:
            sheet.append([_to_cell(item.get(c)) for c in columns])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # openpyxl made "=..." a formula
                    cell.quotePrefix = True  # and a spreadsheet shows it as text when edited
    book.save(path)


def read_workbook(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> RawScenario:
    """Read the native workbook from its sheets' rows.

    Parameters
    ----------
    path : Path
        The workbook, for problems (they name the sheet, e.g. ``x.xlsx[positions]``).
    sheets : dict of str to list of tuple
        Rows of cell values by sheet name.

    Returns
    -------
    RawScenario
        The native form; nested fields written as JSON text are read back; rows are numbered
        as the spreadsheet numbers them.
    """
    raw = RawScenario(data={}, file=f"{path}[scenario]", line_word="row")
    data: dict[str, Any] = {}
    if "scenario" in sheets:
        for n, row in enumerate(sheets["scenario"], start=1):
            if n == 1 or not row or row[0] is None:
                continue
            key = str(row[0]).strip()
            data[key] = _from_cell(row[1] if len(row) > 1 else None)
            raw.lines[(key,)] = n
    for name in LIST_SHEETS:
        if name not in sheets:
            continue
        raw.files[(name,)] = f"{path}[{name}]"
        rows = sheets[name]
        header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        entries: list[dict[str, Any]] = []
        for n, row in enumerate(rows[1:], start=2):
            if not any(c is not None and str(c).strip() for c in row):
                continue
            entry = {h: _from_cell(c) for h, c in zip(header, row, strict=False) if h and c is not None}
            raw.lines[(name, len(entries))] = n
            entries.append(entry)
        data[name] = entries
    raw.data = data
    return raw
