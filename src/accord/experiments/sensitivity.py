"""Which inputs drive an outcome: Sobol indices or Morris screening (SALib).

Inputs are each stakeholder's position and salience on the issue (``scope="issue"``; every
issue with ``scope="all"``, for models that link issues) and each stakeholder's capability
(one factor per actor). Each input varies over its stated uncertainty (truncated normal for a
standard deviation, uniform or triangular for a range: :mod:`accord.scenario.sampling`); a
number stated without one varies uniformly over +-``spread`` of its scale (positions, saliences)
or +-``spread`` of its value (capabilities). SALib samples the unit cube and the inputs are its
inverse-CDF images, so the indices are those of the stated distributions. The values are
written into the arrays by the Monte Carlo sampler's own
:func:`~accord.scenario.sampling.write_draws`, so both agree on what a drawn capability means
(it scales the actor's per-issue capabilities, or replaces a 0).

* Sobol: first-order ``S1_j = V(E[Y|X_j]) / V(Y)`` and total ``ST_j = E[V(Y|X_~j)] / V(Y)``
  (Sobol 2001; Saltelli et al. 2010's estimators, as implemented in SALib), with bootstrap
  95% confidence intervals. Cost ``N (D + 2)`` runs.
* Morris: ``mu*_j``, the mean absolute elementary effect of moving input j (Morris 1991;
  Campolongo, Cariboni & Saltelli 2007), in outcome units per full range of the input.
  Cost ``N (D + 1)`` runs; the screening for many inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from accord.errors import AccordError
from accord.models import get_model, model_class
from accord.scenario import Scenario, ScenarioArrays, Uncertainty
from accord.scenario.sampling import UncertainInput, draw_values, write_draws

if TYPE_CHECKING:
    import pandas as pd

SOBOL_MAX_INPUTS = 20
#: SALib's unit-cube samples are kept this far inside (0, 1), where every inverse CDF is finite
UNIT_MARGIN = 1e-12


def _default(value: float, lo: float, hi: float, width: float) -> Uncertainty:
    return Uncertainty(low=max(lo, value - width), high=min(hi, value + width))


def inputs(scenario: Scenario, issue: str, scope: str = "issue", spread: float = 0.1) -> list[UncertainInput]:
    """Return the inputs whose influence on an issue is measured, with their distributions.

    A number stated without an uncertainty varies uniformly over +-``spread`` of its scale
    (positions, saliences) or of its value (capabilities), within its bounds.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    issue : str
        Issue id of the outcome.
    scope : str, optional
        ``issue``: positions and saliences on that issue only; ``all``: on every issue (for
        models that link issues). Capabilities of the stakeholders are inputs either way.
    spread : float, optional
        Half-width of the default range, as a share of the scale or value.

    Returns
    -------
    list of UncertainInput
        Positions and saliences per stakeholder and issue, then one capability per
        stakeholder.
    """
    k_target = scenario.issue_ids.index(issue)
    s_max = float(scenario.salience_scale)
    out: list[UncertainInput] = []
    stakeholders = set()
    actor_index = {a: n for n, a in enumerate(scenario.actor_ids)}
    for p in scenario.positions:
        k = scenario.issue_ids.index(p.issue)
        if scope == "issue" and k != k_target:
            continue
        a = actor_index[p.actor]
        stakeholders.add(a)
        scale = scenario.issues[k].scale
        width = spread * (scale.max - scale.min)
        u = p.position_uncertainty or _default(p.position, scale.min, scale.max, width)
        cell = f"[{p.actor}, {p.issue}]"
        out.append(UncertainInput("position", a, k, p.position, scale.min, scale.max, u, "position" + cell))
        u = p.salience_uncertainty or _default(p.salience, 0.0, s_max, spread * s_max)
        out.append(UncertainInput("salience", a, k, p.salience, 0.0, s_max, u, "salience" + cell))
    for a in sorted(stakeholders):
        actor = scenario.actors[a]
        u = actor.capability_uncertainty or _default(actor.capability, 0.0, 100.0, spread * actor.capability)
        out.append(UncertainInput("capability", a, -1, actor.capability, 0.0, 100.0, u,
                                  f"capability[{actor.id}]"))
    return out


def input_arrays(scenario: Scenario, chosen: list[UncertainInput], unit: np.ndarray) -> ScenarioArrays:
    """Return the scenario's arrays for each row of unit-cube samples of the inputs.

    The samples go through the sampler's inverse CDFs (kept :data:`UNIT_MARGIN` inside the
    cube) and its :func:`~accord.scenario.sampling.write_draws`.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    chosen : list of UncertainInput
        The inputs, one per column of ``unit``.
    unit : np.ndarray
        Unit-cube samples, shape (N, D).

    Returns
    -------
    ScenarioArrays
        Arrays with a batch axis of N.
    """
    values = draw_values(chosen, np.clip(unit, UNIT_MARGIN, 1 - UNIT_MARGIN))
    return write_draws(scenario, chosen, values)


def evaluate(scenario: Scenario, chosen: list[UncertainInput], unit: np.ndarray, model: str, issue: str,
             rng: np.random.Generator, params: dict | None = None) -> np.ndarray:
    """Return a model's outcome on an issue for each row of unit-cube samples.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    chosen : list of UncertainInput
        The inputs, one per column of ``unit``.
    unit : np.ndarray
        Unit-cube samples, shape (N, D).
    model : str
        Model name.
    issue : str
        Issue id.
    rng : np.random.Generator
        The model's generator.
    params : dict or None, optional
        Parameters given to the model where it declares them.

    Returns
    -------
    np.ndarray
        Final outcomes on the issue, shape (N,).
    """
    arrays = input_arrays(scenario, chosen, unit)
    final = get_model(model, **model_class(model).own_params(params or {})).run(arrays, rng=rng).final
    return np.asarray(final[:, scenario.issue_ids.index(issue)], dtype=float)


@dataclass(frozen=True)
class SensitivityResult:
    """The inputs of one issue ranked by their influence under one model.

    Attributes
    ----------
    method : str
        ``sobol`` or ``morris``.
    model : str
        Model name.
    issue : str
        Issue id.
    n_runs : int
        Model runs made.
    table : pd.DataFrame
        Indexed by input label, most influential first. Sobol: ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf``; Morris: ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``.
    """

    method: str
    model: str
    issue: str
    n_runs: int
    table: pd.DataFrame  # index: input label; Sobol: S1, S1_conf, ST, ST_conf; Morris: mu_star, ...

    @property
    def key(self) -> str:
        """The column that ranks the inputs: ``ST`` (Sobol) or ``mu_star`` (Morris)."""
        return "ST" if self.method == "sobol" else "mu_star"


def sensitivity(
    scenario: Scenario,
    issue: str,
    model: str = "compromise",
    method: str = "auto",
    n: int | None = None,
    rng: np.random.Generator | None = None,
    scope: str = "issue",
    spread: float = 0.1,
    params: dict | None = None,
) -> SensitivityResult:
    """Rank the inputs of an issue by their influence on a model's outcome.

    Sobol: first-order ``S1_j = V(E[Y|X_j]) / V(Y)`` and total ``ST_j = E[V(Y|X_~j)] / V(Y)``
    indices [1]_ with Saltelli et al.'s estimators [2]_ (as SALib implements them) and
    bootstrap 95% confidence intervals, in ``N (D + 2)`` runs. Morris: ``mu*_j``, the mean
    absolute elementary effect of input j [3]_ [4]_, in outcome units per full range of the
    input, in ``N (D + 1)`` runs. An outcome that does not vary gives zero Sobol indices.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    issue : str
        Issue id of the outcome.
    model : str, optional
        Model name.
    method : str, optional
        ``sobol``, ``morris`` or ``auto`` (Sobol up to :data:`SOBOL_MAX_INPUTS` inputs).
    n : int or None, optional
        Sobol base samples (a power of 2, default 1024) or Morris trajectories (default 50).
    rng : np.random.Generator or None
        Generator for the samples, the bootstrap and the model; required.
    scope : str, optional
        ``issue`` or ``all``: see :func:`inputs`.
    spread : float, optional
        Default range of a number stated without an uncertainty: see :func:`inputs`.
    params : dict or None, optional
        Parameters given to the model where it declares them.

    Returns
    -------
    SensitivityResult
        The inputs ranked, with the indices.

    Raises
    ------
    AccordError
        On an unknown issue, scope or method, fewer than two inputs, a bad ``n``, no
        generator, or a model that gives no outcome for some inputs.

    References
    ----------
    .. [1] I. M. Sobol', "Global sensitivity indices for nonlinear mathematical models and
       their Monte Carlo estimates", Mathematics and Computers in Simulation 55, 2001.
    .. [2] A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola,
       "Variance based sensitivity analysis of model output. Design and estimator for the
       total sensitivity index", Computer Physics Communications 181, 2010.
    .. [3] M. D. Morris, "Factorial sampling plans for preliminary computational
       experiments", Technometrics 33, 1991.
    .. [4] F. Campolongo, J. Cariboni and A. Saltelli, "An effective screening design for
       sensitivity analysis of large models", Environmental Modelling & Software 22, 2007.
    """
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if issue not in scenario.issue_ids:
        raise AccordError(f"unknown issue {issue!r}; issues: {', '.join(scenario.issue_ids)}")
    if scope not in ("issue", "all"):
        raise AccordError(f"scope must be 'issue' or 'all', not {scope!r}")
    chosen = inputs(scenario, issue, scope, spread)
    if len(chosen) < 2:
        raise AccordError(f"issue {issue!r} has fewer than two inputs to compare")
    if method == "auto":
        method = "sobol" if len(chosen) <= SOBOL_MAX_INPUTS else "morris"
    problem = {"num_vars": len(chosen), "names": [c.label for c in chosen],
               "bounds": [[0.0, 1.0]] * len(chosen)}
    import pandas as pd

    labels = pd.Index([c.label for c in chosen], name="input")
    if method not in ("sobol", "morris"):
        raise AccordError(f"method must be sobol, morris or auto, not {method!r}")
    n = n or (1024 if method == "sobol" else 50)
    if n < 1 or (method == "sobol" and n & (n - 1)):
        raise AccordError(f"--samples {n}: expected a positive whole number (a power of two for Sobol)")
    if rng is None:
        raise AccordError("sensitivity needs a random generator (give a seed)")

    def outcomes(unit: np.ndarray) -> np.ndarray:
        y = evaluate(scenario, chosen, unit, model, issue, rng, params)
        if not np.all(np.isfinite(y)):
            raise AccordError(f"{model} gives no outcome on {issue} for some inputs")
        return y

    if method == "sobol":
        unit = sobol_sample.sample(problem, n, calc_second_order=False, seed=rng)
        y = outcomes(unit)
        if y.var() == 0:
            zero = np.zeros(len(chosen))
            table = pd.DataFrame({"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero}, index=labels)
        else:
            res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=rng)
            table = pd.DataFrame({k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=labels)
        table = table.sort_values("ST", ascending=False)
    else:
        unit = morris_sample.sample(problem, n, num_levels=4, seed=rng)
        y = outcomes(unit)
        res = morris_analyze.analyze(problem, unit, y, num_levels=4, seed=rng)
        table = pd.DataFrame({k: res[k] for k in ("mu_star", "mu_star_conf", "mu", "sigma")}, index=labels)
        table = table.sort_values("mu_star", ascending=False)
    return SensitivityResult(method, model, issue, int(unit.shape[0]), table)
