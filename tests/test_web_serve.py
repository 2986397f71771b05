"""``accord serve`` end to end: it starts, prints its address, and guards a non-loopback bind."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    db = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", "serve", "--db", db, *args],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "ACCORD_DB": ""},
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if "serving on" in line:
            return proc, line
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("accord serve did not start: " + "".join(lines))


def _get(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                json.load(response)
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def test_serve_on_loopback_needs_no_token(tmp_path: Path) -> None:
    port = _free_port()
    proc, line = _serve(tmp_path, "--port", str(port))
    try:
        assert f"http://127.0.0.1:{port}/" in line and "token" not in line
        assert _get(f"http://127.0.0.1:{port}/api/scenarios") == 200
    finally:
        proc.terminate()
        proc.wait(20)


def test_serve_beyond_loopback_prints_a_generated_token_and_requires_it(tmp_path: Path) -> None:
    port = _free_port()
    proc, line = _serve(tmp_path, "--host", "0.0.0.0", "--port", str(port))
    try:
        token = re.search(r"\?token=(\S+)", line).group(1)  # type: ignore[union-attr]
        assert len(token) >= 16
        assert _get(f"http://127.0.0.1:{port}/api/scenarios") == 401
        assert _get(f"http://127.0.0.1:{port}/api/scenarios", token) == 200
    finally:
        proc.terminate()
        proc.wait(20)


def test_serve_with_web_packages_missing_says_how_to_install_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    from accord.cli.main import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a))
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "pip install --force-reinstall accord" in err and "fastapi" in err


def test_a_token_the_user_gave_is_never_printed(tmp_path: Path) -> None:
    """Issue 14: in public mode the token was echoed even when supplied (terminals are logged)."""
    port = _free_port()
    given = "my-own-token-0123456789abcdef"
    proc, line = _serve(tmp_path, "--host", "0.0.0.0", "--port", str(port), "--token", given)
    try:
        assert given not in line
        assert _get(f"http://127.0.0.1:{port}/api/scenarios", given) == 200
    finally:
        proc.terminate()
        _, rest = proc.communicate(timeout=20)
    assert given not in rest


def _post_json(url: str, body: dict, timeout: float = 120) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, urllib.error.URLError):
        return -1


def _timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def test_fifty_parallel_forecasts_leave_pages_responsive(tmp_path: Path) -> None:
    """Issue 14: one 40-thread pool served everything, so a page waited 25 s behind 50 forecasts.
    Runs now go to their own pool of worker processes; pages and reads stay under a second."""
    from concurrent.futures import ThreadPoolExecutor

    port = _free_port()
    proc, _ = _serve(tmp_path, "--port", str(port), "--workers", "1")
    base = f"http://127.0.0.1:{port}"
    try:
        assert _get(f"{base}/api/scenarios") == 200
        with urllib.request.urlopen(f"{base}/api/scenarios", timeout=10) as response:
            builtin = next(s for s in json.load(response) if s["scenario_id"] == "ukraine-2025-12")
        body = {"version_id": builtin["id"], "draws": 200, "seed": 1}
        pages = ("/", "/runs", "/api/scenarios", f"/versions/{builtin['id']}", "/api/runs", "/")
        for path in pages:  # each page once before: what is timed is waiting, not first imports
            _timed_get(f"{base}{path}")
        pool = ThreadPoolExecutor(50)
        futures = [pool.submit(_post_json, f"{base}/api/forecast", body) for _ in range(50)]
        time.sleep(3)  # every request is in, the worker busy
        assert not all(f.done() for f in futures)
        times = [_timed_get(f"{base}{path}") for path in pages]
        assert max(times) < 1.0, times
        # the queue drains: the first forecasts come back recorded
        first = futures[0].result(timeout=300)
        assert first == 201
    finally:
        proc.terminate()
        proc.wait(30)
        pool.shutdown(wait=True, cancel_futures=True)
