"""Sweeps: scenarios x what-ifs x models x draws, in-process or on a Dask cluster.

A task is one (scenario, what-if, model): it samples the scenario's draws, runs the model on
the baseline and on the what-if, and returns one row per issue (summaries of the what-if's
outcome, of the baseline's and of the paired difference). Seeds do not depend on where a task
runs: the draws and each model's generator are streams found by name under the sweep's seed
(:func:`accord.rng.stream`), exactly as in ``accord whatif``, so every task sees the same draws
(common random numbers across scenarios' what-ifs and models), a task's numbers equal those of
``accord whatif`` with the same seed, and a sweep gives the same numbers in-process, on two local
workers or on a remote cluster.

Results stream to a journal beside the output, flushed after every write and never rewritten,
so a crash (even ``kill -9``, even during a resume) loses at most the tasks in flight;
``resume`` keeps the complete tasks of the journal and runs the rest; the CSV or Parquet output
is written (temporary file, then rename) when every task is done. See "the results file" below.

On Dask, tasks go in chunks (:func:`chunked`: consecutive tasks of one scenario, ``chunk`` per
Dask job, by default about four chunks per worker thread and at most 64 tasks each) because a
task of a static model takes milliseconds, less than Dask's own cost per job. Each scenario is
scattered to the workers once; a worker samples a scenario's draws and runs each model's
baseline once and keeps them (:func:`_cached`) for all its chunks, so a chunk costs its what-if
runs only. A chunk's rows come back as one frame and are written in one flushed write; a crash
loses at most the chunks in flight (their tasks rerun on ``resume``).

A sweep file (YAML)::

    scenarios: [ukraine-2025-12]          # built-in names or scenario files
    whatifs:                              # default: [baseline]
      - baseline                          # no change
      - us-ends-nato-sales                # a named what-if of the scenario; "named": all of them
      - {file: more-whatifs.yaml}         # every what-if in a file
      - {id: half-us, set: ["capability[us] *= 0.5"]}
      - grid:                             # a family: the product of the lists, filled into the text
          set: ["capability[{actor}] *= {factor}"]
          actor: [us, russia]
          factor: [0.5, 0.8]
    models: [compromise, median]          # default: all
    draws: 1000
    seed: 7
    params: {rounds: 10}
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from accord.errors import AccordError
from accord.experiments.interventions import Intervention, apply
from accord.experiments.parallel import run_jobs
from accord.experiments.progress import Advance, no_progress
from accord.experiments.uncertainty import MODEL_FAILURES, batch_job, draw_arrays, model_stream, summarise
from accord.experiments.whatif import builtin_whatifs, intervention_from_dict, load_whatifs
from accord.experiments.yamlfile import read_yaml
from accord.models import available_models, get_model, model_class
from accord.scenario import Scenario, compile_scenario
from accord.scenario.resolve import resolve_scenario

BASELINE = Intervention(id="baseline", name="baseline")
KEYS = ("task", "scenario", "whatif", "model", "issue")
STATS = ("mean", "median", "q05", "q25", "q75", "q95", "base_mean", "base_median",
         "diff_mean", "diff_median", "diff_q05", "diff_q95", "note")
COLUMNS = (*KEYS, *STATS)


@dataclass(frozen=True)
class Task:
    """One task of a sweep: a scenario (by its index in the spec), a what-if and a model.

    Attributes
    ----------
    index : int
        The task's number in the sweep.
    scenario_index : int
        Index of its scenario in :attr:`SweepSpec.scenarios`.
    whatif : Intervention
        The what-if.
    model : str
        Model name.
    """

    index: int
    scenario_index: int
    whatif: Intervention
    model: str


@dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs (see the module docstring for its file); make one with :func:`make_spec`.

    Attributes
    ----------
    scenarios : list of Scenario
        The scenarios.
    whatifs : list
        The what-if entries as written: names, mappings, ``file`` and ``grid`` entries.
    models : list of str
        Model names.
    draws : int
        Draws per task.
    seed : int
        The sweep's seed.
    params : dict
        Parameters, given to each model that declares them.
    base_dir : Path
        Directory that ``file`` entries are relative to.
    """

    scenarios: list[Scenario]
    whatifs: list[Any]  # entries as written: names, mappings, grids
    models: list[str]
    draws: int = 1000
    seed: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    base_dir: Path = Path(".")

    def tasks(self) -> list[Task]:
        """Return every (scenario, what-if, model), numbered in this order.

        Returns
        -------
        list of Task
            The tasks.

        Raises
        ------
        AccordError
            When a what-if entry is malformed or does not apply to its scenario.
        """
        out: list[Task] = []
        for s, scenario in enumerate(self.scenarios):
            for iv in resolve_whatifs(self.whatifs, scenario, self.base_dir):
                for model in self.models:
                    out.append(Task(len(out), s, iv, model))
        return out


