"""Run Python code in a child process under a memory ceiling and a time limit, so that a reader
that blows up fails a test instead of taking the machine down.

The ceiling is on the address space (``RLIMIT_AS``): an allocation beyond it raises
``MemoryError`` in the child. The child's start-up (the interpreter, numpy, accord's imports)
is counted, so ceilings are totals.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

GIB = 1024**3

_PRELUDE = """
import json, resource, sys, time
limit = {memory}
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
"""


def run_limited(code: str, memory: int = GIB, timeout: float = 60.0) -> Any:
    """Run ``code`` (which must print one JSON value as its last line of output) in a fresh
    interpreter limited to ``memory`` bytes of address space; the parsed value, or an
    ``AssertionError`` saying how the child failed (time, memory, crash)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "NUMBA_NUM_THREADS": "1", "COLUMNS": "200"}
    try:
        done = subprocess.run([sys.executable, "-c", _PRELUDE.format(memory=memory) + code],
                              capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the child ran longer than {timeout} s") from exc
    if done.returncode != 0:
        raise AssertionError(f"the child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().rsplit("\n", 1)[-1])


def vm_size() -> int:
    """This process's address space now, in bytes (``VmSize``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmSize in /proc/self/status")


@contextmanager
def memory_ceiling(extra: int = GIB) -> Iterator[None]:
    """Within the block, this process may grow its address space by ``extra`` bytes at most: an
    allocation beyond raises ``MemoryError`` (the soft limit is restored afterwards)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = vm_size() + extra
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
