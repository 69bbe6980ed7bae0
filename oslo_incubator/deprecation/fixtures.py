"""Test helpers: silence this toolkit's deprecation warnings, or make them errors.

The fixtures follow the shape of the ``fixtures`` library (``setUp``,
``cleanUp``, ``_setUp``, ``addCleanup``, ``getDetails``) without importing
it, so ``self.useFixture(DisableFixture())`` works in testtools/oslotest test
cases, and they are context managers too (``with strict(): ...``) for pytest
or plain :mod:`unittest`.

Only warnings emitted by :mod:`oslo_incubator.deprecation` are affected;
other libraries' warnings and the :mod:`warnings` filters are left alone.
Overrides nest and the innermost active one wins; with none active the
``OSLO_INCUBATOR_DEPRECATION_STRICT`` environment variable decides.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, TypeVar

from oslo_incubator.deprecation import _utils

F = TypeVar("F", bound="Fixture")


class Fixture:
    """Minimal stand-in for ``fixtures.Fixture`` (no third-party import).

    Subclasses override :meth:`_setUp` and register undo actions with
    :meth:`addCleanup`; :meth:`cleanUp` runs them last-in first-out.
    """

    def __init__(self) -> None:
        self._cleanups: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []

    def _setUp(self) -> None:
        """Set the fixture up; subclasses override this."""

    def setUp(self) -> None:
        """Set the fixture up, cleaning up again if that fails."""
        self._cleanups = []
        try:
            self._setUp()
        except BaseException:
            self.cleanUp(raise_first=False)
            raise

    def addCleanup(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Register ``function(*args, **kwargs)`` to run at :meth:`cleanUp`."""
        self._cleanups.append((function, args, kwargs))

    def cleanUp(self, raise_first: bool = True) -> list[BaseException] | None:
        """Run the registered cleanups, newest first.

        All cleanups run even if some fail. With ``raise_first`` the first
        failure is re-raised afterwards; otherwise the failures are returned.
        """
        errors: list[BaseException] = []
        while self._cleanups:
            function, args, kwargs = self._cleanups.pop()
            try:
                function(*args, **kwargs)
            except Exception as error:  # keep running the other cleanups
                errors.append(error)
        if errors and raise_first:
            raise errors[0]
        return errors or None

    def reset(self) -> None:
        """Clean up and set up again."""
        self.cleanUp()
        self.setUp()

    def getDetails(self) -> dict[str, Any]:
        """Return the fixture's details for test reports (none here)."""
        return {}

    def useFixture(self, fixture: F) -> F:
        """Set ``fixture`` up now and clean it up with this one."""
        fixture.setUp()
        self.addCleanup(fixture.cleanUp)
        return fixture

    def __enter__(self: F) -> F:
        self.setUp()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        self.cleanUp()


class _ModeFixture(Fixture):
    """Fixture holding one mode on the override stack while set up."""

    mode: str = _utils.SILENT

    def _setUp(self) -> None:
        token = _utils.modes.push(self.mode)
        self.addCleanup(_utils.modes.pop, token)


class DisableFixture(_ModeFixture):
    """Silence every warning emitted by this toolkit while set up.

    Same name and effect as ``debtcollector.fixtures.disable.DisableFixture``.
    """

    mode = _utils.SILENT


class StrictFixture(_ModeFixture):
    """Make every warning of this toolkit raise (as its category) while set up.

    Equivalent to ``OSLO_INCUBATOR_DEPRECATION_STRICT=1`` but scoped to a test
    or a ``with`` block; it also overrides an enclosing :class:`DisableFixture`.
    """

    mode = _utils.STRICT


def silenced() -> DisableFixture:
    """Return a context manager (and fixture) silencing this toolkit's warnings.

    ``with silenced(): old_api()`` runs ``old_api`` without warnings.
    """
    return DisableFixture()


def strict() -> StrictFixture:
    """Return a context manager (and fixture) turning this toolkit's warnings into errors.

    ``with strict(): old_api()`` raises :class:`DeprecationWarning` (or the
    category the deprecation uses) instead of warning; in a testtools test,
    ``self.useFixture(strict())`` does the same for the whole test.
    """
    return StrictFixture()


def is_strict() -> bool:
    """Tell whether this toolkit's warnings would raise right now."""
    return _utils.is_strict_now()
