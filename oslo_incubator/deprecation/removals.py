"""Deprecate things that are going away: callables, classes, kwargs, modules, properties.

Drop-in compatible with :mod:`debtcollector.removals`.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast, overload

from oslo_incubator.deprecation import _utils

FUNCTION_REMOVED_PREFIX_TPL: Final = "Using function/method '{name}()' is deprecated"
CLASS_REMOVED_PREFIX_TPL: Final = "Using class '{name}' is deprecated"
CLASS_REMOVED_INHERITED_PREFIX_TPL: Final = (
    "Using class '{name}' (either directly or via inheritance) is deprecated"
)
KWARG_REMOVED_PREFIX_TPL: Final = "Using the '{name}' argument is deprecated"
MODULE_REMOVED_PREFIX_TPL: Final = "The '{name}' module usage is deprecated"
MODULE_REPLACEMENT_POSTFIX_TPL: Final = ", please use {replacement} instead"
PROPERTY_REMOVED_PREFIX_TPLS: Final = {
    "get": "Reading the '{name}' property is deprecated",
    "set": "Setting the '{name}' property is deprecated",
    "delete": "Deleting the '{name}' property is deprecated",
}
UNEXPECTED_CLASS_TPL: Final = "Unexpected class type '{type_name}' (expected class type only)"
UNEXPECTED_MODULE_TPL: Final = (
    "Unexpected module type '{type_name}' (expected string or module type only)"
)
UNREADABLE_ATTRIBUTE: Final = "unreadable attribute"
UNSETTABLE_ATTRIBUTE: Final = "can't set attribute"
UNDELETABLE_ATTRIBUTE: Final = "can't delete attribute"

T = TypeVar("T")
C = TypeVar("C", bound=type[Any])


class removed_property(property):
    """A :class:`property` that warns whenever it is read, set or deleted.

    Use it like ``@property`` (``@removed_property`` or
    ``@removed_property(message=..., version=...)``, then ``.setter`` and
    ``.deleter`` as usual). The message names the property after the
    qualified name of its first accessor, e.g. ``"Reading the 'Thing.colour'
    property is deprecated"``.

    :param message: text appended to the warning message
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the property goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the line using the property
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """

    stacklevel: int
    category: type[Warning]
    version: str | None
    removal_version: str | None
    message: str | None

    def __init__(
        self,
        fget: Callable[[Any], Any] | None = None,
        fset: Callable[[Any, Any], None] | None = None,
        fdel: Callable[[Any], None] | None = None,
        doc: str | None = None,
        stacklevel: int = 3,
        category: type[Warning] = DeprecationWarning,
        version: str | None = None,
        removal_version: str | None = None,
        message: str | None = None,
    ) -> None:
        if doc is None and inspect.isfunction(fget):
            doc = fget.__doc__
        super().__init__(fget, fset, fdel, doc)
        # property only stores ``doc`` where a subclass's own docstring would
        # shadow it, so keep it on the instance.
        self.__doc__ = doc
        self.stacklevel = stacklevel
        self.category = _utils.default_category(category)
        self.version = version
        self.removal_version = removal_version
        self.message = message
        name = _utils.qualified_name(self)
        self._messages = {
            kind: _utils.build_message(
                template.format(name=name),
                message=message,
                version=version,
                removal_version=removal_version,
            )
            for kind, template in PROPERTY_REMOVED_PREFIX_TPLS.items()
        }
        kind = "get" if fget is not None else "set" if fset is not None else "delete"
        self.__deprecated__ = self._messages[kind]

    def _copy(
        self,
        fget: Callable[[Any], Any] | None,
        fset: Callable[[Any, Any], None] | None,
        fdel: Callable[[Any], None] | None,
        doc: str | None,
        **overrides: Any,
    ) -> removed_property:
        return type(self)(
            fget,
            fset,
            fdel,
            doc,
            overrides.get("stacklevel", self.stacklevel),
            overrides.get("category", self.category),
            overrides.get("version", self.version),
            overrides.get("removal_version", self.removal_version),
            overrides.get("message", self.message),
        )

    def __call__(self, fget: Callable[[Any], Any], **kwargs: Any) -> removed_property:
        """Apply a parametrised ``@removed_property(...)`` to its getter."""
        doc = kwargs.pop("doc", getattr(fget, "__doc__", self.__doc__))
        return self._copy(fget, self.fset, self.fdel, doc, **kwargs)

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Any:
        if instance is None:
            return self
        if self.fget is None:
            raise AttributeError(UNREADABLE_ATTRIBUTE)
        _utils.emit(self._messages["get"], self.category, self.stacklevel)
        return self.fget(instance)

    def __set__(self, instance: Any, value: Any) -> None:
        if self.fset is None:
            raise AttributeError(UNSETTABLE_ATTRIBUTE)
        _utils.emit(self._messages["set"], self.category, self.stacklevel)
        self.fset(instance, value)

    def __delete__(self, instance: Any) -> None:
        if self.fdel is None:
            raise AttributeError(UNDELETABLE_ATTRIBUTE)
        _utils.emit(self._messages["delete"], self.category, self.stacklevel)
        self.fdel(instance)

    def getter(self, fget: Callable[[Any], Any], /) -> removed_property:
        """Return a copy of this property with a different getter."""
        return self._copy(fget, self.fset, self.fdel, self.__doc__)

    def setter(self, fset: Callable[[Any, Any], None], /) -> removed_property:
        """Return a copy of this property with a different setter."""
        return self._copy(self.fget, fset, self.fdel, self.__doc__)

    def deleter(self, fdel: Callable[[Any], None], /) -> removed_property:
        """Return a copy of this property with a different deleter."""
        return self._copy(self.fget, self.fset, fdel, self.__doc__)


@overload
def remove(
    f: T,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> T: ...


@overload
def remove(
    f: None = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[[T], T]: ...


def remove(
    f: Any = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Any:
    """Deprecate a function, method, class or property for removal.

    Works bare (``@remove``) or with arguments (``@remove(version='2.0')``),
    on plain and ``async`` functions, methods, class and static methods (on
    either side of ``@classmethod``/``@staticmethod``), classes (warning on
    every instantiation, subclasses included) and properties (turned into a
    :class:`removed_property`). Calls warn with ``"Using function/method
    'Thing.method()' is deprecated"`` or ``"Using class 'Thing' is
    deprecated"``, followed by the version parts and ``message``.

    :param f: the thing to deprecate (leave out to get a decorator)
    :param message: text appended to the warning message
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the thing goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    _utils.check_removal_version(removal_version)
    if f is None:

        def decorator(target: T) -> T:
            return remove(target, message, version, removal_version, stacklevel, category)

        return decorator
    warning_category = _utils.default_category(category)
    if isinstance(f, property):
        return removed_property(
            f.fget,
            f.fset,
            f.fdel,
            f.__doc__,
            stacklevel,
            warning_category,
            version,
            removal_version,
            message,
        )
    name = _utils.qualified_name(f)
    if isinstance(f, type):
        prefix = CLASS_REMOVED_PREFIX_TPL.format(name=name)
    else:
        prefix = FUNCTION_REMOVED_PREFIX_TPL.format(name=name)
    out_message = _utils.build_message(
        prefix, message=message, version=version, removal_version=removal_version
    )
    builder = _utils.always_warn(out_message, warning_category, stacklevel)
    return _utils.decorate(f, builder, out_message)


