"""Invariants every model claims, checked on random scenarios: ``check_model(model)``.

Any model -- built-in or a user's own -- is checked by the same functions, each invariant only
where the model claims it (:attr:`accord.models.base.Model.invariants`), to the tolerance it
declares (:attr:`~accord.models.base.Model.tolerances`, a share of each issue's span; default
1e-9, 1e-8 for a change of scale):

``shapes``
    ``positions`` is ``[R, A, I]`` and ``outcome`` ``[R, I]`` with R >= 1; round 0 is the input.
``bounds``
    Outcomes, and positions of actors with a stake, are finite and inside each issue's scale --
    also when every stakeholder stands at the lower (upper) end.
``relabel``
    Reordering the actors reorders the positions and changes no outcome (cases in which a run
    settled ties between equal options, ``details.tie_events``, are left out: ties may be broken
    by order or by the seed).
``capability_scale``
    Multiplying every capability by one factor changes no outcome.
``scale_equivariance``
    An affine change of an issue's scale, x -> a x + b (a > 0), moves the outcome the same way.
``stakeless``
    Adding an actor with no stake anywhere changes no outcome.
``batch``
    Draw b of a batched run with seed s equals draw b run alone with child b of
    ``default_rng(s).spawn(B)``.
``determinism``
    The same arrays and seed give identical positions and outcomes.
``unanimity``
    When every stakeholder of an issue stands at one point, every round's outcome is that point.
``sole_weight``
    When one stakeholder has all the capability (every other actor's is 0), the outcome is its
    position (for the models that weight actors by capability x salience).

Dynamic models (:attr:`~accord.models.base.Model.dynamic`) are transformed only exactly (powers
of two, dyadic shifts of positions first rounded to 1/1024 of the span): their rounds compare
utilities with strict inequalities, and a transformation exact in real numbers but not in
floating point may flip an exact tie.

Scenarios (:func:`random_arrays`): 2-8 actors (2-5 for dynamic models), 1-4 issues (at least the
model's ``min_issues``), scales other than 0..100, positions on a coarse grid (ties, scale ends)
or anywhere, actors without a stake on some issues, zero saliences, optional status quos and
vetoes; every issue has a stakeholder with positive weight. Only numpy is needed.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.random import Generator

from accord.models.base import INVARIANTS, Model, Trajectory
from accord.scenario.arrays import ScenarioArrays

GRID = (0.0, 0.125, 0.25, 0.5, 0.75, 1.0)
LOWERS = (0.0, -5.0, -1.0, 1.0, 0.5, -100.0, 1000.0)
SPANS = (1.0, 2.5, 7.5, 12.5, 100.0, 0.25, 40.0)
DEFAULT_TOLERANCE = {"scale_equivariance": 1e-8}
#: the order invariants are checked in
ORDER = ("shapes", "bounds", "determinism", "relabel", "capability_scale", "scale_equivariance",
         "stakeless", "batch", "unanimity", "sole_weight")


@dataclass(frozen=True)
class Failure:
    """One violated invariant: which model, which invariant, what went wrong and on what input.

    Parameters
    ----------
    model : str
        The model's name.
    invariant : str
        One of :data:`accord.models.base.INVARIANTS`.
    message : str
        What differed (or the error the model raised).
    arrays : ScenarioArrays
        The input of the failing case, to reproduce it.
    seed : int
        The seed the model ran with.
    """

    model: str
    invariant: str
    message: str
    arrays: ScenarioArrays
    seed: int

    def __str__(self) -> str:
        return f"{self.model}: {self.invariant}: {self.message}"


class NotApplicable(Exception):
    """The case does not test the invariant (e.g. ties were settled by order); it is left out."""


def check_model(
    model: Model, n_cases: int = 20, seed: int = 0, invariants: Iterable[str] | None = None
) -> list[Failure]:
    """Check ``model`` on ``n_cases`` random scenarios against every invariant it claims.

    Parameters
    ----------
    model : Model
        The model as it will be run (parameters included; fewer rounds check faster).
    n_cases : int
        Random scenarios per invariant.
    seed : int
        Seed of the scenarios and of the runs: the same seed checks the same cases.
    invariants : Iterable[str] or None
        Restrict to these (default: all the model claims).

    Returns
    -------
    list[Failure]
        Empty when every case keeps every invariant; at most one failure per invariant.

    Raises
    ------
    ValueError
        When ``invariants`` names one that :data:`accord.models.base.INVARIANTS` does not have.
    """
    claimed = [name for name in ORDER if name in model.invariants]
    if invariants is not None:
        wanted = set(invariants)
        unknown = wanted - INVARIANTS
        if unknown:
            raise ValueError(f"unknown invariants {sorted(unknown)}; known: {sorted(INVARIANTS)}")
        claimed = [name for name in claimed if name in wanted]
    rng = np.random.default_rng(seed)
    cases = [(random_arrays(rng, model), int(rng.integers(2**32))) for _ in range(n_cases)]
    failures = []
    for name in claimed:
        for arrays, run_seed in cases:
            message = _guarded(model, name, arrays, run_seed)
            if message is not None:
                failures.append(Failure(model.name, name, message, arrays, run_seed))
                break
    return failures


def assert_model_ok(model: Model, n_cases: int = 20, seed: int = 0) -> None:
    """Run :func:`check_model` and fail with every violated invariant listed.

    Parameters
    ----------
    model : Model
        As for :func:`check_model`.
    n_cases : int
        As for :func:`check_model`.
    seed : int
        As for :func:`check_model`.

    Raises
    ------
    AssertionError
        When some invariant fails.
    """
    failures = check_model(model, n_cases, seed)
    if failures:
        raise AssertionError(f"{model.name} breaks {len(failures)} invariant(s):\n"
                             + "\n".join(f"  - {f}" for f in failures))


def check_invariant(model: Model, invariant: str, arrays: ScenarioArrays, seed: int = 0) -> str | None:
    """Check one case of one invariant.

    Parameters
    ----------
    model : Model
        The model to run.
    invariant : str
        One of :data:`accord.models.base.INVARIANTS`.
    arrays : ScenarioArrays
        Valid, unbatched arrays with at least ``model.min_issues`` issues.
    seed : int
        Seed of the runs and of the transformation drawn.

    Returns
    -------
    str or None
        None when the invariant holds, else what went wrong.

    Raises
    ------
    NotApplicable
        When the case cannot test the invariant.
    """
    return CHECKS[invariant](model, arrays, np.random.default_rng(seed), seed)


def _guarded(model: Model, invariant: str, arrays: ScenarioArrays, seed: int) -> str | None:
    try:
        return check_invariant(model, invariant, arrays, seed)
    except NotApplicable:
        return None
    except Exception as exc:  # a model that fails on valid arrays breaks the invariant
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return f"raised {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"


# ----------------------------------------------------------------------------- scenarios
def random_arrays(rng: np.random.Generator, model: Model | None = None, max_actors: int | None = None,
                  max_issues: int = 4) -> ScenarioArrays:
    """Draw a valid random scenario suited to ``model`` (see the module docstring for what varies).

    Parameters
    ----------
    rng : np.random.Generator
        Source of the scenario.
    model : Model or None
        Sets the fewest issues and, for dynamic models, at most 5 actors.
    max_actors : int or None
        The most actors (default 5 for a dynamic model, else 8).
    max_issues : int
        The most issues.

    Returns
    -------
    ScenarioArrays
        Unbatched arrays with 2 or more actors.
    """
    min_issues = model.min_issues if model is not None else 1
    if max_actors is None:
        max_actors = 5 if model is not None and model.dynamic else 8
    n_a = int(rng.integers(2, max_actors + 1))
    n_i = int(rng.integers(min_issues, max(min_issues, max_issues) + 1))

    def frac() -> float:
        return float(rng.choice(GRID)) if rng.random() < 0.5 else float(rng.random())

    lower = np.array([float(rng.choice(LOWERS)) for _ in range(n_i)])
    upper = lower + np.array([float(rng.choice(SPANS)) for _ in range(n_i)])
    status_quo = np.array([lo + frac() * (hi - lo) if rng.random() < 0.5 else np.nan
                           for lo, hi in zip(lower, upper, strict=True)])
    position = np.broadcast_to((lower + upper) / 2, (n_a, n_i)).copy()
    salience = np.zeros((n_a, n_i))
    stake = np.zeros((n_a, n_i), dtype=bool)
    veto = np.zeros((n_a, n_i), dtype=bool)
    for k in range(n_i):
        anchor = int(rng.integers(n_a))  # a stakeholder with positive weight
        for a in range(n_a):
            if a != anchor and rng.random() < 0.25:
                continue  # no stake
            stake[a, k] = True
            position[a, k] = lower[k] + frac() * (upper[k] - lower[k])
            salience[a, k] = (int(rng.integers(1, 101)) if a == anchor
                              else float(rng.choice([0, 0, 30, 55, 100]))) / 100
            veto[a, k] = rng.random() < 1 / 6
    caps = [float(rng.choice([1.0, 10.0, 50.0])) if rng.random() < 0.5 else float(rng.uniform(0.5, 200))
            for _ in range(n_a)]
    capability = np.repeat(np.array(caps)[:, None], n_i, axis=1)
    return ScenarioArrays(position, salience, capability, stake, lower, upper, status_quo, veto,
                          actor_ids=tuple(f"a{a}" for a in range(n_a)),
                          issue_ids=tuple(f"i{k}" for k in range(n_i)))


# ----------------------------------------------------------------------------- the invariants
def _tol(model: Model, invariant: str) -> float:
    return float(model.tolerances.get(invariant, DEFAULT_TOLERANCE.get(invariant, 1e-9)))


def _compare(got: np.ndarray, want: np.ndarray, arrays: ScenarioArrays, rel: float, what: str) -> str | None:
    """None when ``got`` equals ``want`` within ``rel`` x each issue's span (last axis)."""
    span = arrays.upper - arrays.lower
    with np.errstate(invalid="ignore"):
        diff = np.abs(np.asarray(got, dtype=float) - np.asarray(want, dtype=float))
    same_nan = np.isnan(got) & np.isnan(want)
    bad = ~(same_nan | (diff <= rel * span))
    if not bad.any():
        return None
    worst = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(diff, nan=np.inf), -1)), bad.shape)
    return (f"{what} differ by {diff[worst]:.3g} at {tuple(int(i) for i in worst)} "
            f"({float(got[worst])!r} vs {float(want[worst])!r}; allowed {rel:g} x span)")


