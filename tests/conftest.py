"""Shared fixtures: where ../shared/data is, and skipping cleanly without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS_DATA = ROOT / "tests" / "data"


def _shared_data_dir() -> Path | None:
    env = os.environ.get("ONPATH_SHARED_DATA")
    cand = Path(env) if env else ROOT.parent / "shared" / "data"
    return cand if cand.is_dir() else None


SHARED_DATA = _shared_data_dir()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the project root; the test is skipped when it is absent."""
    if SHARED_DATA is None:
        pytest.skip("../shared/data is not here")
    return SHARED_DATA


def shared_file(rel: str) -> Path:
    """A file under ../shared/data, or a skip."""
    if SHARED_DATA is None or not (SHARED_DATA / rel).exists():
        pytest.skip(f"../shared/data/{rel} is not here")
    return SHARED_DATA / rel
