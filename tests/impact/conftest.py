"""Fixtures of the impact tests; the builders and texts they share are in impact_fixtures.py,
which tests import by that name (a module named conftest is not unique on sys.path)."""

from impact_fixtures import glance, history, nova  # noqa: F401
