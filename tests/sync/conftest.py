"""Fixtures of the sync tests; the builders and texts they share are in sync_fixtures.py,
which tests import by that name (a module named conftest is not unique on sys.path)."""

from sync_fixtures import files_of, workspace  # noqa: F401
