"""Draw perturbed copies of a scenario from each number's stated uncertainty.

Every uncertain number (position, salience, capability, status quo) is an
:class:`UncertainInput`; it gets its own column of uniform variates ``U[B, n]`` from one
generator, in a fixed order, and is transformed by the inverse CDF of its distribution,
bounded to its valid range (:func:`draw_values`):

* ``sd``: normal truncated to the range, ``x = mu + sd * Phi^-1(Phi(a) + U (Phi(b) - Phi(a)))``
  with ``a, b`` the standardised bounds;
* ``{low, high}``: uniform on [low, high], or triangular with the coded value as its mode
  (``distribution: triangular``).

:func:`write_draws` puts drawn values into the arrays; Monte Carlo (:func:`sample_arrays`) and
the sensitivity analysis (:mod:`accord.experiments.sensitivity`) both use it, so the same
values give the same arrays whichever asks. Capability is one number per actor: its draw scales
the actor's per-issue capabilities by the same factor (for a capability of 0, the draw replaces
it and per-issue overrides stay). Because the variates depend only on the scenario's uncertain
numbers and the seed, interventions applied after sampling (what-ifs) see exactly the same draws
as the baseline (common random numbers).

The stated no-deal outcomes (:mod:`accord.scenario.outside`) are drawn by
:func:`sample_no_deal`, after the arrays and from the same generator, with the same transforms
(:func:`draw_values`); a scenario that states none draws nothing more, so its draws are those it
always had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.outside import entries, fill
from accord.scenario.schema import Scenario, Uncertainty

InputKind = Literal["position", "salience", "capability", "status_quo", "no_deal"]


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number: which array cell it feeds, its coded value, valid range and spread.

    ``actor`` is -1 for a status quo, ``issue`` is -1 for a capability (one number per actor);
    ``value``, ``lo`` and ``hi`` are in the scenario's units (saliences on its salience scale).
    """

    kind: InputKind
    actor: int
    issue: int
    value: float
    lo: float
    hi: float
    uncertainty: Uncertainty
    label: str


def uncertain_inputs(scenario: Scenario) -> list[UncertainInput]:
    """List the scenario's numbers with a stated uncertainty, in the sampler's fixed order.

    The order: per position its position then salience, then capabilities by actor, then status
    quos by issue.

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    list of UncertainInput
        One input per uncertain number; saliences range over 0..salience scale, capabilities
        over 0..100, positions and status quos over their issue's scale.
    """
    actor_index = {a: n for n, a in enumerate(scenario.actor_ids)}
    issue_index = {i: n for n, i in enumerate(scenario.issue_ids)}
    s_max = float(scenario.salience_scale)
    out: list[UncertainInput] = []
    for p in scenario.positions:
        a, k = actor_index[p.actor], issue_index[p.issue]
        scale = scenario.issues[k].scale
        cell = f"[{p.actor}, {p.issue}]"
        if p.position_uncertainty is not None:
            out.append(UncertainInput("position", a, k, p.position, scale.min, scale.max,
                                      p.position_uncertainty, "position" + cell))
        if p.salience_uncertainty is not None:
            out.append(UncertainInput("salience", a, k, p.salience, 0.0, s_max,
                                      p.salience_uncertainty, "salience" + cell))
    for a, actor in enumerate(scenario.actors):
        if actor.capability_uncertainty is not None:
            out.append(UncertainInput("capability", a, -1, actor.capability, 0.0, 100.0,
                                      actor.capability_uncertainty, f"capability[{actor.id}]"))
    for k, issue in enumerate(scenario.issues):
        if issue.status_quo is not None and issue.status_quo_uncertainty is not None:
            out.append(UncertainInput("status_quo", -1, k, issue.status_quo, issue.scale.min,
                                      issue.scale.max, issue.status_quo_uncertainty,
                                      f"status_quo[{issue.id}]"))
    return out


def draw_values(inputs: Sequence[UncertainInput], uniform: np.ndarray) -> np.ndarray:
    """Map uniform variates to draws of each input's distribution.

    The transforms are the module docstring's (inverse CDFs bounded to each input's range),
    vectorised per kind of distribution.

    Parameters
    ----------
    inputs : Sequence of UncertainInput
        The n inputs, one per column.
    uniform : np.ndarray
        Uniform variates in [0, 1), shape ``[B, n]``.

    Returns
    -------
    np.ndarray
        The draws, shape ``[B, n]``, each within its input's range; an ``sd`` of 0 draws the
        coded value.
    """
    out = np.empty_like(uniform)
    kind = np.array([c.uncertainty.kind for c in inputs])
    value = np.array([c.value for c in inputs])
    lo = np.array([c.lo for c in inputs])
    hi = np.array([c.hi for c in inputs])
    normal = kind == "normal"
    if normal.any():
        from scipy.special import ndtr, ndtri  # only draws need scipy (it loads in ~0.4 s)

        sd = np.array([c.uncertainty.sd or 0.0 for c in inputs])[normal]
        mu = value[normal]
        safe = np.where(sd > 0, sd, 1.0)
        a, b = ndtr((lo[normal] - mu) / safe), ndtr((hi[normal] - mu) / safe)
        x = mu + safe * ndtri(a + uniform[:, normal] * (b - a))
        out[:, normal] = np.where(sd > 0, np.clip(x, lo[normal], hi[normal]), mu)
    low = np.array([c.uncertainty.low if c.uncertainty.low is not None else c.value for c in inputs])
    high = np.array([c.uncertainty.high if c.uncertainty.high is not None else c.value for c in inputs])
    low, high = np.maximum(low, lo), np.minimum(high, hi)
    uni = kind == "uniform"
    if uni.any():
        out[:, uni] = low[uni] + uniform[:, uni] * (high[uni] - low[uni])
    tri = kind == "triangular"
    if tri.any():
        left, right = low[tri], high[tri]
        mode = np.clip(value[tri], left, right)
        width = np.where(right > left, right - left, 1.0)
        cut = (mode - left) / width
        u = uniform[:, tri]
        rising = left + np.sqrt(u * width * (mode - left))
        falling = right - np.sqrt((1 - u) * width * (right - mode))
        out[:, tri] = np.where(right > left, np.where(u < cut, rising, falling), mode)
    return out


