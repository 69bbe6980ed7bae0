"""Internals shared by the :mod:`oslo_incubator.deprecation` modules (private).

Everything here is standard library only. The public modules build their
message once, at decoration time, and hand :func:`decorate` a *builder*: a
function that, given the callable to wrap and how many extra stack frames sit
between the caller and the wrapper, returns the wrapper. Keeping the per-call
work inside those small closures is what keeps the call overhead low.

:func:`emit` is the single place a warning leaves the toolkit. It sits at the
same stack depth as debtcollector's ``_utils.deprecation`` so a ``stacklevel``
means exactly what it means with debtcollector (the default of 3 points at the
line that called the deprecated thing).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import threading
import types
import warnings
from collections.abc import Callable
from typing import Any, Final

from oslo_incubator.deprecation import versions

#: Environment variable that, when set to a true value ("1", "true", "yes",
#: "on"), makes every warning of this toolkit raise instead. Read each time a
#: warning is about to be emitted, never cached.
STRICT_ENV_VAR: Final = "OSLO_INCUBATOR_DEPRECATION_STRICT"
STRICT_ENV_VALUES: Final = frozenset({"1", "true", "yes", "on"})

#: ``removal_version`` meaning "some future version nobody picked yet".
UNKNOWN_REMOVAL_VERSION: Final = "?"

IN_VERSION_TPL: Final = " in version '{version}'"
REMOVED_IN_FUTURE_VERSION: Final = " and will be removed in a future version"
REMOVED_IN_VERSION_TPL: Final = " and will be removed in version '{removal_version}'"
TRAILING_MESSAGE_TPL: Final = ": {message}"
INVALID_REMOVAL_VERSION_TPL: Final = (
    "removal_version {removal_version!r} is neither a PEP 440 version nor a release "
    "series, so it cannot be ordered (use '?' for an unknown future version; strict "
    "mode refuses it)"
)
NOT_CALLABLE_TPL: Final = (
    "Unexpected type '{type_name}' (expected a callable, a class or a property)"
)
OBJECT_TAKES_NO_ARGUMENTS_TPL: Final = "{name}() takes no arguments"

#: Override modes installed by :mod:`oslo_incubator.deprecation.fixtures`.
SILENT: Final = "silent"
STRICT: Final = "strict"

#: A builder gets the callable to wrap and the number of extra frames between
#: the user's call and the wrapper it returns (0, or 1 for the coroutine
#: function stand-in used before Python 3.12).
Builder = Callable[[Callable[..., Any], int], Callable[..., Any]]


class _Modes:
    """The stack of overrides pushed by the fixtures; innermost wins.

    This is the only mutable module state of the package: the strict and
    silencing fixtures need something process-wide to talk to the wrappers.
    ``current`` is recomputed on every push and pop so that :func:`emit` reads
    one attribute instead of walking the stack.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stack: list[tuple[object, str]] = []
        self.current: str | None = None

    def push(self, mode: str) -> object:
        """Make ``mode`` the current one; return the token that undoes it."""
        token = object()
        with self._lock:
            self._stack.append((token, mode))
            self.current = mode
        return token

    def pop(self, token: object) -> None:
        """Undo the push that returned ``token`` (in any order; twice is harmless)."""
        with self._lock:
            self._stack = [entry for entry in self._stack if entry[0] is not token]
            self.current = self._stack[-1][1] if self._stack else None


modes: Final = _Modes()


def _encode_environ_key(key: str) -> Any:
    """Spell ``key`` the way :data:`os.environ` stores it (bytes on POSIX)."""
    encodekey = getattr(os.environ, "encodekey", None)
    return key if encodekey is None else encodekey(key)


_STRICT_ENV_KEY: Final = _encode_environ_key(STRICT_ENV_VAR)


def strict_from_environment() -> bool:
    """Tell whether :data:`STRICT_ENV_VAR` asks for strict mode right now.

    This runs before every warning, so it looks the variable up in the live
    mapping behind :data:`os.environ` (its ``_data``, which every
    ``os.environ[...] = ...``, ``monkeypatch.setenv`` or ``mock.patch.dict``
    updates) instead of calling ``os.environ.get()``: that raises and catches
    a :class:`KeyError` whenever the variable is unset, the common case, and
    costs about as much as the warning itself.
    """
    environ: Any = os.environ
    try:
        raw = environ._data.get(_STRICT_ENV_KEY)
    except AttributeError:  # os.environ replaced by a plain mapping
        value = environ.get(STRICT_ENV_VAR)
    else:
        if raw is None:
            return False
        value = environ.decodevalue(raw)
    return isinstance(value, str) and value.strip().lower() in STRICT_ENV_VALUES


def emit(message: str, category: type[Warning], stacklevel: int) -> None:
    """Warn with ``message``, or raise it in strict mode, or drop it if silenced.

    ``stacklevel`` counts from this function, as debtcollector's does from its
    own ``deprecation()`` helper: 1 is here, 2 the wrapper, 3 its caller.
    """
    mode = modes.current
    if mode is None:
        if strict_from_environment():
            raise category(message)
    elif mode == SILENT:
        return
    else:
        raise category(message)
    warnings.warn(message, category, stacklevel=stacklevel)