def _grid(entry: Mapping[str, Any], where: str) -> list[Intervention]:
    template = {k: entry[k] for k in ("set", "add", "remove") if k in entry}
    axes = {k: v if isinstance(v, list) else [v] for k, v in entry.items() if k not in template and k != "id"}
    if not template or not axes:
        raise AccordError(f"{where}: a grid needs set/add/remove texts and lists to fill them from")
    out = []
    for values in itertools.product(*axes.values()):
        fill = dict(zip(axes, values, strict=True))
        try:
            filled = {k: [str(x).format(**fill) for x in (v if isinstance(v, list) else [v])]
                      for k, v in template.items()}
        except (KeyError, IndexError) as exc:
            raise AccordError(f"{where}: grid text refers to {exc}, which the grid does not list") from None
        name = ",".join(f"{k}={v}" for k, v in fill.items())
        out.append(intervention_from_dict({"id": f"{entry.get('id', 'grid')}[{name}]", **filled}, where))
    return out


def resolve_whatifs(
    entries: Sequence[Any], scenario: Scenario, base_dir: Path = Path(".")
) -> list[Intervention]:
    """Return the what-ifs of a sweep for one scenario, in order.

    Every what-if is applied once to the scenario's arrays, so unknown actors or issues fail
    here, before any task runs.

    Parameters
    ----------
    entries : Sequence
        The sweep's what-if entries: ``baseline``, ``named`` (all the scenario's named
        what-ifs), a named what-if's id, ``{file: ...}``, ``{grid: ...}`` or a what-if mapping;
        none: the baseline only.
    scenario : Scenario
        The scenario.
    base_dir : Path, optional
        Directory that ``file`` entries are relative to.

    Returns
    -------
    list of Intervention
        The what-ifs.

    Raises
    ------
    AccordError
        On an unknown named what-if, a malformed entry or grid, an id that appears twice, or a
        what-if that does not apply to the scenario.
    """
    out: list[Intervention] = []
    for n, entry in enumerate(entries or ["baseline"]):
        where = f"sweep what-if {n + 1}"
        if entry == "baseline":
            out.append(BASELINE)
        elif entry == "named":
            out.extend(builtin_whatifs(scenario.id))
        elif isinstance(entry, str):
            named = {w.id: w for w in builtin_whatifs(scenario.id)}
            if entry not in named:
                raise AccordError(f"{where}: no named what-if {entry!r} for scenario {scenario.id!r}; "
                                  f"named: {', '.join(named) or 'none'}")
            out.append(named[entry])
        elif isinstance(entry, Mapping) and "file" in entry:
            out.extend(load_whatifs(base_dir / str(entry["file"])))
        elif isinstance(entry, Mapping) and "grid" in entry:
            out.extend(_grid(entry["grid"], where))
        else:
            out.append(intervention_from_dict(entry, where))
    ids = [w.id for w in out]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise AccordError(f"what-if {dup!r} appears twice in the sweep for {scenario.id!r}")
    arrays = compile_scenario(scenario)
    for iv in out:  # unknown actors or issues fail here, before any task runs
        try:
            apply(iv, arrays, scenario.actor_ids, scenario.issue_ids, scenario.salience_scale)
        except AccordError as exc:
            raise AccordError(f"what-if {iv.id!r} on scenario {scenario.id!r}: {exc}") from None
    return out


