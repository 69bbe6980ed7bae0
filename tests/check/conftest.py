"""Fixtures of the check tests (the workspace is built in check_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_fixtures import Workspace, build_keystone


@pytest.fixture
def keystone(tmp_path: Path) -> Workspace:
    return build_keystone(tmp_path)
