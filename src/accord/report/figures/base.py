"""Figures through matplotlib's object interface: no pyplot, no global backend switched.

Importing accord never changes a notebook's or an application's matplotlib backend: every figure
is a :class:`matplotlib.figure.Figure` drawn on its own canvas and saved to a file (or rendered
to SVG text for a report). Figures use constrained layout, so labels and legends are given room
outside the axes instead of squeezing them.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

DPI = 120


def new_figure(width: float, height: float, constrained: bool = False) -> Any:
    """Make a figure on its own (non-interactive) canvas.

    Parameters
    ----------
    width, height : float
        Its size, in inches.
    constrained : bool
        Whether to use constrained layout.

    Returns
    -------
    Any
        A :class:`matplotlib.figure.Figure`.
    """
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


def colours(name: str = "tab20") -> Any:
    """Return a named colour map.

    Parameters
    ----------
    name : str
        A matplotlib colour map's name.

    Returns
    -------
    Any
        The colour map; ``colours()(n)`` is the n-th colour.
    """
    import matplotlib

    return matplotlib.colormaps[name]


def save(fig: Any, path: Path, tight: bool = True) -> Path:
    """Write a figure to a file.

    Parameters
    ----------
    fig : Any
        A matplotlib figure.
    path : Path
        The file; its suffix picks PNG, SVG, PDF, ...
    tight : bool
        Whether to crop the figure to what it draws.

    Returns
    -------
    Path
        ``path``.
    """
    fig.savefig(path, dpi=DPI, **({"bbox_inches": "tight"} if tight else {}))
    return path


def svg_text(fig: Any, salt: str = "accord") -> str:
    """Render a figure as SVG markup to put inline in an HTML page.

    Text is kept as text, with no XML header and no date (the same figure gives the same markup).

    Parameters
    ----------
    fig : Any
        A matplotlib figure.
    salt : str
        Makes the SVG's ids unique (several inline SVGs share one page's id space).

    Returns
    -------
    str
        The ``<svg>`` element.
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "svg.id": salt}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def png_bytes(fig: Any) -> bytes:
    """Render a figure as PNG (for a Markdown brief, where inline SVG is not shown everywhere).

    Parameters
    ----------
    fig : Any
        A matplotlib figure.

    Returns
    -------
    bytes
        The PNG file's bytes, without a software stamp.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
