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
    """A figure of ``width`` x ``height`` inches on its own (non-interactive) canvas."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained" if constrained else None)


def colours(name: str = "tab20") -> Any:
    """A named colour map (``colours()(n)`` is the n-th colour)."""
    import matplotlib

    return matplotlib.colormaps[name]


def save(fig: Any, path: Path, tight: bool = True) -> Path:
    """Write ``fig`` to ``path`` (its suffix picks PNG, SVG, PDF, ...)."""
    fig.savefig(path, dpi=DPI, **({"bbox_inches": "tight"} if tight else {}))
    return path


def svg_text(fig: Any, salt: str = "accord") -> str:
    """``fig`` as SVG markup to put inline in an HTML page: text kept as text, no XML header, no
    date (the same figure gives the same markup), its ids made unique by ``salt`` (several inline
    SVGs share one page's id space).
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "svg.id": salt}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def png_bytes(fig: Any) -> bytes:
    """``fig`` as PNG (for a Markdown brief, where inline SVG is not shown everywhere)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
