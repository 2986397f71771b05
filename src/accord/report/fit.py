"""Tables that fit the terminal: measure before printing, break labels only between words.

Rich shrinks a table that is wider than the console by wrapping its cells, and when a column
becomes narrower than its longest word it cuts the word (``administratio`` / ``n``). A table
whose *minimum* width (every column as narrow as its longest word) fits the width is printed
without cutting any word; :func:`fits` measures exactly that, and views choose their layout by
it (issues as rows and models as columns when that fits, else one block per issue).
"""

from __future__ import annotations

from typing import IO, cast

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

#: the width a table is laid out for when none is known (a default terminal, a pipe)
DEFAULT_WIDTH = 80


def fits(renderable: RenderableType, width: int) -> bool:
    """Tell whether a renderable prints within a width without breaking inside a word.

    Parameters
    ----------
    renderable : RenderableType
        A table or any other Rich renderable.
    width : int
        The available width, in columns.

    Returns
    -------
    bool
        True when its minimum width (every column as narrow as its longest word) is at most
        ``width``.
    """
    roomy = Console(width=_ROOMY, file=_null_file(), color_system=None)  # measured unconstrained: a
    return Measurement.get(roomy, roomy.options, renderable).minimum <= width  # measure is capped


_ROOMY = 100_000


def shape(table: Table, width: int) -> Table:
    """Give a table's columns widths that fit a width without breaking a word, when they can.

    Rich narrows a table that is too wide by shrinking its widest columns first, which can cut
    the words of a narrow column although the table as a whole has room for every word. Here
    each column gets its minimum (its longest word) and the rest of the width is shared out in
    proportion to what each column would use beyond that. A table that fits as it is, or whose
    words cannot all fit, is left to Rich.

    Parameters
    ----------
    table : Table
        The table; its columns' widths are set in place.
    width : int
        The available width, in columns.

    Returns
    -------
    Table
        ``table`` itself.
    """
    roomy = Console(width=_ROOMY, file=_null_file(), color_system=None)
    options = roomy.options
    spans = [table._measure_column(roomy, options, column) for column in table.columns]
    extra = table._extra_width
    low, high = sum(m.minimum for m in spans) + extra, sum(m.maximum for m in spans) + extra
    if high <= width or low > width:
        return table
    room = width - low
    wants = [m.maximum - m.minimum for m in spans]
    total = sum(wants) or 1
    given = [m.minimum + room * w // total for m, w in zip(spans, wants, strict=True)]
    for column, size in zip(table.columns, given, strict=True):
        column.width = max(size - table._get_padding_width(column._index), 1)
    return table


class _NullFile:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _null_file() -> IO[str]:
    """Return a file that discards what is written (Rich needs only ``write`` and ``flush``)."""
    return cast(IO[str], _NullFile())


def header(name: str) -> str:
    """Return a column header for a hyphenated name such as ``weighted-median``.

    Parameters
    ----------
    name : str
        The column's name.

    Returns
    -------
    str
        One line per hyphenated part (``weighted-`` / ``median``), so the column is as narrow
        as the longest part, never cut.
    """
    parts = name.split("-")
    return "\n".join([p + "-" for p in parts[:-1]] + parts[-1:])


def plain_table(**options: object) -> Table:
    """Return an empty table in the house style.

    A rule under the header, no outer frame, one space between columns (narrow enough for 80
    columns).

    Parameters
    ----------
    **options : object
        Options of :class:`rich.table.Table` that override the house style.

    Returns
    -------
    Table
        The table, without columns.
    """
    settings: dict[str, object] = {"box": box.SIMPLE_HEAD, "header_style": "bold", "pad_edge": False,
                                   "padding": (0, 1), "collapse_padding": True, "show_edge": False}
    settings.update(options)
    return Table(**settings)  # type: ignore[arg-type]


def legend(entries: list[tuple[str, str]]) -> Text:
    """Return ``term: meaning`` lines explaining the columns that are not self-evident.

    Parameters
    ----------
    entries : list[tuple[str, str]]
        The (term, meaning) pairs, in order.

    Returns
    -------
    Text
        One dim line per entry, the term in bold.
    """
    text = Text(style="dim")
    for n, (term, meaning) in enumerate(entries):
        text.append(term, style="bold dim")
        text.append(f": {meaning}" + ("\n" if n < len(entries) - 1 else ""))
    return text


def width_of(console_width: int | None) -> int:
    """Return the width to lay out for.

    Parameters
    ----------
    console_width : int or None
        The console's width, if known.

    Returns
    -------
    int
        ``console_width``, or :data:`DEFAULT_WIDTH` when unknown.
    """
    return console_width or DEFAULT_WIDTH


Cell = RenderableType
ColumnSpec = tuple[str, dict[str, object]]  # header, Table.add_column options


def _build(columns: list[ColumnSpec], rows: list[list[Cell]], keep: list[int],
           sections: list[bool] | None, options: dict[str, object]) -> Table:
    table = plain_table(**options)
    for index in keep:
        title, settings = columns[index]
        table.add_column(title, **settings)  # type: ignore[arg-type]
    for n, row in enumerate(rows):
        table.add_row(*(row[index] for index in keep), end_section=bool(sections and sections[n]))
    return table


def fitted_tables(columns: list[ColumnSpec], rows: list[list[Cell]], width: int, keys: int = 1,
                  sections: list[bool] | None = None, **options: object) -> RenderableType:
    """Lay out rows as one table, several tables, or records, whichever fits a width.

    Parameters
    ----------
    columns : list[ColumnSpec]
        Per column, its header and its ``Table.add_column`` options.
    rows : list[list[Cell]]
        The rows, one cell per column.
    width : int
        The available width, in columns.
    keys : int
        The number of leading columns that label a row.
    sections : list[bool] or None
        Per row, whether it ends a group (a rule below it).
    **options : object
        Options of the first table (e.g. ``title``).

    Returns
    -------
    RenderableType
        The table when it fits ``width``; otherwise several, each repeating the first ``keys``
        columns with as many of the others as fit; when not even one more column fits, one
        record per row (``column: value`` lines).
    """
    everything = list(range(len(columns)))
    table = _build(columns, rows, everything, sections, options)
    if fits(table, width):
        return shape(table, width)
    tables: list[RenderableType] = []
    rest = everything[keys:]
    while rest:
        keep = list(range(keys)) + rest[:1]
        if not fits(_build(columns, rows, keep, sections, {}), width):
            return shape(records(columns, rows, keys, options.get("title")), width)
        for index in rest[1:]:
            if fits(_build(columns, rows, [*keep, index], sections, {}), width):
                keep.append(index)
            else:
                break
        tables.append(shape(_build(columns, rows, keep, sections, options if not tables else {}), width))
        rest = [i for i in rest if i not in keep]
    return Group(*tables)


def records(columns: list[ColumnSpec], rows: list[list[Cell]], keys: int = 1, title: object = None) -> Table:
    """Lay out rows as records, for tables too wide for any width.

    Parameters
    ----------
    columns : list[ColumnSpec]
        Per column, its header and its ``Table.add_column`` options.
    rows : list[list[Cell]]
        The rows, one cell per column.
    keys : int
        The number of leading columns that label a row.
    title : object
        The table's title, if any.

    Returns
    -------
    Table
        One record per row: its key cells as a heading, then ``column  value`` for the others.
    """
    table = plain_table(show_header=False, title=title, title_justify="left")
    table.add_column("field", style="dim")
    table.add_column("value")
    for row in rows:
        heading = Text(" ".join(_plain(row[i]) for i in range(keys)), style="bold")
        table.add_row(heading, "")
        others = [(columns[i][0].replace("\n", " "), row[i]) for i in range(keys, len(columns))]
        for n, (name, cell) in enumerate(others):
            table.add_row(name, cell, end_section=n == len(others) - 1)
    return table  # its words may not all fit (a long web address): Rich folds what must be


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
