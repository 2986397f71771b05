"""The first run on a machine compiles the models' numba kernels; it says so (issue 15).

With an empty numba cache (``NUMBA_CACHE_DIR`` pointing at an empty folder) every entry point is
reported missing and the command line prints its notice before a run that uses them, but not
before one that does not (a static model). Nothing is compiled here.
"""

from __future__ import annotations

import os
import subprocess
import sys

from accord.models.warmup import ENTRY_POINTS, MESSAGE


def _run(code: str, cache: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)


def test_an_empty_cache_reports_every_kernel_and_the_cli_says_it_will_compile(tmp_path):
    code = ("from accord.models.warmup import missing\n"
            "from accord.cli.common import compiled_kernels_notice\n"
            "from accord.runs import ForecastSpec\n"
            "print(len(missing()))\n"
            "compiled_kernels_notice(ForecastSpec(models=['compromise']))\n"
            "print('static done', flush=True)\n"
            "compiled_kernels_notice(ForecastSpec(models=['eum']))\n")
    out = _run(code, str(tmp_path))
    n_entry = sum(len(v) for v in ENTRY_POINTS.values())
    assert out.stdout.splitlines()[0] == str(n_entry)
    assert MESSAGE.split(",")[0] in " ".join(out.stderr.split())
    assert out.stdout.splitlines()[1] == "static done"
    assert " ".join(out.stderr.split()).count("compiling the models") == 1  # the eum run only


def test_cached_says_whether_numba_will_load_or_compile(tmp_path):
    """``cached`` answers as numba then acts: a first call compiles, a second process loads, a
    file rewritten unchanged (a checkout, ``git stash``) loads when numba stamps sources by
    content (numba 0.68) and a changed source compiles. So the compile notice is printed exactly
    before the runs that compile."""
    module = tmp_path / "toy_kernel.py"
    module.write_text("from numba import njit\n\n@njit(cache=True)\ndef twice(x):\n    return 2 * x\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import toy_kernel\n"
            "from accord.models.warmup import cached\n"
            "before = cached(toy_kernel.twice)\n"
            "toy_kernel.twice(3)\n"
            "loaded = sum(toy_kernel.twice.stats.cache_hits.values()) > 0\n"
            "print(before, loaded, cached(toy_kernel.twice))\n")

    def run() -> tuple[str, ...]:
        env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                             check=True, env=env).stdout.split()
        assert out[0] == out[1], f"cached() said {out[0]}, numba loaded from its cache: {out[1]}"
        assert out[2] == "True"  # cached after the call, either way
        return tuple(out[:2])

    assert run() == ("False", "False")  # compiled on first use
    assert run() == ("True", "True")  # loaded by the next process
    stat = module.stat()
    os.utime(module, (stat.st_atime + 100, stat.st_mtime + 100))  # rewritten, same content
    run()  # whichever numba does, cached() said it beforehand
    module.write_text(module.read_text().replace("2 * x", "3 * x"))
    assert run() == ("False", "False")  # a changed kernel compiles