def removed_kwarg(
    old_name: str,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[[T], T]:
    """Deprecate passing the keyword argument ``old_name``.

    Calls that pass ``old_name`` by keyword warn with ``"Using the 'old_name'
    argument is deprecated"``; other calls are untouched. Applies to the same
    targets as :func:`remove` (on a class, to its constructor).

    :param old_name: name of the deprecated keyword argument
    :param message: text appended to the warning message
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the argument goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the calling line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    """
    out_message = _utils.build_message(
        KWARG_REMOVED_PREFIX_TPL.format(name=old_name),
        message=message,
        version=version,
        removal_version=removal_version,
    )
    warning_category = _utils.default_category(category)

    def build(target: Callable[..., Any], depth: int) -> Callable[..., Any]:
        level = stacklevel + depth

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if old_name in kwargs:
                _utils.emit(out_message, warning_category, level)
            return target(*args, **kwargs)

        return wrapper

    def decorator(f: T) -> T:
        return cast(T, _utils.decorate(f, build, None))

    return decorator


def removed_class(
    cls_name: str,
    replacement: None = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> Callable[[C], C]:
    """Deprecate a class: instantiating it, or any subclass, warns.

    The warning reads ``"Using class 'cls_name' (either directly or via
    inheritance) is deprecated"``. The class itself is returned (its
    ``__init__`` wrapped), so ``isinstance``, subclassing and pickling keep
    working.

    :param cls_name: name to show in the message
    :param replacement: accepted and ignored, exactly as debtcollector does
    :param message: text appended to the warning message
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the class goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`; the default of 3 points at
        the instantiating line
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    :raises TypeError: when the decorator is applied to something not a class
    """
    out_message = _utils.build_message(
        CLASS_REMOVED_INHERITED_PREFIX_TPL.format(name=cls_name),
        message=message,
        version=version,
        removal_version=removal_version,
    )
    builder = _utils.always_warn(out_message, _utils.default_category(category), stacklevel)

    def decorator(cls: C) -> C:
        if not isinstance(cls, type):
            type_name = _utils.qualified_name(type(cls))
            raise TypeError(UNEXPECTED_CLASS_TPL.format(type_name=type_name))
        return cast(C, _utils.decorate(cls, builder, out_message))

    return decorator


def removed_module(
    module: types.ModuleType | str,
    replacement: str | None = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
    stacklevel: int = 3,
    category: type[Warning] | None = None,
) -> None:
    """Warn that a module is deprecated; call it from the module's body.

    The warning reads ``"The 'package.module' module usage is deprecated"``
    (plus ``", please use <replacement> instead"`` when given) and, with the
    default ``stacklevel``, points at the ``import`` statement. The module, if
    already in :data:`sys.modules`, also gets a PEP 702 ``__deprecated__``.

    :param module: the module object or its dotted name
    :param replacement: where to go instead, quoted verbatim in the message
    :param message: text appended to the warning message
    :param version: version the deprecation was introduced in
    :param removal_version: version or release series the module goes away in, or ``'?'``
    :param stacklevel: as for :func:`warnings.warn`
    :param category: warning category, :class:`DeprecationWarning` by default
    :raises ValueError: in strict mode, if ``removal_version`` cannot be ordered
    :raises TypeError: if ``module`` is neither a module nor a string
    """
    if isinstance(module, types.ModuleType):
        module_name = module.__name__
        module_object: types.ModuleType | None = module
    elif isinstance(module, str):
        module_name = module
        module_object = sys.modules.get(module)
    else:
        type_name = _utils.qualified_name(type(module))
        raise TypeError(UNEXPECTED_MODULE_TPL.format(type_name=type_name))
    postfix = (
        MODULE_REPLACEMENT_POSTFIX_TPL.format(replacement=replacement) if replacement else None
    )
    out_message = _utils.build_message(
        MODULE_REMOVED_PREFIX_TPL.format(name=module_name),
        postfix=postfix,
        message=message,
        version=version,
        removal_version=removal_version,
    )
    if module_object is not None:
        _utils.mark_deprecated(module_object, out_message)
    _utils.emit(out_message, _utils.default_category(category), stacklevel)
