"""Reading a helper call's arguments: which expression fills which parameter, and the
literal text of a message, a version or a module name."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from oslo_incubator.analysis.deprecations.apis import VERSIONUTILS_DEFAULT_REMOVE_IN
from oslo_incubator.analysis.deprecations.nodes import decorator_name

_REPLACEMENT_RE = re.compile(
    r"(?:\buse|\bin favou?r of|\breplaced by|\bsuperseded by|\bmoved to)\s+"
    r"[`'\"]*([A-Za-z_][\w.]*(?:\(\))?)",
    re.IGNORECASE,
)


def replacement_from_message(message: str | None) -> str | None:
    """The replacement a deprecation message names ("use X instead", "in favor of X",
    "replaced by X"), or ``None``."""
    if not message:
        return None
    match = _REPLACEMENT_RE.search(message)
    return match.group(1).rstrip(".") if match else None


def arguments(call: ast.Call | None, params: Sequence[str]) -> dict[str, ast.expr]:
    """The call's arguments by parameter name (positional ones mapped by ``params``)."""
    if call is None:
        return {}
    found: dict[str, ast.expr] = {}
    for name, value in zip(params, call.args, strict=False):
        if isinstance(value, ast.Starred):
            break
        found[name] = value
    for keyword in call.keywords:
        if keyword.arg is not None:
            found[keyword.arg] = keyword.value
    return found


def text(expr: ast.expr | None) -> str | None:
    """A literal's text: strings, numbers, ``'a' 'b'``/``'a' + 'b'``, ``_('...')``
    (gettext), and the literal part of ``'...' % x``. ``None`` for anything else."""
    if expr is None:
        return None
    if isinstance(expr, ast.Constant):
        if isinstance(expr.value, str):
            return expr.value
        if isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
            return str(expr.value)
        return None
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not expr.keywords:
        if decorator_name(expr.func).lstrip("_") in ("", "LW", "LE", "LI", "LC", "gettext"):
            return text(expr.args[0])
    if isinstance(expr, ast.BinOp):
        left = text(expr.left)
        if isinstance(expr.op, ast.Add):
            right = text(expr.right)
            return left + right if left is not None and right is not None else None
        if isinstance(expr.op, ast.Mod):
            return left
    return None


def removal(expr: ast.expr | None) -> tuple[str | None, str | None]:
    """``removal_version`` as text, and the problem when it is not a literal."""
    if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
        return None, None
    value = text(expr)
    if value is not None:
        return value, None
    source = ast.unparse(expr)
    return source, f"removal_version is an expression ({source}), not a literal"


def release_constant(expr: ast.expr | None) -> str | None:
    """versionutils' ``as_of``: ``deprecated.JUNO``, ``JUNO`` or ``'J'``."""
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return text(expr)


def remove_in(expr: ast.expr | None) -> int | None | str:
    """versionutils' ``remove_in``: a number of releases (``+1`` included), ``None``
    for never, or the problem text when it is not a literal."""
    if expr is None:
        return VERSIONUTILS_DEFAULT_REMOVE_IN
    try:
        value = ast.literal_eval(expr)
    except ValueError:
        return f"remove_in is an expression ({ast.unparse(expr)}), not a literal"
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return f"remove_in {value!r} is not a number of releases"


def module_argument(expr: ast.expr | None, module: str) -> str:
    """The module a ``module``/``old_module_name`` argument names (``__name__`` is this
    module)."""
    if expr is None or (isinstance(expr, ast.Name) and expr.id == "__name__"):
        return module
    return text(expr) or module
