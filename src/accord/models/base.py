"""The one interface every model follows, and the registry that names them.

A model is a small frozen dataclass of parameters (defaults from the literature) with a
``run(arrays, rng=None) -> Trajectory`` method that is a pure function of the arrays. Arrays
may carry leading batch axes (Monte Carlo draws); models keep them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from accord.errors import AccordError
from accord.scenario.arrays import ScenarioArrays


@dataclass(frozen=True)
class Trajectory:
    """What a model returns. Round 0 is the input; static models have one round."""

    positions: np.ndarray  # [R, ..., A, I]
    outcome: np.ndarray  # [R, ..., I]
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_rounds(self) -> int:
        return self.outcome.shape[0]

    @property
    def final(self) -> np.ndarray:
        """The forecast: the outcome of the last round, ``[..., I]``."""
        return self.outcome[-1]


@dataclass(frozen=True)
class Model:
    """Base class: subclasses set ``name`` and ``summary`` and implement ``run``."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    dynamic: ClassVar[bool] = False
    min_issues: ClassVar[int] = 1

    def run(self, arrays: ScenarioArrays, rng: np.random.Generator | None = None) -> Trajectory:
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def with_params(self, **params: Any) -> Model:
        """A copy with the given parameters; names the model does not have are ignored."""
        known = {f.name for f in dataclasses.fields(self)}
        return dataclasses.replace(self, **{k: v for k, v in params.items() if k in known})

    def details_json(
        self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]
    ) -> dict[str, Any]:
        """Model-specific results (exchanges, bargains, ...) as JSON-ready data.

        A ``"rounds"`` entry, if given, is a list (one per round) of ``{issue_id: {key: value}}``
        that the JSON report merges into each issue's round entries.
        """
        return {}

    def details_text(self, trajectory: Trajectory, actor_ids: list[str], issue_ids: list[str]) -> list[str]:
        """Model-specific results as readable lines (``--details``/``--exchanges``/``--bargains``)."""
        return []


_REGISTRY: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: make a model available by its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _REGISTRY[cls.name] = cls
    return cls


#: the order models are listed and run in: simple to elaborate, fitted last; others after these
DISPLAY_ORDER = ("compromise", "mean", "median", "weighted-median", "nash", "eum", "eum-scholz",
                 "exchange", "exchange-random", "smp", "choice")


def available_models() -> list[str]:
    """Registered model names in :data:`DISPLAY_ORDER` (not in the order modules were imported)."""
    rank = {name: n for n, name in enumerate(DISPLAY_ORDER)}
    return sorted(_REGISTRY, key=lambda name: rank.get(name, len(rank)))


def model_class(name: str) -> type[Model]:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise AccordError(f"unknown model {name!r}; available: {known}") from None


def get_model(name: str, **params: Any) -> Model:
    """An instance of the named model; ``params`` it does not take are ignored."""
    return model_class(name)().with_params(**params)


def static_trajectory(arrays: ScenarioArrays, outcome: np.ndarray, **details: Any) -> Trajectory:
    """The one-round trajectory of a model that does not move positions."""
    return Trajectory(positions=arrays.position[None], outcome=outcome[None], details=details)