def _shapes(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    traj = model.run(arrays, rng=seed)
    n_r = traj.n_rounds
    if n_r < 1:
        return "no rounds"
    if traj.positions.shape != (n_r, arrays.n_actors, arrays.n_issues):
        expected = (n_r, arrays.n_actors, arrays.n_issues)
        return f"positions have shape {traj.positions.shape}, expected {expected}"
    if traj.outcome.shape != (n_r, arrays.n_issues):
        return f"outcome has shape {traj.outcome.shape}, expected {(n_r, arrays.n_issues)}"
    first, given = traj.positions[0][arrays.stake], arrays.position[arrays.stake]
    if not np.array_equal(first, given):
        return f"round 0 is not the input ({first} vs {given})"
    return None


def _bounds(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    ends = {"": arrays}
    for name, end in (("lower", arrays.lower), ("upper", arrays.upper)):
        ends[f" with every stakeholder at the {name} end"] = arrays.replace(
            position=np.where(arrays.stake, end, arrays.position))
    for case, data in ends.items():
        problem = _outside(model.run(data, rng=seed), arrays)
        if problem:
            return problem + case
    return None


def _outside(traj: Trajectory, arrays: ScenarioArrays) -> str | None:
    lo, hi = arrays.lower, arrays.upper
    tol = 1e-9 * (hi - lo)
    out = ~(np.isfinite(traj.outcome) & (traj.outcome >= lo - tol) & (traj.outcome <= hi + tol))
    if out.any():
        r, k = (int(i) for i in np.argwhere(out)[0])
        return (f"outcome {float(traj.outcome[r, k])!r} of issue {k} in round {r} is not within "
                f"{lo[k]:g}..{hi[k]:g}")
    pos = traj.positions
    bad = arrays.stake & ~(np.isfinite(pos) & (pos >= lo - tol) & (pos <= hi + tol))
    if bad.any():
        r, a, k = (int(i) for i in np.argwhere(bad)[0])
        return (f"position {float(pos[r, a, k])!r} of actor {a} on issue {k} in round {r} is not "
                f"within {lo[k]:g}..{hi[k]:g}")
    return None


def _determinism(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    one, two = model.run(arrays, rng=seed), model.run(arrays, rng=seed)
    if not (np.array_equal(one.outcome, two.outcome, equal_nan=True)
            and np.array_equal(one.positions, two.positions, equal_nan=True)):
        return "two runs with the same seed differ"
    return None


def _had_ties(traj: Trajectory) -> bool:
    ties = getattr(traj.details, "tie_events", None)
    return ties is not None and bool(np.asarray(ties).any())


def _relabel(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    order = rng.permutation(arrays.n_actors)
    moved = arrays.replace(position=arrays.position[order], salience=arrays.salience[order],
                           capability=arrays.capability[order], stake=arrays.stake[order],
                           veto=arrays.veto[order],
                           actor_ids=tuple(arrays.actor_ids[i] for i in order) if arrays.actor_ids else ())
    base, perm = model.run(arrays, rng=seed), model.run(moved, rng=seed)
    if _had_ties(base) or _had_ties(perm):
        raise NotApplicable
    tol = _tol(model, "relabel")
    if base.positions.shape != perm.positions.shape:
        return f"{base.n_rounds} rounds, {perm.n_rounds} after reordering the actors"
    return (_compare(perm.outcome, base.outcome, arrays, tol, "outcomes")
            or _compare(perm.positions, base.positions[:, order], arrays, tol, "positions"))


def _capability_scale(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    factor = float(rng.choice([0.25, 2.0, 1024.0] if model.dynamic else [1e-3, 3.7, 250.0]))
    base = model.run(arrays, rng=seed)
    scaled = model.run(arrays.replace(capability=arrays.capability * factor), rng=seed)
    return _compare(scaled.final, base.final, arrays, _tol(model, "capability_scale"),
                    f"outcomes with capabilities x {factor:g}")


def _on_dyadic_grid(arrays: ScenarioArrays, steps: int = 1024) -> ScenarioArrays:
    """Round positions and status quo to multiples of span / ``steps`` from the lower end.

    Then x -> a x + b with a a power of two and b a small dyadic number is exact in floating
    point (for scales such as those of :func:`random_arrays`).
    """
    lo, span = arrays.lower, arrays.upper - arrays.lower

    def snap(x: np.ndarray) -> np.ndarray:
        return lo + np.round((x - lo) / span * steps) * span / steps

    return arrays.replace(position=np.where(arrays.stake, snap(arrays.position), arrays.position),
                          status_quo=snap(arrays.status_quo))


def _scale_equivariance(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    n = arrays.n_issues
    if model.dynamic:
        arrays = _on_dyadic_grid(arrays)
        a, b = rng.choice([0.25, 2.0, 8.0], n), rng.choice([0.0, -4.0, 12.5, 256.0], n)
    else:
        a, b = rng.uniform(0.01, 100.0, n), rng.uniform(-1000.0, 1000.0, n)
    moved = arrays.replace(position=a * arrays.position + b, lower=a * arrays.lower + b,
                           upper=a * arrays.upper + b, status_quo=a * arrays.status_quo + b)
    base, after = model.run(arrays, rng=seed), model.run(moved, rng=seed)
    return _compare((after.final - b) / a, base.final, arrays, _tol(model, "scale_equivariance"),
                    "outcomes after x -> a x + b, mapped back,")


def _stakeless(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    at = int(rng.integers(arrays.n_actors + 1))
    cap = float(rng.choice([1.0, 1000.0, 0.01]))
    mid = (arrays.lower + arrays.upper) / 2

    def ins(values: np.ndarray, row: np.ndarray | float | bool) -> np.ndarray:
        return np.insert(values, at, row, axis=-2)

    labels = list(arrays.actor_ids)
    if labels:
        labels.insert(at, "stakeless")
    more = arrays.replace(position=ins(arrays.position, mid), salience=ins(arrays.salience, 0.0),
                          capability=ins(arrays.capability, cap), stake=ins(arrays.stake, False),
                          veto=ins(arrays.veto, False), actor_ids=tuple(labels))
    base, after = model.run(arrays, rng=seed), model.run(more, rng=seed)
    return _compare(after.final, base.final, arrays, _tol(model, "stakeless"),
                    f"outcomes with a stakeless actor (capability {cap:g}) at {at}")


def _perturbed_batch(arrays: ScenarioArrays, rng: Generator, n: int = 3) -> ScenarioArrays:
    span = arrays.upper - arrays.lower
    pos = arrays.position + rng.normal(0, 0.1, (n, *arrays.stake.shape)) * span
    pos = np.where(arrays.stake, np.clip(pos, arrays.lower, arrays.upper), arrays.position)
    sal = np.clip(arrays.salience * rng.uniform(0.7, 1.3, pos.shape), 0, 1)
    cap = arrays.capability * rng.uniform(0.5, 1.5, pos.shape)
    return arrays.replace(position=pos, salience=sal, capability=cap)


def _batch(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    batch = _perturbed_batch(arrays, rng)
    together = model.run(batch, rng=seed).final
    if together.shape != (3, arrays.n_issues):
        return f"a batch of 3 draws gives outcomes of shape {together.shape}"
    children = np.random.default_rng(seed).spawn(3)
    for b in range(3):
        one = batch.replace(position=batch.position[b], salience=batch.salience[b],
                            capability=batch.capability[b])
        problem = _compare(together[b], model.run(one, rng=children[b]).final, arrays,
                           _tol(model, "batch"), f"draw {b} of the batch and its run alone:")
        if problem:
            return problem
    return None


def _unanimity(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    k = int(rng.integers(arrays.n_issues))
    lo, hi = arrays.lower[k], arrays.upper[k]
    v = float(lo + (float(rng.choice(GRID)) if rng.random() < 0.5 else float(rng.random())) * (hi - lo))
    pos = arrays.position.copy()
    pos[arrays.stake[:, k], k] = v
    traj = model.run(arrays.replace(position=pos), rng=seed)
    got = traj.outcome[:, k]
    tol = _tol(model, "unanimity") * (hi - lo)
    if not np.all(np.abs(got - v) <= tol):
        r = int(np.argmax(~(np.abs(got - v) <= tol)))
        return f"every stakeholder of issue {k} at {v!r}, but the outcome of round {r} is {float(got[r])!r}"
    return None


def _sole_weight(model: Model, arrays: ScenarioArrays, rng: Generator, seed: int) -> str | None:
    d = int(rng.integers(arrays.n_actors))
    stake = arrays.stake.copy()
    stake[d] = True
    salience = arrays.salience.copy()
    salience[d] = np.where(salience[d] > 0, salience[d], 0.5)
    capability = np.zeros_like(arrays.capability)
    capability[d] = arrays.capability[d]
    alone = arrays.replace(stake=stake, salience=salience, capability=capability)
    traj = model.run(alone, rng=seed)
    want = np.broadcast_to(alone.position[d], traj.outcome.shape)
    return _compare(traj.outcome, want, arrays, _tol(model, "sole_weight"),
                    f"outcomes and the position of actor {d}, the only one with capability,")


CHECKS: dict[str, Callable[[Model, ScenarioArrays, Generator, int], str | None]] = {
    "shapes": _shapes, "bounds": _bounds, "determinism": _determinism, "relabel": _relabel,
    "capability_scale": _capability_scale, "scale_equivariance": _scale_equivariance,
    "stakeless": _stakeless, "batch": _batch, "unanimity": _unanimity, "sole_weight": _sole_weight,
}
assert set(CHECKS) == INVARIANTS == set(ORDER)
