from __future__ import annotations

import os
from pathlib import Path

import pytest

import hypothesis_profiles  # noqa: F401  (registers the ci and fuzz profiles, loads one)

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path | None:
    for candidate in (os.environ.get("ACCORD_SHARED"), ROOT.parent / "shared"):
        if candidate and Path(candidate, "DESIGN.md").exists():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = _shared()
    if path is None:
        pytest.skip("the shared data folder (../shared) is not present")
    return path
