"""Runs of the web workbench as jobs, on a bounded pool of worker processes.

Forecasts, what-ifs and deals can take seconds to minutes; the pages and the API's reads must
not wait behind them. So every run goes to this pool, which is separate from the threads that
serve requests:

* ``workers`` processes (forked from a server that has the models loaded) run one job each; the
  rest wait in a queue of at most ``max_queued`` jobs (beyond it: 503, try again later);
* each worker's address space is capped (``RLIMIT_AS``): a run that needs more memory than its
  budget fails alone with a clear error and never takes the server down;
* a job reports its progress (done of total steps) while it runs, and can be cancelled: a
  queued job is dropped, a running one's worker is stopped and replaced;
* a finished job's result is recorded in the run history by the server (the workers never touch
  the database) and the job keeps only the run's id.

A job is known by a random id (``secrets.token_urlsafe``); the last ``keep`` finished jobs are
remembered for their clients to collect.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import dataclasses
import logging
import multiprocessing
import os
import secrets
import threading
import time
import traceback
from multiprocessing.connection import Connection, wait
from typing import Any

from accord.errors import AccordError
from accord.store import NotFound, RunInfo, Store

log = logging.getLogger("accord.web")

#: what the forkserver imports once, so each worker starts with the models loaded
PRELOAD = ["accord.runs", "accord.runs.execute", "accord.experiments.forecast", "accord.experiments.whatif",
           "accord.store.results"]
#: address space a worker may add, beyond its run's memory budget, to what it has when it starts
#: (loading compiled model code, libraries' arenas and thread stacks)
WORKER_MARGIN = 1024**3


def default_workers() -> int:
    """One worker per core beyond the first (the first serves requests), at least one, at most 4."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class JobFailed(Exception):
    """A job that ended without a result: ``problem`` is its RFC 9457 problem body."""

    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(problem.get("detail", "the run failed"))
        self.problem = problem


class QueueFull(AccordError):
    """Too many runs are waiting; the client should try again later."""


@dataclasses.dataclass
class Job:
    id: str
    kind: str
    version_id: int
    spec: dict[str, Any]
    content: dict[str, Any] | None
    status: str = "queued"  # queued | running | done | failed | cancelled
    created: float = dataclasses.field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    stage: str = ""
    done: int = 0
    total: int = 0
    run: RunInfo | None = None
    problem: dict[str, Any] | None = None
    future: concurrent.futures.Future[RunInfo] = dataclasses.field(default_factory=concurrent.futures.Future)

    @property
    def finished_ok(self) -> bool:
        return self.status == "done"

    def summary(self) -> dict[str, Any]:
        """JSON-ready: status, progress and, when done, the recorded run (without results)."""
        return {
            "id": self.id, "kind": self.kind, "version_id": self.version_id, "status": self.status,
            "progress": {"stage": self.stage, "done": self.done, "total": self.total},
            "created_at": self.created, "started_at": self.started, "finished_at": self.finished,
            "run": self.run.summary() if self.run else None, "problem": self.problem,
        }


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}