def _listed(data: Mapping[str, Any], key: str, path: Path) -> list[Any] | None:
    """Return a list entry of the sweep file; one name (or one mapping) reads as a list of one."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str | Mapping):
        return [value]
    if not isinstance(value, list):
        raise AccordError(f"{path}: {key}: expected a list, got {value!r}")
    return value


def _whole(data: Mapping[str, Any], key: str, default: int, least: int, path: Path) -> int:
    value = data.get(key, default)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise AccordError(f"{path}: {key}: expected a whole number >= {least}, got {value!r}")
    return value


def load_spec(path: Path) -> SweepSpec:
    """Read a sweep file (see the module docstring).

    Scenario entries are files relative to the sweep file, or built-in names.

    Parameters
    ----------
    path : Path
        The sweep file (YAML).

    Returns
    -------
    SweepSpec
        The sweep.

    Raises
    ------
    AccordError
        On every mistake in the file: unreadable, unknown keys, entries of the wrong type,
        unknown scenarios or models, parameters no model has.
    """
    data = read_yaml(path) or {}
    if not isinstance(data, Mapping):
        raise AccordError(f"{path}: expected a mapping with scenarios, whatifs, models, draws, seed")
    unknown = set(data) - {"scenarios", "whatifs", "models", "draws", "seed", "params"}
    if unknown:
        raise AccordError(f"{path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    base = Path(path).parent
    names = _listed(data, "scenarios", path) or [None]
    if not all(s is None or isinstance(s, str) for s in names):
        raise AccordError(f"{path}: scenarios: expected file paths or built-in names, got {names!r}")
    models = _listed(data, "models", path)
    if models is not None and not all(isinstance(m, str) for m in models):
        raise AccordError(f"{path}: models: expected model names, got {models!r}")
    params = data.get("params") or {}
    if not isinstance(params, Mapping):
        raise AccordError(f"{path}: params: expected a mapping of parameter names to values, got {params!r}")
    scenarios = [resolve_scenario(base / s if s is not None and (base / s).exists() else s) for s in names]
    return make_spec(scenarios, _listed(data, "whatifs", path) or ["baseline"], models,
                     _whole(data, "draws", 1000, 1, path), _whole(data, "seed", 0, 0, path), params, base)


def make_spec(scenarios: list[Scenario], whatifs: list[Any], models: Sequence[str] | None, draws: int,
              seed: int, params: Mapping[str, Any] | None = None, base_dir: Path = Path(".")) -> SweepSpec:
    """Check and build a sweep's spec.

    Parameters
    ----------
    scenarios : list of Scenario
        The scenarios.
    whatifs : list
        The what-if entries, as in a sweep file.
    models : Sequence of str or None
        Model names (None or empty: all).
    draws : int
        Draws per task, at least 1.
    seed : int
        The sweep's seed.
    params : Mapping or None, optional
        Parameters; each must belong to at least one of the models.
    base_dir : Path, optional
        Directory that ``file`` entries are relative to.

    Returns
    -------
    SweepSpec
        The sweep.

    Raises
    ------
    AccordError
        On an unknown model, a parameter none of the models has, or fewer than 1 draw.
    """
    names = [model_class(m).name for m in models] if models else available_models()
    for key in params or {}:
        if not any(key in model_class(n).parameters() for n in names):
            raise AccordError(f"parameter {key!r}: none of the sweep's models ({', '.join(names)}) has it")
    if draws < 1:
        raise AccordError(f"draws must be at least 1, not {draws}")
    return SweepSpec(scenarios, list(whatifs), names, draws, seed, dict(params or {}), base_dir)


# --- one task ------------------------------------------------------------------------------

_CACHE: dict[tuple, Any] = {}


def _fingerprint(scenario: Scenario) -> str:
    """Digest the scenario's content: an edited scenario of the same id is another key."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def _cached(key: tuple, make: Any) -> Any:
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = make()
    return _CACHE[key]


