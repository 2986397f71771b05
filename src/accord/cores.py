"""How many threads a run may use: every core this process may run on, unless told fewer.

A shared utility (like :mod:`accord.rng`): the Monte Carlo chunks
(:mod:`accord.experiments.parallel`) and the models that split one run over threads (the
expected-utility model's issues) both ask here, so ``workers``/``threads`` mean the same
everywhere. The numbers a run gives never depend on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: the most threads the current run may use (set by :func:`limited`; None: every core)
_LIMIT: ContextVar[int | None] = ContextVar("accord_workers", default=None)


def default_workers() -> int:
    """Return the cores this process may use, at most the limit of the run in progress.

    Returns
    -------
    int
        The process's CPU affinity where the system tells it (else the machine's cores), capped
        by :func:`limited`.
    """
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        cores = max(1, os.cpu_count() or 1)
    limit = _LIMIT.get()
    return min(cores, limit) if limit else cores


@contextmanager
def limited(workers: int | None) -> Iterator[None]:
    """Make "every core" mean at most ``workers`` threads within the block.

    One ``workers`` setting thus bounds every part of a run that asks :func:`default_workers`.

    Parameters
    ----------
    workers : int or None
        The most threads (None: no limit).

    Yields
    ------
    None
    """
    token = _LIMIT.set(resolve_workers(workers) if workers is not None else None)
    try:
        yield
    finally:
        _LIMIT.reset(token)


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
