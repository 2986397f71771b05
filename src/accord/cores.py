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


#: glibc's mallopt parameter for the most heap arenas (``M_ARENA_MAX`` in malloc.h)
_M_ARENA_MAX = -8
_arenas_shared = False


def share_heap_arenas(arenas: int = 2) -> None:
    """Let the threads of a run share at most ``arenas`` of glibc's heap arenas (once a process).

    glibc gives threads their own heap arenas, up to eight per core; memory a chunk frees in one
    arena cannot serve a chunk in another, so a long Monte Carlo run's resident memory creeps
    up (10,000 draws of every model: 415 MiB at the peak, 371 MiB with one arena). The threads'
    work is in numpy and compiled kernels, which allocate a few arrays per chunk, so sharing
    arenas costs no measurable time. Elsewhere than glibc (macOS, musl) this does nothing.

    Parameters
    ----------
    arenas : int
        The most arenas.
    """
    import ctypes
    import platform

    global _arenas_shared
    if _arenas_shared or platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # no mallopt to call: nothing to limit
        return
    _arenas_shared = True
