"""Regenerate the pictures in the docs: every page of the web workbench and every ``--plot``.

``make screenshots`` (or ``python scripts/screenshots.py [docs]``) writes ``docs/web/*.png``
(the workbench in headless Chromium at 1400 x 900, on the built-in scenario) and
``docs/plots/*.png`` (each command's ``--plot`` at its default size). Needs Debian's
``chromium`` and the test extras (Playwright); nothing is fetched.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BAD_CSV = "actor,issue,position,salience,capability\nA,x,10,50,50\nB,x,10,500,30\nC,x,abc,50,20\n"

#: each figure: its file name and the command that draws it (``--plot`` is added)
PLOTS = {
    "forecast.png": ["forecast", "--draws", "500", "--seed", "7"],
    "forecast-static.png": ["forecast", "-m", "compromise", "-m", "weighted-median", "-m", "nash"],
    "trajectory-eum.png": ["forecast", "-m", "eum", "--trajectory"],
    "trajectories.png": ["forecast", "-m", "eum", "-m", "exchange", "-m", "smp", "--trajectory"],
    "whatif.png": ["whatif", "--named", "us-ends-nato-sales", "--draws", "300", "--seed", "7"],
    "sensitivity.png": ["sensitivity", "--issue", "territory"],
    "deals.png": ["deal", "--compare", "28-point", "geneva-19", "european-counter"],
    "backtest.png": ["backtest", "-m", "compromise", "-m", "weighted-median", "-m", "exchange", "-m", "smp"],
}


class Server:
    """The workbench under uvicorn in a thread, on a free loopback port, with its own database."""

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

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(20)
        self.sock.close()


def plots(out: Path) -> list[Path]:
    """Every ``--plot`` of the command line, in a scratch folder's history."""
    import contextlib
    import io

    from accord.cli.main import main

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, command in PLOTS.items():
        path = out / name
        with contextlib.redirect_stdout(io.StringIO()):  # the tables are not wanted here
            code = main([*command, "--plot", str(path)])
        if code != 0:
            raise SystemExit(f"accord {' '.join(command)} failed")
        written += [p for p in sorted(out.glob(f"{path.stem}*{path.suffix}")) if p not in written]
    return written


def pages(out: Path) -> list[Path]:
    """Every page of the workbench, after the runs that fill them."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder, Server(Path(folder) / "runs.sqlite") as server, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def shot(name: str, full: bool = False, clip_to: str | None = None) -> None:
            page.wait_for_timeout(500)
            path = out / f"{name}.png"
            if clip_to:
                page.locator(clip_to).screenshot(path=str(path))
            else:
                page.screenshot(path=str(path), full_page=full)
            written.append(path)

        page.goto(server.url + "/")
        page.click("a.scenario-link[data-scenario='ukraine-2025-12']")
        page.wait_for_selector("#grid")
        url = page.url
        shot("scenario")
        page.goto(url + "/forecast")
        for box in page.query_selector_all("input[name=models]"):
            if box.get_attribute("value") in ("exchange-random", "eum-scholz", "mean", "median"):
                box.uncheck()
        page.fill("#draws", "200")
        page.click("#run-forecast")
        page.wait_for_selector("#results:not([hidden])", timeout=600_000)
        shot("forecast", clip_to="#results")
        shot("forecast-page", full=True)
        page.select_option("#traj-model", "eum")
        page.locator("#trajectory-section").scroll_into_view_if_needed()
        shot("trajectories", clip_to="#trajectory-section")
        page.fill("#seed", "1")  # a second forecast, to compare with the first
        page.click("#run-forecast")
        page.wait_for_function("document.getElementById('forecast-status').textContent.includes('#2')",
                               timeout=600_000)
        page.goto(url + "/whatif")
        page.check("input[name=named]")
        page.click("#run-whatif")
        page.wait_for_selector("#whatif-results:not([hidden])", timeout=600_000)
        shot("whatif", full=True)
        page.goto(url + "/deal")
        for pid in ("28-point", "geneva-19"):
            page.check(f"input[name=proposals][value='{pid}']")
        page.click("#run-deal")
        page.wait_for_selector("#deal-results:not([hidden])", timeout=600_000)
        page.evaluate("document.querySelectorAll('#deal-tables details').forEach((d, n) => d.open = n === 0)")
        shot("deal", full=True)
        page.goto(server.url + "/runs")
        shot("runs")
        page.goto(f"{server.url}/runs/1")
        page.wait_for_function("document.getElementById('outcome-chart').data")
        shot("run", full=True)
        page.goto(server.url + "/compare?ids=1&ids=2")  # the two forecasts
        page.wait_for_function("document.getElementById('compare-chart') && "
                               "document.getElementById('compare-chart').data")
        shot("compare", full=True)
        page.goto(server.url + "/")
        bad = Path(folder) / "positions.csv"
        bad.write_text(BAD_CSV)
        page.set_input_files("#upload-file", str(bad))
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#upload-problems")
        shot("scenarios", full=True)
        browser.close()
    return written


def main(docs: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["ACCORD_DB"] = f"sqlite:///{Path(scratch) / 'history.sqlite'}"
        for path in plots(docs / "plots") + pages(docs / "web"):
            print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
