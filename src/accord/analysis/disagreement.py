"""The disagreement point: where each issue stands if the package is not agreed.

Written as a spec, comma-separated:

* ``status-quo`` (the default): each issue's status quo. An issue without one has no
  disagreement point and is left out of the comparison (every actor's gain on it is 0) unless
  a value is given for it.
* ``model:NAME``: that model's forecast of the negotiation without this package (``nash``,
  ``compromise``, ...), per draw when draws are taken.
* ``ISSUE=VALUE``: the user's value for that issue; these override the base, e.g.
  ``status-quo,territory=40`` or ``model:compromise,sanctions=10``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.proposals import parse_points
from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays
from accord.scenario.schema import Scenario


@dataclass(frozen=True)
class Against:
    """A parsed disagreement-point spec."""

    model: str | None = None  # None: the status quo
    values: dict[str, float] = field(default_factory=dict)

    @property
    def spec(self) -> str:
        base = f"model:{self.model}" if self.model else "status-quo"
        return ",".join([base, *(f"{k}={v:g}" for k, v in self.values.items())])

    @property
    def base_label(self) -> str:
        return f"{self.model} forecast" if self.model else "status quo"

    def label(self) -> str:
        extra = f", {len(self.values)} value(s) given" if self.values else ""
        return f"{self.base_label}{extra}"


def parse_against(spec: str | Against | None, scenario: Scenario) -> Against:
    """Read ``status-quo``, ``model:NAME`` and ``ISSUE=VALUE`` items."""
    if isinstance(spec, Against):
        return spec
    model: str | None = None
    values: list[str] = []
    for item in (s.strip() for s in (spec or "status-quo").split(",")):
        if not item:
            continue
        if item in ("status-quo", "status_quo", "sq"):
            model = None
        elif item.startswith("model:"):
            from accord.models import model_class

            model = item.removeprefix("model:").strip()
            model_class(model)  # unknown names fail here, listing the known ones
        elif "=" in item:
            values.append(item)
        else:
            raise AccordError(f"--against {item!r}: expected status-quo, model:NAME or ISSUE=VALUE")
    return Against(model, parse_points(values, scenario, "--against") if values else {})


def disagreement_point(
    scenario: Scenario, arrays: ScenarioArrays, against: Against, rng: np.random.Generator | None = None
) -> np.ndarray:
    """``d [..., I]`` for the arrays' batch shape; NaN where an issue has none."""
    shape = (*arrays.batch_shape, arrays.n_issues)
    if against.model is None:
        d = np.broadcast_to(arrays.status_quo, shape).astype(float)
    else:
        d = np.broadcast_to(_forecast(against.model, arrays, rng), shape).astype(float)
    for issue_id, value in against.values.items():
        d[..., scenario.issue_ids.index(issue_id)] = value
    return d


def _forecast(name: str, arrays: ScenarioArrays, rng: np.random.Generator | None) -> np.ndarray:
    """The model's final outcome (models take the batch, per-draw status quo included)."""
    from accord.models import get_model

    return get_model(name).run(arrays, rng=rng).final


def sources(scenario: Scenario, arrays: ScenarioArrays, against: Against) -> list[str]:
    """Where each issue's disagreement value comes from: given, the base, or none."""
    out = []
    for k, issue_id in enumerate(scenario.issue_ids):
        if issue_id in against.values:
            out.append("given")
        elif against.model is None and np.isnan(arrays.status_quo[..., k]).all():
            out.append("none")
        else:
            out.append(against.base_label)
    return out


def against_dict(against: Against) -> dict[str, Any]:
    return {"spec": against.spec, "base": against.base_label, "values": dict(against.values)}
