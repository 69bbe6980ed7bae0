"""Deprecate keyword arguments that were renamed.

Drop-in compatible with :mod:`debtcollector.renames`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Literal, TypeVar, overload

from oslo_incubator.deprecation import _utils

KWARG_RENAMED_PREFIX_TPL: Final = "Using the '{old}' argument is deprecated"
KWARG_RENAMED_POSTFIX_TPL: Final = ", please use the '{new}' argument instead"

T = TypeVar("T")


@overload
def renamed_kwarg(
    old_name: str,
    new_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
    replace: Literal[False] = False,
) -> Callable[[T], T]: ...


# With replace=True the decorated callable accepts a keyword its signature
# does not declare, which no precise type can express: stay as permissive as
# debtcollector (whose decorators are typed Any).
@overload
def renamed_kwarg(
    old_name: str,
    new_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
    replace: bool = ...,
) -> Callable[[Any], Any]: ...


def renamed_kwarg(
    old_name: str,
    new_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
    replace: bool = False,
) -> Callable[[Any], Any]:
    """Deprecate the keyword argument ``old_name`` in favour of ``new_name``.

    Calls passing ``old_name`` warn with ``"Using the 'old_name' argument is
    deprecated, please use the 'new_name' argument instead"``. With
    ``replace=True`` the value is also handed over as ``new_name`` (unless
    ``new_name`` was passed too, which then wins), so the function only needs
    to accept the new name. Applies to functions, methods, class and static
    methods, ``async`` functions and classes (their constructor).

    :param old_name: the deprecated keyword argument
    :param new_name: the keyword argument to use instead
    :param message: text appended to the warning message
    :param version: version the rename happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`DeprecationWarning` by default
    :param replace: pass the value on under ``new_name``
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    out_message = _utils.build_message(
        KWARG_RENAMED_PREFIX_TPL.format(old=old_name),
        postfix=KWARG_RENAMED_POSTFIX_TPL.format(new=new_name),
        message=message,
        version=version,
        removal_version=removal_version,
    )
    warning_category = _utils.default_category(category)

    def build(target: Callable[..., Any], depth: int) -> Callable[..., Any]:
        level = stacklevel + depth
        if replace:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if old_name in kwargs:
                    _utils.emit(out_message, warning_category, level)
                    kwargs.setdefault(new_name, kwargs.pop(old_name))
                return target(*args, **kwargs)

        else:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if old_name in kwargs:
                    _utils.emit(out_message, warning_category, level)
                return target(*args, **kwargs)

        return wrapper

    def decorator(f: Any) -> Any:
        return _utils.decorate(f, build, None)

    return decorator
