"""Every table reads at 80 and at 200 columns: no line wider than the terminal, no word cut.

"No word cut" is checked against the same renderable printed on an unbounded console, where
nothing wraps: every word printed at the narrow width must be a word of that unbounded print
(a cut ``administratio`` / ``n`` is neither). Web addresses longer than the width are the one
exception (they cannot fit; the terminal shows them folded).
"""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from accord.cli.main import main
from accord.report.fit import fits, header, plain_table, shape
from accord.report.meaning import group_by_meaning, meaning
from accord.report.views import view
from accord.runs import BacktestSpec, ForecastSpec, SensitivitySpec, WhatIfSpec, execute
from accord.runs.spec import Change
from accord.scenario import Issue
from accord.scenario.builtin import load_builtin

WIDTHS = (80, 200)
BOX = re.compile(r"^[─━│┃┏┓┗┛┡┩╇┳┻╋├┤┼┬┴└┘┌┐═║]+$")


def render(renderable: object, width: int) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def words(text: str) -> set[str]:
    return {w for w in text.split() if not BOX.match(w)}


def source_texts(item: object) -> list[str]:
    """Every text a renderable holds (cells, headers, titles, captions), whatever the layout."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    if isinstance(item, str):
        return [Text.from_markup(item).plain]
    if isinstance(item, Text):
        return [item.plain]
    if isinstance(item, Group):
        return [t for part in item.renderables for t in source_texts(part)]
    if isinstance(item, Padding):
        return source_texts(item.renderable)
    if isinstance(item, Table):
        found = [t for extra in (item.title, item.caption) if extra is not None for t in source_texts(extra)]
        for column in item.columns:
            found += source_texts(column.header)
            found += [t for cell in column._cells for t in source_texts(cell)]
        return found
    return [render(item, 100_000)]


def assert_readable(renderable: object, width: int, urls: bool = False) -> str:
    text = render(renderable, width)
    wide = [line for line in text.splitlines() if cell_len(line.rstrip()) > width]
    assert not wide, f"{len(wide)} lines wider than {width}: {wide[:2]}"
    whole = " ".join(source_texts(renderable))
    cut = words(text) - words(whole)
    if urls:  # pieces of a folded web address
        addresses = [w for w in words(whole) if w.startswith("http")]
        cut = {w for w in cut if not any(w in a for a in addresses)}
    assert not cut, f"words cut at {width} columns: {sorted(cut)[:10]}"
    return text


# ----------------------------------------------------------------------------- the helpers, by hand
TERRITORY = Issue.model_validate({
    "id": "territory", "name": "Territory",
    "scale": {"min": 0, "max": 100, "anchors": {0: "Russia withdraws", 25: "line of contact frozen; no recognition",
                                                50: "Donbas ceded", 100: "all four regions"}},
})


@pytest.mark.parametrize(("value", "expected"), [
    (40, "between line of contact frozen (25) and Donbas ceded (50)"),
    (26, "≈ line of contact frozen (25)"),  # within 3 points of 25 on a 0-100 scale
    (21.9, "between Russia withdraws (0) and line of contact frozen (25)"),
    (75, "between Donbas ceded (50) and all four regions (100)"),
    (100, "≈ all four regions (100)"),
])
def test_meaning_names_the_anchors_a_value_lies_between(value, expected):
    assert meaning(TERRITORY, value).text() == expected


def test_meaning_in_full_keeps_the_whole_label_and_marks_it():
    m = meaning(TERRITORY, 24)
    assert m.text(short=False) == "≈ line of contact frozen; no recognition (25)"
    assert m.markdown() == "≈ *line of contact frozen; no recognition* (25)"
    assert m.html() == "≈ <em>line of contact frozen; no recognition</em> (25)"


def test_values_group_by_meaning_in_order():
    groups = group_by_meaning(TERRITORY, [("a", 40.0), ("b", 10.0), ("c", 30.0), ("d", 25.5)])
    assert [[name for name, _ in members] for _, members in groups] == [["b"], ["d"], ["c", "a"]]


def test_a_scale_without_anchors_has_no_meaning():
    plain = Issue.model_validate({"id": "x", "name": "x"})
    assert meaning(plain, 40).anchors == () and meaning(TERRITORY, float("nan")).anchors == ()


def test_headers_break_at_hyphens_only():
    assert header("weighted-median") == "weighted-\nmedian" and header("compromise") == "compromise"


def test_shape_keeps_every_word_when_the_words_fit():
    """Rich alone squeezes the widest column first and cuts a narrow one's words; shaped, no cut."""
    table = plain_table()
    table.add_column("model")
    table.add_column("notes")
    table.add_row("weighted-median", "a long note " * 20)
    assert fits(table, 40)
    assert "weighted-median" in render(shape(table, 40), 40)


