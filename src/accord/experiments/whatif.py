"""Run a what-if against the baseline on the same random draws, and read what-ifs from YAML.

A what-if file holds one what-if or a list of them::

    whatifs:
      - id: us-ends-nato-sales
        name: The US ends weapons sales through NATO
        description: why, and on whose word
        add: ["china=40"]                 # or [{id: china, capability: 40, name: China}]
        set:
          - capability[us] = 0.5 * capability[us]
          - salience[russia, territory] = 90
        remove: [eu]

Baseline and intervention share the sampled arrays and each model's own stream
(:func:`accord.rng.stream`), so the paired difference ``intervention - baseline`` per draw is
the what-if's effect and not noise; an intervention that changes nothing gives exactly zero, for
stochastic models too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.errors import AccordError
from accord.experiments.interventions import (
    Intervention,
    NewActor,
    apply,
    parse_assignment,
    parse_new_actor,
)
from accord.experiments.progress import Advance, no_progress
from accord.experiments.uncertainty import draw_arrays, make_models, run_model_jobs, summarise
from accord.experiments.yamlfile import read_yaml
from accord.models import Model
from accord.rng import DEFAULT_SEED
from accord.scenario import Scenario, compile_scenario

if TYPE_CHECKING:
    import pandas as pd

_KEYS = {"id", "name", "description", "add", "set", "remove", "shows"}


def intervention_from_dict(data: Any, where: str) -> Intervention:
    """Read one what-if from its YAML mapping.

    Parameters
    ----------
    data : Any
        The mapping (keys id, name, description, add, set, remove, shows).
    where : str
        The file and entry, named in error messages.

    Returns
    -------
    Intervention
        The what-if.

    Raises
    ------
    AccordError
        When the entry is not a mapping, has unknown keys, or an addition or assignment is
        malformed.
    """
    if not isinstance(data, Mapping):
        raise AccordError(f"{where}: a what-if must be a mapping with id, set, add, remove")
    unknown = set(data) - _KEYS
    if unknown:
        raise AccordError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                          f"expected {', '.join(sorted(_KEYS))}")

    def strings(key: str) -> list[Any]:
        value = data.get(key) or []
        if isinstance(value, str | Mapping):
            value = [value]
        if not isinstance(value, list):
            raise AccordError(f"{where}: {key}: expected a list")
        return value

    adds = []
    for item in strings("add"):
        if isinstance(item, Mapping):
            try:
                adds.append(NewActor(str(item["id"]), float(item["capability"]), item.get("name")))
            except (KeyError, TypeError, ValueError):
                raise AccordError(f"{where}: add: expected {{id, capability}}, got {dict(item)}") from None
        else:
            adds.append(parse_new_actor(str(item)))
    try:
        sets = tuple(parse_assignment(str(s)) for s in strings("set"))
    except AccordError as exc:
        raise AccordError(f"{where}: {exc}") from None
    extra = {"shows": str(data["shows"])} if "shows" in data else {}
    return Intervention(
        id=str(data.get("id", "custom")), name=str(data.get("name", "")),
        description=str(data.get("description", "")).strip(), add=tuple(adds), set=sets,
        remove=tuple(str(r) for r in strings("remove")), extra=extra,
    )


def load_whatifs(path: Path) -> list[Intervention]:
    """Read every what-if in a YAML file.

    Parameters
    ----------
    path : Path
        The file: a ``whatifs:`` list, or one what-if mapping.

    Returns
    -------
    list of Intervention
        The what-ifs, in the file's order.

    Raises
    ------
    AccordError
        When the file cannot be read or a what-if in it is malformed.
    """
    data = read_yaml(path)
    items = data.get("whatifs") if isinstance(data, Mapping) and "whatifs" in data else [data]
    if not isinstance(items, list):
        raise AccordError(f"{path}: whatifs: expected a list of what-ifs")
    return [intervention_from_dict(item, f"{path}, what-if {n + 1}") for n, item in enumerate(items)]


def builtin_whatifs(scenario_id: str) -> list[Intervention]:
    """Return the named what-ifs shipped for a built-in scenario.

    Parameters
    ----------
    scenario_id : str
        The scenario's id.

    Returns
    -------
    list of Intervention
        Its what-ifs (none for other scenarios).
    """
    path = Path(str(resources.files("accord.scenario.builtin").joinpath(f"whatifs/{scenario_id}.yaml")))
    return load_whatifs(path) if path.exists() else []


def named_whatif(scenario_id: str, name: str) -> Intervention:
    """Return one of the what-ifs shipped for a built-in scenario, by id.

    Parameters
    ----------
    scenario_id : str
        The scenario's id.
    name : str
        The what-if's id.

    Returns
    -------
    Intervention
        The what-if.

    Raises
    ------
    AccordError
        When the scenario has no what-if of that id; the message lists those it has.
    """
    known = builtin_whatifs(scenario_id)
    for item in known:
        if item.id == name:
            return item
    names = ", ".join(i.id for i in known) or "none"
    raise AccordError(f"no named what-if {name!r} for scenario {scenario_id!r}; named what-ifs: {names}")


def combine(parts: Sequence[Intervention], id: str = "custom", name: str = "") -> Intervention:
    """Combine several what-ifs into one: their additions, assignments and removals in order.

    Parameters
    ----------
    parts : Sequence of Intervention
        The what-ifs (one is returned as it is).
    id : str, optional
        Id of the combination.
    name : str, optional
        Its name (default: the parts' names joined by ``+``).

    Returns
    -------
    Intervention
        The combined what-if.
    """
    if len(parts) == 1:
        return parts[0]
    return Intervention(
        id=id, name=name or " + ".join(p.name or p.id for p in parts),
        description="\n".join(p.description for p in parts if p.description),
        add=tuple(a for p in parts for a in p.add), set=tuple(s for p in parts for s in p.set),
        remove=tuple(r for p in parts for r in p.remove),
    )


@dataclass(frozen=True)
class PairedOutcomes:
    """Baseline and intervention outcomes per model on the same draws ``[B, I]``.

    Attributes
    ----------
    scenario : Scenario
        The baseline scenario.
    intervention : Intervention
        The what-if.
    n_draws : int
        Number of draws B (1 for the point scenario).
    seed : int
        The seed both sides share.
    baseline : dict of str to np.ndarray
        Per model, baseline final outcomes, shape (B, I).
    changed : dict of str to np.ndarray
        Per model, final outcomes under the what-if, shape (B, I).
    skipped : dict of str to str
        Per skipped model, the reason.
    """

    scenario: Scenario
    intervention: Intervention
    n_draws: int
    seed: int
    baseline: dict[str, np.ndarray]
    changed: dict[str, np.ndarray]
    skipped: dict[str, str] = field(default_factory=dict)

    def difference(self, model: str) -> np.ndarray:
        """Return the paired difference per draw and issue, intervention minus baseline.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        np.ndarray
            Differences, shape (B, I).
        """
        return self.changed[model] - self.baseline[model]

    def table(self, model: str) -> pd.DataFrame:
        """Return per issue the baseline and intervention medians and the difference's summary.

        Parameters
        ----------
        model : str
            Model name.

        Returns
        -------
        pd.DataFrame
            Rows: issues; columns ``baseline`` and ``whatif`` (medians), ``diff_mean``,
            ``diff_median``, ``diff_q05``, ``diff_q95``.
        """
        import pandas as pd

        base, new, diff = (summarise(x) for x in (self.baseline[model], self.changed[model],
                                                   self.difference(model)))
        return pd.DataFrame(
            {"baseline": base["median"], "whatif": new["median"], "diff_mean": diff["mean"],
             "diff_median": diff["median"], "diff_q05": diff["q05"], "diff_q95": diff["q95"]},
            index=pd.Index(self.scenario.issue_ids, name="issue"),
        )


def whatif(
    scenario: Scenario,
    intervention: Intervention,
    n_draws: int = 1000,
    seed: int | None = None,
    models: Sequence[str | Model] | None = None,
    params: Mapping[str, Any] | None = None,
    chunk: int | None = None,
    advance: Advance = no_progress,
    workers: int | None = None,
) -> PairedOutcomes:
    """Run the baseline and a what-if on the same draws and the same model streams.

    A model that cannot run the baseline or the change is skipped, with the reason.

    Parameters
    ----------
    scenario : Scenario
        The baseline scenario.
    intervention : Intervention
        The what-if.
    n_draws : int, optional
        Number of draws (0: the point scenario only).
    seed : int or None, optional
        Seed of the draws and the models' streams (default 0).
    models : Sequence of str or Model, or None, optional
        Model names or instances (default: all).
    params : Mapping or None, optional
        Parameters, given to each named model that declares them.
    chunk : int or None, optional
        Draws per chunk (default :data:`~accord.experiments.uncertainty.CHUNK`).
    advance : Advance, optional
        Progress reporter, one step per model, side and draw.
    workers : int or None, optional
        Threads for every chunk of both sides (default: every core; the results do not
        depend on it).

    Returns
    -------
    PairedOutcomes
        Baseline and changed outcomes per model.

    Raises
    ------
    AccordError
        When the what-if does not apply to the scenario.
    """
    seed = DEFAULT_SEED if seed is None else seed
    arrays = draw_arrays(scenario, n_draws, seed) if n_draws > 0 else compile_scenario(scenario).broadcast(1)
    changed, _ = apply(intervention, arrays, scenario.actor_ids, scenario.issue_ids, scenario.salience_scale)
    chosen = make_models(models, params)
    runs = [(("base", m.name), m, arrays) for m in chosen] + [(("new", m.name), m, changed) for m in chosen]
    finals, failed = run_model_jobs(runs, seed, chunk, advance, workers)
    base: dict[str, np.ndarray] = {}
    new: dict[str, np.ndarray] = {}
    skipped: dict[str, str] = {}
    for m in chosen:
        reason = failed.get(("base", m.name)) or failed.get(("new", m.name))
        if reason is not None:
            where = "" if ("base", m.name) in failed else "the what-if: "
            skipped[m.name] = where + reason
        else:
            base[m.name], new[m.name] = finals[("base", m.name)], finals[("new", m.name)]
    return PairedOutcomes(scenario, intervention, max(n_draws, 1), seed, base, new, skipped)
