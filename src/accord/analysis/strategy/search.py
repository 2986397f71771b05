"""Search a client's levers on common random draws and rank them by expected gain per effort point.

1. **Draws.** The scenario is sampled once (:func:`accord.scenario.sampling.sample_arrays`, the
   what-if's draw stream); each model runs on them from its own stream (the baseline;
   :mod:`.engine`).
2. **Screen.** Every candidate lever of every family is applied to the coded inputs and all of
   them run as one batch per model; a lever's screening score is the median over models of the
   client's gain per effort point.
3. **Shortlist.** The best lever of each family that screens positive, then the next best
   overall, up to ``top``.
4. **Evaluate.** Each shortlisted lever is applied to every draw and each model runs on the
   changed batch with the *same* generator seed as the baseline (common random numbers, as in
   ``accord whatif``), so the paired difference per draw is the lever's effect, not noise.
5. **Plan.** Among the shortlisted levers that help (positive score, hurting under no model),
   the set with the largest summed gain within ``budget`` effort points (no cell edited twice)
   is made together and evaluated like a lever (gains need not add up: the evaluation says).

Per lever and model: the mean gain over draws (utility points, :mod:`.levers`), a 90% paired
bootstrap interval of that mean (the same resampled draws for every lever and model), and the
share of draws in which the client gains. A lever *helps* under a model when the interval lies
above 0, *hurts* when it lies below, and is *unclear* otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.analysis.strategy.concessions import concession_levers
from accord.analysis.strategy.engine import bootstrap_generator, draws, run
from accord.analysis.strategy.levers import FAMILIES, Lever, apply_lever, combine_levers, stack
from accord.analysis.strategy.own import position_levers, salience_levers
from accord.analysis.strategy.persuasion import persuasion_levers
from accord.analysis.strategy.setting import Setting
from accord.analysis.strategy.transfers import transfer_levers
from accord.analysis.utility import utility
from accord.errors import AccordError
from accord.experiments.progress import Advance, no_progress
from accord.models import Model
from accord.rng import DEFAULT_SEED
from accord.scenario import Scenario, ScenarioArrays, compile_scenario

N_BOOT = 1000
LEVEL = 0.90
TOL = 1e-9
PLAN_CANDIDATES = 12


@dataclass(frozen=True)
class Gain:
    """A lever's effect on the client under one model.

    Parameters
    ----------
    mean : float
        The mean gain over the draws, in utility points.
    low, high : float or None
        Its 90% paired-bootstrap interval; None without draws.
    p_gain : float
        The share of the draws the lever improves.
    """

    mean: float
    low: float | None
    high: float | None
    p_gain: float

    @property
    def verdict(self) -> str:
        """``helps``, ``hurts``, ``unclear`` (the interval straddles 0) or ``no effect``."""
        if self.low is None or self.high is None:
            return "helps" if self.mean > TOL else "hurts" if self.mean < -TOL else "no effect"
        if self.low > TOL:
            return "helps"
        if self.high < -TOL:
            return "hurts"
        return "no effect" if abs(self.low) <= TOL and abs(self.high) <= TOL else "unclear"


@dataclass(frozen=True)
class LeverResult:
    """A lever with its screening gains and, when shortlisted, its gains over the draws.

    Parameters
    ----------
    lever : Lever
        The lever.
    screen : dict of str to float
        By model, its gain on the coded inputs.
    gains : dict of str to Gain
        By model, its gain over the draws (empty: not evaluated).
    """

    lever: Lever
    screen: dict[str, float]
    gains: dict[str, Gain] = field(default_factory=dict)

    @property
    def evaluated(self) -> bool:
        """Whether the lever was evaluated on the draws."""
        return bool(self.gains)

    @property
    def screen_score(self) -> float:
        """The median over models of the screening gain, per effort point.

        A median, so that one model's jump at a threshold of the coded inputs does not decide the
        shortlist.
        """
        values = list(self.screen.values())
        return float(np.median(values)) / self.lever.cost if values else float("nan")

    @property
    def expected_gain(self) -> float:
        """The mean over models of the mean gain over the draws.

        Before the evaluation, the median over models of the screening gain (as :attr:`screen_score`).
        """
        if not self.gains:
            return float(np.median(list(self.screen.values()))) if self.screen else float("nan")
        return float(np.mean([g.mean for g in self.gains.values()]))

    @property
    def score(self) -> float:
        """The expected gain per effort point (the ranking key)."""
        return self.expected_gain / self.lever.cost

    @property
    def robustness(self) -> str:
        """The verdicts across models in words.

        ``helps under all 3``, or the most common verdict with its count and the models of every other
        verdict by name: ``helps under 9 of 11; hurts under nash; unclear under smp``.
        """
        if not self.gains:
            return "not evaluated on the draws"
        verdicts = {m: g.verdict for m, g in self.gains.items()}
        order = ("helps", "hurts", "unclear", "no effect")
        counts = {v: sum(1 for w in verdicts.values() if w == v) for v in order}
        common = max(order, key=lambda v: counts[v])
        if counts[common] == len(verdicts):
            only = next(iter(verdicts))
            return f"{common} under all {len(verdicts)}" if len(verdicts) > 1 else f"{common} under {only}"
        parts = [f"{common} under {counts[common]} of {len(verdicts)}"]
        parts += [f"{v} under {', '.join(m for m, w in verdicts.items() if w == v)}"
                  for v in order if v != common and counts[v]]
        return "; ".join(parts)


@dataclass(frozen=True)
class Search:
    """The answer: every candidate (evaluated ones first, by score), the plan, the baseline.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    client : str
        The client's id.
    models : list of str
        The models that ran.
    skipped : dict of str to str
        The models that could not run, with why.
    n_draws : int
        The number of draws (0: the coded inputs only).
    seed : int
        The seed used.
    step : float
        One lever's size, in effort points.
    budget : float
        The plan's budget, in effort points.
    top : int
        How many levers were shortlisted.
    baseline_outcome : dict of str to np.ndarray
        By model, the median outcome over the draws, shape (I,).
    baseline_utility : dict of str to float
        By model, the client's mean utility over the draws.
    levers : list of LeverResult
        Every candidate, evaluated ones first, by score.
    plan : LeverResult or None
        The best set of helpful levers within the budget, made together.
    families : dict of str to int
        The number of candidates per family.
    """

    scenario: Scenario
    client: str
    models: list[str]
    skipped: dict[str, str]
    n_draws: int
    seed: int
    step: float
    budget: float
    top: int
    baseline_outcome: dict[str, np.ndarray]  # model -> median outcome over draws [I]
    baseline_utility: dict[str, float]  # model -> client's mean utility over draws
    levers: list[LeverResult]
    plan: LeverResult | None
    families: dict[str, int]  # candidates per family

    @property
    def evaluated(self) -> list[LeverResult]:
        """The levers evaluated on the draws."""
        return [r for r in self.levers if r.evaluated]


def candidates(setting: Setting, families: Sequence[str]) -> list[Lever]:
    """List every candidate lever of the chosen families (see each family's module).

    Parameters
    ----------
    setting : Setting
        The strategy setting.
    families : sequence of str
        The families, from :data:`FAMILIES`.

    Returns
    -------
    list of Lever
        In the order of :data:`FAMILIES`.
    """
    makers = {"position": position_levers, "salience": salience_levers, "persuasion": persuasion_levers,
              "transfer": transfer_levers, "concession": concession_levers}
    return [lever for name in FAMILIES if name in families for lever in makers[name](setting)]


def _client_utility(arrays: ScenarioArrays, client: int, outcome: np.ndarray) -> np.ndarray:
    """Return the client's utility of each outcome."""
    return utility(arrays, outcome)[..., client]


def _gain(diff: np.ndarray, boot: np.ndarray | None) -> Gain:
    """Summarise paired differences: their mean, its percentile-bootstrap interval, the share improved."""
    ok = diff[~np.isnan(diff)]
    if ok.size == 0:
        return Gain(float("nan"), None, None, float("nan"))
    mean, share = float(ok.mean()), float((ok > TOL).mean())
    if boot is None or diff.size < 2:
        return Gain(mean, None, None, share)
    means = np.nanmean(diff[boot], axis=1)
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Gain(mean, float(low), float(high), share)


def _shortlist(results: list[LeverResult], top: int) -> list[int]:
    """Pick the levers to evaluate: each family's best that screens positive, then the best overall."""
    order = sorted(range(len(results)), key=lambda n: -np.nan_to_num(results[n].screen_score, nan=-np.inf))
    chosen: list[int] = []
    for family in FAMILIES:
        best = next((n for n in order if results[n].lever.family == family), None)
        if best is not None and results[best].screen_score > TOL and len(chosen) < top:
            chosen.append(best)
    for n in order:
        if len(chosen) >= top:
            break
        if n not in chosen:
            chosen.append(n)
    return chosen


def _plan(results: list[LeverResult], budget: float) -> list[Lever]:
    """Choose the plan: the set of helpful evaluated levers with the largest summed expected gain.

    Helpful: positive gain, hurting under no model; at most :data:`PLAN_CANDIDATES`, best first.
    The set stays within the budget with no cell edited twice; ties go to the cheaper set. Every
    subset is tried.
    """
    helpful = sorted((r for r in results if r.evaluated and r.score > TOL
                      and not any(g.verdict == "hurts" for g in r.gains.values())),
                     key=lambda r: -r.score)[:PLAN_CANDIDATES]
    best: list[LeverResult] = []
    best_gain, best_cost = 0.0, 0.0
    for mask in range(1, 2 ** len(helpful)):
        subset = [r for n, r in enumerate(helpful) if mask >> n & 1]
        cost = sum(r.lever.cost for r in subset)
        cells = [c for r in subset for c in r.lever.cells()]
        if cost > budget + TOL or len(cells) != len(set(cells)):
            continue
        gain = sum(r.expected_gain for r in subset)
        if gain > best_gain + TOL or (abs(gain - best_gain) <= TOL and best and cost < best_cost):
            best, best_gain, best_cost = subset, gain, cost
    return [r.lever for r in best]


def search_levers(
    scenario: Scenario,
    client: str,
    models: Sequence[Model],
    n_draws: int = 200,
    seed: int | None = None,
    step: float = 10.0,
    budget: float = 30.0,
    top: int = 6,
    families: Sequence[str] = FAMILIES,
    targets: Sequence[str] = (),
    advance: Advance = no_progress,
) -> Search:
    """Rank the client's levers under the models (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    client : str
        The client's actor id.
    models : sequence of Model
        The models.
    n_draws : int
        The number of draws (0: the coded inputs only, without intervals).
    seed : int, optional
        The seed; default :data:`accord.rng.DEFAULT_SEED`.
    step : float
        One lever's size, in effort points.
    budget : float
        The plan's budget, in effort points.
    top : int
        How many levers to evaluate on the draws.
    families : sequence of str
        The lever families to try.
    targets : sequence of str
        The actors the client may lobby; empty: every other actor.
    advance : Advance
        Progress callback.

    Returns
    -------
    Search
        The ranked levers, the plan and the baseline.

    Raises
    ------
    AccordError
        On an unknown client or target, a client without a stake, no lever to try, or no model
        that can run.
    """
    if client not in scenario.actor_ids:
        raise AccordError(f"unknown actor {client!r}; actors: {', '.join(scenario.actor_ids)}")
    unknown = [t for t in targets if t not in scenario.actor_ids]
    if unknown:
        raise AccordError(f"unknown actor(s) to lobby: {', '.join(unknown)}; actors: "
                          f"{', '.join(scenario.actor_ids)}")
    c = scenario.actor_ids.index(client)
    coded = compile_scenario(scenario)
    if not coded.stake[c].any():
        raise AccordError(f"{client} has no stake in any issue: nothing it does can matter to it")
    lobby = tuple(scenario.actor_ids.index(t) for t in targets) if targets else tuple(
        j for j in range(len(scenario.actors)) if j != c)
    setting = Setting(scenario, coded, c, step, lobby)
    levers = candidates(setting, families)
    if not levers:
        raise AccordError(f"no lever to try for {client} with these families ({', '.join(families)})")

    recorded = DEFAULT_SEED if seed is None else int(seed)
    arrays = draws(scenario, n_draws, recorded) if n_draws > 0 else coded.broadcast(1)
    n = arrays.batch_shape[0]
    boot = bootstrap_generator(recorded).integers(0, n, (N_BOOT, n)) if n_draws > 1 else None

    base, skipped = run(arrays, models, recorded, advance)
    if not base:
        reasons = "; ".join(f"{m}: {r}" for m, r in skipped.items())
        raise AccordError(f"no model could run on this scenario ({reasons})")
    chosen = [m for m in models if m.name in base]
    base_u = {m: _client_utility(arrays, c, out) for m, out in base.items()}

    # screen: every lever on the coded inputs, one batch per model (the unchanged inputs first)
    one = coded.broadcast(1)
    changed = [apply_lever(lever, one, scenario) for lever in levers]
    same = [n_ for n_, a in enumerate(changed) if np.array_equal(a.stake, one.stake)]
    screen: list[dict[str, float]] = [{} for _ in levers]
    if same:
        batch = stack([one, *(changed[n_] for n_ in same)])
        outs, _ = run(batch, chosen, recorded, advance)
        for name, out in outs.items():
            u = _client_utility(one.broadcast(len(same) + 1), c, out)
            for row, n_ in enumerate(same, start=1):
                screen[n_][name] = float(u[row] - u[0])
    for n_ in set(range(len(levers))) - set(same):  # a lever that changes stakes runs alone
        outs, _ = run(changed[n_], chosen, recorded, advance)
        base1, _ = run(one, chosen, recorded)
        for name, out in outs.items():
            before = _client_utility(one, c, base1[name])[0]
            screen[n_][name] = float(_client_utility(one, c, out)[0] - before)
    results = [LeverResult(lever, screen[n_]) for n_, lever in enumerate(levers)]

    def evaluate(lever: Lever) -> dict[str, Gain]:
        outs, _ = run(apply_lever(lever, arrays, scenario), chosen, recorded, advance)
        return {m: _gain(_client_utility(arrays, c, out) - base_u[m], boot) for m, out in outs.items()}

    for n_ in _shortlist(results, top):
        results[n_] = LeverResult(results[n_].lever, results[n_].screen, evaluate(results[n_].lever))
    plan = None
    picked = _plan(results, budget)
    if len(picked) > 1:
        lever = combine_levers(picked)
        plan = LeverResult(lever, {}, evaluate(lever))
    elif picked:
        plan = next(r for r in results if r.lever is picked[0])

    def rank(r: LeverResult) -> tuple[int, float]:
        key = r.score if r.evaluated else r.screen_score
        return (0 if r.evaluated else 1, -np.nan_to_num(key, nan=-np.inf))

    results.sort(key=rank)
    with np.errstate(all="ignore"):
        outcome = {m: np.nanmedian(out, axis=0) for m, out in base.items()}
    counts = {f: sum(1 for lv in levers if lv.family == f) for f in families}
    return Search(scenario, client, [m.name for m in chosen], skipped, max(n_draws, 0), recorded, step,
                  budget, top, outcome, {m: float(np.nanmean(u)) for m, u in base_u.items()}, results, plan,
                  counts)
