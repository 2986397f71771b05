"""Sensitivity runs: which inputs drive an issue's outcome, from a :class:`SensitivitySpec`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accord.jsonsafe import clean, number
from accord.runs.spec import SensitivitySpec
from accord.scenario import Scenario

#: the columns of each method's table: Sobol's indices with their 95% intervals, Morris's statistics
COLUMNS = {"sobol": ("ST", "ST_conf", "S1", "S1_conf"), "morris": ("mu_star", "mu_star_conf", "mu", "sigma")}


@dataclass(frozen=True)
class SensitivityRunResult:
    """What ``accord sensitivity`` answers: inputs ranked by influence (``table``, most first).

    Attributes
    ----------
    spec : SensitivitySpec
        The request.
    scenario : Scenario
        The scenario.
    method : str
        ``sobol`` or ``morris``.
    model : str
        Model name.
    issue : str
        Issue id.
    n_runs : int
        Model runs made.
    table : pd.DataFrame
        Indexed by input label, most influential first; columns :data:`COLUMNS` of the method.
    kind : str
        ``sensitivity``.
    """

    spec: SensitivitySpec
    scenario: Scenario
    method: str
    model: str
    issue: str
    n_runs: int
    table: pd.DataFrame  # index: input label
    kind: str = "sensitivity"

    @property
    def key(self) -> str:
        """The column inputs are ranked by."""
        return "ST" if self.method == "sobol" else "mu_star"

    def to_dict(self) -> dict[str, Any]:
        """Return the result's JSON.

        Returns
        -------
        dict
            ``kind``, ``spec``, ``scenario``, ``issue``, ``model``, ``method``, ``runs``,
            ``seed`` and ``inputs``: per input, its label and the table's columns.
        """
        return clean({
            "kind": self.kind, "spec": self.spec.model_dump(mode="json"), "scenario": self.scenario.id,
            "issue": self.issue, "model": self.model, "method": self.method, "runs": self.n_runs,
            "seed": self.spec.seed,
            "inputs": [{"input": label, **{c: float(v) for c, v in row.items()}}
                       for label, row in self.table.iterrows()],
        })

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], scenario: Scenario) -> SensitivityRunResult:
        """Read a result back from :meth:`to_dict`'s JSON.

        Parameters
        ----------
        data : Mapping
            The JSON form.
        scenario : Scenario
            The scenario it ran on.

        Returns
        -------
        SensitivityRunResult
            The result.
        """
        spec = SensitivitySpec.model_validate(data["spec"])
        columns = COLUMNS[data["method"]]
        rows = data.get("inputs") or []
        table = pd.DataFrame({c: [number(r.get(c)) for r in rows] for c in columns},
                             index=pd.Index([r["input"] for r in rows], name="input"))
        return cls(spec, scenario, data["method"], data["model"], data["issue"], int(data["runs"]), table)


def run_sensitivity(spec: SensitivitySpec, scenario: Scenario, progress: Any) -> SensitivityRunResult:
    """Compute Sobol indices or Morris screening of the spec's issue under its model (SALib).

    Parameters
    ----------
    spec : SensitivitySpec
        The request.
    scenario : Scenario
        The scenario.
    progress : Progress
        ``progress(description, total)``, a context manager yielding ``advance(n)``.

    Returns
    -------
    SensitivityRunResult
        The inputs ranked.

    Raises
    ------
    AccordError
        When the model or its parameters are invalid, or the analysis cannot run (see
        :func:`accord.experiments.sensitivity.sensitivity`).
    """
    from accord.experiments.sensitivity import sensitivity
    from accord.runs.models import configure
    from accord.runs.spec import ModelChoice

    model = configure(ModelChoice(models=[spec.model], params=spec.params), scenario)[0]
    with progress(f"sensitivity of {spec.issue} ({model.name})", 1) as advance:
        res = sensitivity(scenario, spec.issue, model.name, spec.method, spec.samples,
                          np.random.default_rng(spec.seed), spec.scope, spec.spread, model.params())
        advance(1)
    table = res.table[list(COLUMNS[res.method])]
    return SensitivityRunResult(spec, scenario, res.method, res.model, res.issue, res.n_runs, table)
