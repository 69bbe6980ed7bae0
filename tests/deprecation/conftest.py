"""Shared fixtures for the oslo_incubator.deprecation tests."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import NamedTuple

import pytest

from oslo_incubator.deprecation import _utils


class Observed(NamedTuple):
    """What calling a deprecated thing did: its result and the one warning."""

    result: object
    category: type[Warning]
    message: str


@pytest.fixture(autouse=True)
def _hermetic_strict_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep a developer's OSLO_INCUBATOR_DEPRECATION_STRICT out of the tests."""
    monkeypatch.delenv(_utils.STRICT_ENV_VAR, raising=False)
    yield
    assert _utils.modes.current is None, "a test left a fixture override active"


@pytest.fixture
def warned() -> Callable[[Callable[[], object]], Observed]:
    """Run a one-line lambda, assert it warned once, at its own line, and describe it.

    The lambda's line is where the deprecated thing is used, so checking the
    warning's filename and line against the lambda's code object is checking
    that the warning points at the caller.
    """

    def run(action: Callable[[], object]) -> Observed:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = action()
        assert [str(w.message) for w in caught][1:] == [], "more than one warning"
        assert caught, "no warning"
        (warning,) = caught
        code = action.__code__
        assert (warning.filename, warning.lineno) == (code.co_filename, code.co_firstlineno)
        return Observed(result, warning.category, str(warning.message))

    return run


@pytest.fixture
def unwarned() -> Callable[[Callable[[], object]], object]:
    """Run ``action``, assert it emitted no warning at all, return its result."""

    def run(action: Callable[[], object]) -> object:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = action()
        assert [str(w.message) for w in caught] == []
        return result

    return run
