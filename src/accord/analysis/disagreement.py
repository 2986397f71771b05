"""The disagreement point: where each issue stands, for each actor, if the package is not agreed.

Written as a spec, comma-separated:

* ``no-deal`` (the default): each actor's own no-deal outcome as the scenario states it (its
  outside option, :mod:`accord.scenario.outside`), the issue's status quo where it states none.
  An issue with neither has no disagreement point and is left out of the comparison (every
  actor's gain on it is 0) unless a value is given for it.
* ``status-quo``: every actor's alternative is the issue's status quo (the stated no-deal
  outcomes are ignored).
* ``model:NAME``: that model's forecast of the negotiation without this package (``nash``,
  ``compromise``, ...), per draw when draws are taken, the same for every actor.
* ``ISSUE=VALUE``: the user's value for that issue, for every actor; these override the base,
  e.g. ``no-deal,territory=40`` or ``model:compromise,sanctions=10``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.proposals import parse_points
from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.outside import no_deal_values, origins
from accord.scenario.schema import Scenario

NO_DEAL = ("no-deal", "no_deal", "batna")
STATUS_QUO = ("status-quo", "status_quo", "sq")


@dataclass(frozen=True)
class Against:
    """A parsed disagreement-point spec.

    Parameters
    ----------
    model : str or None
        The model whose forecast is the base; None: the base is ``no-deal`` or ``status-quo``.
    values : dict of str to float
        The values given for some issues, by issue id.
    status_quo : bool
        True: the status quo for everyone, ignoring the stated no-deal outcomes.
    """

    model: str | None = None  # a model's forecast; None: the base below
    values: dict[str, float] = field(default_factory=dict)
    status_quo: bool = False  # True: the status quo for everyone, ignoring stated no-deal outcomes

    @property
    def base(self) -> str:
        """The base as written: ``model:NAME``, ``status-quo`` or ``no-deal``."""
        return f"model:{self.model}" if self.model else "status-quo" if self.status_quo else "no-deal"

    @property
    def spec(self) -> str:
        """The spec as written: the base, then ``ISSUE=VALUE`` for each value given."""
        return ",".join([self.base, *(f"{k}={v:g}" for k, v in self.values.items())])

    @property
    def base_label(self) -> str:
        """The base in words, e.g. ``nash forecast`` or ``status quo``."""
        if self.model:
            return f"{self.model} forecast"
        return "status quo" if self.status_quo else "each actor's no-deal outcome"

    def label(self) -> str:
        """Describe the spec in words.

        Returns
        -------
        str
            The base in words, with the number of values given.
        """
        extra = f", {len(self.values)} value(s) given" if self.values else ""
        return f"{self.base_label}{extra}"


def parse_against(spec: str | Against | None, scenario: Scenario) -> Against:
    """Read a disagreement-point spec.

    Parameters
    ----------
    spec : str, Against or None
        Comma-separated ``no-deal``, ``status-quo``, ``model:NAME`` and ``ISSUE=VALUE`` items
        (None: ``no-deal``); an :class:`Against` is returned as it is.
    scenario : Scenario
        The scenario the issue ids and values are checked against.

    Returns
    -------
    Against
        The parsed spec.

    Raises
    ------
    AccordError
        On an unknown item or model; a :class:`ScenarioError` on a bad ``ISSUE=VALUE`` item (an
        unknown issue, a value that is not a number or lies off the issue's scale).
    """
    if isinstance(spec, Against):
        return spec
    model: str | None = None
    status_quo = False
    values: list[str] = []
    for item in (s.strip() for s in (spec or "no-deal").split(",")):
        if not item:
            continue
        if item in NO_DEAL:
            model, status_quo = None, False
        elif item in STATUS_QUO:
            model, status_quo = None, True
        elif item.startswith("model:"):
            from accord.models import model_class

            model = item.removeprefix("model:").strip()
            model_class(model)  # unknown names fail here, listing the known ones
        elif "=" in item:
            values.append(item)
        else:
            raise AccordError(f"--against {item!r}: expected no-deal, status-quo, model:NAME or ISSUE=VALUE")
    return Against(model, parse_points(values, scenario, "--against") if values else {}, status_quo)


def disagreement_point(
    scenario: Scenario, arrays: ScenarioArrays, against: Against, rng: np.random.Generator | None = None,
    no_deal: np.ndarray | None = None,
) -> np.ndarray:
    """Compute each actor's disagreement point for the arrays' batch shape.

    Parameters
    ----------
    scenario : Scenario
        The scenario (stated no-deal outcomes, issue ids).
    arrays : ScenarioArrays
        Its arrays, with any batch axes.
    against : Against
        The spec.
    rng : np.random.Generator, optional
        The generator a stochastic model's forecast draws from.
    no_deal : np.ndarray, optional
        Each actor's no-deal outcome drawn per draw, shape (B, A, I)
        (:func:`accord.scenario.sampling.sample_no_deal`), for batched arrays; without it the coded
        values are used.

    Returns
    -------
    np.ndarray
        ``d``, shape (..., A, I); NaN where an issue has none.
    """
    shape = (*arrays.batch_shape, arrays.n_actors, arrays.n_issues)
    if against.model is not None:
        d = np.broadcast_to(_forecast(against.model, arrays, rng)[..., None, :], shape).astype(float)
    elif against.status_quo:
        sq = np.broadcast_to(arrays.status_quo, (*arrays.batch_shape, arrays.n_issues))
        d = np.broadcast_to(sq[..., None, :], shape).astype(float)
    else:
        d = np.broadcast_to(no_deal if no_deal is not None else no_deal_values(scenario), shape).astype(float)
    for issue_id, value in against.values.items():
        d[..., scenario.issue_ids.index(issue_id)] = value
    return d


def _forecast(name: str, arrays: ScenarioArrays, rng: np.random.Generator | None) -> np.ndarray:
    """Return the model's final outcome (models take the batch, per-draw status quo included)."""
    from accord.models import get_model

    return get_model(name).run(arrays, rng=rng).final


def sources(scenario: Scenario, arrays: ScenarioArrays, against: Against) -> list[str]:
    """Say where each issue's disagreement values come from.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    arrays : ScenarioArrays
        Its arrays.
    against : Against
        The spec.

    Returns
    -------
    list of str
        Per issue: ``given``, ``no deal (stated)``, ``no deal, per actor``, ``status quo``, the
        model's label, or ``none``.
    """
    stated = origins(scenario)
    out = []
    for k, issue_id in enumerate(scenario.issue_ids):
        if issue_id in against.values:
            out.append("given")
        elif against.model is not None:
            out.append(against.base_label)
        elif np.isnan(arrays.status_quo[..., k]).all() and (against.status_quo or stated[k] == "none"):
            out.append("none")
        elif against.status_quo:
            out.append("status quo")
        else:
            out.append({"stated": "no deal (stated)", "stated per actor": "no deal, per actor"}.get(
                stated[k], "status quo"))
    return out


def against_dict(against: Against) -> dict[str, Any]:
    """Return the spec as JSON-ready data.

    Parameters
    ----------
    against : Against
        The spec.

    Returns
    -------
    dict
        ``spec``, ``base`` (in words), ``label`` and the ``values`` given.
    """
    return {"spec": against.spec, "base": against.base_label, "label": against.label(),
            "values": dict(against.values)}
