"""Long runs show a progress bar on a terminal: what runs, draws done of all, time left (issue 15).

The command line's reporter (:func:`accord.cli.common.progress`) draws a Rich bar on stderr when
stderr is a terminal and reports nothing when it is not or in JSON mode; the Monte Carlo chunks
advance it draw by draw and name the models running.
"""

from __future__ import annotations

import io
import json

from rich.console import Console

import accord.cli.common as common
import accord.experiments.progress as progress_module
from accord.cli.main import main
from accord.runs import quiet


def _terminal(monkeypatch) -> io.StringIO:
    out = io.StringIO()
    monkeypatch.setattr(common, "err_console", Console(file=out, force_terminal=True, width=120))
    monkeypatch.setattr(progress_module, "DELAY", 0.0)  # show the bar from the first step
    return out


def test_a_forecast_with_draws_shows_a_bar_naming_the_models(monkeypatch, capsys):
    shown = _terminal(monkeypatch)
    assert main(["forecast", "-m", "exchange", "-m", "compromise", "--draws", "300", "--workers", "2"]) == 0
    text = shown.getvalue()
    assert "draws" in text and "exchange" in text
    assert "/602" in text  # (300 draws + the forecast itself) x 2 models, counted as they finish
    assert "━" in text  # the bar itself


def test_no_bar_when_stderr_is_not_a_terminal_or_in_json_mode(monkeypatch, capsys):
    assert common.progress(True) is quiet  # pytest's stderr is not a terminal
    shown = _terminal(monkeypatch)
    assert common.progress(False) is quiet
    assert main(["forecast", "-m", "compromise", "--draws", "50", "-f", "json"]) == 0
    assert shown.getvalue() == ""
    assert json.loads(capsys.readouterr().out)["draws"] == 50


def test_the_settlement_after_the_draws_has_a_bar_too(monkeypatch, capsys):
    """The settlement analysis solves linear programs per draw after the models (about 13 s for
    10,000 draws): its bar counts the draws whose programs are solved, two programs per draw
    (the zone's width, then the nearest package: under the total veto rule every draw of the
    built-in scenario has a zone), so 100 draws end at 200 of 200."""
    shown = _terminal(monkeypatch)
    assert main(["forecast", "-m", "compromise", "--draws", "100"]) == 0
    text = shown.getvalue()
    assert "settlement" in text
    assert "200/200" in text