def run_task(
    task: Task, scenario: Scenario, draws: int, seed: int, params: Mapping[str, Any],
    workers: int | None = None,
) -> pd.DataFrame:
    """Run one task and summarise it per issue.

    The draws and the model's baseline are cached in this process for the task's other
    what-ifs. A model that fails on the draws gives NaN rows with a note.

    Parameters
    ----------
    task : Task
        The task.
    scenario : Scenario
        Its scenario.
    draws : int
        Number of draws.
    seed : int
        The sweep's seed.
    params : Mapping
        Parameters, given to the model where it declares them.
    workers : int or None, optional
        Threads for the model's chunks of draws (default: every core; a Dask worker passes 1);
        the numbers do not depend on it.

    Returns
    -------
    pd.DataFrame
        One row per issue, columns :data:`COLUMNS`: the what-if's outcome summary, the
        baseline's mean and median, the paired difference's summary, and a note.
    """
    tag = (_fingerprint(scenario), task.scenario_index, draws, seed)
    arrays = _cached(("draws", *tag), lambda: draw_arrays(scenario, draws, seed))
    model = get_model(task.model, **model_class(task.model).own_params(params))
    model_seed = model_stream(seed, model)
    key = ("base", *tag, task.model, repr(sorted(params.items())))
    note = ""
    jobs = []
    if key not in _CACHE:
        jobs.append(batch_job("base", model, arrays, model_seed))
    if not task.whatif.is_empty:
        changed, _ = apply(task.whatif, arrays, scenario.actor_ids, scenario.issue_ids,
                           scenario.salience_scale)
        jobs.append(batch_job("new", model, changed, model_seed))
    out = run_jobs(jobs, workers, failures=MODEL_FAILURES) if jobs else {}
    failure = next((v for v in out.values() if isinstance(v, BaseException)), None)
    if failure is not None:
        base = new = np.full((draws, len(scenario.issues)), np.nan)
        note = f"model failed: {type(failure).__name__}: {failure}"
    else:
        base = _cached(key, lambda: out["base"])
        new = base if task.whatif.is_empty else cast(np.ndarray, out["new"])  # no failure: arrays
    s_new, s_base, s_diff = summarise(new), summarise(base), summarise(new - base)
    columns: dict[str, Any] = {"task": task.index, "scenario": scenario.id, "whatif": task.whatif.id,
                               "model": task.model, "issue": scenario.issue_ids}
    columns.update({key_: s_new[key_] for key_ in ("mean", "median", "q05", "q25", "q75", "q95")})
    columns["base_mean"], columns["base_median"] = s_base["mean"], s_base["median"]
    columns.update({f"diff_{key_}": s_diff[key_] for key_ in ("mean", "median", "q05", "q95")})
    columns["note"] = note
    return pd.DataFrame(columns, columns=list(COLUMNS))


def run_chunk(
    tasks: Sequence[Task], scenario: Scenario, draws: int, seed: int, params: Mapping[str, Any],
    workers: int | None = 1,
) -> pd.DataFrame:
    """Run several tasks of one scenario (one Dask job) and join their rows in task order.

    Parameters
    ----------
    tasks : Sequence of Task
        The tasks, all of ``scenario``.
    scenario : Scenario
        Their scenario.
    draws : int
        Number of draws.
    seed : int
        The sweep's seed.
    params : Mapping
        Parameters, given to each model where it declares them.
    workers : int or None, optional
        Threads per task (one in a Dask job).

    Returns
    -------
    pd.DataFrame
        The tasks' rows, as :func:`run_task` gives them.
    """
    return pd.concat([run_task(t, scenario, draws, seed, params, workers) for t in tasks], ignore_index=True)


def chunked(tasks: Sequence[Task], size: int) -> list[list[Task]]:
    """Cut tasks into consecutive groups of at most ``size``, never mixing scenarios.

    Parameters
    ----------
    tasks : Sequence of Task
        The tasks, in order.
    size : int
        Most tasks per group.

    Returns
    -------
    list of list of Task
        The groups, in order.
    """
    out: list[list[Task]] = []
    for task in tasks:
        if out and len(out[-1]) < size and out[-1][-1].scenario_index == task.scenario_index:
            out[-1].append(task)
        else:
            out.append([task])
    return out