# the worker process ----------------------------------------------------------------------------
def _vm_size() -> int | None:
    """Return the current process's address space (``VmSize``), or None where /proc does not tell."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _worker_main(conn: Connection, extra_memory: int | None) -> None:
    """Run jobs sent over ``conn`` until it closes.

    In: ``(job id, spec, scenario content, limits)``; out: ``("progress", id, stage, done, total)``
    and one ``("done", id, fields)`` or ``("failed", id, problem)``. The address space may grow by
    ``extra_memory`` at most.
    """
    import resource

    now = _vm_size()
    if extra_memory and now is not None:
        ceiling = now + extra_memory
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, spec_data, content, limits = message
        try:
            fields = _run(conn, job_id, spec_data, content, limits)
            conn.send(("done", job_id, fields))
        except Exception as exc:  # every failure becomes a problem for the client
            conn.send(("failed", job_id, _failure(exc)))


def _run(conn: Connection, job_id: str, spec_data: dict[str, Any], content: dict[str, Any],
         limits: Any) -> dict[str, Any]:
    from contextlib import contextmanager

    from accord.runs import execute, spec_from_dict
    from accord.scenario import Scenario
    from accord.store.results import run_fields

    last = [0.0]

    @contextmanager
    def progress(stage: str, total: int) -> Any:
        done = [0]
        conn.send(("progress", job_id, stage, 0, total))

        def advance(n: int = 1) -> None:
            done[0] += n
            now = time.monotonic()
            if now - last[0] > 0.2 or done[0] >= total:  # at most five reports a second
                last[0] = now
                conn.send(("progress", job_id, stage, done[0], total))

        yield advance

    spec = spec_from_dict(spec_data)
    result = execute(spec, Scenario.model_validate(content), progress=progress, read_files=False,
                     limits=limits)
    return run_fields(result)


def _failure(exc: BaseException) -> dict[str, Any]:
    from accord.errors import ScenarioError
    from accord.runs.budget import OverBudget
    from accord.web.problems import problem_json

    if isinstance(exc, OverBudget):
        return _problem(422, "Over budget", str(exc), reasons=exc.reasons, estimate=exc.estimate.to_dict())
    if isinstance(exc, ScenarioError):
        return _problem(422, "Invalid scenario", str(exc).split("\n", 1)[0],
                        problems=[problem_json(p) for p in exc.problems])
    if isinstance(exc, AccordError):
        return _problem(422, "Cannot do that", str(exc))
    if isinstance(exc, MemoryError):
        return _problem(422, "Out of memory", "the run needed more memory than the server allows one run "
                        "(its memory budget); use fewer draws, rounds, actors or issues, or run it on the "
                        "command line")
    log.error("internal error in a run: %s", "".join(traceback.format_exception(exc)))
    return _problem(500, "Internal Server Error",
                    f"internal error ({type(exc).__name__}); this is a bug in accord, please report it")


@dataclasses.dataclass
class _Worker:
    process: Any
    conn: Connection
    job: Job | None = None
    retired: bool = False  # killed (its job cancelled); the dispatcher closes it when it sees it end


# the pool ------------------------------------------------------------------------------------
class JobPool:
    """Bounded pool of worker processes running jobs for ``store`` (see the module docstring)."""

    def __init__(self, store: Store, workers: int | None = None, max_queued: int = 200,
                 limits: Any = None, keep: int = 500, extra_memory: int | None = None) -> None:
        from accord.runs.budget import SERVER

        self.store = store
        self.size = workers or default_workers()
        self.max_queued = max_queued
        self.limits = limits if limits is not None else SERVER
        #: how much a worker's address space may grow: the run's memory budget and a margin
        self.extra_memory = extra_memory if extra_memory is not None else self.limits.memory + WORKER_MARGIN
        self.keep = keep
        self._jobs: collections.OrderedDict[str, Job] = collections.OrderedDict()
        self._queue: collections.deque[Job] = collections.deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._closed = False
        self._thread: threading.Thread | None = None

    # public -----------------------------------------------------------------------------------
    def submit(self, kind: str, version_id: int, spec: dict[str, Any], content: dict[str, Any]) -> Job:
        """Queue a run of ``spec`` (its JSON form) on a stored version's ``content``."""
        with self._lock:
            if self._closed:
                raise QueueFull("the server is shutting down")
            if len(self._queue) >= self.max_queued:
                raise QueueFull(f"{len(self._queue)} runs are waiting already; try again in a minute")
            job = Job(secrets.token_urlsafe(12), kind, version_id, spec, content)
            self._jobs[job.id] = job
            self._queue.append(job)
            self._forget_old()
            start = self._thread is None
        if start:
            self.start()
        self._wake()
        return job

    def get(self, job_id: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} (finished jobs are kept for a while only; the run "
                           "history has every recorded run)")
        return job

    def cancel(self, job_id: str) -> Job:
        """Drop a queued job, or stop a running one (its worker is replaced); finished jobs stay."""
        job = self.get(job_id)
        with self._lock:
            if job.status == "queued":
                self._queue.remove(job)
            elif job.status == "running":
                worker = next((w for w in self._workers if w.job is job), None)
                if worker is not None:  # killed here, closed by the dispatcher (which may be reading it)
                    worker.job, worker.retired = None, True
                    with contextlib.suppress(OSError, ValueError, AttributeError):
                        worker.process.kill()
            else:
                return job
            self._finish(job, "cancelled", problem=_problem(409, "Cancelled", "the run was cancelled"))
        self._wake()
        return job

    def queued(self) -> int:
        return len(self._queue)

    def running(self) -> int:
        return sum(1 for w in self._workers if w.job is not None)

    def close(self) -> None:
        """Cancel everything and stop the workers (at server shutdown)."""
        with self._lock:
            self._closed = True
            for job in list(self._queue):
                self._finish(job, "cancelled", problem=_problem(503, "Cancelled", "the server stopped"))
            self._queue.clear()
            for worker in list(self._workers):
                if worker.job is not None:
                    self._finish(worker.job, "cancelled",
                                 problem=_problem(503, "Cancelled", "the server stopped"))
                self._stop(worker)
        self._wake()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(10)

    # internals (the dispatcher thread) ----------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_w.send(None)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.status in ("done", "failed", "cancelled")]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[key]

    def _start_worker(self) -> _Worker:
        ctx = multiprocessing.get_context("forkserver")
        with contextlib.suppress(ValueError, RuntimeError):
            ctx.set_forkserver_preload(PRELOAD)
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child, self.extra_memory), daemon=True,
                              name="accord-run-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker) -> None:
        """Stop ``worker`` now (its job, if any, is the caller's to finish) and forget it."""
        try:
            worker.process.kill()
            worker.process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        worker.conn.close()
        worker.job = None
        if worker in self._workers:
            self._workers.remove(worker)

    def _finish(self, job: Job, status: str, run: RunInfo | None = None,
                problem: dict[str, Any] | None = None) -> None:
        if job.status in ("done", "failed", "cancelled"):
            return
        if run is not None:
            run = dataclasses.replace(run, results=None)  # the run history holds them
        job.status, job.run, job.problem, job.finished = status, run, problem, time.time()
        job.content = None
        if job.future.done():  # its waiter was cancelled (the server is stopping)
            return
        if run is not None:
            job.future.set_result(run)
        else:
            job.future.set_exception(JobFailed(problem or _problem(500, "Failed", "the run failed")))

    def _assign(self) -> None:
        """Give queued jobs to idle workers, starting workers up to the pool's size.

        Workers start outside the lock: starting one can take seconds, and requests must not wait
        for it.
        """
        while True:
            with self._lock:
                if not self._queue or self._closed:
                    return
                live = [w for w in self._workers if not w.retired]
                idle = next((w for w in live if w.job is None), None)
                if idle is None and len(live) >= self.size:
                    return
                if idle is not None:
                    job = self._queue.popleft()
                    job.status, job.started = "running", time.time()
                    idle.job = job
                    try:
                        idle.conn.send((job.id, job.spec, job.content, self.limits))
                    except OSError:
                        self._stop(idle)
                        self._finish(job, "failed",
                                     problem=_problem(500, "Failed", "the run's worker stopped"))
                    continue
            worker = self._start_worker()  # only this thread starts workers
            with self._lock:
                self._workers.append(worker)

    def start(self) -> None:
        """Start the workers now (at server start-up) rather than with the first run.

        After :meth:`close`, this opens the pool again.
        """
        with self._lock:
            self._closed = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._dispatch, name="accord-jobs", daemon=True)
                self._thread.start()

    def _dispatch(self) -> None:
        while len(self._workers) < self.size and not self._closed:  # warm: ready before the first run
            worker = self._start_worker()
            with self._lock:
                self._workers.append(worker)
        while True:
            try:
                if self._dispatch_once():
                    return
            except Exception as exc:  # never let the pool die silently
                log.error("the run pool's dispatcher: %s", exc, exc_info=exc)
                time.sleep(0.5)

    def _dispatch_once(self) -> bool:
        """Assign, wait for messages, handle them; True when the pool is closed and empty."""
        self._assign()
        with self._lock:
            if self._closed and not self._workers:
                return True
            conns = [w.conn for w in self._workers if w.job is not None or w.retired]
        try:
            ready = wait([self._wake_r, *conns], timeout=1.0)
        except (OSError, ValueError):  # a connection closed meanwhile (shutdown)
            return False
        for conn in ready:
            if conn is self._wake_r:
                while self._wake_r.poll():
                    self._wake_r.recv()
                continue
            self._receive(conn)  # type: ignore[arg-type]
        with self._lock:
            if self._closed and not any(w.job for w in self._workers):
                for worker in list(self._workers):
                    self._stop(worker)
                return True
        return False

    def _receive(self, conn: Connection) -> None:
        with self._lock:
            worker = next((w for w in self._workers if w.conn is conn), None)
        if worker is None:
            return
        if worker.retired:  # killed for a cancelled job: drain what it sent, close it once it ended
            try:
                while conn.poll():
                    conn.recv()
            except (EOFError, OSError):
                with self._lock:
                    self._stop(worker)
            return
        if worker.job is None:
            return
        job = worker.job
        try:
            message = conn.recv()
        except (EOFError, OSError):
            with self._lock:
                code = worker.process.exitcode
                self._stop(worker)
                self._finish(job, "failed", problem=_problem(
                    500, "Failed", f"the run's worker stopped (exit code {code}); the run was too "
                    "large for this server, or this is a bug in accord"))
            return
        what, job_id = message[0], message[1]
        if job_id != job.id:
            return
        if what == "progress":
            job.stage, job.done, job.total = message[2], int(message[3]), int(message[4])
            return
        with self._lock:
            worker.job = None
        if what == "done":
            try:
                run = self.store.record_run(job.version_id, **message[2])
            except Exception as exc:
                log.error("could not record a run: %s", exc, exc_info=exc)
                with self._lock:
                    self._finish(job, "failed", problem=_problem(500, "Failed", f"the run could not be "
                                                                 f"recorded ({type(exc).__name__})"))
                return
            with self._lock:
                self._finish(job, "done", run=run)
        else:
            with self._lock:
                self._finish(job, "failed", problem=message[2])
