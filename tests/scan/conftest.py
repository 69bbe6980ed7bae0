"""Fixtures of the scan tests; the builders and texts they share are in scan_fixtures.py,
which tests import by that name (a module named conftest is not unique on sys.path)."""

from scan_fixtures import fleet  # noqa: F401
