"""Issue 14's web findings: cross-site state changes, the token cookie over HTTPS, links from
scenario sources, the paginated run history and upload folders left by a killed server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from accord.store import Store  # noqa: E402
from accord.web import create_app  # noqa: E402

SMALL = """\
id: small
title: Small test
issues:
  - {id: x, name: Issue X, status_quo: 50}
actors:
  - {id: a, name: Actor A, capability: 50}
  - {id: b, name: Actor B, capability: 30}
positions:
  - {actor: a, issue: x, position: 10, salience: 50}
  - {actor: b, issue: x, position: 90, salience: 60}
"""
TOKEN = "s3cret-token-0123456789"


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    with TestClient(create_app(Store(f"sqlite:///{tmp_path / 'h.sqlite'}"))) as c:
        yield c


def _versions(client: TestClient) -> int:
    return sum(s["n_versions"] for s in client.get("/api/scenarios").json())


# cross-site request forgery -------------------------------------------------------------------
@pytest.mark.parametrize("headers", [
    {"origin": "null"},  # a sandboxed iframe, a data: or file: page: the finding
    {"origin": "NULL"},
    {"origin": "http://evil.example"},
    {"origin": "http://testserver.evil.example"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # another port or subdomain of the same site
    {"referer": "http://evil.example/page.html"},
])
def test_cross_site_uploads_are_refused_and_store_nothing(client: TestClient, headers: dict[str, str]) -> None:
    before = _versions(client)
    for path in ("/upload", "/api/scenarios"):
        r = client.post(path, files={"file": ("x.yaml", SMALL)}, headers=headers, follow_redirects=False)
        assert r.status_code == 403, (path, headers, r.status_code)
        assert "cross-site" in r.json()["detail"]
    assert _versions(client) == before


def test_cross_site_runs_and_cancels_are_refused(client: TestClient) -> None:
    v = client.post("/api/scenarios", files={"file": ("small.yaml", SMALL)}).json()
    r = client.post("/api/forecast", json={"version_id": v["id"]}, headers={"origin": "null"})
    assert r.status_code == 403
    r = client.delete("/api/jobs/abc", headers={"origin": "null"})
    assert r.status_code == 403
    assert client.get("/api/runs").json() == []


def test_same_origin_and_non_browser_clients_may_change_state(client: TestClient) -> None:
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin", "referer": "http://testserver/"}
    r = client.post("/upload", files={"file": ("small.yaml", SMALL)}, headers=same, follow_redirects=False)
    assert r.status_code == 303
    # curl and scripts send no Origin, Sec-Fetch-Site or Referer: nothing a browser page can forge
    r = client.post("/api/scenarios", files={"file": ("small.yaml", SMALL.replace("90", "80"))})
    assert r.status_code == 201
    # a plain navigation (Sec-Fetch-Site: none) is the user's own
    assert client.get("/", headers={"sec-fetch-site": "cross-site"}).status_code == 200


# the token cookie ------------------------------------------------------------------------------
def _cookie(app_kwargs: dict, base_url: str, headers: dict[str, str] | None = None) -> str:
    app = create_app(Store("sqlite://"), token=TOKEN, public=True, builtins=False, **app_kwargs)
    with TestClient(app, base_url=base_url) as c:
        r = c.get(f"/runs?token={TOKEN}", headers=headers or {}, follow_redirects=False)
    assert r.status_code == 303
    return r.headers["set-cookie"]


def test_the_cookie_is_secure_over_https_and_not_over_http() -> None:
    assert "Secure" in _cookie({}, "https://testserver")
    assert "Secure" not in _cookie({}, "http://testserver")


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy() -> None:
    forwarded = {"x-forwarded-proto": "https"}
    assert "Secure" not in _cookie({}, "http://testserver", forwarded)  # anyone can send the header
    assert "Secure" in _cookie({"trust_proxy": True}, "http://testserver", forwarded)
    assert "Secure" not in _cookie({"trust_proxy": True}, "http://testserver")


# links from scenario sources ------------------------------------------------------------------
HOSTILE_SOURCES = """\
sources:
  - {id: s1, citation: Script, url: "javascript:alert(document.cookie)"}
  - {id: s2, citation: Mixed case and a tab, url: "JaVa\\tScRiPt:alert(1)"}
  - {id: s3, citation: Leading blanks, url: "  javascript:alert(2)"}
  - {id: s4, citation: Data, url: "data:text/html,<script>alert(3)</script>"}
  - {id: s5, citation: Relative, url: "/api/runs"}
  - {id: s6, citation: Vbscript, url: "vbscript:msgbox(4)"}
  - {id: s7, citation: Good, url: "https://example.org/report?id=1&x=2"}
  - {id: s8, citation: Plain http, url: "http://example.org/a"}
