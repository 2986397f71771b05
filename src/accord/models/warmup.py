"""Compile the models' numba kernels once, before the first run that needs them.

The exchange, expected-utility, SMP and position-choice models run compiled kernels (numba, ``cache=True``): a
machine compiles them once, in about a minute, and every later process loads them from the
cache next to their source in a fraction of a second. ``make run`` compiles them ahead
(``python -m accord.models.warmup``), and the command line says so when a run is about to
compile them (:func:`missing`), so a first run is never a silent minute.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

#: the compiled functions the models call from Python (the functions they call are compiled and
#: cached with them), by module
ENTRY_POINTS = {
    "accord.models.exchange.kernel": ("run_draw",),
    "accord.models.eum.fused": ("step_rows", "step_sorted_rows", "median_rows"),
    "accord.models.smp.compiled": ("coalitions", "challenges", "point_distances"),
    "accord.models.choice.compiled": ("quantiles",),
}
#: the models that run them
COMPILED_MODELS = frozenset({"choice", "eum", "eum-scholz", "exchange", "exchange-random", "smp"})


def _dispatchers() -> list[Any]:
    out = []
    for name, functions in ENTRY_POINTS.items():
        module = importlib.import_module(name)
        out += [getattr(module, f) for f in functions]
    return out


def missing() -> list[str]:
    """List the kernels without a cache for their current source (they would compile on first use).

    Returns
    -------
    list[str]
        Their qualified names (``module.function``); empty when every kernel is cached.
    """
    return [f"{kernel.py_func.__module__}.{kernel.__name__}" for kernel in _dispatchers()
            if not cached(kernel)]


def cached(kernel: Any) -> bool:
    """Tell whether a compiled function's cache holds code for its current source.

    Numba's own test: the cache index exists and its stamp matches the source. Numba 0.68 (this
    project installs 0.61 to 0.69) stamps a source by a hash of its content, so a checkout that
    rewrites a file unchanged keeps the cache; older versions stamped it by its file time.

    Parameters
    ----------
    kernel : numba dispatcher
        A function compiled with ``cache=True``.

    Returns
    -------
    bool
        True when its next call in a new process loads it instead of compiling it.
    """
    cache_file = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
    try:
        return bool(cache_file._load_index()) if cache_file is not None else False
    except Exception:  # an unreadable or foreign index: numba would compile too
        return False


MESSAGE = ("compiling the models' kernels (numba) once, about a minute; later runs load them from "
           "the cache")


def needs_compiling(models: list[str] | None) -> bool:
    """Tell whether running ``models`` would compile kernels first.

    Parameters
    ----------
    models : list[str] or None
        Model names (any case); None or empty means all models.

    Returns
    -------
    bool
        True when one of them runs compiled kernels and a kernel has no cache yet.
    """
    names = {m.lower() for m in models or []} or COMPILED_MODELS
    return bool(names & COMPILED_MODELS) and bool(missing())


def warm() -> float:
    """Run every compiled model on small scenarios, as single runs and as Monte Carlo chunks do.

    Each kernel is then compiled (or loaded) with the types real runs pass.

    Returns
    -------
    float
        The seconds it took.
    """
    import numpy as np

    from accord.models import get_model
    from accord.scenario.arrays import ScenarioArrays

    start = time.perf_counter()
    rng = np.random.default_rng(0)

    def scenario(n_actors: int, n_issues: int, batch: tuple[int, ...] = ()) -> ScenarioArrays:
        shape = (*batch, n_actors, n_issues)
        return ScenarioArrays(
            position=rng.uniform(0, 100, shape), salience=rng.uniform(0.1, 1, shape),
            capability=rng.uniform(1, 100, shape), stake=np.ones((n_actors, n_issues), bool),
            lower=np.zeros(n_issues), upper=np.full(n_issues, 100.0), status_quo=np.full(n_issues, np.nan),
            veto=np.zeros((n_actors, n_issues), bool))

    small, batch, many = scenario(4, 2), scenario(4, 2, (3,)), scenario(70, 1)
    for name in sorted(COMPILED_MODELS - {"choice"}):
        for details in ("full", "summary"):
            model = get_model(name, rounds=2, details=details)
            model.run(small, rng=1)
            model.run(batch, rng=1)
    get_model("choice").run(small)
    get_model("choice").run(batch)
    get_model("eum", rounds=1).run(many)  # rows of more than 64 actors: the sorted kernels
    get_model("smp", rounds=1, state_transitions="Stochastic").run(small, rng=1)
    return time.perf_counter() - start


def main() -> int:
    """Compile (or load) every kernel, saying so: ``python -m accord.models.warmup``.

    Returns
    -------
    int
        The exit status, 0.
    """
    todo = missing()
    if todo:
        print(MESSAGE, flush=True)
    else:
        print("the models' numba kernels are compiled (loading them from the cache)", flush=True)
    seconds = warm()
    print(f"done in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
