"""``accord scenario show``'s view: user text shows verbatim (brackets are not Rich markup)."""

from __future__ import annotations

import io

from rich.console import Console

from accord.report.tables.scenario import scenario_view
from accord.scenario import Scenario


def render(renderable, width: int = 200) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None).print(renderable)
    return buffer.getvalue()


BRACKETS = Scenario.model_validate({
    "id": "br", "title": "Talks [draft]",
    "sources": [{"id": "s1", "citation": "Plan [leaked]", "quote": "[sic] text"}],
    "actors": [{"id": "a", "name": "Alpha [bold]", "capability": 50, "sources": ["s1"]},
               {"id": "b", "name": "Beta", "capability": 40}],
    "issues": [{"id": "x", "name": "Issue [red]x",
                "scale": {"min": 0, "max": 100, "anchors": {0: "none [yet]", 100: "all"}}}],
    "positions": [{"actor": "a", "issue": "x", "position": 10, "salience": 50, "note": "see [citation needed]"},
                  {"actor": "b", "issue": "x", "position": 80, "salience": 50}],
    "proposals": [{"id": "p", "name": "Deal [v2]", "points": {"x": 40}}],
})


def test_scenario_view_shows_bracketed_text_verbatim():
    text = render(scenario_view(BRACKETS))
    for words in ("Talks [draft]", "Alpha [bold]", "Issue [red]x [x]", "0  none [yet]",
                  "see [citation needed]", "Deal [v2]", "Plan [leaked]", "[sic] text"):
        assert words in text, words
