"""Run history store: versions, runs, reopening, and consistency after a kill mid-write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from accord.store import NotFound, Store, default_url  # noqa: E402

from helpers import scenario  # noqa: E402


def two_actor(x_b: float = 90.0):
    return scenario([("a", 50), ("b", 30)], [("a", "x", 10, 50), ("b", "x", x_b, 60)])


def test_versions_number_up_and_identical_content_is_stored_once(store_url: str) -> None:
    store = Store(store_url)
    v1 = store.save_scenario(two_actor(), "upload", "a.yaml")
    again = store.save_scenario(two_actor(), "upload", "a.yaml")
    v2 = store.save_scenario(two_actor(80), "edit", parent_id=v1.id)
    assert (v1.version, again.id, v2.version, v2.parent_id) == (1, v1.id, 2, v1.id)
    assert [v.version for v in store.versions("t")] == [1, 2]
    latest, count = store.scenarios()[0]
    assert (latest.id, count) == (v2.id, 2)
    assert store.version(v1.id).scenario() == two_actor()  # the stored content round-trips
    assert store.version(v2.id).scenario().positions[1].position == 80


def test_runs_are_kept_with_everything_needed_to_repeat_them(store_url: str) -> None:
    url = store_url
    store = Store(url)
    v = store.save_scenario(two_actor(), "upload")
    run = store.record_run(v.id, "forecast", ["compromise"], {"rounds": 3}, {"models": {"x": 1}}, seed=2**62)
    reopened = Store(url).run(run.id)  # a fresh connection sees the committed run
    assert reopened.results == {"models": {"x": 1}}
    assert (reopened.models, reopened.params, reopened.seed) == (["compromise"], {"rounds": 3}, 2**62)
    assert reopened.accord_version and reopened.scenario_id == "t"
    other = store.save_scenario(scenario([("c", 1)], [("c", "y", 1, 1)], id="u"), "upload")
    store.record_run(other.id, "deal", [], {}, {})
    assert [r.id for r in store.runs(scenario_id="t")] == [run.id]
    assert len(store.runs()) == 2 and store.runs()[0].kind == "deal"  # newest first
    with pytest.raises(NotFound):
        store.run(999)
    with pytest.raises(NotFound):
        store.record_run(999, "forecast", [], {}, {})


def test_default_database_is_accord_db_or_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DB", "sqlite:////somewhere/x.sqlite")
    assert default_url() == "sqlite:////somewhere/x.sqlite"
    monkeypatch.delenv("ACCORD_DB")
    from platformdirs import user_data_path

    assert default_url() == f"sqlite:///{user_data_path('accord', appauthor=False) / 'accord.sqlite'}"


def test_a_bad_url_is_a_user_error() -> None:
    from accord.errors import AccordError

    with pytest.raises(AccordError, match="not a database URL"):
        Store("no such thing")


# crash consistency ----------------------------------------------------------------------------
WRITER = textwrap.dedent(
    """
    import sys
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    sys.path.insert(0, sys.argv[3])
    from helpers import scenario
    from accord.store import Store

    store = Store(sys.argv[1])
    mode = sys.argv[2]
    v = store.save_scenario(scenario([("a", 50)], [("a", "x", 10, 50)]), "upload")
    if mode == "hang":
        # stop inside the transaction, after the run's INSERT reached the database
        @event.listens_for(Session, "after_flush")
        def _hang(session, context):
            print("in-transaction", flush=True)
            import time
            time.sleep(600)
        store.save_scenario(scenario([("a", 50)], [("a", "x", 99, 50)]), "edit")
    else:
        print("writing", flush=True)
        n = 0
        while True:
            store.record_run(v.id, "forecast", ["m"], {"n": n}, {"values": [n] * 5000})
            n += 1
    """
)


def _start(db: Path, mode: str) -> subprocess.Popen[str]:
    tests = str(Path(__file__).parent)
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, f"sqlite:///{db}", mode, tests],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": tests},
    )


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_kill_inside_a_transaction_leaves_nothing_of_it(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    proc = _start(db, "hang")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "in-transaction"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert _integrity(db) == "ok"
    store = Store(f"sqlite:///{db}")
    versions = store.versions("t")
    assert [v.version for v in versions] == [1]  # the half-written version 2 is gone
    assert versions[0].scenario().positions[0].position == 10


def test_kill_during_a_stream_of_run_writes_leaves_only_whole_runs(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    for delay in (0.3, 0.7):
        proc = _start(db, "stream")
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert _integrity(db) == "ok"
    store = Store(f"sqlite:///{db}")
    runs = store.runs(limit=100000)
    assert runs, "the writer committed no run before it was killed"
    for summary in runs:
        run = store.run(summary.id)
        n = run.params["n"]
        assert run.results == {"values": [n] * 5000}  # every stored run is complete
    with sqlite3.connect(db) as conn:
        orphans = conn.execute(
            "SELECT count(*) FROM runs WHERE scenario_version_id NOT IN (SELECT id FROM scenario_versions)"
        ).fetchone()[0]
        raw = conn.execute("SELECT results FROM runs").fetchall()
    assert orphans == 0
    assert all(json.loads(r[0])["values"] for r in raw)


def test_the_history_lists_pages_of_runs_without_their_results(store_url: str) -> None:
    store = Store(store_url)
    v = store.save_scenario(two_actor(), "upload")
    ids = [store.record_run(v.id, "forecast", ["m"], {"n": n}, {"big": [n] * 1000}).id for n in range(7)]
    first = store.runs(limit=3)
    assert [r.id for r in first] == ids[::-1][:3] and all(r.results is None for r in first)
    assert [r.id for r in store.runs(limit=3, before=first[-1].id)] == ids[::-1][3:6]
    assert [r.id for r in store.runs(limit=3, before=ids[1])] == [ids[0]]
    assert store.run(ids[2]).results == {"big": [2] * 1000}


def test_the_workbench_runs_on_this_database(store_url: str) -> None:
    """Every kind of web run, recorded and read back, on SQLite and on a PostgreSQL server."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from accord.web import create_app

    with TestClient(create_app(Store(store_url))) as client:
        builtin = next(s for s in client.get("/api/scenarios").json() if s["scenario_id"] == "ukraine-2025-12")
        vid = builtin["id"]
        forecast = client.post("/api/forecast", json={"version_id": vid, "models": ["compromise", "exchange-random"],
                                                      "draws": 50, "events": ["territory >= 50"]})
        assert forecast.status_code == 201, forecast.text
        whatif = client.post("/api/whatif", json={"version_id": vid, "models": ["compromise"], "draws": 20,
                                                  "intervention": {"set": ["capability[us] *= 0.5"]}})
        assert whatif.status_code == 201, whatif.text
        deal = client.post("/api/deal", json={"version_id": vid, "proposals": ["28-point"], "draws": 20})
        assert deal.status_code == 201, deal.text
        ids = [r.json()["run"]["id"] for r in (forecast, whatif, deal)]
        assert [r["id"] for r in client.get("/api/runs").json()] == ids[::-1]
        for run_id, response in zip(ids, (forecast, whatif, deal), strict=True):
            assert client.get(f"/api/runs/{run_id}").json()["results"] == response.json()["results"]
        assert client.get("/api/compare", params={"ids": ids}).status_code == 200
        assert client.get(f"/runs/{ids[1]}").status_code == 200
