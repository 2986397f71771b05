"""Sweep runs: scenarios x what-ifs x models x draws from a :class:`SweepSpec`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from accord.runs.spec import SweepSpec


@dataclass(frozen=True)
class SweepRunResult:
    """What ``accord sweep`` answers.

    Attributes
    ----------
    spec : SweepSpec
        The request.
    output : Path
        Where the rows went.
    total : int
        Tasks in the sweep.
    ran : int
        Tasks run now.
    skipped : int
        Tasks already done (resume).
    largest_shift : dict or None
        The largest median shift found (what-if, issue, model, diff_median); ``None`` when
        nothing moved.
    kind : str
        ``sweep``.
    """

    spec: SweepSpec
    output: Path
    total: int
    ran: int
    skipped: int
    largest_shift: dict[str, Any] | None
    kind: str = "sweep"

    def to_dict(self) -> dict[str, Any]:
        """Return the result's JSON.

        Returns
        -------
        dict
            ``kind``, ``spec``, ``output``, ``total``, ``ran``, ``skipped``, ``largest_shift``.
        """
        return {"kind": self.kind, "spec": self.spec.model_dump(mode="json"), "output": str(self.output),
                "total": self.total, "ran": self.ran, "skipped": self.skipped,
                "largest_shift": self.largest_shift}


def plan(spec: SweepSpec) -> Any:
    """Return the experiments' sweep plan: the file's, with the spec's fields overriding it.

    Parameters
    ----------
    spec : SweepSpec
        The request; without a file, its fields say everything (defaults: the built-in
        scenario, the baseline, every model, 1000 draws, seed 0).

    Returns
    -------
    accord.experiments.sweep.SweepSpec
        The plan.
    """
    from accord.experiments.sweep import load_spec, make_spec
    from accord.scenario.resolve import resolve_scenario

    if spec.file is not None:
        base = load_spec(Path(spec.file))
        if not (spec.models or spec.draws or spec.seed is not None or spec.params):
            return base
        return make_spec(base.scenarios, base.whatifs, spec.models or base.models, spec.draws or base.draws,
                         base.seed if spec.seed is None else spec.seed, {**base.params, **spec.params},
                         base.base_dir)
    scenarios = [resolve_scenario(s) for s in spec.scenarios or [None]]
    entries = [{"file": w} if isinstance(w, str) and w.endswith((".yaml", ".yml")) else w
               for w in spec.whatifs or ["baseline"]]
    return make_spec(scenarios, entries, spec.models or None, spec.draws or 1000,
                     0 if spec.seed is None else spec.seed, spec.params)


def run_sweep(spec: SweepSpec, progress: Any) -> SweepRunResult:
    """Run every task not yet finished, streaming rows to the output file.

    Parameters
    ----------
    spec : SweepSpec
        The request.
    progress : Progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``; one step
        per task.

    Returns
    -------
    SweepRunResult
        Where the rows went, the tasks run, and the largest median shift.
    """
    from accord.experiments.sweep import load_results
    from accord.experiments.sweep import run_sweep as sweep

    planned = plan(spec)
    tasks = planned.tasks()
    with progress("sweep", len(tasks)) as advance:
        done = sweep(planned, Path(spec.output), spec.resume, spec.force, spec.scheduler, spec.workers,
                     advance, spec.chunk)
    largest = None
    if done.ran + done.skipped:
        frame = load_results(done.output)
        if len(frame):
            row = frame.loc[cast(int, frame["diff_median"].abs().idxmax())]  # a RangeIndex (load_results)
            if row["diff_median"] != 0:
                largest = {k: (float(cast(float, row[k])) if k == "diff_median" else str(row[k]))
                           for k in ("whatif", "issue", "model", "diff_median")}
    return SweepRunResult(spec, done.output, done.total, done.ran, done.skipped, largest)
