"""The numeric form of a scenario that every model consumes.

Batch axes (Monte Carlo draws) lead: ``position``, ``salience`` and ``capability`` have shape
``[..., A, I]``; the structural arrays (``stake``, ``veto``, bounds, status quo) are shared by
all draws. Labels (actor and issue ids) travel beside the arrays (``actor_ids``, ``issue_ids``),
never in them; they name actors and issues in error messages.

:func:`check_arrays` is the one boundary every model run passes (``Model.run`` calls it): it
rejects arrays a model would turn, silently, into a wrong forecast (a position off its scale, a
NaN, a negative capability, shapes that do not fit together).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import AccordError
from accord.scenario.decisions import individual_vetoes
from accord.scenario.schema import Scenario

#: a position or status quo may lie this share of its issue's span outside the scale (rounding)
BOUNDS_TOLERANCE = 1e-9
#: at most this many problems are listed in one error
MAX_LISTED = 5


@dataclass(frozen=True)
class ScenarioArrays:
    """The numbers of a scenario, one array per quantity, with the ids that label its axes.

    Parameters
    ----------
    position, salience, capability : np.ndarray
        ``[..., A, I]``: positions in scale units (the issue midpoint where there is no stake),
        saliences in 0..1 (0 where there is no stake), capabilities >= 0. Leading axes are draws.
    stake, veto : np.ndarray
        ``[A, I]`` booleans: the actor takes part in (can veto) the issue.
    lower, upper : np.ndarray
        ``[I]``: the ends of each issue's scale.
    status_quo : np.ndarray
        ``[I]`` (or ``[..., I]`` when sampled), NaN where there is none.
    actor_ids, issue_ids : tuple of str
        Labels of the actor and issue axes (empty when unknown); :meth:`replace` drops a label
        tuple whose length no longer fits the arrays.
    """

    position: np.ndarray  # [..., A, I] in scale units; the issue midpoint where there is no stake
    salience: np.ndarray  # [..., A, I] in 0..1; 0 where there is no stake
    capability: np.ndarray  # [..., A, I] >= 0
    stake: np.ndarray  # [A, I] bool: the actor takes part in the issue
    lower: np.ndarray  # [I]
    upper: np.ndarray  # [I]
    status_quo: np.ndarray  # [I] (or [..., I] when sampled), NaN where there is none
    veto: np.ndarray  # [A, I] bool: the actor can block a package moving the issue on its own
    actor_ids: tuple[str, ...] = ()
    issue_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "actor_ids", tuple(self.actor_ids))
        object.__setattr__(self, "issue_ids", tuple(self.issue_ids))

    @property
    def n_actors(self) -> int:
        """The number of actors, A."""
        return self.stake.shape[0]

    @property
    def n_issues(self) -> int:
        """The number of issues, I."""
        return self.stake.shape[1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The shape of the leading (draw) axes of ``position``; ``()`` when unbatched."""
        return self.position.shape[:-2]

    def weight(self) -> np.ndarray:
        """Return capability x salience, zero off-stake: the weight of the classic models.

        Returns
        -------
        np.ndarray
            The weights, shape ``[..., A, I]``.
        """
        return self.capability * self.salience * self.stake

    def replace(self, **changes: Any) -> ScenarioArrays:
        """Return a copy with some fields changed.

        Labels are kept unless their count no longer fits (e.g. after inserting an actor), then
        they are dropped unless given anew.

        Parameters
        ----------
        **changes : Any
            New values by field name (``position=...``, ``actor_ids=...``).

        Returns
        -------
        ScenarioArrays
            The changed copy.
        """
        new = dataclasses.replace(self, **changes)
        shape = np.shape(new.stake)
        counts = {"actor_ids": shape[0] if len(shape) == 2 else -1,
                  "issue_ids": shape[1] if len(shape) == 2 else -1}
        for name, count in counts.items():
            labels = getattr(new, name)
            if name not in changes and labels and len(labels) != count:
                no_labels: dict[str, Any] = {name: ()}
                new = dataclasses.replace(new, **no_labels)
        return new

    def broadcast(self, n_draws: int) -> ScenarioArrays:
        """Repeat an unbatched scenario ``n_draws`` times along a new leading axis.

        Parameters
        ----------
        n_draws : int
            The length of the new draw axis.

        Returns
        -------
        ScenarioArrays
            A copy whose ``position``, ``salience`` and ``capability`` have shape
            ``[n_draws, A, I]`` (writable copies, not views).
        """
        shape = (n_draws, *self.stake.shape)
        return self.replace(
            position=np.broadcast_to(self.position, shape).copy(),
            salience=np.broadcast_to(self.salience, shape).copy(),
            capability=np.broadcast_to(self.capability, shape).copy(),
        )

    def issue(self, k: int) -> ScenarioArrays:
        """Return the one-issue sub-scenario of issue ``k``.

        Parameters
        ----------
        k : int
            The issue's index.

        Returns
        -------
        ScenarioArrays
            The arrays of that issue alone; the issue axis is kept, with length 1.
        """
        sl = slice(k, k + 1)
        return ScenarioArrays(
            position=self.position[..., sl],
            salience=self.salience[..., sl],
            capability=self.capability[..., sl],
            stake=self.stake[:, sl],
            lower=self.lower[sl],
            upper=self.upper[sl],
            status_quo=self.status_quo[..., sl],
            veto=self.veto[:, sl],
            actor_ids=self.actor_ids,
            issue_ids=self.issue_ids[sl],
        )