# ----------------------------------------------------------------------------- real results
@pytest.fixture(scope="module")
def forecast():
    return execute(ForecastSpec())


@pytest.fixture(scope="module")
def forecast_draws():
    return execute(ForecastSpec(models=["compromise", "weighted-median", "eum", "exchange"], draws=30,
                                events=["territory >= 50 and guarantees <= 30"], seed=3))


@pytest.mark.parametrize("width", WIDTHS)
def test_forecast_fits(forecast, width):
    text = assert_readable(view(forecast, width, trajectory=True), width)
    assert "spread:" in text and "status quo:" in text  # the legend
    if width == 80:  # one block per issue, each model's forecast in the scale's words
        assert "What the forecasts mean" not in text
        assert "≈ Fighting stops on the current line of contact (25)" in " ".join(text.split())
    else:  # issues x models, then the meanings
        assert "What the forecasts mean" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_forecast_with_draws_and_events_fits(forecast_draws, width):
    text = assert_readable(view(forecast_draws, width), width)
    assert "±" in text and "standard error" in text  # the ± column is explained


def test_forecast_at_80_columns_gives_each_model_its_number(forecast):
    """The block layout still shows every model's forecast, to one decimal, beside its name."""
    text = render(view(forecast, 80), 80)
    outcomes = forecast.outcomes()
    block = text.split("Territory")[1].split("Security guarantees")[0]
    for name in outcomes.columns:
        value = f"{outcomes.loc['territory', name]:.1f}"
        assert re.search(rf"^{re.escape(name)}\s+{re.escape(value)}!?\s", block, re.M), name


@pytest.fixture(scope="module")
def whatif():
    spec = WhatIfSpec(change=Change(named=["us-ends-nato-sales"]), draws=20,
                      models=["compromise", "weighted-median", "eum-scholz", "exchange-random", "median", "nash",
                              "mean"], events=["territory >= 50"])
    return execute(spec)


@pytest.mark.parametrize("width", WIDTHS)
def test_whatif_fits(whatif, width):
    text = assert_readable(view(whatif, width), width)
    assert "moved:" in text and "Δ (effect):" in text
    assert "weighted-me\n" not in text and "dian" not in text.split()


@pytest.fixture(scope="module")
def backtest():
    return execute(BacktestSpec(models=["compromise", "weighted-median", "exchange", "smp", "choice"],
                                n_boot=100, by=["wave", "voting-rule"], cross_validate=False))


@pytest.mark.parametrize("width", WIDTHS)
def test_backtest_fits(backtest, width):
    text = assert_readable(view(backtest, width), width)
    assert "MAE:" in text and "within 10:" in text and "vs compromise:" in text
    compact = " ".join(text.split())
    assert "weighted-median" in compact and "…" not in compact.replace("…+", "").replace("…-", "")


@pytest.mark.parametrize("width", WIDTHS)
def test_sensitivity_fits(width):
    result = execute(SensitivitySpec(issue="territory", method="morris", samples=4))
    text = assert_readable(view(result, width), width)
    assert "mu*:" in text and "sigma:" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_scenario_show_fits(width):
    from accord.report.tables.scenario import scenario_view

    text = assert_readable(scenario_view(load_builtin("ukraine-2025-12"), width), width, urls=True)
    assert "administration" in text.split()  # the word the old table cut in two


@pytest.mark.parametrize("width", WIDTHS)
def test_runs_tables_fit(capsys, tmp_path, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    for seed in ("1", "12345678901234"):
        assert main(["forecast", "-m", "compromise", "-m", "weighted-median", "--seed", seed, "--save", "--db", db,
                     "--label", "a label of several words to wrap"]) == 0
    capsys.readouterr()
    for args in (["runs", "list"], ["runs", "compare", "1", "2"], ["runs", "show", "2"]):
        assert main([*args, "--db", db]) == 0
        out = capsys.readouterr().out
        assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= width, args


def test_cli_forecast_at_80_columns_has_no_cut_model_names(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["forecast"]) == 0
    out = capsys.readouterr().out
    for cut in ("compro.", "exchan.", "weighted-me\n", "…"):
        assert cut not in out
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= 80


def test_json_output_unchanged_by_width(capsys, monkeypatch):
    """Layout is for tables only: the JSON is the same at any width."""
    outs = []
    for width in WIDTHS:
        monkeypatch.setenv("COLUMNS", str(width))
        assert main(["forecast", "-m", "compromise", "-f", "json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1]

