"""``accord report``: one self-contained HTML brief (and Markdown) of a scenario and its runs,
built through the run path (``BriefSpec`` -> ``execute`` -> ``BriefResult``) and opened in
headless Chromium with no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accord.cli.main import main
from accord.report.brief import render
from accord.runs import BriefSpec, ForecastSpec, execute
from accord.runs.brief import BriefResult
from accord.scenario.builtin import load_builtin

MODELS = ["compromise", "weighted-median", "eum", "exchange"]
SECTIONS = ("glance", "forecast", "disagreement", "whatifs", "deals", "sensitivity", "sources", "method")


@pytest.fixture(scope="module")
def brief() -> BriefResult:
    spec = BriefSpec(
        models=MODELS,
        draws=20,
        seed=5,
        whatifs=["us-ends-nato-sales"],
        proposals=["28-point", "geneva-19"],
        sensitivity=1,
        sensitivity_samples=4,
    )
    return execute(spec)


@pytest.fixture(scope="module")
def page_html(brief: BriefResult) -> str:
    return render(brief, "html")


def test_the_brief_runs_what_it_was_asked_through_the_run_path(brief):
    assert list(brief.forecast.completed) == MODELS and brief.forecast.n_draws == 20
    assert [w.change["id"] for w in brief.whatifs] == ["us-ends-nato-sales"]
    assert list(brief.deal.packages) == ["28-point", "geneva-19"]
    # the sensitivity analysis is of the issue the models disagree on most
    outcomes = brief.forecast.outcomes()
    spread = (outcomes.max(axis=1) - outcomes.min(axis=1)) / 100  # every scale is 0-100
    assert [r.issue for r in brief.sensitivity] == [spread.idxmax()]
    assert brief.disputed()[0] == (spread.idxmax(), pytest.approx(spread.max()))
    # the same forecast as `accord forecast` with the same models, draws and seed
    alone = execute(ForecastSpec(models=MODELS, draws=20, seed=5))
    assert alone.outcomes().equals(brief.forecast.outcomes())


def test_defaults_take_every_named_whatif_and_proposal():
    from accord.experiments.whatif import builtin_whatifs
    from accord.runs.brief import whatif_changes

    scenario = load_builtin("ukraine-2025-12")
    changes = whatif_changes(BriefSpec(), scenario, read_files=True)
    assert [c.named for c in changes] == [[w.id] for w in builtin_whatifs(scenario.id)]
    assert whatif_changes(BriefSpec(whatifs=[]), scenario, read_files=True) == []


def test_html_is_self_contained(page_html):
    lowered = page_html.lower()
    for fetches in ("<script", "<link", "<img", "<iframe", "@import", " src="):
        assert fetches not in lowered, fetches
    assert all(
        u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", page_html)
    )  # the charts' own clip paths
    for tag, target in re.findall(r"<(\w+)[^>]*?\bhref=\"([^\"]*)\"", page_html):
        assert target.startswith("#") or (tag == "a" and target.startswith("https://")), (tag, target)
    assert page_html.count("<svg") >= 3  # forecast, what-if and sensitivity charts inline
    assert "@media print" in page_html and "@page" in page_html


def test_html_has_every_section_and_says_what_numbers_mean(page_html, brief):
    for section in SECTIONS:
        assert f'<section id="{section}">' in page_html, section
    # territory under compromise lies between the anchors at 25 and 50, in their words
    compromise = brief.forecast.outcomes().loc["territory", "compromise"]
    assert 25 < compromise < 50
    assert (
        "between <em>Fighting stops on the current line of contact; no recognition of Russian control</em> (25) "
        "and <em>Freeze on the line with de facto recognition of Russian control of occupied land</em> (50)"
    ) in page_html
    assert "as of 2025-12-08" in page_html and "seed 5" in page_html.replace("Seed </strong>5", "seed 5")
    assert (
        "accord report -m compromise -m weighted-median -m eum -m exchange --draws 20 --seed 5" in page_html
    )
    assert "plan28-liga" in page_html  # the sources


def test_the_brief_is_deterministic_and_round_trips_through_json(brief, page_html):
    assert render(brief, "html") == page_html
    again = BriefResult.from_dict(json.loads(json.dumps(brief.to_dict())), brief.scenario)
    assert render(again, "html") == page_html


def test_markdown_brief(brief):
    text = render(brief, "md")
    assert text.startswith("# Russia-Ukraine peace talks")
    for heading in (
        "## At a glance",
        "## The forecast, issue by issue",
        "## Where the models disagree, and why",
        "## What-ifs",
        "## Deals",
        "## Sources",
        "## How this brief was made",
    ):
        assert heading in text, heading
    assert text.count("](data:image/png;base64,") >= 3
    assert "*Fighting stops on the current line of contact; no recognition of Russian control* (25)" in text


def test_user_text_is_escaped():
    from accord.scenario import Scenario

    scenario = Scenario.model_validate(
        {
            "id": "x",
            "title": "Talks <script>alert(1)</script>",
            "actors": [
                {"id": "a", "name": "A <b>", "capability": 60},
                {"id": "b", "name": "B", "capability": 40},
            ],
            "issues": [
                {"id": "i", "name": "Issue | *one*", "scale": {"anchors": {0: "<none>", 100: "all_of_it"}}}
            ],
            "positions": [
                {"actor": "a", "issue": "i", "position": 10, "salience": 50},
                {"actor": "b", "issue": "i", "position": 80, "salience": 50},
            ],
        }
    )
    result = execute(BriefSpec(models=["compromise", "median"], draws=0, sensitivity=0), scenario)
    page = render(result, "html")
    assert "<script>" not in page and "Talks &lt;script&gt;" in page and "&lt;none&gt;" in page
    md = render(result, "md")
    assert r"Issue \| \*one\*" in md and r"all\_of\_it" in md


def test_cli_report_html_and_markdown(capsys, tmp_path):
    out = tmp_path / "brief.html"
    code = main(
        [
            "report",
            "-m",
            "compromise",
            "-m",
            "median",
            "--draws",
            "0",
            "--no-whatifs",
            "--no-deals",
            "--sensitivity",
            "0",
            "-o",
            str(out),
        ]
    )
    assert code == 0 and out.read_text().startswith("<!doctype html>")
    assert '<section id="whatifs">' not in out.read_text() and '<section id="deals">' not in out.read_text()
    md = tmp_path / "brief.md"
    assert (
        main(
            [
                "report",
                "-f",
                "md",
                "-m",
                "compromise",
                "--draws",
                "0",
                "--no-whatifs",
                "--no-deals",
                "--sensitivity",
                "0",
                "-o",
                str(md),
            ]
        )
        == 0
    )
    assert md.read_text().startswith("# ")


def test_cli_report_adds_saved_runs(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    assert main(["forecast", "-m", "nash", "--save", "--db", db]) == 0
    run_id = int(re.search(r"saved run (\d+)", capsys.readouterr().err).group(1))
    out = tmp_path / "brief.html"
    assert (
        main(
            [
                "report",
                "-m",
                "compromise",
                "--draws",
                "0",
                "--no-whatifs",
                "--no-deals",
                "--sensitivity",
                "0",
                "--run",
                str(run_id),
                "--db",
                db,
                "-o",
                str(out),
            ]
        )
        == 0
    )
    page = out.read_text()
    assert f'<section id="run-{run_id}">' in page and f"Run {run_id}: forecast" in page
    assert main(["report", "--run", "99", "--db", db, "-o", str(out)]) == 1
    assert "no run 99" in capsys.readouterr().err


def test_contradicting_options_are_refused(capsys):
    assert main(["report", "--whatif", "us-ends-nato-sales", "--no-whatifs"]) == 1
    assert "contradict" in capsys.readouterr().err


# ----------------------------------------------------------------------------- in a browser
def test_the_brief_opens_offline_in_a_browser(tmp_path: Path, page_html: str) -> None:
    from test_web_browser import ARGS, CHROMIUM, _need_browser

    _need_browser()
    from playwright.sync_api import sync_playwright

    path = tmp_path / "brief.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        failed: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        page.goto(path.as_uri())
        assert requests == [path.as_uri()] and not failed and not errors
        for section in SECTIONS:
            assert page.is_visible(f"#{section} h2"), section
        sizes = page.evaluate(
            "[...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().width)"
        )
        assert sizes and all(w > 300 for w in sizes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1200  # nothing wider than the window
        page.emulate_media(media="print")
        assert page.is_hidden("nav")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
        browser.close()
