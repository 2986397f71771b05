"""The brief as one self-contained HTML page.

Styles inline, charts as inline SVG, no scripts, no fonts or images fetched; readable on screen
and printable to PDF from a browser (print CSS: A4 pages, no table or chart split across a page
break, the contents list left out).
"""

from __future__ import annotations

from html import escape

from accord.report.brief.document import Block, Bullets, Document, Figure, Inline, Paragraph, Section, Table
from accord.report.figures.base import svg_text

CSS = """
:root { --ink: #1f2328; --dim: #656d76; --rule: #d0d7de; --soft: #f6f8fa; --accent: #2f5f8a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 64rem; padding: 1.5rem 1.25rem 3rem; color: var(--ink); line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header h1 { margin: 0 0 .25rem; font-size: 1.7rem; }
.subtitle { margin: 0 0 1rem; color: var(--dim); }
nav { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: .5rem 1rem; }
nav h2 { font-size: 1rem; margin: .25rem 0; }
nav ol { margin: .25rem 0; padding-left: 1.25rem; columns: 2; }
h2 { margin-top: 2.2rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); font-size: 1.35rem; }
h3 { margin-top: 1.6rem; font-size: 1.1rem; }
.lead { font-size: 1.1rem; padding: .6rem .9rem; border-left: 4px solid var(--accent);
        background: var(--soft); }
.note { color: var(--dim); font-size: .92rem; }
.dim { color: var(--dim); }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
       padding: 0 .2em; border-radius: 3px; }
.table-wrap { overflow-x: auto; margin: .75rem 0; }
table { border-collapse: collapse; font-size: .9rem; }
caption { caption-side: bottom; text-align: left; color: var(--dim); font-size: .85rem; padding-top: .3rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .55rem; vertical-align: top;
         text-align: left; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.end td { border-bottom: 2px solid #afb8c1; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--dim); font-size: .85rem; }
footer { margin-top: 3rem; color: var(--dim); font-size: .85rem; border-top: 1px solid var(--rule); }
a { color: var(--accent); overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2, h3 { break-after: avoid; }
  figure, table, .lead { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
""".strip()

STYLES = {"em": "em", "strong": "strong", "code": "code"}


def inline(content: Inline) -> str:
    """Write inline pieces as HTML.

    Parameters
    ----------
    content : Inline
        ``(text, style)`` pieces.

    Returns
    -------
    str
        HTML; user text escaped, web addresses as links.
    """
    out = []
    for piece, style in content:
        safe = escape(piece)
        if style in STYLES:
            out.append(f"<{STYLES[style]}>{safe}</{STYLES[style]}>")
        elif style == "dim":
            out.append(f'<span class="dim">{safe}</span>')
        elif style == "link" and piece.startswith(("https://", "http://")):
            out.append(f'<a href="{escape(piece, quote=True)}">{safe}</a>')
        else:
            out.append(safe)
    return "".join(out)


def table(t: Table) -> str:
    """Write a table as HTML.

    Parameters
    ----------
    t : Table
        The table.

    Returns
    -------
    str
        A scrollable ``<table>``, cells spanning rows with ``rowspan``, the caption below.
    """
    numeric = ' class="n"'
    head = "".join(f"<th{numeric if n in t.numeric else ''}>{escape(h)}</th>" for n, h in enumerate(t.head))
    rows = []
    for r, row in enumerate(t.rows):
        cells = []
        for n, cell in enumerate(row):
            if cell is None:
                continue  # covered by a cell spanning rows above
            attrs = ' class="n"' if n in t.numeric else ""
            if cell.rows > 1:
                attrs += f' rowspan="{cell.rows}"'
            cells.append(f"<td{attrs}>{inline(cell.content)}</td>")
        end = ' class="end"' if r in t.sections and r < len(t.rows) - 1 else ""
        rows.append(f"<tr{end}>{''.join(cells)}</tr>")
    caption = f"<caption>{inline(t.caption)}</caption>" if t.caption else ""
    return (f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def block(b: Block | Section, level: int) -> str:
    """Write a block or a subsection as HTML.

    Parameters
    ----------
    b : Block or Section
        What to write.
    level : int
        The heading level of a subsection.

    Returns
    -------
    str
        The HTML.

    Raises
    ------
    TypeError
        If ``b`` is not a block.
    """
    if isinstance(b, Section):
        return section(b, level)
    if isinstance(b, Paragraph):
        role = f' class="{b.role}"' if b.role else ""
        return f"<p{role}>{inline(b.content)}</p>"
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{inline(item)}</li>" for item in b.items) + "</ul>"
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Figure):
        return (f'<figure id="figure-{escape(b.name)}">{svg_text(b.figure, f"accord-{b.name}")}'
                f"<figcaption>{inline(b.caption)}</figcaption></figure>")
    raise TypeError(f"not a block: {type(b).__name__}")


def section(s: Section, level: int = 2) -> str:
    """Write a section as HTML.

    Parameters
    ----------
    s : Section
        The section.
    level : int
        Its heading level (``<h2>`` at the top).

    Returns
    -------
    str
        A ``<section>`` with the section's id, title and blocks.
    """
    body = "".join(block(b, level + 1) for b in s.blocks)
    return f'<section id="{escape(s.id)}"><h{level}>{escape(s.title)}</h{level}>{body}</section>'


def render(doc: Document, version: str) -> str:
    """Write the whole brief as one page.

    Parameters
    ----------
    doc : Document
        The brief's content.
    version : str
        accord's version, named in the page.

    Returns
    -------
    str
        The HTML page.
    """
    contents = "".join(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in doc.sections)
    body = "".join(section(s) for s in doc.sections)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="accord {escape(version)}">'
        f"<title>{escape(doc.title)} · a brief</title><style>{CSS}</style></head>"
        f"<body><header><h1>{escape(doc.title)}</h1><p class=\"subtitle\">{inline(doc.subtitle)}</p></header>"
        f'<nav><h2>Contents</h2><ol>{contents}</ol></nav><main>{body}</main>'
        f"<footer><p>Made with accord {escape(version)}, open-source software for forecasting negotiations. "
        "This page is complete in itself: it needs no network and no software beyond a browser, and prints "
        "to PDF from the browser's print dialog.</p></footer></body></html>\n"
    )
