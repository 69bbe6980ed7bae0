"""Turn model dataclasses into JSON-able data and back (for caches)."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

from oslo_incubator.model.packageroot import PackageRoot

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """Dataclasses to dicts, enums to values, tuples to lists, sets to sorted lists, a
    package root to its path; recursively."""
    if isinstance(obj, PackageRoot):
        return obj.path
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.compare
        }
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        # Sorted by their JSON text, so that equal sets are written alike.
        return sorted((to_jsonable(v) for v in obj), key=json.dumps)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a ``cls`` from :func:`to_jsonable` output.

    Raises:
        ValueError: ``data`` does not have the shape of ``cls``.
    """
    try:
        return typing.cast(T, _convert(cls, data))
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"cannot read {getattr(cls, '__name__', cls)}: {exc}") from None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in data)
        if len(args) != len(data):
            raise TypeError(f"expected {len(args)} items, got {len(data)}")
        return tuple(_convert(a, v) for a, v in zip(args, data, strict=True))
    if origin in (set, frozenset):
        (inner,) = typing.get_args(tp)
        return origin(_convert(inner, v) for v in data)
    if origin is list:
        (inner,) = typing.get_args(tp)
        return [_convert(inner, v) for v in data]
    if origin is dict:
        key, value = typing.get_args(tp)
        # JSON keys are strings: an int key was written as its digits.
        return {
            _convert(key, int(k) if key is int and isinstance(k, str) else k): _convert(value, v)
            for k, v in data.items()
        }
    if tp is PackageRoot:
        return PackageRoot(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _convert(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.compare and f.name in data
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp in (str, int, float, bool):
        if not isinstance(data, tp):
            raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
        return data
    return data
