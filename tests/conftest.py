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
