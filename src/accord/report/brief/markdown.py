"""The brief as Markdown (GitHub's dialect): headings, tables, lists, charts.

Charts are PNG images in ``data:`` URIs, so the file stands alone like the HTML page.
"""

from __future__ import annotations

import base64

from accord.report.brief.document import Block, Bullets, Document, Figure, Inline, Paragraph, Section, Table
from accord.report.figures.base import png_bytes

_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def inline(content: Inline) -> str:
    """Write inline pieces as Markdown.

    Parameters
    ----------
    content : Inline
        ``(text, style)`` pieces.

    Returns
    -------
    str
        Markdown on one line; user text escaped so that it is never read as markup.
    """
    out = []
    for piece, style in content:
        if style == "code":
            out.append("`" + piece.replace("`", "'") + "`")
        elif style == "link":
            out.append(
                f"<{piece}>" if piece.startswith(("https://", "http://")) else piece.translate(_SPECIAL)
            )
        elif style == "em" and piece.strip():
            out.append(f"*{piece.translate(_SPECIAL)}*")
        elif style == "strong" and piece.strip():
            out.append(f"**{piece.translate(_SPECIAL)}**")
        else:
            out.append(piece.translate(_SPECIAL))
    return "".join(out).replace("\n", " ")


def table(t: Table) -> str:
    """Write a table as Markdown.

    Parameters
    ----------
    t : Table
        The table.

    Returns
    -------
    str
        A pipe table (a spanning cell's rows left empty below it), the caption below in italics.
    """
    lines = [
        "| " + " | ".join(h.translate(_SPECIAL) for h in t.head) + " |",
        "| " + " | ".join("---:" if n in t.numeric else "---" for n in range(len(t.head))) + " |",
    ]
    for row in t.rows:
        lines.append("| " + " | ".join("" if cell is None else inline(cell.content) for cell in row) + " |")
    if t.caption:
        lines += ["", f"*{inline(t.caption)}*"]
    return "\n".join(lines)


def block(b: Block | Section, level: int) -> str:
    """Write a block or a subsection as Markdown.

    Parameters
    ----------
    b : Block or Section
        What to write.
    level : int
        The heading level of a subsection.

    Returns
    -------
    str
        The Markdown.

    Raises
    ------
    TypeError
        If ``b`` is not a block.
    """
    if isinstance(b, Section):
        return section(b, level)
    if isinstance(b, Paragraph):
        return ("> " if b.role == "lead" else "") + inline(b.content)
    if isinstance(b, Bullets):
        return "\n".join(f"- {inline(item)}" for item in b.items)
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Figure):
        data = base64.b64encode(png_bytes(b.figure)).decode("ascii")
        return f"![{inline(b.caption)}](data:image/png;base64,{data})\n\n*{inline(b.caption)}*"
    raise TypeError(f"not a block: {type(b).__name__}")


def section(s: Section, level: int = 2) -> str:
    """Write a section as Markdown.

    Parameters
    ----------
    s : Section
        The section.
    level : int
        Its heading level (``##`` at the top).

    Returns
    -------
    str
        The heading and the blocks, separated by blank lines.
    """
    parts = [f"{'#' * level} {s.title.translate(_SPECIAL)}"]
    parts += [block(b, level + 1) for b in s.blocks]
    return "\n\n".join(parts)


def render(doc: Document, version: str) -> str:
    """Write the whole brief as Markdown.

    Parameters
    ----------
    doc : Document
        The brief's content.
    version : str
        accord's version, named at the end.

    Returns
    -------
    str
        The Markdown file's text.
    """
    contents = "\n".join(
        f"{n}. [{s.title.translate(_SPECIAL)}](#{s.id})" for n, s in enumerate(doc.sections, 1)
    )
    body = "\n\n".join(section(s) for s in doc.sections)
    return (
        f"# {doc.title.translate(_SPECIAL)}\n\n{inline(doc.subtitle)}\n\n{contents}\n\n{body}\n\n---\n\n"
        f"Made with accord {version}.\n"
    )
