"""Colours that tell series apart and say nothing else.

No green for up and red for down: on most scales "up" favours one side, and a colour would pass
judgement the scenario does not make. Series get :func:`distinct` colours: Tableau's ten for up
to ten series (Tableau 10, Stone 2016), else a grid of evenly spaced hues at three lightnesses
(the first third of the series all differ in hue, the next in lightness too); the matching
:data:`MARKERS` tell apart series whose colours are close when printed in grey. The web
workbench uses the same rule (``accord.js``: ``colours``).
"""

from __future__ import annotations

import colorsys
import math

#: Tableau 10, in matplotlib's order (``tab10``)
TEN = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
       "#17becf")
#: one colour for a single series that must carry no meaning (an effect, a difference)
NEUTRAL = "#4c78a8"
#: what stands for "no change" and for the status quo: black, not a colour
STATUS_QUO = "#222222"
MARKERS = ("o", "s", "D", "^", "v", "<", ">", "P", "X", "*", "h", "p")
LIGHTNESS = (0.44, 0.62, 0.28)
SATURATION = 0.70


def distinct(n: int) -> list[str]:
    """Return colours that stay apart however many there are.

    Parameters
    ----------
    n : int
        The number of series.

    Returns
    -------
    list[str]
        ``n`` colours (``#rrggbb``): Tableau's ten for up to ten, else evenly spaced hues at three
        lightnesses.
    """
    if n <= len(TEN):
        return list(TEN[:n])
    per_level = math.ceil(n / len(LIGHTNESS))
    out = []
    for k in range(n):
        level, step = divmod(k, per_level)
        hue = (0.6 + (step + 0.5 * level) / per_level) % 1.0  # each level's hues shifted half a step
        r, g, b = colorsys.hls_to_rgb(hue, LIGHTNESS[level], SATURATION)
        out.append(f"#{round(255 * r):02x}{round(255 * g):02x}{round(255 * b):02x}")
    return out


def marker(k: int) -> str:
    """Return the marker shape of the ``k``-th series.

    Parameters
    ----------
    k : int
        The series' index; shapes repeat after :data:`MARKERS`.

    Returns
    -------
    str
        A matplotlib marker.
    """
    return MARKERS[k % len(MARKERS)]
