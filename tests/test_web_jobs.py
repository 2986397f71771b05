"""Runs as jobs on the pool of worker processes: queued at once, followed, cancelled, bounded.

The budget (issue 14, finding 3): a request whose estimated work is over the server's limits is
refused before it is queued, with the reason; a run that needs more memory than a worker may
have fails alone, and the server goes on.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from accord.runs.budget import SERVER, Limits  # noqa: E402
from accord.store import Store  # noqa: E402
from accord.web import create_app  # noqa: E402

# compromise = sum(c s x) / sum(c s) = (50*50*10 + 30*60*90) / (50*50 + 30*60) = 1870 / 43
SMALL = """\
id: small
title: Small test
issues:
  - {id: x, name: Issue X, status_quo: 50}
  - {id: y, name: Issue Y, status_quo: 50}
actors:
  - {id: a, name: Actor A, capability: 50}
  - {id: b, name: Actor B, capability: 30}
  - {id: c, name: Actor C, capability: 20}
positions:
  - {actor: a, issue: x, position: 10, salience: 50, position_uncertainty: {sd: 5}}
  - {actor: b, issue: x, position: 90, salience: 60}
  - {actor: a, issue: y, position: 20, salience: 40}
  - {actor: b, issue: y, position: 70, salience: 50}
  - {actor: c, issue: y, position: 40, salience: 30}
"""


def _client(tmp_path: Path, **kwargs) -> TestClient:
    return TestClient(create_app(Store(f"sqlite:///{tmp_path / 'h.sqlite'}"), builtins=False,
                                 upload_root=tmp_path / "up", **kwargs))


def _version(client: TestClient) -> int:
    r = client.post("/api/scenarios", files={"file": ("small.yaml", SMALL)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _follow(client: TestClient, job: dict, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = client.get(job["url"]).json()
    return job


def test_a_queued_forecast_is_followed_to_its_recorded_result(tmp_path: Path) -> None:
    with _client(tmp_path, workers=1) as client:
        v = _version(client)
        r = client.post("/api/jobs/forecast", json={"version_id": v, "models": ["compromise"], "draws": 50})
        assert r.status_code == 202 and r.headers["location"] == r.json()["url"]
        job = _follow(client, r.json())
        assert job["status"] == "done" and job["progress"]["total"] > 0
        x = job["results"]["models"]["compromise"]["issues"]["x"]["outcome"]
        assert x == pytest.approx(1870 / 43)
        stored = client.get(f"/api/runs/{job['run']['id']}").json()
        assert stored["results"] == job["results"]  # recorded in the run history
        # the waiting endpoint gives the same numbers through the same pool
        same = client.post("/api/forecast", json={"version_id": v, "models": ["compromise"], "draws": 50})
        assert same.status_code == 201 and same.json()["results"] == job["results"]


def test_a_running_job_can_be_cancelled_and_records_nothing(tmp_path: Path) -> None:
    with _client(tmp_path, workers=1) as client:
        v = _version(client)
        long = {"version_id": v, "models": ["exchange-random"], "draws": 5000, "rounds": 200}
        job = client.post("/api/jobs/forecast", json=long).json()
        queued = client.post("/api/jobs/forecast", json={**long, "seed": 2}).json()
        deadline = time.monotonic() + 60
        while client.get(job["url"]).json()["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert client.get(queued["url"]).json()["status"] == "queued"  # one worker: it waits
        assert client.delete(queued["url"]).json()["status"] == "cancelled"
        cancelled = client.delete(job["url"]).json()
        assert cancelled["status"] == "cancelled" and cancelled["run"] is None
        assert client.get("/api/runs").json() == []
        # cancelling running jobs again and again leaves a working pool
        for seed in range(3):
            again = client.post("/api/jobs/forecast", json={**long, "seed": 10 + seed}).json()
            while client.get(again["url"]).json()["status"] == "queued":
                time.sleep(0.05)
            assert client.delete(again["url"]).json()["status"] == "cancelled"
        # the worker was replaced: the next run is served
        after = client.post("/api/forecast", json={"version_id": v, "models": ["compromise"]})
        assert after.status_code == 201
        assert [r["id"] for r in client.get("/api/runs").json()] == [after.json()["run"]["id"]]
        assert client.get("/api/jobs/no-such-job").status_code == 404


def test_over_budget_requests_are_refused_with_the_reason_before_any_work(tmp_path: Path) -> None:
    tight = Limits(seconds=1.0, memory=SERVER.memory, actors=2, issues=10, draws=100, rounds=50)
    with _client(tmp_path, workers=1, limits=tight) as client:
        v = _version(client)
        r = client.post("/api/forecast", json={"version_id": v, "models": ["compromise"]})
        assert r.status_code == 422 and r.json()["title"] == "Over budget"
        assert r.json()["reasons"] == ["actors: 3 asked, at most 2 allowed here"]
        r = client.post("/api/jobs/whatif", json={"version_id": v, "models": ["compromise"], "draws": 500,
                                                  "intervention": {"set": ["capability[b] *= 2"]}})
        assert r.status_code == 422
        assert any(x.startswith("draws: 500 asked, at most 100") for x in r.json()["reasons"])
        assert r.json()["estimate"]["draws"] == 500
        assert client.get("/api/runs").json() == []


def test_a_run_beyond_a_workers_memory_fails_alone(tmp_path: Path) -> None:
    """The worker's address space is capped: a run that outgrows it (here 200,000 draws of a
    scenario with 6 cells, ~ 1 GiB of samples, against a 256 MiB ceiling) is an error for that
    run, and the server and its next run go on."""
    roomy = Limits(seconds=1e9, memory=2**40, actors=100, issues=100, draws=10**7, rounds=100)
    with _client(tmp_path, workers=1, limits=roomy, extra_memory=256 * 2**20) as client:
        v = _version(client)
        r = client.post("/api/forecast", json={"version_id": v, "models": ["compromise"], "draws": 5_000_000})
        assert r.status_code == 422, r.text
        assert r.json()["title"] == "Out of memory"
        ok = client.post("/api/forecast", json={"version_id": v, "models": ["compromise"]})
        assert ok.status_code == 201