def chunk_size(n_tasks: int, n_threads: int, per_thread: int = 4, most: int = 64) -> int:
    """Return the default number of tasks per Dask job.

    Parameters
    ----------
    n_tasks : int
        Tasks to run.
    n_threads : int
        Worker threads of the cluster.
    per_thread : int, optional
        Jobs per worker thread to aim for.
    most : int, optional
        Most tasks per job.

    Returns
    -------
    int
        About ``per_thread`` jobs per worker thread, at least 1 and at most ``most`` tasks.
    """
    return max(1, min(most, -(-n_tasks // max(1, per_thread * n_threads))))


# --- the results file ----------------------------------------------------------------------
#
# While a sweep runs, rows go to a journal beside the output (``OUTPUT.journal``): JSON lines, one
# row each, appended and flushed chunk by chunk, never rewritten. Resume reads it, cuts off a torn
# last line (a write the kill interrupted; complete lines are never touched), keeps for each
# (task, issue) the last row written and counts a task done when all its issues are there. When
# every task is done, the output (CSV or Parquet) is written to a temporary file and renamed over
# OUTPUT, then the journal is removed: at any instant OUTPUT is absent, the previous complete
# file, or the new complete file. JSON keeps every float exactly (Python writes floats with
# ``repr``), and the CSV is read back with pandas' round-trip parser, so a resumed sweep gives the
# same numbers bit for bit as one that never stopped.


def journal_path(output: Path) -> Path:
    """Return the journal's path beside a sweep's output (``OUTPUT.journal``).

    Parameters
    ----------
    output : Path
        The output file.

    Returns
    -------
    Path
        The journal file.
    """
    return output.with_name(output.name + ".journal")


def _repair(journal: Path) -> None:
    """Cut a torn last line (no newline yet) off the journal; complete lines stay as they are."""
    size = journal.stat().st_size
    if size == 0:
        return
    with journal.open("rb") as handle:
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return
        block = 1 << 16
        end = size
        while end > 0:  # search backwards for the last newline
            start = max(0, end - block)
            handle.seek(start)
            chunk = handle.read(end - start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                os.truncate(journal, start + cut + 1)
                return
            end = start
    os.truncate(journal, 0)


def _journal_rows(journal: Path) -> pd.DataFrame:
    """Read the journal's rows: the last one written per (task, issue), in task then write order."""
    import json

    rows = []
    with journal.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise AccordError(f"{journal}, line {number}: not a sweep journal line; "
                                  "--force starts afresh") from None
            if not isinstance(row, dict) or list(row) != list(COLUMNS):
                raise AccordError(f"{journal}, line {number}: not a sweep results row (its fields differ); "
                                  "--force starts afresh")
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.drop_duplicates(["task", "issue"], keep="last")
    return frame.sort_values("task", kind="stable").reset_index(drop=True)


def _check_tasks(source: Path, frame: pd.DataFrame, tasks: Sequence[Task],
                 n_issues: Sequence[int]) -> set[int]:
    """Return the tasks ``frame`` holds completely; a task that is not this sweep's is an error."""
    by_index = {t.index: t for t in tasks}
    done: set[int] = set()
    for index, rows in frame.groupby("task", sort=False):
        index = cast(int, index)  # the task column holds ints
        task = by_index.get(int(index))
        if task is None or rows["whatif"].iloc[0] != task.whatif.id or rows["model"].iloc[0] != task.model:
            raise AccordError(f"{source}: task {index} differs from this sweep's; --force starts afresh")
        if len(rows) == n_issues[task.scenario_index]:
            done.add(int(index))
    return done


class _Journal:
    """Appends rows as JSON lines, one flushed write per chunk of rows."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("a", encoding="utf-8")

    def write(self, frame: pd.DataFrame) -> None:
        import json

        from accord.jsonsafe import clean

        lines = [json.dumps(clean(dict(zip(COLUMNS, row, strict=True))), ensure_ascii=False, allow_nan=False)
                 for row in frame[list(COLUMNS)].itertuples(index=False, name=None)]
        self.handle.write("".join(line + "\n" for line in lines))
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


TEXT = ("scenario", "whatif", "model", "issue", "note")


def _read_csv(source: Any) -> pd.DataFrame:
    """Read a results CSV with ids as written and floats exactly.

    An issue ``NA`` or a what-if ``None`` is not NaN; floats go through pandas' round-trip
    parser.
    """
    numbers = [c for c in COLUMNS if c not in TEXT]
    return pd.read_csv(source, dtype=dict.fromkeys(TEXT, str), keep_default_na=False,
                       na_values=dict.fromkeys(numbers, [""]), float_precision="round_trip")


def _write_output(frame: pd.DataFrame, output: Path) -> None:
    """Write the finished results to a temporary file beside ``output``, then rename it over it."""
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if output.suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, float_format="%.17g")
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def load_results(output: Path) -> pd.DataFrame:
    """Read a sweep's results (CSV or Parquet).

    Ids are read as written and floats exactly (see "the results file").

    Parameters
    ----------
    output : Path
        The results file.

    Returns
    -------
    pd.DataFrame
        The rows sorted by task; within a task, rows stay in the scenario's issue order (a
        task's rows are written together, in that order, and the sort is stable).
    """
    path = Path(output)
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else _read_csv(path)
    frame["note"] = frame["note"].fillna("").astype(str)
    return frame.sort_values("task", kind="stable").reset_index(drop=True)


# --- running -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepRun:
    """What a call of :func:`run_sweep` did.

    Attributes
    ----------
    total : int
        Tasks in the sweep.
    skipped : int
        Tasks already finished (resume).
    ran : int
        Tasks run now.
    output : Path
        The results file (written once every task is done).
    """

    total: int
    skipped: int  # already finished (resume)
    ran: int
    output: Path


def run_sweep(
    spec: SweepSpec,
    output: Path,
    resume: bool = False,
    force: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    advance: Advance = no_progress,
    chunk: int | None = None,
) -> SweepRun:
    """Run every task not yet finished, streaming rows to a journal beside the output.

    The output is written when every task is done (see "the results file").

    Parameters
    ----------
    spec : SweepSpec
        The sweep.
    output : Path
        The results file, ``.csv`` or ``.parquet``.
    resume : bool, optional
        Keep the complete tasks of the journal (or of a finished output) and run the rest.
    force : bool, optional
        Replace an existing output or journal.
    scheduler : str or None, optional
        Address of a Dask scheduler to run on.
    workers : int or None, optional
        Run on a local Dask cluster of that many single-threaded worker processes.
    advance : Advance, optional
        Progress reporter, one step per task.
    chunk : int or None, optional
        Tasks per Dask job (default: :func:`chunk_size`).

    Returns
    -------
    SweepRun
        Tasks in all, already done, and run now.

    Raises
    ------
    AccordError
        On a bad ``chunk`` or output suffix, an existing output without ``resume`` or
        ``force``, a journal or output that is not this sweep's, or an unreachable scheduler.
    """
    if chunk is not None and chunk < 1:
        raise AccordError(f"chunk must be at least 1 task, not {chunk}")
    output = Path(output)
    if output.suffix not in (".csv", ".parquet"):
        raise AccordError(f"{output}: the output must end in .csv or .parquet")
    tasks = spec.tasks()
    n_issues = [len(s.issues) for s in spec.scenarios]
    journal = journal_path(output)
    if not resume and (output.exists() or journal.exists()):
        if not force:
            raise AccordError(f"{output} exists: --resume to continue it, --force to replace it")
        for p in (output, journal):
            p.unlink(missing_ok=True)
    done: set[int] = set()
    if resume and journal.exists():
        _repair(journal)
        done = _check_tasks(journal, _journal_rows(journal), tasks, n_issues)
    elif resume and output.exists():  # a finished sweep: its rows seed a journal, so it can grow
        finished = load_results(output)
        done = _check_tasks(output, finished, tasks, n_issues)
        writer = _Journal(journal)
        writer.write(finished)
        writer.close()
    todo = [t for t in tasks if t.index not in done]
    advance(len(done))
    writer = _Journal(journal)
    try:
        if scheduler or workers:
            _run_dask(spec, todo, writer, scheduler, workers, advance, chunk)
        else:
            for task in todo:
                writer.write(run_task(task, spec.scenarios[task.scenario_index], spec.draws, spec.seed,
                                      spec.params))
                advance(1)
    finally:
        writer.close()
    rows = _journal_rows(journal)
    if len(_check_tasks(journal, rows, tasks, n_issues)) == len(tasks):
        _write_output(rows, output)
        journal.unlink()
    return SweepRun(len(tasks), len(done), len(todo), output)


def _run_dask(spec: SweepSpec, todo: list[Task], writer: _Journal, scheduler: str | None,
              workers: int | None, advance: Advance, chunk: int | None = None) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.CRITICAL)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise AccordError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
    try:
        threads = sum(client.nthreads().values()) or (workers or 1)
        groups = chunked(todo, chunk or chunk_size(len(todo), threads))
        scenarios = client.scatter(spec.scenarios, broadcast=True)
        futures = {client.submit(run_chunk, group, scenarios[group[0].scenario_index], spec.draws,
                                 spec.seed, spec.params, pure=False): len(group) for group in groups}
        for future in as_completed(futures):
            writer.write(future.result())
            advance(futures.pop(future))
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
