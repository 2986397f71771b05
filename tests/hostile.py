"""Builders of hostile and malformed scenario files (shared by the reader tests and the script
that writes tests/data/malformed/)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

LONG_HEADER = ["actor", "issue", "position", "salience", "capability"]
LONG_ROWS = [["A", "x", 10, 50, 40], ["B", "x", 80, 60, 50], ["C", "x", 40, 30, 20]]


def workbook(rows: list[list[object]] | None = None, title: str = "positions") -> bytes:
    """A one-sheet long-table workbook (three actors on one issue unless ``rows`` says)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows if rows is not None else [LONG_HEADER, *LONG_ROWS]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data: bytes, edit: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """The archive with each part passed through ``edit(name, bytes)`` and ``extra`` parts
    added (replacing parts of the same name), deflated at the highest level."""
    source = zipfile.ZipFile(io.BytesIO(data))
    extra = extra or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename not in extra:
                target.writestr(item.filename, edit(item.filename, source.read(item.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def _sheet(edit: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, part: edit(part) if name == "xl/worksheets/sheet1.xml" else part


def declared_everything(empty_rows: int) -> bytes:
    """A sheet declaring the whole grid ``A1:XFD1048576`` and holding ``empty_rows`` empty rows
    after its data: openpyxl padded every one of them to 16,384 cells."""
    def edit(part: bytes) -> bytes:
        part = part.replace(b'<dimension ref="A1:E4"', b'<dimension ref="A1:XFD1048576"')
        return part.replace(b"</sheetData>", b"<row/>" * empty_rows + b"</sheetData>")

    return rewrite(workbook(), _sheet(edit))


def far_cell(row: int, column: str) -> bytes:
    """A long-table workbook with one more cell, far away (e.g. row 5, column ``XFD``)."""
    cell = f'<row r="{row}"><c r="{column}{row}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    return rewrite(workbook(), _sheet(lambda part: part.replace(b"</sheetData>", cell + b"</sheetData>")))


def shared_string_bomb(mib: int) -> bytes:
    """A workbook whose shared-strings part unpacks to ``mib`` MiB (it compresses ~1000:1)."""
    text = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + b"A" * (mib * 2**20)
            + b"</t></si></sst>")
    return rewrite(workbook(), lambda name, part: part, {"xl/sharedStrings.xml": text})


def many_strings(count: int) -> bytes:
    """A workbook whose shared-strings part holds ``count`` tiny strings."""
    text = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">' + b"<si><t>a</t></si>" * count + b"</sst>")
    return rewrite(workbook(), lambda name, part: part, {"xl/sharedStrings.xml": text})


def long_csv(rows: list[str]) -> str:
    return "actor,issue,position,salience,capability\n" + "".join(r + "\n" for r in rows)


def unclosed_quote(prefix: str, tail_bytes: int) -> str:
    """``prefix`` then a cell whose quote never closes, then ``tail_bytes`` of more rows."""
    line = "Z,x,50,50,50\n"
    return prefix + '"never closed,x,50,50,50\n' + line * (tail_bytes // len(line) + 1)


def ktab_xml(n_actors: int, dims: int = 1, parameters: str = "", adjustment: str = "") -> str:
    """A KTAB SMP XML scenario of ``n_actors`` actors on ``dims`` dimensions."""
    actors = "".join(
        f"<Actor><name>A{n}</name><description>d</description><capability>{10 + n % 50}</capability>"
        f"<Position>{'<dCoord>50</dCoord>' * dims}</Position>"
        f"<Salience>{f'<dSal>{50 / dims:g}</dSal>' * dims}</Salience></Actor>\n"
        for n in range(n_actors)
    )
    names = "".join(f"<dName>D{d}</dName>" for d in range(dims))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Scenario>\n<name>T</name>\n<desc>t</desc>\n'
            f"<prngSeed>7</prngSeed>\n{parameters}\n<Dimensions>{names}</Dimensions>\n"
            f"<Actors>\n{actors}</Actors>\n{adjustment}\n</Scenario>\n")
