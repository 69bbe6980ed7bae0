"""Deprecate the current default value of a keyword argument.

Drop-in compatible with :mod:`debtcollector.updating`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

from oslo_incubator.deprecation import _utils

KWARG_UPDATED_PREFIX_TPL: Final = (
    "The {name} argument is changing its default value to {new_value}"
)
KWARG_UPDATED_POSTFIX_TPL: Final = (
    ", please update the code to explicitly set {old_value} as the value"
)
UNKNOWN_PARAMETER_TPL: Final = (
    "'{function}' has no parameter {name!r} (and no **kwargs), so its default value cannot change"
)

T = TypeVar("T")


def _position_of(target: Callable[..., Any], name: str) -> int | None:
    """Index of parameter ``name`` if it can be passed positionally, else ``None``.

    :raises ValueError: if ``target`` can receive no argument called ``name``
    """
    parameters = list(inspect.signature(target).parameters.values())
    for index, parameter in enumerate(parameters):
        if parameter.name == name and parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            return index
        if parameter.name == name or parameter.kind is inspect.Parameter.VAR_KEYWORD:
            return None
    raise ValueError(
        UNKNOWN_PARAMETER_TPL.format(function=_utils.qualified_name(target), name=name)
    )


def updated_kwarg_default_value(
    name: str,
    old_value: str,
    new_value: str,
    message: str | None = None,
    version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] = FutureWarning,
) -> Callable[[T], T]:
    """Warn callers relying on a default value that is about to change.

    Calls that leave ``name`` to its default (pass it neither positionally nor
    by keyword) warn with ``"The name argument is changing its default value
    to new_value, please update the code to explicitly set old_value as the
    value"``. Positional arguments are matched against the signature of the
    decorated callable, ``self``/``cls`` included, so methods are handled too.

    :param name: the keyword argument whose default changes
    :param old_value: the current default, shown in the message
    :param new_value: the future default, shown in the message
    :param message: text appended to the warning message
    :param version: version the change was announced in
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`FutureWarning` by default
    :raises ValueError: when applied to a callable that cannot take ``name``
    """
    out_message = _utils.build_message(
        KWARG_UPDATED_PREFIX_TPL.format(name=name, new_value=new_value),
        postfix=KWARG_UPDATED_POSTFIX_TPL.format(old_value=old_value),
        message=message,
        version=version,
    )
    warning_category = _utils.default_category(category)

    def build(target: Callable[..., Any], depth: int) -> Callable[..., Any]:
        level = stacklevel + depth
        position = _position_of(target, name)
        if position is None:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if name not in kwargs:
                    _utils.emit(out_message, warning_category, level)
                return target(*args, **kwargs)

        else:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if len(args) <= position and name not in kwargs:
                    _utils.emit(out_message, warning_category, level)
                return target(*args, **kwargs)

        return wrapper

    def decorator(f: T) -> T:
        return cast(T, _utils.decorate(f, build, None))

    return decorator
