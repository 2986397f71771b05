"""Scenarios: the typed schema, its loaders and validation, and the compiled arrays."""

from accord.scenario.arrays import ScenarioArrays, compile_scenario
from accord.scenario.schema import (
    Actor,
    Issue,
    Lever,
    Position,
    Proposal,
    Scale,
    Scenario,
    Source,
    Uncertainty,
)

compile = compile_scenario  # noqa: A001  (the name DESIGN.md gives it)

__all__ = [
    "Actor",
    "Issue",
    "Lever",
    "Position",
    "Proposal",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Uncertainty",
    "compile",
    "compile_scenario",
]