"""


def test_only_http_and_https_source_urls_become_links(client: TestClient) -> None:
    text = SMALL.replace("positions:", HOSTILE_SOURCES + "positions:")
    v = client.post("/api/scenarios", files={"file": ("s.yaml", text)})
    assert v.status_code == 201, v.text
    page = client.get(f"/versions/{v.json()['id']}").text
    hrefs = [h for h in re.findall(r'href="([^"]*)"', page) if h != "data:,"]  # the page's empty icon
    assert "https://example.org/report?id=1&amp;x=2" in hrefs and "http://example.org/a" in hrefs
    for bad in ("javascript", "JaVa", "data:", "vbscript", "/api/runs"):
        assert not any(h.strip().lower().startswith(bad.lower()) for h in hrefs), bad
    assert "javascript:alert(document.cookie)" in page  # still shown, as text


# the run history, a page at a time -------------------------------------------------------------
def test_run_listing_never_reads_results(tmp_path: Path) -> None:
    from sqlalchemy import event

    store = Store(f"sqlite:///{tmp_path / 'h.sqlite'}")
    from helpers import scenario

    v = store.save_scenario(scenario([("a", 1)], [("a", "x", 1, 1)]), "upload")
    for n in range(3):
        store.record_run(v.id, "forecast", ["m"], {}, {"big": [n] * 10000})
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: statements.append(statement))
    runs = store.runs()
    assert [r.results for r in runs] == [None] * 3
    assert statements and not any("results" in s for s in statements)


def test_runs_page_and_api_are_paginated(client: TestClient) -> None:
    app_store: Store = client.app.state.store  # type: ignore[attr-defined]
    v = client.post("/api/scenarios", files={"file": ("small.yaml", SMALL)}).json()
    ids = [app_store.record_run(v["id"], "forecast", ["compromise"], {}, {"models": {}}).id for _ in range(120)]
    page = client.get("/runs").text
    shown = [int(x) for x in re.findall(r'href="/runs/(\d+)"', page)]
    assert shown == ids[::-1][:50]
    older = re.search(r'href="/runs\?before=(\d+)"', page)
    assert older and int(older.group(1)) == ids[::-1][49]
    page2 = client.get(f"/runs?before={older.group(1)}").text
    assert [int(x) for x in re.findall(r'href="/runs/(\d+)"', page2)] == ids[::-1][50:100]
    page3 = client.get(f"/runs?before={ids[::-1][99]}").text
    assert [int(x) for x in re.findall(r'href="/runs/(\d+)"', page3)] == ids[::-1][100:]
    assert "/runs?before=" not in page3  # the last page
    # the API: a Link header to the next page, until the last
    r = client.get("/api/runs", params={"limit": 100})
    assert [x["id"] for x in r.json()] == ids[::-1][:100]
    link = re.fullmatch(r'<(/api/runs\?[^>]+)>; rel="next"', r.headers["link"])
    assert link
    last = client.get(link.group(1))
    assert [x["id"] for x in last.json()] == ids[::-1][100:] and "link" not in last.headers


# upload folders of a killed server ------------------------------------------------------------
KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from accord.web.uploads import UploadSpace
    space = UploadSpace(Path(sys.argv[1]))
    with space.file("x.yaml", b"half-read upload") as path:
        print(path, flush=True)
        time.sleep(600)
    """
)


def test_upload_folders_of_a_killed_server_are_removed_at_start(tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(root)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    left = Path(proc.stdout.readline().strip())
    live = subprocess.Popen([sys.executable, "-c", KILLED, str(root)], stdout=subprocess.PIPE, text=True)
    assert live.stdout is not None
    alive = Path(live.stdout.readline().strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert left.exists()  # kill -9: nothing could clean up
    try:
        app = create_app(Store("sqlite://"), builtins=False, upload_root=root)
        assert not left.exists() and not left.parent.parent.exists()
        assert alive.exists()  # another live server's folder is left alone
        with TestClient(app) as c:
            assert c.post("/api/scenarios", files={"file": ("small.yaml", SMALL)}).status_code == 201
        own = [p for p in root.iterdir() if p != alive.parent.parent]
        assert own == []  # a server that stops removes its own folder
    finally:
        live.kill()
        live.wait(30)
    assert os.listdir(root) == [alive.parent.parent.name]


def test_no_page_may_be_framed_by_another_site(client: TestClient) -> None:
    """Clickjacking: every page and API answer forbids framing (the legacy header and CSP's
    frame-ancestors) and type sniffing, and sends no Referer with our addresses elsewhere."""
    for path, status in (("/", 200), ("/api/scenarios", 200), ("/static/accord.js", 200),
                         ("/api/jobs/abc", 403)):  # a refusal by the guard itself too
        r = client.get(path) if status == 200 else client.delete(path, headers={"origin": "null"})
        assert r.status_code == status, path
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["content-security-policy"] == "frame-ancestors 'none'"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
