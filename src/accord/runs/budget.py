"""Admission: how much work a run asks for, estimated before any of it is done, against limits.

A run's cost is the sum over its models of evaluations x rounds x the model's work per round,
which grows with the scenario's actors A and issues I as the model's algorithm does:

=============================  ===================================  ==============================
model                          time per evaluation and round        why
=============================  ===================================  ==============================
compromise, mean, median,      A I (one pass, no rounds)            a weighted sum or median per
weighted-median, nash                                               issue
choice                         A^2 I (one pass)                     features compare actor pairs
eum, eum-scholz                A^3 I                                every pair of actors per issue,
                                                                    its vote summed over third
                                                                    actors (Bueno de Mesquita 1994)
exchange, exchange-random      A^2 I^2                              every pair of actors x pair
                                                                    of issues is a candidate
                                                                    (Stokman & van Oosten 1994)
smp                            A^3                                  every actor's challenge of
                                                                    every other, judged by every
                                                                    third actor (KTAB's SMP)
=============================  ===================================  ==============================

The measurements found these growths (eum and smp grow faster in A than their pairwise core
suggests: the third-party sums). Evaluations are ``draws + 1`` (the forecast itself and each
Monte Carlo draw); a what-if runs its draws twice. Rounds are the model's ``rounds`` parameter:
a maximum for smp, which usually stops well before it, so its estimate is an upper bound. Peak
memory is the largest model's working set (every model works on chunks of
:data:`~accord.experiments.uncertainty.CHUNK` draws, one per core at a time, and a dynamic model
keeps their rounds; exchange's candidates exist for one draw at a time, ~A^2 I^2) plus the
sampled draws. Seconds are CPU seconds: on several cores the wall time is shorter. The
constants were measured on the development machine (2 cores) with
``benchmarks/budget_calibration.py``; the table of measurements and estimates is in
``docs/security.md``. They are set so that the estimate is at
or above what was measured: a budget errs on the side of refusing.

:func:`check` raises :class:`OverBudget` naming every limit the run exceeds, before any work.
``execute`` calls it with the limits it is given (:data:`LOCAL` by default; the web workbench
passes :data:`SERVER`; ``None`` skips it, which is what ``--force`` does on the command line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from accord.errors import AccordError

GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True)
class Growth:
    """How one model's cost grows with actors A and issues I, per evaluation (one draw).

    Time: ``seconds * A^a * I^i + fixed`` per round; memory: ``bytes * A^ma * I^mi`` held while
    it runs (for every evaluation of a chunk at once, or for one at a time when
    ``sequential``).

    Attributes
    ----------
    seconds : float
        Seconds per unit of size, per evaluation and round.
    a, i : int
        Exponents of A and I in the time.
    bytes : float
        Bytes per unit of size held per evaluation.
    ma, mi : int
        Exponents of A and I in the memory.
    dynamic : bool
        Whether the model runs rounds (a static model runs one pass).
    fixed : float
        Seconds per evaluation and round whatever the size (per-call overhead).
    sequential : bool
        Evaluations one after another (a compiled loop over the draws).
    """

    seconds: float
    a: int
    i: int
    bytes: float
    ma: int
    mi: int
    dynamic: bool = True
    fixed: float = 0.0  # seconds per evaluation and round whatever the size (per-call overhead)
    sequential: bool = False  # evaluations one after another (a compiled loop over the draws)


#: measured constants (``benchmarks/budget_calibration.py``, table in ``docs/security.md``), each
#: rounded up from the largest ratio seen at the sizes that matter; a model missing here costs
#: like :data:`DEFAULT`
GROWTH: dict[str, Growth] = {
    # weighted sums: the draws' sampling (SAMPLE_SECONDS, DRAW_BYTES) is nearly all of their cost
    "compromise": Growth(seconds=2e-8, a=1, i=1, bytes=8, ma=1, mi=1, dynamic=False),
    "mean": Growth(seconds=2e-8, a=1, i=1, bytes=8, ma=1, mi=1, dynamic=False),
    # medians sort each issue's positions
    "median": Growth(seconds=4e-7, a=1, i=1, bytes=32, ma=1, mi=1, dynamic=False),
    "weighted-median": Growth(seconds=4e-7, a=1, i=1, bytes=32, ma=1, mi=1, dynamic=False),
    # one bounded maximisation per issue
    "nash": Growth(seconds=5e-6, a=1, i=1, bytes=64, ma=1, mi=1, dynamic=False),
    # per actor and issue a predictive distribution whose features compare every pair of actors
    "choice": Growth(seconds=4.5e-7, a=2, i=1, bytes=20, ma=2, mi=1, dynamic=False),
    # every pair of actors per issue, each pair's vote summed over every third actor
    "eum": Growth(seconds=2e-8, a=3, i=1, bytes=40, ma=2, mi=1, fixed=1e-3),
    "eum-scholz": Growth(seconds=2.6e-8, a=3, i=1, bytes=40, ma=2, mi=1, fixed=1.3e-3),
    # every pair of actors x every pair of issues is a candidate exchange; one draw at a time
    "exchange": Growth(seconds=2e-7, a=2, i=2, bytes=24, ma=2, mi=2, fixed=1e-4, sequential=True),
    "exchange-random": Growth(seconds=3e-7, a=2, i=2, bytes=24, ma=2, mi=2, fixed=1e-4, sequential=True),
    # every actor's challenge of every other, judged by every third actor
    "smp": Growth(seconds=2.2e-7, a=3, i=0, bytes=80, ma=2, mi=1, fixed=2e-5),
}
DEFAULT = Growth(seconds=1e-7, a=3, i=2, bytes=100, ma=2, mi=2, fixed=1e-3)
#: the draws themselves: sampling every actor's inputs on every issue and summarising the
#: outcomes, per draw, actor and issue (seconds and bytes held for the whole run)
SAMPLE_SECONDS = 3e-7
DRAW_BYTES = 48.0
#: what any run of a model allocates whatever the size (results, compiled code's buffers)
RUN_MEMORY = 16 * 1024**2


@dataclass(frozen=True)
class Limits:
    """What one run may ask for.

    ``seconds`` and ``memory`` bound the estimate; the others bound the request itself.

    Attributes
    ----------
    seconds : float
        Most estimated seconds.
    memory : int
        Most estimated peak bytes.
    actors, issues : int
        Most actors and issues in the scenario.
    draws : int
        Most Monte Carlo draws.
    rounds : int
        Most rounds of a dynamic model.
    evaluations : int
        Most model evaluations: draws x models x (1, or 2 for a what-if); for sensitivity, its
        samples.
    """

    seconds: float
    memory: int
    actors: int
    issues: int
    draws: int
    rounds: int
    evaluations: int = 10**9  # draws x models x (1 or 2 for a what-if), for sensitivity: samples

    def describe(self) -> dict[str, Any]:
        """Return the limits for display (the JSON the web shows).

        Returns
        -------
        dict
            ``seconds``, ``memory_bytes``, ``actors``, ``issues``, ``draws``, ``rounds``.
        """
        return {"seconds": self.seconds, "memory_bytes": self.memory, "actors": self.actors,
                "issues": self.issues, "draws": self.draws, "rounds": self.rounds}


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * GIB


#: the command line and Python scripts: an hour and half the machine's memory (``--force``
#: proceeds anyway)
LOCAL = Limits(seconds=3600.0, memory=_physical_memory() // 2, actors=5_000, issues=2_000,
               draws=1_000_000, rounds=100_000)
#: one request to the web workbench (``accord serve``): fifteen minutes of estimate (two or three of
#: real time on the built-in scenario, where smp stops well before its 100 rounds), 1 GiB; the
#: pool of run workers enforces the memory as a ceiling too
SERVER = Limits(seconds=900.0, memory=1 * GIB, actors=500, issues=200, draws=5_000, rounds=500)


@dataclass(frozen=True)
class ModelCost:
    """One model's share of a run's estimate.

    Attributes
    ----------
    model : str
        Model name.
    evaluations : int
        Runs of the model (the forecast and each draw).
    rounds : int
        Rounds per evaluation (1 for a static model).
    seconds : float
        Estimated seconds.
    memory : int
        Estimated peak bytes.
    """

    model: str
    evaluations: int
    rounds: int
    seconds: float
    memory: int


@dataclass(frozen=True)
class Estimate:
    """What a run is expected to take, per model and in total.

    Seconds add up; memory is the largest single model's plus the draws.

    Attributes
    ----------
    kind : str
        Kind of run.
    actors, issues : int
        The scenario's size.
    draws : int
        Draws asked for (for sensitivity: model evaluations).
    rounds : int
        Most rounds of a dynamic model.
    models : tuple of ModelCost
        Per model.
    extra_seconds : float
        Seconds outside the models (sampling the draws, a deal's analysis).
    extra_memory : int
        Bytes outside the models (the sampled draws).
    """

    kind: str
    actors: int
    issues: int
    draws: int
    rounds: int
    models: tuple[ModelCost, ...] = field(default_factory=tuple)
    extra_seconds: float = 0.0
    extra_memory: int = 0

    @property
    def seconds(self) -> float:
        """Estimated seconds in all: the models' and the extra ones."""
        return sum(m.seconds for m in self.models) + self.extra_seconds

    @property
    def memory(self) -> int:
        """Estimated peak bytes: the largest model's plus the extra ones."""
        return max((m.memory for m in self.models), default=0) + self.extra_memory

    def over(self, limits: Limits) -> list[str]:
        """List every limit this run exceeds.

        Parameters
        ----------
        limits : Limits
            The limits.

        Returns
        -------
        list of str
            One sentence per limit exceeded, naming the value and the limit; empty when the
            run is within them.
        """
        reasons = []
        for what, value, limit in (("actors", self.actors, limits.actors),
                                   ("issues", self.issues, limits.issues),
                                   ("draws", self.draws, limits.draws),
                                   ("rounds", self.rounds, limits.rounds)):
            if value > limit:
                reasons.append(f"{what}: {value:,} asked, at most {limit:,} allowed here")
        if self.seconds > limits.seconds:
            worst = max(self.models, key=lambda m: m.seconds, default=None)
            by = f" ({worst.model} alone: about {_duration(worst.seconds)})" if worst else ""
            reasons.append(f"estimated time: about {_duration(self.seconds)}{by}, at most "
                           f"{_duration(limits.seconds)} allowed here")
        if self.memory > limits.memory:
            worst = max(self.models, key=lambda m: m.memory, default=None)
            by = f" ({worst.model})" if worst else ""
            reasons.append(f"estimated memory: about {_size(self.memory)}{by}, at most "
                           f"{_size(limits.memory)} allowed here")
        return reasons

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate's JSON (seconds rounded to milliseconds).

        Returns
        -------
        dict
            ``kind``, the size asked for, ``seconds``, ``memory_bytes`` and per model the same.
        """
        return {"kind": self.kind, "actors": self.actors, "issues": self.issues, "draws": self.draws,
                "rounds": self.rounds, "seconds": round(self.seconds, 3), "memory_bytes": self.memory,
                "models": [{"model": m.model, "evaluations": m.evaluations, "rounds": m.rounds,
                            "seconds": round(m.seconds, 3), "memory_bytes": m.memory} for m in self.models]}


class OverBudget(AccordError):
    """A run refused before it started: it asks for more than the limits allow.

    Parameters
    ----------
    estimate : Estimate
        The run's estimate.
    reasons : list of str
        Every limit exceeded (from :meth:`Estimate.over`).
    hint : str, optional
        What the user can do, appended to the message.
    """

    def __init__(self, estimate: Estimate, reasons: list[str], hint: str = "") -> None:
        self.estimate, self.reasons = estimate, reasons
        text = f"this {estimate.kind} is over the budget: " + "; ".join(reasons)
        super().__init__(text + (f". {hint}" if hint else ""))


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _size(n: float) -> str:
    return f"{n / GIB:.1f} GiB" if n >= GIB else f"{max(n, 0) / MIB:.0f} MiB"


def model_cost(name: str, rounds: int | None, actors: int, issues: int, evaluations: int) -> ModelCost:
    """Estimate one model's CPU seconds and peak bytes over ``evaluations`` runs of ``rounds``.

    The draws run in chunks of :data:`accord.experiments.uncertainty.CHUNK`, as many at once as
    there are cores, so the working memory is that of one chunk times the chunks in flight; the
    seconds are CPU seconds (a wall-clock upper bound: on several cores a run takes less).

    Parameters
    ----------
    name : str
        Model name; one missing from :data:`GROWTH` costs like :data:`DEFAULT`.
    rounds : int or None
        The model's ``rounds`` (None: 1); a static model runs one pass whatever it says.
    actors, issues : int
        The scenario's size A and I.
    evaluations : int
        Runs of the model (the forecast and each draw).

    Returns
    -------
    ModelCost
        Seconds and peak bytes (capped at 2^62).
    """
    from accord.cores import default_workers
    from accord.experiments.uncertainty import CHUNK

    g = GROWTH.get(name, DEFAULT)
    r = max(int(rounds or 1), 1) if g.dynamic else 1
    size = float(actors) ** g.a * float(issues) ** g.i
    seconds = evaluations * r * (g.seconds * size + g.fixed)
    held = min(evaluations, CHUNK)
    in_flight = min(default_workers(), -(-evaluations // CHUNK))
    working = g.bytes * float(actors) ** g.ma * float(issues) ** g.mi * (1 if g.sequential else held)
    working *= in_flight
    kept = held * (r + 1) * actors * issues * 8.0 * in_flight if g.dynamic else 0.0  # the chunks' rounds
    memory = RUN_MEMORY + working + kept + evaluations * issues * 8.0  # + every evaluation's outcome
    return ModelCost(name, evaluations, r, seconds, int(min(memory, 2.0**62)))


def _rounds_of(model: Any) -> int | None:
    params = model.params() if hasattr(model, "params") else {}
    value = params.get("rounds")
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def estimate(spec: Any, scenario: Any) -> Estimate:
    """Estimate the cost of running a spec on a scenario, without running any model.

    Parameters
    ----------
    spec : Any
        A run spec (:mod:`accord.runs.spec`).
    scenario : Any
        The scenario it runs on.

    Returns
    -------
    Estimate
        Per model and in total; backtests and sweeps (fixed data sets, their own chunking)
        get the request's size only.
    """
    actors, issues = len(scenario.actors), len(scenario.issues)
    kind = spec.kind
    draws = int(getattr(spec, "draws", 0) or 0)
    base = Estimate(kind, actors, issues, draws, int(getattr(spec, "rounds", None) or 0))
    draws_memory = int(DRAW_BYTES * actors * issues * max(draws, 1))
    draws_seconds = SAMPLE_SECONDS * actors * issues * draws
    if kind in ("forecast", "whatif"):
        from accord.runs.models import configure

        models = configure(spec, scenario)
        sides = 2 if kind == "whatif" else 1
        evaluations = sides * (max(draws, 1) if kind == "whatif" else draws + 1)
        costs = tuple(model_cost(m.name, _rounds_of(m), actors, issues, evaluations) for m in models)
        rounds = max((c.rounds for c in costs if GROWTH.get(c.model, DEFAULT).dynamic), default=0)
        return replace(base, models=costs, rounds=rounds, extra_memory=sides * draws_memory,
                       extra_seconds=sides * draws_seconds)
    if kind == "deal":
        packages = max(len(spec.proposals), 1) + (1 if spec.points else 0)
        repair = 1 if spec.repair is not False else 0
        seconds = packages * (max(draws, 1) * actors * issues * 2e-6 + repair * actors * issues * 1e-3)
        return replace(base, extra_seconds=seconds, extra_memory=draws_memory)
    if kind == "sensitivity":
        from accord.experiments.sensitivity import SOBOL_MAX_INPUTS
        from accord.runs.models import configure
        from accord.runs.spec import ModelChoice

        model = configure(ModelChoice(models=[spec.model], params=spec.params), scenario)[0]
        # the inputs of accord.experiments.sensitivity.inputs: position and salience of each stake
        # (on the issue, or on every issue) and each stakeholder's capability
        stakes = sum(1 for p in scenario.positions if spec.scope == "all" or p.issue == spec.issue)
        inputs = 2 * stakes + actors
        auto = "sobol" if inputs <= SOBOL_MAX_INPUTS else "morris"
        method = spec.method if spec.method != "auto" else auto
        samples = spec.samples or (1024 if method == "sobol" else 50)
        evaluations = samples * (inputs + (2 if method == "sobol" else 1))
        cost = model_cost(model.name, _rounds_of(model), actors, issues, evaluations)
        return replace(base, draws=evaluations, models=(cost,),
                       extra_memory=evaluations * actors * issues * 8)
    if kind == "strategy":
        from accord.runs.models import configure

        models = configure(spec, scenario)
        # screening: every candidate lever on the coded inputs (about four per actor and issue:
        # harder and softer positions, salience up and down, persuasion of each other actor);
        # then the best of each family, the top levers and the plan on every draw, with the baseline
        screened = 4 * actors * issues
        evaluated = (spec.top + 6) * max(draws, 1)
        costs = tuple(model_cost(m.name, _rounds_of(m), actors, issues, screened + evaluated) for m in models)
        rounds = max((c.rounds for c in costs if GROWTH.get(c.model, DEFAULT).dynamic), default=0)
        return replace(base, models=costs, rounds=rounds, extra_memory=draws_memory,
                       extra_seconds=draws_seconds)
    return base  # backtests and sweeps: fixed data sets and their own chunking


def check(spec: Any, scenario: Any, limits: Limits | None, hint: str = "") -> Estimate | None:
    """Refuse a run that exceeds the limits, before any work.

    Parameters
    ----------
    spec : Any
        A run spec (:mod:`accord.runs.spec`).
    scenario : Any
        The scenario it runs on.
    limits : Limits or None
        The limits (None: no limits).
    hint : str, optional
        What the user can do, added to the refusal.

    Returns
    -------
    Estimate or None
        The estimate; None without limits and for backtests and sweeps (not checked).

    Raises
    ------
    OverBudget
        Naming every limit the run exceeds.
    """
    if limits is None or spec.kind in ("backtest", "sweep"):
        return None
    est = estimate(spec, scenario)
    reasons = est.over(limits)
    if reasons:
        raise OverBudget(est, reasons, hint)
    return est


