"""Run chunks of Monte Carlo draws on every core, with results that do not depend on how.

A *job* is one model on one batch of draws (e.g. a what-if's baseline or its change); it is cut
into chunks of a fixed number of draws (:data:`accord.experiments.uncertainty.CHUNK`), and each
chunk is a task: the model on those draws with the chunk's own generator. Tasks go to a pool of
threads. Threads suffice because the time goes to code that releases the GIL: the compiled
kernels of the exchange and expected-utility models (numba, ``nogil=True``) and numpy's loops
over whole chunks (SMP, choice and the static models). Each task reads its own slice of the
draws and writes its own rows of the result, so neither the number of threads nor the order in
which tasks finish changes a single bit.

Progress is reported from the calling thread only (a reporter need not be thread-safe): draws
done as chunks finish, and, through :func:`accord.experiments.progress.describe`, which models
are running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.cores import resolve_workers, share_heap_arenas
from accord.experiments.progress import Advance, describe, no_progress


@dataclass(frozen=True)
class Job:
    """One model on one batch of ``n`` draws, in chunks of ``size``.

    ``run(index)`` gives chunk ``index`` (draws ``index * size`` up to ``(index + 1) * size``)
    as an array ``[rows, ...]``.

    Attributes
    ----------
    key : Any
        Key of the job's result in :func:`run_jobs`' answer.
    label : str
        What runs, for the progress display (e.g. the model's name).
    n : int
        Number of draws.
    size : int
        Draws per chunk.
    run : Callable[[int], np.ndarray]
        Computes one chunk from its index.
    parallel : bool
        Whether the job is worth threads.
    """

    key: Any
    label: str
    n: int
    size: int
    run: Callable[[int], np.ndarray]
    #: worth threads: a few static chunks cost less than starting them (a sweep's static tasks)
    parallel: bool = True

    @property
    def n_chunks(self) -> int:
        """Number of chunks (at least one, even with no draws)."""
        return max(1, -(-self.n // self.size))

    def rows(self, index: int) -> int:
        """Return the number of draws in chunk ``index``.

        Parameters
        ----------
        index : int
            Chunk index.

        Returns
        -------
        int
            Its draws (the last chunk may be short; 0 when the job has no draws).
        """
        return min(self.n, (index + 1) * self.size) - index * self.size if self.n else 0


def run_jobs(
    jobs: Sequence[Job],
    workers: int | None = None,
    advance: Advance = no_progress,
    failures: tuple[type[BaseException], ...] = (),
) -> dict[Any, np.ndarray | BaseException]:
    """Run every chunk of every job on a pool of threads and join each job's chunks.

    When no job is worth threads (:attr:`Job.parallel`), the chunks run here, one after
    another. Any exception not in ``failures`` stops the run and propagates.

    Parameters
    ----------
    jobs : Sequence of Job
        The jobs.
    workers : int or None, optional
        Threads (None: every core).
    advance : Advance, optional
        Progress reporter, called from this thread only: draws done as chunks finish.
    failures : tuple of exception types, optional
        Exceptions that fail one job rather than the run.

    Returns
    -------
    dict
        Per job key, the chunks joined in order along the first axis, or the first of
        ``failures`` one of its chunks raised (the job's other chunks are then dropped).
    """
    threads = resolve_workers(workers) if any(job.parallel for job in jobs) else 1
    # chunk by chunk across the jobs (not job after job): the compiled models, which release the
    # GIL, then always run beside the numpy-bound ones instead of leaving those alone at the end
    rounds = max((job.n_chunks for job in jobs), default=0)
    tasks = [(job, index) for index in range(rounds) for job in jobs if index < job.n_chunks]
    parts: dict[Any, list[np.ndarray | None]] = {job.key: [None] * job.n_chunks for job in jobs}
    failed: dict[Any, BaseException] = {}
    if threads == 1 or len(tasks) <= 1:
        for job, index in tasks:
            if job.key in failed:
                advance(job.rows(index))
                continue
            describe(advance, job.label)
            try:
                parts[job.key][index] = job.run(index)
            except failures as exc:
                failed[job.key] = exc
            advance(job.rows(index))
        return _joined(jobs, parts, failed)
    share_heap_arenas()
    running: dict[str, int] = {}
    lock = threading.Lock()

    def task(job: Job, index: int) -> np.ndarray | None:
        if job.key in failed:
            return None
        with lock:
            running[job.label] = running.get(job.label, 0) + 1
        try:
            return job.run(index)
        finally:
            with lock:
                running[job.label] -= 1

    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="accord-draws")
    try:
        pending: dict[Future, tuple[Job, int]] = {pool.submit(task, job, i): (job, i) for job, i in tasks}
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                job, index = pending.pop(future)
                try:
                    parts[job.key][index] = future.result()
                except failures as exc:
                    failed.setdefault(job.key, exc)
                advance(job.rows(index))
            with lock:
                now = [label for label, count in running.items() if count > 0]
            describe(advance, ", ".join(now))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return _joined(jobs, parts, failed)


def _joined(jobs: Sequence[Job], parts: dict[Any, list[np.ndarray | None]],
            failed: dict[Any, BaseException]) -> dict[Any, np.ndarray | BaseException]:
    out: dict[Any, np.ndarray | BaseException] = {}
    for job in jobs:
        if job.key in failed:
            out[job.key] = failed[job.key]
        else:
            chunks = [p for p in parts[job.key] if p is not None]
            out[job.key] = np.concatenate(chunks, axis=0) if len(chunks) > 1 else chunks[0]
    return out
