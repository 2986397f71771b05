from __future__ import annotations

from pathlib import Path

import pytest

import hypothesis_profiles  # noqa: F401  (registers the ci and fuzz profiles, loads one)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The test data kept in the repository (``tests/data``; provenance in its SOURCES.md files).

    The layout mirrors the project's original data folder (``anchor-data/``, ``benchmark-data/``,
    ``ukraine/``, ``seed/``) so that the tests' paths are unchanged.
    """
    return DATA


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server the suite starts itself (``tests/postgres.py``); skipped, with the
    reason, only where no server program is installed."""
    pytest.importorskip("psycopg", reason="the test extras install psycopg: pip install -e '.[test]'")
    from postgres import find_binaries, running_server

    binaries, why = find_binaries()
    if binaries is None:
        pytest.skip(why)
    with running_server(binaries) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty run-history database: a SQLite file, then a database on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"t_{abs(hash(request.node.nodeid)) % 10**12}")
