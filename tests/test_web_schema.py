"""Property-based requests against the OpenAPI schema (schemathesis): no request gives a 500."""

from __future__ import annotations

import pytest

pytest.importorskip("schemathesis")

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from accord.store import Store  # noqa: E402
from accord.web import create_app  # noqa: E402

from helpers import scenario  # noqa: E402


def _app():
    store = Store("sqlite://")
    # a small scenario as version 1, so generated ids sometimes hit a real version cheaply
    small = scenario([("a", 50), ("b", 30)], [("a", "x", 10, 50), ("b", "x", 90, 60)],
                     proposals=[{"id": "p", "name": "P", "points": {"x": 20}}])
    store.save_scenario(small, "upload")
    return create_app(store, builtins=False)


schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_request_gives_a_server_error(case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
