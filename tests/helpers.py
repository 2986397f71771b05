"""Small scenario builders for tests."""

from __future__ import annotations

from typing import Any

from accord.scenario import Scenario


def scenario(
    actors: list[tuple[str, float]],
    positions: list[tuple[str, str, float, float]],
    issues: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Scenario:
    """A scenario from (id, capability) actors and (actor, issue, position, salience) rows."""
    issue_ids = list(dict.fromkeys(p[1] for p in positions))
    return Scenario.model_validate({
        "id": "t",
        "title": "test",
        "actors": [{"id": a, "name": a.upper(), "capability": c} for a, c in actors],
        "issues": issues or [{"id": i, "name": i} for i in issue_ids],
        "positions": [
            {"actor": a, "issue": i, "position": x, "salience": s} for a, i, x, s in positions
        ],
        **extra,
    })
