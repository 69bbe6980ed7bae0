"""The debt scan's table of helpers (``DEBT_APIS``) against the helpers themselves:
this toolkit's run-time decorators, from which it is derived, and debtcollector's,
whose calls it reads the same way."""

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import oslo_incubator.deprecation as ours
from oslo_incubator.analysis.deprecations import DEBT_APIS
from oslo_incubator.deprecation import moves, removals, renames, updating


def _helper(root: ModuleType, api: str) -> Callable[..., Any]:
    obj: Any = root
    for part in api.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _positional(helper: Callable[..., Any]) -> tuple[str, ...]:
    names = []
    for parameter in inspect.signature(helper).parameters.values():
        if parameter.name == "stacklevel" or parameter.kind not in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            break
        names.append(parameter.name)
    return tuple(names)


def test_every_public_helper_of_the_run_time_modules_is_in_the_table() -> None:
    public = {
        f"{module.__name__.rpartition('.')[2]}.{name}"
        for module in (moves, removals, renames, updating)
        for name, obj in vars(module).items()
        if not name.startswith("_") and callable(obj) and obj.__module__ == module.__name__
    }
    assert public | {"deprecate"} == set(DEBT_APIS)


def test_the_table_gives_the_run_time_helpers_parameters_in_order() -> None:
    # Spelled out once, as the scan reads them: a call's positional arguments map to
    # these names (removed_property's version, removal_version and message come after
    # stacklevel and category, so they are read by keyword only).
    assert DEBT_APIS["removals.remove"] == ("f", "message", "version", "removal_version")
    assert DEBT_APIS["removals.removed_property"] == ("fget", "fset", "fdel", "doc")
    assert DEBT_APIS["updating.updated_kwarg_default_value"] == (
        "name", "old_value", "new_value", "message", "version",
    )  # fmt: skip
    for api, params in DEBT_APIS.items():
        signature = inspect.signature(_helper(ours, api))
        assert list(signature.parameters)[: len(params)] == list(params), api


@pytest.mark.parametrize("api", sorted(DEBT_APIS))
def test_debtcollector_takes_the_same_positional_parameters(api: str) -> None:
    debtcollector = pytest.importorskip("debtcollector")
    for module in ("moves", "removals", "renames", "updating"):
        pytest.importorskip(f"debtcollector.{module}")
    assert _positional(_helper(debtcollector, api)) == DEBT_APIS[api]
