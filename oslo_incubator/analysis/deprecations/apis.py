"""Which deprecation helpers the scan recognises, by dotted name, and the positional
parameters of each (how a call's arguments map to ``message``, ``removal_version``...).

The debtcollector API is read from this toolkit's own copy of it,
:mod:`oslo_incubator.deprecation`, whose names and parameters are debtcollector's
(``tests/deprecation`` holds them to it): the table cannot drift from the decorators.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from oslo_incubator import deprecation
from oslo_incubator.deprecation import moves, removals, renames, updating
from oslo_incubator.model.debt import DeprecationSource

_HELPERS: tuple[Callable[..., Any], ...] = (
    removals.remove, removals.removed_kwarg, removals.removed_class,
    removals.removed_module, removals.removed_property,
    moves.moved_function, moves.moved_method, moves.moved_property,
    moves.moved_read_only_property, moves.moved_class,
    renames.renamed_kwarg, updating.updated_kwarg_default_value, deprecation.deprecate,
)  # fmt: skip


def _positional(helper: Callable[..., Any]) -> tuple[str, ...]:
    """The parameters a call may pass positionally, up to ``stacklevel``: from there on
    they say how to warn, not what is deprecated (``removed_property`` takes its
    ``version``, ``removal_version`` and ``message`` after ``stacklevel`` and
    ``category``, so those are read by keyword only)."""
    names = []
    for parameter in inspect.signature(helper).parameters.values():
        if parameter.name == "stacklevel" or parameter.kind not in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            break
        names.append(parameter.name)
    return tuple(names)


def _api_name(helper: Callable[..., Any]) -> str:
    """``removals.remove``: the helper's name relative to the package."""
    module = helper.__module__.removeprefix(deprecation.__name__).lstrip(".")
    return f"{module}.{helper.__name__}" if module else helper.__name__


# The debtcollector API (and this toolkit's copy of it), relative to the package, with
# each helper's positional parameters in order (keyword arguments are read by name).
DEBT_APIS: dict[str, tuple[str, ...]] = {_api_name(h): _positional(h) for h in _HELPERS}
DEBT_PACKAGES = {
    "oslo_incubator.deprecation": DeprecationSource.OSLO_INCUBATOR,
    "debtcollector": DeprecationSource.DEBTCOLLECTOR,
}
PEP702_APIS = ("warnings.deprecated", "typing_extensions.deprecated")
VERSIONUTILS_PARAMS = ("as_of", "in_favor_of", "remove_in", "what")
VERSIONUTILS_DEFAULT_REMOVE_IN = 2

# Helpers used as a call statement or an assignment, not as a decorator.
CALL_FORMS = frozenset(
    {"removals.removed_module", "moves.moved_function", "moves.moved_class",
     "moves.moved_read_only_property", "deprecate"}
)  # fmt: skip
KWARG_FORMS = frozenset(
    {"removals.removed_kwarg", "renames.renamed_kwarg", "updating.updated_kwarg_default_value"}
)


def classify_api(dotted: str) -> tuple[DeprecationSource, str] | None:
    """Which deprecation helper a resolved dotted name is, if any.

    >>> classify_api("debtcollector.removals.remove")
    (<DeprecationSource.DEBTCOLLECTOR: 'debtcollector'>, 'removals.remove')
    """
    for package, source in DEBT_PACKAGES.items():
        if dotted.startswith(package + "."):
            api = dotted[len(package) + 1 :]
            if api in DEBT_APIS:
                return source, api
    if dotted in PEP702_APIS:
        return DeprecationSource.PEP702, "deprecated"
    if dotted == "versionutils.deprecated" or dotted.endswith(".versionutils.deprecated"):
        return DeprecationSource.VERSIONUTILS, "versionutils.deprecated"
    return None
