"""The JSON API and the pages, through FastAPI's test client; values checked by hand."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from accord.store import Store  # noqa: E402
from accord.web import create_app  # noqa: E402

# Two actors on one issue (0..100, status quo 50): a at 10 (capability 50, salience 50),
# b at 90 (capability 30, salience 60). Compromise = sum(c s x) / sum(c s):
# (25 * 10 + 18 * 90) / 43 = 1870 / 43.
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
proposals:
  - {id: p20, name: Twenty, points: {x: 20}}
"""
COMPROMISE = 1870 / 43


@pytest.fixture()
def client() -> TestClient:
    return TestClient(create_app(Store("sqlite://")))


def upload(client: TestClient, text: str | bytes, name: str = "small.yaml") -> dict:
    r = client.post("/api/scenarios", files={"file": (name, text)})
    assert r.status_code == 201, r.text
    return r.json()


def test_builtin_scenario_is_listed_and_shown(client: TestClient) -> None:
    listed = client.get("/api/scenarios").json()
    builtin = next(s for s in listed if s["scenario_id"] == "ukraine-2025-12")
    assert builtin["origin"] == "builtin"
    got = client.get(f"/api/versions/{builtin['id']}").json()
    assert "russia" in got["grid"]["cells"] and got["grid"]["issues"][0]["id"] == "territory"


def test_upload_then_forecast_matches_the_hand_computed_compromise(client: TestClient) -> None:
    v = upload(client, SMALL)
    assert (v["scenario_id"], v["version"], v["source_name"]) == ("small", 1, "small.yaml")
    r = client.post("/api/forecast", json={"version_id": v["id"], "models": ["compromise", "weighted-median"], "seed": 3})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["results"]["models"]["compromise"]["issues"]["x"]["outcome"] == pytest.approx(COMPROMISE)
    # weighted median by c*s: a holds 25 of 43, more than half, so the median is a's 10
    assert body["results"]["models"]["weighted-median"]["issues"]["x"]["outcome"] == pytest.approx(10)
    run = client.get(f"/api/runs/{body['run']['id']}").json()  # reopened from the store
    assert run["results"] == body["results"] and run["run"]["seed"] == 3
    assert run["run"]["models"] == ["compromise", "weighted-median"]


