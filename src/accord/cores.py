"""How many threads a run may use: every core this process may run on, unless told fewer.

A shared utility (like :mod:`accord.rng`): the Monte Carlo chunks
(:mod:`accord.experiments.parallel`) and the models that split one run over threads (the
expected-utility model's issues) both ask here, so ``workers``/``threads`` mean the same
everywhere. The numbers a run gives never depend on it.
"""

from __future__ import annotations

import os


def default_workers() -> int:
    """Count the cores this process may use (its CPU affinity where the system tells it).

    Returns
    -------
    int
        The number of usable cores, at least 1.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """Turn ``workers`` into a number of threads: None means every core; at least 1.

    Parameters
    ----------
    workers : int or None
        The number of threads asked for, or None for every core.

    Returns
    -------
    int
        The number of threads to use, at least 1.

    Raises
    ------
    ValueError
        If ``workers`` is not a whole number of 1 or more.
    """
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1, not {workers!r}")
    return workers