def compile_scenario(scenario: Scenario) -> ScenarioArrays:
    """Turn a validated scenario into arrays: saliences to 0..1, capabilities per issue.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    ScenarioArrays
        Unbatched, read-only arrays labelled with the scenario's actor and issue ids; a position
        with no stake sits at its issue's midpoint with salience 0.
    """
    actor_index = {a.id: n for n, a in enumerate(scenario.actors)}
    issue_index = {i.id: n for n, i in enumerate(scenario.issues)}
    n_a, n_i = len(actor_index), len(issue_index)
    lower = np.array([i.scale.min for i in scenario.issues], dtype=float)
    upper = np.array([i.scale.max for i in scenario.issues], dtype=float)
    status_quo = np.array(
        [np.nan if i.status_quo is None else i.status_quo for i in scenario.issues], dtype=float
    )
    position = np.broadcast_to((lower + upper) / 2, (n_a, n_i)).copy()
    salience = np.zeros((n_a, n_i))
    stake = np.zeros((n_a, n_i), dtype=bool)
    for p in scenario.positions:
        a, k = actor_index[p.actor], issue_index[p.issue]
        position[a, k] = p.position
        salience[a, k] = p.salience / scenario.salience_scale
        stake[a, k] = True
    capability = np.empty((n_a, n_i))
    for a, actor in enumerate(scenario.actors):
        capability[a, :] = actor.capability
        for issue_id, value in actor.capability_by_issue.items():
            capability[a, issue_index[issue_id]] = value
    veto = individual_vetoes(scenario)
    arrays = ScenarioArrays(position, salience, capability, stake, lower, upper, status_quo, veto,
                            actor_ids=tuple(actor_index), issue_ids=tuple(issue_index))
    for f in dataclasses.fields(arrays):
        value = getattr(arrays, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return arrays


# ----------------------------------------------------------------------------- the boundary
def check_arrays(arrays: ScenarioArrays) -> None:
    """Reject arrays no model can give a meaningful forecast for.

    Shapes: ``stake`` and ``veto`` are boolean ``[A, I]``; ``lower`` and ``upper`` are ``[I]``;
    ``position`` is ``[..., A, I]`` and fixes the batch axes, which lead; ``salience`` and
    ``capability`` broadcast to it; ``status_quo`` is ``[I]`` or broadcasts to ``[..., I]``;
    labels, where given, have one id per actor and issue. Values: scale ends finite with
    ``lower < upper``; positions, saliences and capabilities finite everywhere; saliences in
    [0, 1] and capabilities >= 0; on every stake the position within ``[lower, upper]``; a status
    quo NaN (none) or within its scale. Positions and status quos may stray
    :data:`BOUNDS_TOLERANCE` x span outside the scale (rounding of a rescaled value).

    Parameters
    ----------
    arrays : ScenarioArrays
        The arrays a model is about to run on.

    Raises
    ------
    AccordError
        Naming each problem (up to :data:`MAX_LISTED`) by actor and issue -- their ids when the
        arrays carry labels, else their indices -- and by draw when batched.
    """
    _check_shapes(arrays)
    problems: list[str] = []
    lower, upper = np.asarray(arrays.lower), np.asarray(arrays.upper)
    bad_scale = ~(np.isfinite(lower) & np.isfinite(upper) & (lower < upper))
    for k in np.flatnonzero(bad_scale)[:MAX_LISTED]:
        problems.append(f"issue {_issue(arrays, k)}: scale {lower[k]:g}..{upper[k]:g}; "
                        "expected finite ends with lower < upper")
    if problems:
        _fail(problems, int(bad_scale.sum()))
    span = upper - lower
    tol = BOUNDS_TOLERANCE * span
    stake = np.asarray(arrays.stake)
    if _plainly_valid(arrays, stake, lower - tol, upper + tol):
        return
    tests = (
        ("position", arrays.position, ~np.isfinite(arrays.position), "a finite number"),
        ("position", arrays.position,
         stake & np.isfinite(arrays.position)
         & ((arrays.position < lower - tol) | (arrays.position > upper + tol)),
         "within the issue's scale {lo:g}..{hi:g}"),
        ("salience", arrays.salience, ~((arrays.salience >= 0) & (arrays.salience <= 1)),
         "a finite number in 0..1"),
        ("capability", arrays.capability, ~((arrays.capability >= 0) & np.isfinite(arrays.capability)),
         "a finite number >= 0"),
    )
    count = 0
    for name, values, bad, expected in tests:
        if not bad.any():
            continue
        hits = np.argwhere(bad)
        count += len(hits)
        values = np.broadcast_to(values, bad.shape)
        for index in hits[: MAX_LISTED - len(problems)]:
            *draw, a, k = (int(n) for n in index)
            where = f"actor {_actor(arrays, a)}, issue {_issue(arrays, k)}" + _draw(draw)
            want = expected.format(lo=lower[k], hi=upper[k])
            problems.append(f"{where}: {name} {values[tuple(index)]:g}; expected {want}")
    sq = np.asarray(arrays.status_quo)
    bad_sq = ~np.isnan(sq) & ~((sq >= lower - tol) & (sq <= upper + tol))
    if bad_sq.any():
        hits = np.argwhere(bad_sq)
        count += len(hits)
        for index in hits[: max(0, MAX_LISTED - len(problems))]:
            *draw, k = (int(n) for n in index)
            problems.append(f"issue {_issue(arrays, k)}{_draw(draw)}: status quo {sq[tuple(index)]:g}; "
                            f"expected none (NaN) or within the scale {lower[k]:g}..{upper[k]:g}")
    if problems:
        _fail(problems, count)


def _plainly_valid(arrays: ScenarioArrays, stake: np.ndarray, low: np.ndarray, high: np.ndarray) -> bool:
    """Check validity in a quick pass with a few reductions (the usual case: nothing to name).

    Per cell the least and greatest position over the draws (reductions along the leading axis
    are fast; NaN propagates through them), then saliences and capabilities as wholes.
    """
    position, salience, capability = (np.asarray(a) for a in (arrays.position, arrays.salience,
                                                               arrays.capability))
    if not (position.size and salience.size and capability.size):
        return False  # nothing to reduce: the detailed pass
    with np.errstate(invalid="ignore"):
        n_a, n_i = stake.shape
        cells = position.reshape(-1, n_a * n_i)
        least, most = cells.min(axis=0), cells.max(axis=0)
        on = stake.ravel()
        low_cell = np.broadcast_to(low, stake.shape).ravel()
        high_cell = np.broadcast_to(high, stake.shape).ravel()
        if not (np.isfinite(least).all() and np.isfinite(most).all()
                and np.all(least[on] >= low_cell[on]) and np.all(most[on] <= high_cell[on])):
            return False
        if not (salience.min() >= 0 and salience.max() <= 1 and capability.min() >= 0
                and np.isfinite(capability.max())):
            return False
        sq = np.asarray(arrays.status_quo)
        return bool(np.all(np.isnan(sq) | ((sq >= low) & (sq <= high))))


def _check_shapes(arrays: ScenarioArrays) -> None:
    stake, veto = np.asarray(arrays.stake), np.asarray(arrays.veto)
    if stake.ndim != 2 or stake.dtype != bool:
        raise AccordError(f"scenario arrays: stake must be a boolean [actors, issues] array, not "
                          f"{stake.dtype} of shape {stake.shape}")
    n_a, n_i = stake.shape
    problems = []
    if veto.shape != stake.shape or veto.dtype != bool:
        problems.append(f"veto: {veto.dtype} of shape {veto.shape}; expected bool of shape {stake.shape}")
    for name in ("lower", "upper"):
        if np.shape(getattr(arrays, name)) != (n_i,):
            problems.append(f"{name}: shape {np.shape(getattr(arrays, name))}; expected ({n_i},)")
    position = np.asarray(arrays.position)
    if position.shape[-2:] != (n_a, n_i):
        problems.append(f"position: shape {position.shape}; expected (..., {n_a}, {n_i}) with "
                        "the draws first")
    else:
        batch = position.shape[:-2]
        for name in ("salience", "capability"):
            if not _fits(np.shape(getattr(arrays, name)), position.shape):
                problems.append(f"{name}: shape {np.shape(getattr(arrays, name))}; expected one that "
                                f"broadcasts to the positions' {position.shape}")
        if not _fits(np.shape(arrays.status_quo), (*batch, n_i)):
            problems.append(f"status_quo: shape {np.shape(arrays.status_quo)}; expected ({n_i},) or "
                            f"one that broadcasts to {(*batch, n_i)}")
    for name in ("position", "salience", "capability", "lower", "upper", "status_quo"):
        kind = np.asarray(getattr(arrays, name)).dtype.kind
        if kind not in "fiu":
            problems.append(f"{name}: dtype {np.asarray(getattr(arrays, name)).dtype}; expected numbers")
    for name, n, what in (("actor_ids", n_a, "actor"), ("issue_ids", n_i, "issue")):
        labels = getattr(arrays, name)
        if labels and len(labels) != n:
            problems.append(f"{name}: {len(labels)} labels for {n} {what}s")
    if problems:
        _fail(problems, len(problems))


def _fits(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """``shape`` broadcasts to ``target`` (and leaves it as it is)."""
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


def _actor(arrays: ScenarioArrays, a: int) -> str:
    return repr(arrays.actor_ids[a]) if arrays.actor_ids else f"#{a}"


def _issue(arrays: ScenarioArrays, k: int) -> str:
    return repr(arrays.issue_ids[k]) if arrays.issue_ids else f"#{k}"


def _draw(index: list[int]) -> str:
    if not index:
        return ""
    return f", draw {index[0]}" if len(index) == 1 else f", draw {tuple(index)}"


def _fail(problems: list[str], count: int) -> None:
    more = f"\n  ... and {count - len(problems)} more" if count > len(problems) else ""
    head = f"{count} problem{'s' if count != 1 else ''}" if count > 1 else "a problem"
    raise AccordError(f"the scenario's arrays have {head} no model can run on:\n"
                      + "\n".join(f"  - {p}" for p in problems) + more)
