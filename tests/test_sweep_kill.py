"""``kill -9`` a real sweep, and a real resume, at random moments: the finished results are the
uninterrupted run's, byte for byte (issue 14, finding 4: a kill during resume start-up once lost
all finished tasks, and resumed sweeps were not bit-identical)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from accord.experiments.sweep import journal_path, load_results

SCENARIO = {
    "id": "kill", "title": "kill",
    "actors": [{"id": "a", "name": "A", "capability": 60, "capability_uncertainty": {"sd": 10}},
               {"id": "b", "name": "B", "capability": 40},
               {"id": "c", "name": "C", "capability": 25, "capability_uncertainty": {"sd": 5}}],
    "issues": [{"id": "x", "name": "X", "status_quo": 50}, {"id": "y", "name": "Y"}],
    "positions": [
        {"actor": "a", "issue": "x", "position": 0, "salience": 100, "position_uncertainty": {"sd": 10}},
        {"actor": "b", "issue": "x", "position": 100, "salience": 100},
        {"actor": "c", "issue": "x", "position": 70, "salience": 40, "salience_uncertainty": {"sd": 10}},
        {"actor": "a", "issue": "y", "position": 30, "salience": 50},
        {"actor": "b", "issue": "y", "position": 70, "salience": 50, "position_uncertainty": {"sd": 10}},
        {"actor": "c", "issue": "y", "position": 10, "salience": 80},
    ],
}
SWEEP = {
    "scenarios": ["kill.yaml"],
    "whatifs": ["baseline", {"grid": {"set": ["capability[{who}] *= {factor}"], "who": ["a", "b", "c"],
                                      "factor": [0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 2.0]}}],
    "models": ["compromise", "median", "mean", "weighted-median", "nash", "exchange-random"],
    "draws": 1000,  # long enough (~15 s on 2 cores) that the kills below land in the middle of it
    "seed": 4,
}


def _sweep(folder: Path, output: Path, resume: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "accord.cli.main", "sweep", str(folder / "sweep.yaml"), "-o", str(output)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([*args, *(["--resume"] if resume else [])], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill")
    (path / "kill.yaml").write_text(yaml.safe_dump(SCENARIO))
    (path / "sweep.yaml").write_text(yaml.safe_dump(SWEEP, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def reference(folder: Path) -> bytes:
    output = folder / "reference.csv"
    proc = _sweep(folder, output, resume=False)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
    return output.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_kills_during_a_sweep_and_its_resumes_lose_nothing(folder, reference, suffix):
    output = folder / f"killed{suffix}"
    delays = np.random.default_rng(7 if suffix == ".csv" else 8).uniform(0.3, 4.0, size=6)
    kills = 0
    for n, delay in enumerate(delays):
        proc = _sweep(folder, output, resume=n > 0)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if output.exists() and not journal_path(output).exists():
            break
    proc = _sweep(folder, output, resume=True)  # and finish
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert kills >= 2  # the test did interrupt the work
    assert not journal_path(output).exists()
    if suffix == ".csv":
        assert output.read_bytes() == reference
    else:
        got, want = load_results(output), load_results(folder / "reference.csv")
        assert got.equals(want)


def test_a_torn_journal_line_is_cut_and_complete_lines_kept(folder, reference):
    output = folder / "torn.csv"
    journal = journal_path(output)
    rows = load_results(folder / "reference.csv")
    lines = [json.dumps(dict(zip(rows.columns, r, strict=True))) for r in rows.astype(object).itertuples(index=False)]
    journal.write_text("\n".join(lines[:11]) + "\n" + lines[11][:17])  # 5 tasks of 2 rows, one row more, torn
    proc = _sweep(folder, output, resume=True)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert output.read_bytes() == reference