def test_upload_problems_name_the_offending_rows(client: TestClient) -> None:
    bad = "actor,issue,position,salience,capability\nA,x,10,50,50\nB,x,10,500,30\nC,x,abc,50,20\n"
    r = client.post("/api/scenarios", files={"file": ("../../etc/bad.csv", bad)})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problems = r.json()["problems"]
    assert {p["line"] for p in problems} == {3, 4}  # row 3: salience 500; row 4: position abc
    assert all(p["file"] == "bad.csv" for p in problems)  # no folders from the client's name
    page = client.post("/upload", files={"file": ("bad.csv", bad)}, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert 'id="line-3"' in page.text and 'id="line-4"' in page.text and 'id="line-2"' not in page.text


def test_a_csv_upload_is_named_after_its_file(client: TestClient) -> None:
    """The long-CSV reader names a scenario after its file: the analyst's name, not a temporary one."""
    csv = "actor,issue,position,salience,capability\nA,x,10,50,50\nB,x,80,60,30\n"
    first = upload(client, csv, "talks-june.csv")
    second = upload(client, csv.replace("80", "70"), "other.csv")
    assert (first["scenario_id"], first["title"]) == ("talks_june", "talks-june")  # id: the slug of the name
    assert (second["scenario_id"], second["version"]) == ("other", 1)  # not version 2 of one "upload"
    assert upload(client, csv, "../../etc/x.csv")["scenario_id"] == "x"


def test_uploads_over_the_limit_are_refused() -> None:
    client = TestClient(create_app(Store("sqlite://"), max_upload=1000))
    r = client.post("/api/scenarios", files={"file": ("big.yaml", "#" * 200_000)})
    assert r.status_code == 413 and r.json()["status"] == 413


def test_yaml_is_read_safely(client: TestClient) -> None:
    evil = "!!python/object/apply:os.system ['echo hacked']\n"
    r = client.post("/api/scenarios", files={"file": ("evil.yaml", evil)})
    assert r.status_code == 422


def test_edits_make_a_new_version_and_keep_the_old(client: TestClient) -> None:
    v = upload(client, SMALL)
    edits = [{"actor": "b", "field": "capability", "value": 15},
             {"actor": "a", "issue": "x", "field": "position_sd", "value": 5}]
    r = client.post(f"/api/versions/{v['id']}/edits", json={"edits": edits})
    assert r.status_code == 201, r.text
    new = r.json()
    assert (new["version"], new["parent_id"], new["origin"]) == (2, v["id"], "edit")
    grid = client.get(f"/api/versions/{new['id']}").json()["grid"]
    assert grid["actors"][1]["capability"] == 15 and grid["cells"]["a"]["x"]["position_sd"] == 5
    assert client.get(f"/api/versions/{v['id']}").json()["grid"]["actors"][1]["capability"] == 30
    # c*s for b is now 15 * 0.6 = 9: (250 + 810) / 34
    out = client.post("/api/forecast", json={"version_id": new["id"], "models": ["compromise"]}).json()
    assert out["results"]["models"]["compromise"]["issues"]["x"]["outcome"] == pytest.approx(1060 / 34)


def test_bad_edits_are_problems_not_versions(client: TestClient) -> None:
    v = upload(client, SMALL)
    r = client.post(f"/api/versions/{v['id']}/edits",
                    json={"edits": [{"actor": "a", "issue": "x", "field": "salience", "value": 300}]})
    assert r.status_code == 422
    assert any("salience" in (p["field"] or "") for p in r.json()["problems"])
    # the problem names the edited cell (actor and issue), not the row number of the stored data
    assert [p["field"] for p in r.json()["problems"]] == ["salience of a on x"]
    r = client.post(f"/api/versions/{v['id']}/edits",
                    json={"edits": [{"actor": "b", "field": "capability", "value": -4}]})
    assert [p["field"] for p in r.json()["problems"]] == ["capability of b"]
    r = client.post(f"/api/versions/{v['id']}/edits",
                    json={"edits": [{"actor": "zz", "field": "capability", "value": 3}]})
    assert r.status_code == 422
    assert len(client.get("/api/scenarios/small/versions").json()) == 1


def test_whatif_runs_baseline_and_intervention(client: TestClient) -> None:
    pytest.importorskip("accord.experiments.whatif")
    v = upload(client, SMALL)
    r = client.post("/api/whatif", json={
        "version_id": v["id"], "models": ["compromise"], "draws": 0, "seed": 1,
        "intervention": {"set": ["capability[b] *= 0.5"]},
    })
    assert r.status_code == 201, r.text
    x = r.json()["results"]["models"]["compromise"]["issues"]["x"]
    assert x["baseline"]["median"] == pytest.approx(COMPROMISE)
    assert x["whatif"]["median"] == pytest.approx(1060 / 34)
    assert x["difference"]["mean"] == pytest.approx(1060 / 34 - COMPROMISE)
    bad = client.post("/api/whatif", json={"version_id": v["id"], "intervention": {"set": ["capability[zz] = 1"]}})
    assert bad.status_code == 422
    # the run history shows the change as written, not as a JSON dump
    history = client.get("/runs").text
    assert "set: <code>capability[b] *= 0.5</code>" in history and "&#34;intervention&#34;" not in history


def test_deal_gains_and_losses_by_hand(client: TestClient) -> None:
    pytest.importorskip("accord.analysis")
    v = upload(client, SMALL)
    r = client.post("/api/deal", json={"version_id": v["id"], "proposals": ["p20"]})
    assert r.status_code == 201, r.text
    res = r.json()["results"]["results"]["p20"]
    # gain = 100 s (|d - x_i| - |p - x_i|) / range: a: 0.5 (40 - 10) = 15; b: 0.6 (40 - 70) = -18
    assert res["actors"]["a"]["gain"] == pytest.approx(15)
    assert res["actors"]["b"]["gain"] == pytest.approx(-18)
    assert client.post("/api/deal", json={"version_id": v["id"], "proposals": ["nope"]}).status_code == 422


def test_runs_can_be_listed_and_compared(client: TestClient) -> None:
    v = upload(client, SMALL)
    ids = [client.post("/api/forecast", json={"version_id": v["id"], "models": ["compromise"]}).json()["run"]["id"]
           for _ in range(2)]
    listed = client.get("/api/runs", params={"scenario_id": "small"}).json()
    assert [r["id"] for r in listed] == ids[::-1]
    table = client.get("/api/compare", params={"ids": ids}).json()
    assert table["rows"]["x"] == [pytest.approx(COMPROMISE)] * 2
    assert client.get("/compare", params={"ids": ids}).status_code == 200


def test_errors_are_problem_details_never_tracebacks(client: TestClient) -> None:
    r = client.get("/api/versions/999")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "no scenario version 999"
    r = client.post("/api/forecast", json={"version_id": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "version_id"
    r = client.post("/api/forecast", json={"version_id": 1, "params": {"rounds": "many"}})
    assert r.status_code == 422 and "rounds" in r.json()["detail"]
    page = client.get("/versions/999", headers={"accept": "text/html"})
    assert page.status_code == 404 and "Traceback" not in page.text and "no scenario version 999" in page.text


def test_every_page_renders_without_external_assets(client: TestClient) -> None:
    v = upload(client, SMALL)
    run = client.post("/api/forecast", json={"version_id": v["id"]}).json()["run"]["id"]
    for path in ("/", "/runs", f"/versions/{v['id']}", f"/versions/{v['id']}/forecast",
                 f"/versions/{v['id']}/whatif", f"/versions/{v['id']}/deal", f"/runs/{run}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert not re.search(r"""(src|href)=["']https?://""", page.text), path
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert client.get("/scenarios/small", follow_redirects=False).headers["location"] == f"/versions/{v['id']}"


def test_token_is_required_when_set() -> None:
    client = TestClient(create_app(Store("sqlite://"), token="s3cret-token-0123456789", public=True))
    assert client.get("/api/scenarios").status_code == 401
    assert client.get("/api/scenarios", headers={"authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/api/scenarios", headers={"authorization": "Bearer s3cret-token-0123456789"})
    assert ok.status_code == 200
    r = client.get("/runs?token=s3cret-token-0123456789", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/runs"
    assert "HttpOnly" in r.headers["set-cookie"]
    assert client.get("/runs").status_code == 200  # the cookie now carries the token


def test_loopback_server_refuses_foreign_hosts_and_cross_site_posts(client: TestClient) -> None:
    assert client.get("/api/scenarios", headers={"host": "evil.example"}).status_code == 400
    r = client.post("/api/forecast", json={"version_id": 1}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    from accord.errors import AccordError

    with pytest.raises(AccordError):
        create_app(Store("sqlite://"), public=True)  # beyond loopback only with a token