def check_removal_version(removal_version: object) -> None:
    """In strict mode, raise :class:`ValueError` unless ``removal_version`` can be ordered.

    Outside strict mode every value is accepted, as debtcollector accepts it: real
    code passes release names (``'Ocata'``), initials (``'T'``), ``'N*-cycle'`` and
    free text, and a project swapping the import must not crash on start-up. Strict
    mode (the environment variable or :func:`~oslo_incubator.deprecation.fixtures.strict`)
    accepts what :func:`~oslo_incubator.deprecation.versions.is_orderable` can place in
    time, with the extra series of
    :data:`~oslo_incubator.deprecation.versions.SERIES_ENV_VAR`.
    """
    if not is_strict_now():
        return
    if not versions.is_orderable(removal_version, versions.series_from_environment()):
        raise ValueError(INVALID_REMOVAL_VERSION_TPL.format(removal_version=removal_version))


def is_strict_now() -> bool:
    """Whether this toolkit's warnings raise right now (a fixture, else the environment)."""
    mode = modes.current
    if mode is None:
        return strict_from_environment()
    return mode == STRICT


def build_message(
    prefix: str,
    postfix: str | None = None,
    message: str | None = None,
    version: str | None = None,
    removal_version: str | None = None,
) -> str:
    """Assemble a message in debtcollector's format (``removal_version`` checked in
    strict mode only, see :func:`check_removal_version`).

    The shape is ``<prefix>[ in version 'V'][ and will be removed in ...]``
    ``[<postfix>][: <message>]``.
    """
    check_removal_version(removal_version)
    parts = [prefix]
    if version:
        parts.append(IN_VERSION_TPL.format(version=version))
    if removal_version:
        if removal_version == UNKNOWN_REMOVAL_VERSION:
            parts.append(REMOVED_IN_FUTURE_VERSION)
        else:
            parts.append(REMOVED_IN_VERSION_TPL.format(removal_version=removal_version))
    if postfix:
        parts.append(postfix)
    if message:
        parts.append(TRAILING_MESSAGE_TPL.format(message=message))
    return "".join(parts)


def default_category(category: type[Warning] | None) -> type[Warning]:
    """Return ``category``, or :class:`DeprecationWarning` when it is ``None``."""
    return DeprecationWarning if category is None else category


def qualified_name(obj: Any) -> str:
    """Name ``obj`` the way debtcollector's messages do (its ``__qualname__``).

    Class and static methods are named after their function and properties
    after their first accessor; objects without a name fall back to their
    type's name.
    """
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        accessor = obj.fget or obj.fset or obj.fdel
        return "???" if accessor is None else qualified_name(accessor)
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if isinstance(name, str):
        return name
    return type(obj).__qualname__


def callable_name(obj: Any) -> str:
    """Return ``module.qualname`` for a callable (its type's, if it has none)."""
    if isinstance(getattr(obj, "__qualname__", None), str):
        module, name = getattr(obj, "__module__", None), obj.__qualname__
    else:
        module, name = type(obj).__module__, type(obj).__qualname__
    return f"{module}.{name}" if module else name


def class_name(cls: type[Any]) -> str:
    """Return ``module.Name`` for a class, or just ``Name`` for builtins."""
    if cls.__module__ == "builtins":
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"


def always_warn(message: str, category: type[Warning], stacklevel: int) -> Builder:
    """Builder for wrappers that warn with ``message`` on every call."""

    def build(target: Callable[..., Any], depth: int) -> Callable[..., Any]:
        level = stacklevel + depth

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            emit(message, category, level)
            return target(*args, **kwargs)

        return wrapper

    return build


def mark_deprecated(obj: Any, message: str | None) -> None:
    """Set the PEP 702 ``__deprecated__`` attribute when there is a message."""
    if message is not None:
        obj.__deprecated__ = message


def decorate(obj: Any, build: Builder, deprecated: str | None) -> Any:
    """Wrap ``obj`` with what ``build`` returns, keeping the kind of ``obj``.

    * class and static methods are unwrapped, wrapped and re-wrapped;
    * a class is changed in place: its ``__init__`` is wrapped, so subclasses
      are covered too and the class stays picklable and ``isinstance``-able;
    * a plain :class:`property` gets each of its accessors wrapped;
    * any other callable gets a wrapper via :func:`wrap_callable`.

    ``deprecated`` (when not ``None``) becomes the PEP 702 ``__deprecated__``.
    """
    if isinstance(obj, (classmethod, staticmethod)):
        rewrapped = type(obj)(decorate(obj.__func__, build, deprecated))
        mark_deprecated(rewrapped, deprecated)
        return rewrapped
    if isinstance(obj, type):
        wrap_init(obj, build)
        mark_deprecated(obj, deprecated)
        return obj
    if type(obj) is property:
        fget, fset, fdel = (
            None if accessor is None else wrap_callable(accessor, build, deprecated)
            for accessor in (obj.fget, obj.fset, obj.fdel)
        )
        return property(fget, fset, fdel, obj.__doc__)
    if not callable(obj):
        raise TypeError(NOT_CALLABLE_TPL.format(type_name=qualified_name(type(obj))))
    return wrap_callable(obj, build, deprecated)


