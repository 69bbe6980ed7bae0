"""Fixtures of the graduation tests (the repositories are in graduate_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graduate_fixtures import build_consumer, build_incubator


@pytest.fixture
def incubator(tmp_path: Path) -> Path:
    return build_incubator(tmp_path / "incubator").path


@pytest.fixture
def consumer(tmp_path: Path, incubator: Path) -> Path:
    return build_consumer(tmp_path / "nova", incubator).path