def write_draws(scenario: Scenario, inputs: Sequence[UncertainInput], values: np.ndarray,
                base: ScenarioArrays | None = None) -> ScenarioArrays:
    """Write drawn values of ``inputs`` into the scenario's arrays, batch axis first.

    Positions and status quos are written as they are, saliences divided by the salience scale;
    a capability draw ``c`` of an actor coded with capability ``c0 > 0`` scales all its per-issue
    capabilities by ``c / c0``; for ``c0 = 0`` it replaces the capability on every issue without
    a per-issue override.

    Parameters
    ----------
    scenario : Scenario
        The scenario the inputs come from.
    inputs : Sequence of UncertainInput
        The n inputs (:func:`uncertain_inputs`).
    values : np.ndarray
        Their values, shape ``[B, n]``.
    base : ScenarioArrays or None
        ``compile_scenario(scenario)``, if the caller already has it.

    Returns
    -------
    ScenarioArrays
        Arrays with a leading draw axis of length B; ``status_quo`` becomes ``[B, I]`` when an
        input is a status quo, else stays ``[I]``.
    """
    base = compile_scenario(scenario) if base is None else base
    n_draws = values.shape[0]
    position = np.repeat(base.position[None], n_draws, axis=0)
    salience = np.repeat(base.salience[None], n_draws, axis=0)
    capability = np.repeat(base.capability[None], n_draws, axis=0)
    status_quo = base.status_quo
    if any(c.kind == "status_quo" for c in inputs):
        status_quo = np.repeat(base.status_quo[None], n_draws, axis=0)
    for j, c in enumerate(inputs):
        column = values[:, j]
        if c.kind == "position":
            position[:, c.actor, c.issue] = column
        elif c.kind == "salience":
            salience[:, c.actor, c.issue] = column / scenario.salience_scale
        elif c.kind == "capability":
            actor = scenario.actors[c.actor]
            if actor.capability > 0:
                capability[:, c.actor, :] = base.capability[c.actor] * (column / actor.capability)[:, None]
            else:  # nothing to scale: the draw replaces the 0, per-issue overrides stay
                plain = [k for k, i in enumerate(scenario.issue_ids) if i not in actor.capability_by_issue]
                capability[:, c.actor, plain] = column[:, None]
        else:
            status_quo[:, c.issue] = column
    return base.replace(position=position, salience=salience, capability=capability,
                        status_quo=status_quo)


def sample_arrays(scenario: Scenario, n_draws: int, rng: np.random.Generator) -> ScenarioArrays:
    """Draw ``n_draws`` perturbed copies of the scenario's arrays, batch axis first.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    n_draws : int
        The number of draws, B.
    rng : numpy.random.Generator
        The generator of the uniform variates (one column per uncertain input).

    Returns
    -------
    ScenarioArrays
        Arrays with a leading draw axis of length B; ``status_quo`` becomes ``[B, I]`` when any
        status quo is uncertain, else stays ``[I]``.
    """
    inputs = uncertain_inputs(scenario)
    uniform = rng.random((n_draws, len(inputs)))
    values = draw_values(inputs, uniform) if inputs else uniform
    return write_draws(scenario, inputs, values)


def sample_no_deal(scenario: Scenario, status_quo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw each actor's no-deal outcome per draw, given the draws' status quo.

    Stated outcomes with an uncertainty get one column of uniforms each (shared ones by issue,
    then actors' own in scenario order), transformed like every other number and bounded to the
    scale; without an uncertainty they are fixed. Everything else follows the status quo draw.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    status_quo : np.ndarray
        The draws' status quo, shape ``[B, I]`` or ``[I]`` (B is its first axis, else 1).
    rng : numpy.random.Generator
        The generator, after the arrays were drawn from it.

    Returns
    -------
    np.ndarray
        ``d``, shape ``[B, A, I]``.
    """
    status_quo = np.asarray(status_quo, dtype=float)
    n_draws = status_quo.shape[0] if status_quo.ndim > 1 else 1
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    shared_e, own_e = entries(scenario)
    shared = np.full((n_draws, n_i), np.nan)
    own = np.full((n_draws, n_a, n_i), np.nan)
    inputs: list[UncertainInput] = []
    targets: list[tuple[int, int]] = []
    for key, e in [*((( -1, k), e) for k, e in sorted(shared_e.items())), *sorted(own_e.items())]:
        a, k = key
        issue = scenario.issues[k]
        if a < 0:
            shared[:, k] = e.value
        else:
            own[:, a, k] = e.value
        if e.uncertainty is not None:
            who = scenario.actor_ids[a] if a >= 0 else "all"
            inputs.append(UncertainInput("no_deal", a, k, e.value, issue.scale.min, issue.scale.max,
                                         e.uncertainty, f"no_deal[{who}, {issue.id}]"))
            targets.append((a, k))
    if inputs:
        drawn = draw_values(inputs, rng.random((n_draws, len(inputs))))
        for j, (a, k) in enumerate(targets):
            if a < 0:
                shared[:, k] = drawn[:, j]
            else:
                own[:, a, k] = drawn[:, j]
    return fill(scenario, np.broadcast_to(status_quo, (n_draws, n_i)), shared, own)
