"""Deprecate things that moved: functions, methods, properties, classes.

Drop-in compatible with :mod:`debtcollector.moves`.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, Final, ParamSpec, TypeVar, cast

from oslo_incubator.deprecation import _utils

KIND_MOVED_PREFIX_TPL: Final = "{kind} '{old}' has moved to '{new}'"
FUNCTION_MOVED_PREFIX_TPL: Final = "Function '{old}' has moved to '{new}'"
CLASS_MOVED_PREFIX_TPL: Final = "Class '{old}' has moved to '{new}'"
READ_ONLY_PROPERTY_MOVED_PREFIX_TPL: Final = "Read-only property '{old}' has moved to '{new}'"
MOVED_CALLABLE_POSTFIX: Final = "()"
UNEXPECTED_CLASS_TPL: Final = "Unexpected class type '{type_name}' (expected class type only)"

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def _moved_decorator(
    kind: str,
    new_attribute_name: str,
    message: str | None,
    version: str | None,
    removal_version: str | None,
    stacklevel: int,
    attr_postfix: str,
    category: type[Warning] | None,
) -> Callable[[T], T]:
    """Decorator warning that an attribute of a class moved to another name.

    Both names are qualified with the class the attribute is defined in (taken
    from the decorated function's ``__qualname__``), and the message is built
    once, when the decorator is applied.
    """
    _utils.check_removal_version(removal_version)
    warning_category = _utils.default_category(category)

    def decorator(f: T) -> T:
        old_name = _utils.qualified_name(f)
        owner = old_name.rpartition(".")[0]
        new_name = f"{owner}.{new_attribute_name}" if owner else new_attribute_name
        prefix = KIND_MOVED_PREFIX_TPL.format(kind=kind, old=old_name + attr_postfix, new=new_name)
        out_message = _utils.build_message(
            prefix, message=message, version=version, removal_version=removal_version
        )
        builder = _utils.always_warn(out_message, warning_category, stacklevel)
        return cast(T, _utils.decorate(f, builder, out_message))

    return decorator


def moved_function(
    new_func: Callable[P, R],
    old_func_name: str,
    old_module_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[P, R]:
    """Keep a function reachable at its old location, warning on every call.

    ``old = moved_function(new, 'old', __name__)`` in the old module returns a
    wrapper named ``old`` (``__name__``, ``__qualname__`` and ``__module__``
    point at the old location, so it pickles from there) that warns with
    ``"Function 'old_module.old()' has moved to 'new_module.new()'"``.

    :param new_func: the function at its new location
    :param old_func_name: its former name
    :param old_module_name: its former module
    :param message: text appended to the warning message
    :param version: version the move happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    old = f"{old_module_name}.{old_func_name}{MOVED_CALLABLE_POSTFIX}"
    new = _utils.callable_name(new_func) + MOVED_CALLABLE_POSTFIX
    out_message = _utils.build_message(
        FUNCTION_MOVED_PREFIX_TPL.format(old=old, new=new),
        message=message,
        version=version,
        removal_version=removal_version,
    )
    builder = _utils.always_warn(out_message, _utils.default_category(category), stacklevel)
    old_func = _utils.wrap_callable(new_func, builder, out_message)
    old_func.__name__ = old_func_name
    old_func.__qualname__ = old_func_name
    old_func.__module__ = old_module_name
    return cast(Callable[P, R], old_func)


class moved_read_only_property:
    """Descriptor for a read-only attribute that moved to another name.

    ``colour = moved_read_only_property('colour', 'color')`` in a class body
    makes reading ``colour`` (on the class or an instance) warn with
    ``"Read-only property 'colour' has moved to 'color'"`` and return
    ``color``.

    :param old_name: the former attribute name
    :param new_name: the attribute to read instead
    :param version: version the move happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the reading line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """

    def __init__(
        self,
        old_name: str,
        new_name: str,
        version: str | None = None,
        removal_version: str | None = None,
        stacklevel: int = 3,
        category: type[Warning] | None = None,
    ) -> None:
        self._old_name = old_name
        self._new_name = new_name
        self._message = _utils.build_message(
            READ_ONLY_PROPERTY_MOVED_PREFIX_TPL.format(old=old_name, new=new_name),
            version=version,
            removal_version=removal_version,
        )
        self._stacklevel = stacklevel
        self._category = _utils.default_category(category)
        self.__deprecated__ = self._message

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Any:
        _utils.emit(self._message, self._category, self._stacklevel)
        return getattr(owner if instance is None else instance, self._new_name)


def moved_method(
    new_method_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[[T], T]:
    """Deprecate a method kept under its old name after a rename.

    Decorate the old method (usually a one-line forwarder to the new one);
    calls warn with ``"Method 'Thing.old()' has moved to 'Thing.new()'"``.

    :param new_method_name: the new method's name (``"()"`` is appended if
        missing)
    :param message: text appended to the warning message
    :param version: version the move happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    if not new_method_name.endswith(MOVED_CALLABLE_POSTFIX):
        new_method_name += MOVED_CALLABLE_POSTFIX
    return _moved_decorator(
        "Method",
        new_method_name,
        message=message,
        version=version,
        removal_version=removal_version,
        stacklevel=stacklevel,
        attr_postfix=MOVED_CALLABLE_POSTFIX,
        category=category,
    )


def moved_property(
    new_attribute_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[[T], T]:
    """Deprecate a property kept under its old name after a rename.

    Put it under ``@property`` (``@property`` then ``@moved_property('new')``
    then the getter); reading warns with ``"Property 'Thing.old' has moved to
    'Thing.new'"``.

    :param new_attribute_name: the new property's name
    :param message: text appended to the warning message
    :param version: version the move happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the reading line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    return _moved_decorator(
        "Property",
        new_attribute_name,
        message=message,
        version=version,
        removal_version=removal_version,
        stacklevel=stacklevel,
        attr_postfix="",
        category=category,
    )


def moved_class(
    new_class: type[T],
    old_class_name: str,
    old_module_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> type[T]:
    """Keep a class reachable at its old location, warning on instantiation.

    Returns a subclass of ``new_class`` named ``old_class_name`` in
    ``old_module_name`` (so existing ``isinstance`` checks, subclasses and
    pickles keep working); creating an instance of it or of a subclass of it
    warns with ``"Class 'old_module.Old' has moved to 'new_module.New'"``.

    :param new_class: the class at its new location
    :param old_class_name: its former name
    :param old_module_name: its former module
    :param message: text appended to the warning message
    :param version: version the move happened in
    :param removal_version: version or release series the old name goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the instantiating line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    :raises TypeError: if ``new_class`` is not a class
    """
    if not isinstance(new_class, type):
        type_name = _utils.qualified_name(type(new_class))
        raise TypeError(UNEXPECTED_CLASS_TPL.format(type_name=type_name))
    out_message = _utils.build_message(
        CLASS_MOVED_PREFIX_TPL.format(
            old=f"{old_module_name}.{old_class_name}", new=_utils.class_name(new_class)
        ),
        message=message,
        version=version,
        removal_version=removal_version,
    )

    def fill_namespace(namespace: dict[str, Any]) -> None:
        namespace["__module__"] = old_module_name
        namespace["__doc__"] = new_class.__doc__

    old_class = types.new_class(old_class_name, (new_class,), exec_body=fill_namespace)
    builder = _utils.always_warn(out_message, _utils.default_category(category), stacklevel)
    return cast(type[T], _utils.decorate(old_class, builder, out_message))
