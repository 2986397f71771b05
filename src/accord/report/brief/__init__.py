"""``accord report``: a brief a reader understands without accord, as HTML or Markdown.

``render(brief, "html")`` gives one self-contained page (charts inline, print CSS, nothing
fetched); ``render(brief, "md")`` gives Markdown with the charts as embedded PNG images. The
content is built once (:mod:`.sections`) and written by :mod:`.html` or :mod:`.markdown`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.runs.brief import BriefResult

FORMATS = ("html", "md")


def render(brief: BriefResult, format: str = "html") -> str:
    """Write a brief as HTML or Markdown.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.
    format : str
        ``html`` (one self-contained page) or ``md`` (Markdown with embedded PNG charts).

    Returns
    -------
    str
        The brief as text in ``format``.

    Raises
    ------
    ValueError
        If ``format`` is not one of :data:`FORMATS`.
    """
    from accord.report.brief.sections import document

    if format not in FORMATS:
        raise ValueError(f"unknown brief format {format!r}; expected one of {', '.join(FORMATS)}")
    doc = document(brief)
    if format == "md":
        from accord.report.brief import markdown

        return markdown.render(doc, brief.accord_version)
    from accord.report.brief import html

    return html.render(doc, brief.accord_version)
