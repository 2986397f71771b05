"""The workbench in headless Chromium (Debian's package, driven by Playwright): load the built-in
scenario, edit it, run a forecast, apply a what-if and see the chart change, judge a deal.

Skips only when Chromium is absent and we are not in CI (``CI=true`` makes it required).
``python tests/test_web_browser.py docs/web`` makes the screenshots of docs/web.md.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BAD_CSV = "actor,issue,position,salience,capability\nA,x,10,50,50\nB,x,10,500,30\n"


def _need_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("chromium (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install playwright)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; in CI they must run")
        pytest.skip(reason)


class LiveServer:
    """The app under uvicorn in a thread, on a free loopback port, with its own database."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        from accord.store import Store
        from accord.web import create_app

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        app = create_app(Store(f"sqlite:///{db}"))
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(600):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the test server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.sock.close()


@pytest.fixture(scope="module")
def live_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web") / "runs.sqlite"


@pytest.fixture(scope="module")
def live(live_db: Path) -> Iterator[str]:
    _need_browser()
    with LiveServer(live_db) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(live: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    page.close()
    assert not errors, f"JavaScript errors: {errors}"


def chart_y(page: object, div: str, trace: int) -> list[float]:
    return page.evaluate(f"document.getElementById('{div}').data[{trace}].y")  # type: ignore[attr-defined]


def open_builtin(page: object, live: str) -> str:
    page.goto(live + "/")  # type: ignore[attr-defined]
    page.click("a.scenario-link[data-scenario='ukraine-2025-12']")  # type: ignore[attr-defined]
    page.wait_for_selector("#grid")  # type: ignore[attr-defined]
    return page.url  # type: ignore[attr-defined]


def axis_titles(page: object, div: str) -> list[str]:
    """The axis titles Plotly actually drew (Plotly.js 3 silently drops titles given as strings)."""
    return page.evaluate(  # type: ignore[attr-defined]
        f"[...document.querySelectorAll('#{div} .xtitle, #{div} .ytitle')].map(t => t.textContent)")


def test_forecast_of_the_builtin_scenario(page: object, live: str) -> None:
    open_builtin(page, live)
    page.click("#tab-forecast")
    page.wait_for_selector("#forecast-form")
    chosen = ("compromise", "weighted-median", "eum", "exchange")
    for box in page.query_selector_all("input[name=models]"):
        if box.get_attribute("value") not in chosen:
            box.uncheck()
    page.click("#run-forecast")
    assert page.is_disabled("#run-forecast")  # no second submission while it runs
    assert "running 4 models" in page.inner_text("#forecast-status")
    page.wait_for_selector("#results:not([hidden])", timeout=120_000)
    assert page.is_enabled("#run-forecast")
    names = page.evaluate("document.getElementById('outcome-chart').data.map(t => t.name)")
    assert names == ["actor positions", "compromise", "weighted-median", "eum", "exchange"]  # display order
    n_issues = page.evaluate("JSON.parse(document.getElementById('grid-data').textContent).issues.length")
    assert len(chart_y(page, "outcome-chart", 1)) == n_issues
    assert axis_titles(page, "outcome-chart") == ["position on the issue's scale"]
    assert page.is_visible("#trajectory-chart")  # eum is dynamic
    # round r is drawn at r: the forecast chart's side-by-side grouping must not shift the lines
    assert page.evaluate("document.getElementById('trajectory-chart')._fullLayout.scattermode") == "overlay"
    assert axis_titles(page, "trajectory-chart") == ["round", "position on the issue's scale (0–100)"]
    status = page.inner_text("#forecast-status")
    assert "recorded" in status
    # the settlement-or-stalemate headline comes first, in the command line's words
    assert page.inner_text("#settlement-headline").startswith("P(agreement) ")
    lines = page.inner_text("#settlement-lines")
    assert "Likely package:" in lines and "Likely blocker:" in lines
    # model details: tables, not JSON dumps; "-1" (never settled) reads as a dash
    page.evaluate("document.querySelectorAll('#details details').forEach(d => d.open = true)")
    details = page.inner_text("#details")
    assert page.query_selector_all("#details pre") == []
    assert "round from which no actor moves" in details and "-1" not in details
    heads = page.evaluate("[...document.querySelectorAll('#details th')].map(t => t.textContent)")
    assert "round" in heads and "actor_i" in heads  # the exchanges, one row per exchange
    # reopened, the run lists its models in the same order (the stored JSON is sorted by name)
    run_id = int(status.split("#")[1].split()[0])
    page.goto(f"{live}/runs/{run_id}")
    page.wait_for_function("document.getElementById('outcome-chart').data")
    assert page.evaluate("document.getElementById('outcome-chart').data.map(t => t.name)") == names


def test_a_long_forecast_shows_its_progress_and_can_be_cancelled(page: object, live: str) -> None:
    """A run is a job: while it waits or runs the page shows its progress and a Cancel button;
    cancelled, nothing is recorded and the form is ready again."""
    url = open_builtin(page, live)
    page.goto(url + "/forecast")
    for box in page.query_selector_all("input[name=models]"):
        (box.check if box.get_attribute("value") == "exchange-random" else box.uncheck)()
    page.fill("#forecast-form [name=draws]", "5000")
    runs_before = page.evaluate("fetch('/api/runs').then(r => r.json()).then(l => l.length)")
    page.click("#run-forecast")
    page.wait_for_selector("#cancel-forecast")
    page.wait_for_function("document.querySelector('.job-progress') && "
                           "!document.querySelector('.job-progress').hidden && "
                           "document.querySelector('.job-progress').value > 0", timeout=60_000)
    assert " of " in page.inner_text("#forecast-status")  # e.g. "draws: 500 of 5001"
    page.click("#cancel-forecast")
    page.wait_for_function("document.getElementById('forecast-status').textContent.startsWith('cancelled')",
                           timeout=30_000)
    assert page.query_selector("#cancel-forecast") is None and page.is_enabled("#run-forecast")
    assert page.evaluate("fetch('/api/runs').then(r => r.json()).then(l => l.length)") == runs_before


def test_whatif_changes_the_chart(page: object, live: str) -> None:
    url = open_builtin(page, live)
    page.goto(url + "/whatif")
    for box in page.query_selector_all("input[name=models]"):
        (box.check if box.get_attribute("value") == "compromise" else box.uncheck)()
    page.fill("#whatif-draws", "50")
    page.fill("#whatif-set", "capability[us] *= 1")  # no change: both sides agree
    page.click("#run-whatif")
    page.wait_for_selector("#whatif-results:not([hidden])", timeout=120_000)
    base, same = chart_y(page, "whatif-chart", 0), chart_y(page, "whatif-chart", 1)
    assert same == base
    page.fill("#whatif-set", "capability[us] *= 0.2\ncapability[russia] *= 0.2")
    page.click("#run-whatif")
    page.wait_for_function(
        "() => { const d = document.getElementById('whatif-chart').data;"
        " return JSON.stringify(d[1].y) !== JSON.stringify(d[0].y); }", timeout=120_000)
    changed = chart_y(page, "whatif-chart", 1)
    assert chart_y(page, "whatif-chart", 0) == base  # same draws: the baseline does not move
    assert changed != same
    assert page.is_visible("#whatif-diff-chart")
    assert axis_titles(page, "whatif-diff-chart") == ["effect: change of the median (points on the issue's scale)"]
    # a bad line: the problem is shown and the previous results are hidden, not left as if current
    page.fill("#whatif-set", "capability[us] *= 0.5\nfoo bar")
    page.click("#run-whatif")
    page.wait_for_selector("#whatif-problems li")
    assert "foo bar" in page.inner_text("#whatif-problems")
    assert page.is_hidden("#whatif-results")
    assert "nothing was recorded" in page.inner_text("#whatif-status")


def test_reopened_cli_whatif_run(page: object, live: str, live_db: Path) -> None:
    """A what-if saved by ``accord whatif --save`` opens in the browser, models in display order."""
    from accord.models import available_models
    from accord.runs import Change, WhatIfSpec, execute
    from accord.store import Store
    from accord.store.results import save_result

    models = ["choice", "compromise", "median"]
    result = execute(WhatIfSpec(models=models, draws=20, change=Change(named=["us-ends-nato-sales"])))
    store = Store(f"sqlite:///{live_db}")
    shown = [m for m in available_models() if m in models]  # the display order
    run = save_result(store, result, "cli")
    page.goto(f"{live}/runs/{run.id}")
    page.wait_for_function("document.getElementById('whatif-chart').data")
    options = page.evaluate("[...document.querySelectorAll('#whatif-model option')].map(o => o.value)")
    assert options == shown
    assert len(page.query_selector_all("#whatif-lines li")) == len(result.change["changes"])
    for word in ("undefined", "NaN", "null"):
        assert word not in page.inner_text("#whatif-results")


def test_pages_fit_a_narrow_window(page: object, live: str) -> None:
    """At 800 px nothing widens the page: wide tables scroll inside their own box."""
    page.set_viewport_size({"width": 800, "height": 900})
    url = open_builtin(page, live)
    for path in ("", "/forecast", "/whatif", "/deal"):
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 800, path
    page.goto(url + "/deal")
    page.click("#run-deal")
    page.wait_for_selector("#deal-results:not([hidden])", timeout=120_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    # narrow: the bars are labelled with the short actor ids, the hover names the actor
    assert page.evaluate("document.getElementById('deal-chart').data[0].x[0]") == "us"
    assert axis_titles(page, "deal-chart") == ["gain over the no-deal point (utility points)"]


def test_edit_in_place_saves_a_new_version(page: object, live: str) -> None:
    url = open_builtin(page, live)
    cell = "input[data-actor='us'][data-issue='territory'][data-field='position']"
    old = page.input_value(cell)
    page.fill(cell, "12.5")
    page.click("#save-edits")
    page.wait_for_url(lambda u: u != url)
    assert page.input_value(cell) == "12.5"
    assert "version 2" in page.inner_text(".scenario-bar")
    page.goto(url)
    assert page.input_value(cell) == old


def test_grid_refuses_bad_values_before_saving(page: object, live: str) -> None:
    url = open_builtin(page, live)
    cell = "input[data-actor='us'][data-issue='territory'][data-field='position']"
    page.fill(cell, "")
    page.click(cell)
    page.keyboard.type("7-")  # not a number: the input's value is "" (which would remove the stake)
    assert page.is_disabled("#save-edits")
    assert "United States administration on Territory: position: not a number" in page.inner_text("#edit-problems")
    page.fill(cell, "500")  # the territory scale is 0..100
    assert page.is_disabled("#save-edits")
    assert "500 is outside 0–100" in page.inner_text("#edit-problems")
    sal = "input[data-actor='us'][data-issue='territory'][data-field='salience']"
    page.fill(cell, "")  # one number of a cell cleared: ambiguous
    assert "clear both numbers" in page.inner_text("#edit-problems")
    page.fill(sal, "")  # both cleared: removing the stake is allowed
    assert page.is_enabled("#save-edits") and page.inner_text("#edit-problems") == ""
    page.click("#reset-edits")
    assert page.input_value(cell) == page.get_attribute(cell, "data-orig")
    assert page.url == url


def test_deal_page_shows_who_gains_and_vetoes(page: object, live: str) -> None:
    url = open_builtin(page, live)
    page.goto(url + "/deal")
    page.click("#run-deal")
    page.wait_for_selector("#deal-results:not([hidden])", timeout=120_000)
    assert "accepted" in page.inner_text("#deal-verdicts")
    assert page.evaluate("document.getElementById('deal-chart').data.length") >= 1
    # the "changed points" box: a named proposal with a point changed and one left open
    for box in page.query_selector_all("input[name=proposals]"):
        (box.check if box.get_attribute("value") == "geneva-19" else box.uncheck)()
    page.fill("#deal-points", "army_cap=30 elections_amnesty=open")
    page.click("#run-deal")
    page.wait_for_function("document.getElementById('deal-verdicts').innerText.includes('with army_cap=30')",
                           timeout=120_000)
    assert "partial — its point" in page.inner_text("#deal-verdicts")


def test_upload_problems_appear_beside_their_rows(page: object, live: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV)
    page.goto(live + "/")
    page.set_input_files("#upload-file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-problems")
    assert "salience" in page.inner_text("#line-3")


# charts: the run list, the mode bar, many series, mixed scales ----------------------------------
def overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def rect(page: object, selector: str) -> dict:
    return page.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()")


def test_a_run_joins_the_list_of_earlier_runs_and_the_legend_stays_clear(page: object, live: str) -> None:
    url = open_builtin(page, live)
    page.goto(url + "/forecast")
    before = page.inner_text("#runs-table")
    for box in page.query_selector_all("input[name=models]"):
        (box.check if box.get_attribute("value") in ("compromise", "median") else box.uncheck)()
    page.click("#run-forecast")
    page.wait_for_selector("#results:not([hidden])", timeout=120_000)
    run_id = page.inner_text("#forecast-status").split("#")[1].split()[0]
    rows = page.inner_text("#runs-table")
    assert f"#{run_id}" in rows and f"#{run_id}" not in before
    assert "No runs yet" not in rows
    assert page.is_visible("#runs-table >> xpath=ancestor::form//button[@type='submit']")
    # the mode bar (shown on hover) and the legend do not overlap
    page.hover("#outcome-chart .plot-container")
    page.wait_for_selector("#outcome-chart .modebar", state="visible")
    assert not overlap(rect(page, "#outcome-chart .modebar"), rect(page, "#outcome-chart .legend"))


def test_compare_page_keeps_thirty_series_apart(page: object, live: str, live_db: Path) -> None:
    from accord.runs import ForecastSpec, execute
    from accord.store import Store
    from accord.store.results import save_result

    store = Store(f"sqlite:///{live_db}")
    result = execute(ForecastSpec())  # every model: 11 series per run
    ids = [save_result(store, result, "cli").id for _ in range(3)]
    page.goto(live + "/compare?" + "&".join(f"ids={i}" for i in ids))
    page.wait_for_function("document.getElementById('compare-chart').data")
    colours = page.evaluate("document.getElementById('compare-chart').data.map(t => t.marker.color)")
    assert len(colours) == 33 and len(set(colours)) == 33
    page.hover("#compare-chart .plot-container")
    page.wait_for_selector("#compare-chart .modebar", state="visible")
    assert not overlap(rect(page, "#compare-chart .modebar"), rect(page, "#compare-chart .legend"))


def test_issues_on_different_scales_are_drawn_as_shares(page: object, live: str, live_db: Path) -> None:
    from accord.runs import ForecastSpec, execute
    from accord.scenario import Scenario
    from accord.store import Store
    from accord.store.results import save_result

    scenario = Scenario.model_validate({
        "id": "mixed", "title": "mixed scales",
        "actors": [{"id": "a", "name": "A", "capability": 60}, {"id": "b", "name": "B", "capability": 40}],
        "issues": [{"id": "half", "name": "half", "scale": {"min": 0, "max": 50}},
                   {"id": "whole", "name": "whole", "scale": {"min": 0, "max": 100}}],
        "positions": [{"actor": "a", "issue": "half", "position": 10, "salience": 50},
                      {"actor": "b", "issue": "half", "position": 40, "salience": 50},
                      {"actor": "a", "issue": "whole", "position": 10, "salience": 50},
                      {"actor": "b", "issue": "whole", "position": 40, "salience": 50}],
    })
    result = execute(ForecastSpec(models=["compromise"]), scenario)
    run = save_result(Store(f"sqlite:///{live_db}"), result, "cli")
    page.goto(f"{live}/runs/{run.id}")
    page.wait_for_function("document.getElementById('outcome-chart').data")
    # compromise: (60*10 + 40*40) / 100 = 22 on both issues; 22 of 0-50 is 44% of its range
    assert chart_y(page, "outcome-chart", 1) == pytest.approx([44.0, 22.0])
    title = page.evaluate("document.querySelector('#outcome-chart .ytitle').textContent")
    assert "% of each issue's own scale" in title


# screenshots for docs/web.md -------------------------------------------------------------------
def take_screenshots(out: Path) -> None:
    """One screenshot per page of the built-in scenario, in the same headless Chromium."""
    import tempfile

    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, LiveServer(Path(folder) / "runs.sqlite") as server, \
            sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 900})

        def shot(name: str, full: bool = False, clip_to: str | None = None) -> None:
            page.wait_for_timeout(400)
            if clip_to:
                page.locator(clip_to).screenshot(path=str(out / f"{name}.png"))
            else:
                page.screenshot(path=str(out / f"{name}.png"), full_page=full)

        url = open_builtin(page, server.url)
        shot("scenario")
        page.hover("td.cell[data-issue='territory'] >> nth=1")
        page.goto(url + "/forecast")
        for box in page.query_selector_all("input[name=models]"):
            if box.get_attribute("value") in ("exchange-random", "eum-scholz", "mean", "median"):
                box.uncheck()
        page.fill("#draws", "200")
        page.click("#run-forecast")
        page.wait_for_selector("#results:not([hidden])", timeout=600_000)
        page.locator("#results").scroll_into_view_if_needed()
        shot("forecast", clip_to="#results")
        page.select_option("#traj-model", "eum")
        page.locator("#trajectory-section").scroll_into_view_if_needed()
        shot("trajectories", clip_to="#trajectory-section")
        page.goto(url + "/whatif")
        named = page.query_selector("input[name=named]")
        if named:
            named.check()
        else:
            page.fill("#whatif-set", "capability[us] *= 0.5")
        page.click("#run-whatif")
        page.wait_for_selector("#whatif-results:not([hidden])", timeout=600_000)
        shot("whatif", full=True)
        page.goto(url + "/deal")
        for pid in ("28-point", "geneva-19"):
            box = page.query_selector(f"input[name=proposals][value='{pid}']")
            if box:
                box.check()
        page.click("#run-deal")
        page.wait_for_selector("#deal-results:not([hidden])", timeout=600_000)
        page.evaluate("document.querySelectorAll('#deal-tables details').forEach((d, n) => d.open = n === 0)")
        shot("deal", full=True)
        page.goto(server.url + "/")
        bad = Path(folder) / "positions.csv"
        bad.write_text(BAD_CSV + "C,x,abc,50,20\n")
        page.set_input_files("#upload-file", str(bad))
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#upload-problems")
        shot("scenarios", full=True)
        page.goto(server.url + "/runs")
        shot("runs")
        b.close()


if __name__ == "__main__":
    take_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/web"))
