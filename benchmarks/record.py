"""What every benchmark row carries: the measurement, the commit and the machine's load.

A benchmark script calls :func:`row` for each measurement. The row prints as a readable line
and as one ``@@ROW {json}`` line, which ``benchmarks/run.py`` collects into
``benchmarks/results.json``; ``benchmarks/write_docs.py`` renders docs/performance.md from
that file. Each row records the commit (``+`` when the tree has changes), the time, the load
average over the last minute (other jobs on a shared machine slow the run down) and the cores.

Timing helpers: :func:`best_time` (wall, best of n) and :func:`cpu_time` (CPU seconds of this
process, all threads); ratios against a baseline measured in the same run are what stay
meaningful on a loaded machine.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def commit() -> str:
    """The short commit of the working tree, with ``+`` when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+" if dirty else "")


def load() -> float:
    """The load average over the last minute (runnable processes; 2 = both cores busy)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def machine() -> dict[str, Any]:
    """The machine a run measured: cores, Python, numpy, numba."""
    import numba
    import numpy

    return {"cores": os.cpu_count(), "python": platform.python_version(), "numpy": numpy.__version__,
            "numba": numba.__version__, "cpu": platform.processor() or platform.machine()}


_COMMIT = commit()


def probe_ms() -> float:
    """Milliseconds of a fixed pure-Python loop (best of three): the machine's speed just now.

    The development machine is shared and its speed varies by up to two times within minutes
    (this probe took 180 to 350 ms for ten times the work in one ten-minute span), which the load
    average does not show; a row measured with a slow probe was measured on a slow machine.
    """
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(200_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return round(best * 1e3, 1)


def row(table: str, text: str = "", **fields: Any) -> dict[str, Any]:
    """Print one measurement of ``table`` (readably, then as ``@@ROW`` JSON) and return it."""
    record = {"table": table, **fields, "commit": _COMMIT, "load": load(), "probe_ms": probe_ms(),
              "date": time.strftime("%Y-%m-%d %H:%M")}
    shown = text or ", ".join(f"{k}={v}" for k, v in fields.items())
    print(f"[{table}] {shown} (load {record['load']})", flush=True)
    print("@@ROW " + json.dumps(record, default=float), flush=True)
    return record


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The best wall time of ``repeat`` calls of ``fn`` (seconds) and the last call's result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def cpu_time(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of the process, result) of one call of ``fn``."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def fit_exponent(sizes: list[float], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) over log(size): time grows as size^slope."""
    import numpy as np

    x, y = np.log(np.asarray(sizes, float)), np.log(np.asarray(seconds, float))
    return float(np.polyfit(x, y, 1)[0])
