"""Small questions about syntax nodes that the walk, the scopes and the recognisers ask."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

PROPERTY_DECORATORS = frozenset({"property", "cached_property", "setter", "getter", "deleter"})
# Decorators that make a method's result an attribute's value (``obj.name`` is what the
# method returns).
GETTER_DECORATORS = frozenset(
    {"property", "cached_property", "removed_property", "reify", "lazy_property"}
)


def decorator_name(decorator: ast.expr) -> str:
    """The last name of a decorator (``setter`` of ``@x.setter``, ``remove`` of
    ``@removals.remove(...)``); ``""`` for anything else."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return decorator.attr
    if isinstance(decorator, ast.Name):
        return decorator.id
    return ""


def decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> set[str]:
    return {decorator_name(d) for d in node.decorator_list}


def last_name(expr: ast.expr) -> str:
    """``Optional`` of ``typing.Optional`` or ``Optional``; ``""`` for anything else."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return ""


def is_accessor_of_any(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """``@x.setter`` and friends: a property's setter or deleter, not its value."""
    return any(is_accessor_of(d, node.name) for d in node.decorator_list)


def is_accessor_of(decorator: ast.expr, name: str) -> bool:
    """``@name.setter`` (or getter, deleter) on ``def name``: the property's own part."""
    return (
        isinstance(decorator, ast.Attribute)
        and decorator.attr in ("setter", "getter", "deleter")
        and isinstance(decorator.value, ast.Name)
        and decorator.value.id == name
    )


def direct_calls(body: Sequence[ast.stmt]) -> set[int]:
    """The ids of the calls that are statements of ``body`` itself."""
    return {id(s.value) for s in body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)}


def pairs_up(target: ast.expr, value: object) -> bool:
    """Whether ``target = value`` unpacks a display element by element (``a, b = x, y``)."""
    return (
        isinstance(target, (ast.Tuple, ast.List))
        and isinstance(value, (ast.Tuple, ast.List))
        and len(target.elts) == len(value.elts)
        and not any(isinstance(e, ast.Starred) for e in [*target.elts, *value.elts])
    )


def walk_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expression nodes of ``stmt`` itself (not of nested statements or scopes)."""
    todo: list[ast.AST] = [
        child for child in ast.iter_child_nodes(stmt) if not isinstance(child, ast.stmt)
    ]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.Lambda, ast.comprehension)):
            continue
        todo.extend(ast.iter_child_nodes(node))