def wrap_callable(func: Callable[..., Any], build: Builder, deprecated: str | None) -> Any:
    """Return a wrapper of ``func`` that looks like ``func``.

    The wrapper keeps ``__name__``, ``__qualname__``, ``__doc__``,
    ``__module__`` and gains ``__wrapped__`` (so :func:`inspect.signature` and
    pickling by reference keep working). A coroutine function stays one for
    :func:`inspect.iscoroutinefunction`, while the warning is still emitted
    when it is *called*, not when the coroutine is first awaited.
    """
    wrapper: Any
    if inspect.iscoroutinefunction(func):
        if sys.version_info >= (3, 12):
            wrapper = functools.update_wrapper(build(func, 0), func)
            inspect.markcoroutinefunction(wrapper)
        else:
            wrapper = _CoroutineFunction(func, build(func, 1))
    else:
        wrapper = functools.update_wrapper(build(func, 0), func)
    copy_signature(wrapper, func)
    mark_deprecated(wrapper, deprecated)
    return wrapper


def copy_signature(wrapper: Any, func: Callable[..., Any]) -> None:
    """Pin ``func``'s signature on ``wrapper`` as ``__signature__``.

    :func:`inspect.signature` would find it through ``__wrapped__`` anyway, but
    :func:`inspect.getfullargspec` (used by older code and by debtcollector's
    own tests) does not follow ``__wrapped__``; it does honour
    ``__signature__``.
    """
    try:
        wrapper.__signature__ = inspect.signature(func)
    except (TypeError, ValueError):  # e.g. builtins without a text signature
        pass


def _object_init(self: object, *args: Any, **kwargs: Any) -> None:
    """Stand-in for ``object.__init__`` once a class has its own ``__init__``.

    ``object.__init__`` only tolerates arguments while neither ``__init__`` nor
    ``__new__`` is overridden; this keeps the original outcome: arguments are
    an error unless a custom ``__new__`` consumes them.
    """
    cls = type(self)
    if (args or kwargs) and cls.__new__ is object.__new__:
        raise TypeError(OBJECT_TAKES_NO_ARGUMENTS_TPL.format(name=cls.__name__))


def wrap_init(cls: type[Any], build: Builder) -> None:
    """Replace ``cls.__init__`` by the wrapper ``build`` makes around it."""
    init = cls.__init__
    if init is object.__init__:
        try:
            signature: inspect.Signature | None = inspect.signature(cls)
        except (TypeError, ValueError):
            signature = None
        new_init: Any = build(_object_init, 0)
        new_init.__name__ = "__init__"
        new_init.__qualname__ = f"{cls.__qualname__}.__init__"
        new_init.__module__ = cls.__module__
        if signature is not None:
            self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
            new_init.__signature__ = signature.replace(
                parameters=[self_parameter, *signature.parameters.values()]
            )
    else:
        new_init = functools.update_wrapper(build(init, 0), init)
        copy_signature(new_init, init)
    cls.__init__ = new_init


def _innermost_function(func: Any) -> Any:
    """Peel bound methods and :func:`functools.partial` to reach the function."""
    while True:
        if inspect.ismethod(func):
            func = func.__func__
        elif isinstance(func, functools.partial):
            func = func.func
        else:
            return func


class _CoroutineFunction:
    """A deprecated coroutine function, for Python versions before 3.12.

    Without :func:`inspect.markcoroutinefunction` a plain wrapper cannot both
    warn at call time and be reported as a coroutine function, and an
    ``async def`` wrapper would only warn once the event loop first steps the
    coroutine, pointing the warning into :mod:`asyncio`. :mod:`inspect` treats
    objects exposing a function's ``__code__``, ``__defaults__`` and friends as
    functions, so this callable does exactly that, forwards calls to the
    synchronous wrapper (which returns the coroutine) and binds like a
    function. It pickles by reference, like the function it stands for.
    """

    __qualname__: str
    __code__: types.CodeType
    __defaults__: tuple[Any, ...] | None
    __kwdefaults__: dict[str, Any] | None

    def __init__(self, func: Callable[..., Any], call: Callable[..., Any]) -> None:
        self._call = call
        functools.update_wrapper(self, func)
        code_owner = _innermost_function(func)
        self.__code__ = code_owner.__code__
        self.__defaults__ = getattr(code_owner, "__defaults__", None)
        self.__kwdefaults__ = getattr(code_owner, "__kwdefaults__", None)

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)

    def __get__(self, instance: object, owner: type[Any] | None = None) -> Any:
        if instance is None:
            return self
        return types.MethodType(self, instance)

    def __reduce__(self) -> str:
        return self.__qualname__

    def __repr__(self) -> str:
        return f"<deprecated coroutine function {self.__qualname__}>"
