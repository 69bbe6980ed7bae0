"""Fixtures of the graduation tests (the repositories are in graduate_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graduate_fixtures import build_consumer, build_incubator


@pytest.fixture
def incubator(tmp_path: Path) -> Path:
    """An incubator of the test's own, to graduate from (branches, shims, edits)."""
    return build_incubator(tmp_path / "incubator").path


@pytest.fixture(scope="module")
def pristine_incubator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same incubator, built once per module and shared: only read it (prepare a
    graduation, build a consumer, graduate with ``shims=False``), never write to it."""
    return build_incubator(tmp_path_factory.mktemp("pristine") / "incubator").path


@pytest.fixture
def consumer(tmp_path: Path, pristine_incubator: Path) -> Path:
    """A project with copies of the incubator's modules at HEAD (the same texts as
    :func:`incubator`'s, read from the shared one)."""
    return build_consumer(tmp_path / "nova", pristine_incubator).path
