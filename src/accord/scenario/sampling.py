"""Draw perturbed copies of a scenario from each number's stated uncertainty.

Every uncertain number (position, salience, capability, status quo) gets its own column of
uniform variates ``U[B, n]`` from one generator, in a fixed order, and is transformed by the
inverse CDF of its distribution, bounded to its valid range:

* ``sd``: normal truncated to the range, ``x = mu + sd * Phi^-1(Phi(a) + U (Phi(b) - Phi(a)))``
  with ``a, b`` the standardised bounds;
* ``{low, high}``: uniform on [low, high], or triangular with the coded value as its mode
  (``distribution: triangular``).

Capability is one number per actor: its draw scales the actor's per-issue capabilities by the
same factor (for a capability of 0, the draw replaces it and per-issue overrides stay).
Because the variates depend only on the scenario's uncertain numbers and the seed, interventions
applied after sampling (what-ifs) see exactly the same draws as the baseline (common random
numbers).

The stated no-deal outcomes (:mod:`accord.scenario.outside`) are drawn by
:func:`sample_no_deal`, after the arrays and from the same generator, with the same transforms;
a scenario that states none draws nothing more, so its draws are those it always had.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.outside import entries, fill
from accord.scenario.schema import Scenario, Uncertainty


@dataclass(frozen=True)
class _Column:
    value: float
    lo: float
    hi: float
    u: Uncertainty


def _transform(columns: list[_Column], uniform: np.ndarray) -> np.ndarray:
    """Map uniforms ``[B, n]`` to draws of each column's distribution, vectorised per kind."""
    out = np.empty_like(uniform)
    kind = np.array([c.u.kind for c in columns])
    value = np.array([c.value for c in columns])
    lo = np.array([c.lo for c in columns])
    hi = np.array([c.hi for c in columns])
    normal = kind == "normal"
    if normal.any():
        sd = np.array([c.u.sd or 0.0 for c in columns])[normal]
        mu = value[normal]
        safe = np.where(sd > 0, sd, 1.0)
        a, b = ndtr((lo[normal] - mu) / safe), ndtr((hi[normal] - mu) / safe)
        x = mu + safe * ndtri(a + uniform[:, normal] * (b - a))
        out[:, normal] = np.where(sd > 0, np.clip(x, lo[normal], hi[normal]), mu)
    low = np.array([c.u.low if c.u.low is not None else c.value for c in columns])
    high = np.array([c.u.high if c.u.high is not None else c.value for c in columns])
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


def sample_arrays(scenario: Scenario, n_draws: int, rng: np.random.Generator) -> ScenarioArrays:
    """``n_draws`` perturbed copies of the scenario's arrays, batch axis first.

    ``status_quo`` becomes ``[B, I]`` when any status quo is uncertain, else stays ``[I]``.
    """
    base = compile_scenario(scenario)
    actor_index = {a: n for n, a in enumerate(scenario.actor_ids)}
    issue_index = {i: n for n, i in enumerate(scenario.issue_ids)}
    columns: list[_Column] = []
    targets: list[tuple[str, int, int]] = []
    for p in scenario.positions:
        a, k = actor_index[p.actor], issue_index[p.issue]
        issue = scenario.issues[k]
        if p.position_uncertainty is not None:
            columns.append(_Column(p.position, issue.scale.min, issue.scale.max, p.position_uncertainty))
            targets.append(("position", a, k))
        if p.salience_uncertainty is not None:
            columns.append(_Column(p.salience, 0.0, float(scenario.salience_scale), p.salience_uncertainty))
            targets.append(("salience", a, k))
    for a, actor in enumerate(scenario.actors):
        if actor.capability_uncertainty is not None:
            columns.append(_Column(actor.capability, 0.0, 100.0, actor.capability_uncertainty))
            targets.append(("capability", a, -1))
    for k, issue in enumerate(scenario.issues):
        if issue.status_quo is not None and issue.status_quo_uncertainty is not None:
            columns.append(_Column(issue.status_quo, issue.scale.min, issue.scale.max,
                                   issue.status_quo_uncertainty))
            targets.append(("status_quo", -1, k))
    uniform = rng.random((n_draws, len(columns)))
    draws = _transform(columns, uniform) if columns else uniform
    position = np.repeat(base.position[None], n_draws, axis=0)
    salience = np.repeat(base.salience[None], n_draws, axis=0)
    capability = np.repeat(base.capability[None], n_draws, axis=0)
    status_quo = base.status_quo
    if any(kind == "status_quo" for kind, _, _ in targets):
        status_quo = np.repeat(base.status_quo[None], n_draws, axis=0)
    for j, (kind, a, k) in enumerate(targets):
        column = draws[:, j]
        if kind == "position":
            position[:, a, k] = column
        elif kind == "salience":
            salience[:, a, k] = column / scenario.salience_scale
        elif kind == "capability":
            actor = scenario.actors[a]
            if actor.capability > 0:
                capability[:, a, :] = base.capability[a] * (column / actor.capability)[:, None]
            else:  # nothing to scale: the draw replaces the 0, per-issue overrides stay
                plain = [k_ for k_, i in enumerate(scenario.issue_ids) if i not in actor.capability_by_issue]
                capability[:, a, plain] = column[:, None]
        else:
            status_quo[:, k] = column
    return base.replace(position=position, salience=salience, capability=capability,
                        status_quo=status_quo)


def sample_no_deal(scenario: Scenario, status_quo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each actor's no-deal outcome per draw ``d [B, A, I]``, given the draws' status quo
    (``[B, I]`` or ``[I]``; ``B`` from its first axis, else 1).

    Stated outcomes with an uncertainty get one column of uniforms each (shared ones by issue,
    then actors' own in scenario order), transformed like every other number and bounded to the
    scale; without an uncertainty they are fixed. Everything else follows the status quo draw.
    """
    status_quo = np.asarray(status_quo, dtype=float)
    n_draws = status_quo.shape[0] if status_quo.ndim > 1 else 1
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    shared_e, own_e = entries(scenario)
    shared = np.full((n_draws, n_i), np.nan)
    own = np.full((n_draws, n_a, n_i), np.nan)
    columns: list[_Column] = []
    targets: list[tuple[int, int]] = []
    for key, e in [*((( -1, k), e) for k, e in sorted(shared_e.items())), *sorted(own_e.items())]:
        a, k = key
        issue = scenario.issues[k]
        if a < 0:
            shared[:, k] = e.value
        else:
            own[:, a, k] = e.value
        if e.uncertainty is not None:
            columns.append(_Column(e.value, issue.scale.min, issue.scale.max, e.uncertainty))
            targets.append((a, k))
    if columns:
        drawn = _transform(columns, rng.random((n_draws, len(columns))))
        for j, (a, k) in enumerate(targets):
            if a < 0:
                shared[:, k] = drawn[:, j]
            else:
                own[:, a, k] = drawn[:, j]
    return fill(scenario, np.broadcast_to(status_quo, (n_draws, n_i)), shared, own)
