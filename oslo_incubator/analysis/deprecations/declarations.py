"""Deprecations declared in a module: one recogniser per family of helper, called where
the walk meets a decorator, a call statement or an assignment.

* debtcollector and this toolkit's :mod:`oslo_incubator.deprecation` (the same API, see
  :mod:`.apis`): decorators (``@removals.remove``, ``@renames.renamed_kwarg``...),
  calls (``moves.moved_function(...)``, ``removals.removed_module(__name__)``,
  ``deprecate(...)``) and assignments (``old = removals.remove(new)``);
* PEP 702's ``@deprecated("message")`` and ``old = deprecated("message")(new)``;
* oslo's ``@versionutils.deprecated(as_of=...)``, in both forms, whose removal is
  counted in releases.
"""

from __future__ import annotations

import ast

from oslo_incubator.analysis.deprecations.apis import (
    CALL_FORMS,
    DEBT_APIS,
    KWARG_FORMS,
    VERSIONUTILS_PARAMS,
    classify_api,
)
from oslo_incubator.analysis.deprecations.arguments import (
    arguments,
    module_argument,
    release_constant,
    removal,
    remove_in,
    replacement_from_message,
    text,
)
from oslo_incubator.analysis.deprecations.nodes import PROPERTY_DECORATORS, decorator_names
from oslo_incubator.analysis.deprecations.scopes import ScopeChain
from oslo_incubator.analysis.versions import parse_release, versionutils_removal
from oslo_incubator.model.debt import DeprecatedKind, Deprecation, DeprecationSource

_Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


class Declarations:
    """The deprecations of one module, in the order the walk finds them."""

    def __init__(self, chain: ScopeChain):
        self.chain = chain
        self.found: list[Deprecation] = []
        self._assigned_to: dict[int, str] = {}  # id of a call -> the name it is assigned to

    def decorated(self, decorator: ast.expr, node: _Definition, dotted: str) -> None:
        """``decorator`` of the definition ``node`` (at ``dotted``), if it is a helper."""
        call = decorator if isinstance(decorator, ast.Call) else None
        found = self._api(call.func if call is not None else decorator)
        if found is None:
            return
        source, api = found
        if api in CALL_FORMS:
            return
        line = decorator.lineno
        parent = self.chain.innermost
        if isinstance(node, ast.ClassDef):
            kind = DeprecatedKind.CLASS
        elif parent.kind != "class":
            kind = DeprecatedKind.FUNCTION
        elif decorator_names(node) & PROPERTY_DECORATORS:
            kind = DeprecatedKind.PROPERTY
        else:
            kind = DeprecatedKind.METHOD
        if source is DeprecationSource.VERSIONUTILS:
            self.found.append(_versionutils(call, dotted, kind, line))
        elif source is DeprecationSource.PEP702:
            self.found.append(_pep702(call, dotted, kind, line))
        else:
            owner = parent.dotted if parent.kind == "class" else None
            found_one = _debt_decorator(api, source, call, node, dotted, kind, line, owner)
            if found_one is not None:
                self.found.append(found_one)

    def assigned(self, name: str, value: ast.expr, line: int) -> None:
        """``name = value``: ``old = removals.remove(func, ...)``, ``old =
        deprecated("...")(func)`` and ``old = versionutils.deprecated(...)(func)``
        deprecate the assigned name; a call's assigned name is noted for
        :meth:`called`."""
        self._assigned_to[id(value)] = name
        if not isinstance(value, ast.Call):
            return
        scope = self.chain.innermost
        dotted = f"{scope.dotted}.{name}"
        in_class = scope.kind == "class"
        inner = value.func
        if isinstance(inner, ast.Call):  # deprecated("message")(func)
            found = self._api(inner.func)
            if found is None or found[0] not in (
                DeprecationSource.PEP702,
                DeprecationSource.VERSIONUTILS,
            ):
                return
            kind = self._kind_of(value.args[0] if value.args else None, in_class)
            if found[0] is DeprecationSource.PEP702:
                self.found.append(_pep702(inner, dotted, kind, line))
            else:
                self.found.append(_versionutils(inner, dotted, kind, line))
            return
        found = self._api(inner)
        if found is None or found[1] not in ("removals.remove", "removals.removed_property"):
            return
        source, api = found
        args = arguments(value, DEBT_APIS[api])
        wrapped = args.get("f", args.get("fget"))
        if wrapped is None:
            return
        kind = (
            DeprecatedKind.PROPERTY
            if api.endswith("property")
            else self._kind_of(wrapped, in_class)
        )
        self.found.append(_debt(dotted, kind, source, api, line, args))

    def called(self, node: ast.Call) -> None:
        """A call of one of the helpers used as a call, not a decorator."""
        found = self._api(node.func)
        if found is None or found[1] not in CALL_FORMS:
            return
        source, api = found
        args = arguments(node, DEBT_APIS[api])
        declared = None
        if api == "removals.removed_module":
            declared = self._removed_module(source, node, args)
        elif api in ("moves.moved_function", "moves.moved_class"):
            declared = self._moved(api, source, node, args)
        elif api == "moves.moved_read_only_property":
            declared = self._moved_read_only_property(source, node, args)
        elif api == "deprecate":
            prefix, postfix = text(args.get("prefix")), text(args.get("postfix"))
            message = " ".join(t for t in (prefix, postfix) if t) or text(args.get("message"))
            name, kind, owner = self._deprecated_scope(node)
            declared = _debt(name, kind, source, api, node.lineno, args, owner=owner,
                             message=message)  # fmt: skip
        if declared is not None:
            self.found.append(declared)

    # Private

    def _removed_module(
        self, source: DeprecationSource, node: ast.Call, args: dict[str, ast.expr]
    ) -> Deprecation:
        module, where = self.chain.module, self.chain.where
        api = "removals.removed_module"
        replacement = text(args.get("replacement"))
        if where != module:  # called by a function (a test, say), not on import
            return _debt(where, DeprecatedKind.FEATURE, source, api, node.lineno, args,
                         replacement=replacement)  # fmt: skip
        named = module_argument(args.get("module"), module)
        return _debt(named, DeprecatedKind.MODULE, source, api, node.lineno, args,
                     replacement=replacement)  # fmt: skip

    def _moved(
        self, api: str, source: DeprecationSource, node: ast.Call, args: dict[str, ast.expr]
    ) -> Deprecation | None:
        """``moved_function`` and ``moved_class``: the old name, a shim of the new."""
        old = text(args.get("old_func_name", args.get("old_class_name")))
        if old is None:
            return None
        named = module_argument(args.get("old_module_name"), self.chain.module)
        moved_to = args.get("new_func", args.get("new_class"))
        kind = DeprecatedKind.FUNCTION if api.endswith("function") else DeprecatedKind.CLASS
        # Callers reach the name the shim is bound to, which may differ from the name
        # its warning quotes (``OldHotness2 = moved_class(New, 'OldHotness', ...)``).
        assigned = self._assigned_to.get(id(node))
        name = f"{self.chain.innermost.dotted}.{assigned}" if assigned else f"{named}.{old}"
        return _debt(name, kind, source, api, node.lineno, args,
                     replacement=self._name_of(moved_to))  # fmt: skip

    def _moved_read_only_property(
        self, source: DeprecationSource, node: ast.Call, args: dict[str, ast.expr]
    ) -> Deprecation | None:
        """``old = moves.moved_read_only_property('old', 'new')`` in a class body (it
        takes no message)."""
        old, new = text(args.get("old_name")), text(args.get("new_name"))
        if old is None:
            return None
        scope = self.chain.innermost
        owner = scope.dotted if scope.kind == "class" else self.chain.module
        return _debt(f"{owner}.{old}", DeprecatedKind.PROPERTY, source,
                     "moves.moved_read_only_property", node.lineno, args,
                     replacement=f"{owner}.{new}" if new else None, message=None)  # fmt: skip

    def _api(self, expr: ast.expr) -> tuple[DeprecationSource, str] | None:
        bound = self.chain.resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        if bound is None or bound.instance or bound.via_instance:
            return None
        return classify_api(bound.dotted)

    def _deprecated_scope(self, call: ast.Call) -> tuple[str, DeprecatedKind, str]:
        """What a ``deprecate()`` call deprecates: the definition whose body it opens
        (a direct statement of the body), else a feature inside that definition."""
        scopes = self.chain.scopes
        scope = next(s for s in reversed(scopes) if s.kind != "comprehension")
        direct = id(call) in scope.direct_calls and scope is scopes[-1]
        if not direct:
            return scope.dotted, DeprecatedKind.FEATURE, scope.dotted
        if scope.kind == "module":
            return scope.dotted, DeprecatedKind.MODULE, scope.dotted
        if scope.kind == "class":
            return scope.dotted, DeprecatedKind.CLASS, scope.dotted
        node = scope.node
        if scope.in_class is not None and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            if node.name in ("__init__", "__new__"):
                return scope.in_class, DeprecatedKind.CLASS, scope.in_class
            kind = (
                DeprecatedKind.PROPERTY
                if decorator_names(node) & PROPERTY_DECORATORS
                else DeprecatedKind.METHOD
            )
            return scope.dotted, kind, scope.dotted
        return scope.dotted, DeprecatedKind.FUNCTION, scope.dotted

    def _kind_of(self, wrapped: ast.expr | None, in_class: bool) -> DeprecatedKind:
        """The kind of an assignment's deprecated object, from what it wraps."""
        if isinstance(wrapped, ast.Name):
            for stmt in ast.iter_child_nodes(self.chain.innermost.node or ast.Module([], [])):
                if isinstance(stmt, ast.ClassDef) and stmt.name == wrapped.id:
                    return DeprecatedKind.CLASS
        return DeprecatedKind.METHOD if in_class else DeprecatedKind.FUNCTION

    def _name_of(self, expr: ast.expr | None) -> str | None:
        if expr is None:
            return None
        bound = self.chain.resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        return bound.dotted if bound is not None else text(expr) or ast.unparse(expr)


# The families' recognisers


def _debt_decorator(
    api: str, source: DeprecationSource, call: ast.Call | None, node: _Definition,
    dotted: str, kind: DeprecatedKind, line: int, in_class: str | None,
) -> Deprecation | None:  # fmt: skip
    """A debtcollector decorator (``in_class``: the class of a decorated method)."""
    args = arguments(call, DEBT_APIS[api]) if call is not None else {}
    if api in KWARG_FORMS:
        return _debt_kwarg(api, args, node, dotted, source, line)
    if api == "removals.remove":
        return _debt(dotted, kind, source, api, line, args)
    if api == "removals.removed_class":
        replacement = text(args.get("replacement"))
        return _debt(
            dotted, DeprecatedKind.CLASS, source, api, line, args, replacement=replacement
        )
    if api == "removals.removed_property":
        return _debt(dotted, DeprecatedKind.PROPERTY, source, api, line, args)
    if api in ("moves.moved_method", "moves.moved_property"):
        new = text(args.get("new_method_name", args.get("new_attribute_name")))
        kind = DeprecatedKind.METHOD if api == "moves.moved_method" else DeprecatedKind.PROPERTY
        replacement = f"{in_class}.{new}" if new and in_class else new
        return _debt(dotted, kind, source, api, line, args, replacement=replacement)
    return None


def _debt_kwarg(
    api: str, args: dict[str, ast.expr], node: _Definition, dotted: str,
    source: DeprecationSource, line: int,
) -> Deprecation | None:  # fmt: skip
    """``removed_kwarg``, ``renamed_kwarg``, ``updated_kwarg_default_value``: a keyword
    of the decorated function (of the class, for ``__init__``)."""
    kwarg = text(args.get("name" if api.startswith("updating") else "old_name"))
    if kwarg is None:
        return None
    target = dotted
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__init__":
        target = dotted.rpartition(".")[0]  # passing it is done by instantiating the class
    replacement = None
    kind = DeprecatedKind.KWARG
    if api == "renames.renamed_kwarg":
        new = text(args.get("new_name"))
        replacement = f"{target}({new}=)" if new else None
    elif api == "updating.updated_kwarg_default_value":
        kind = DeprecatedKind.KWARG_DEFAULT
        new_value = args.get("new_value")
        replacement = f"{kwarg}={ast.unparse(new_value)}" if new_value is not None else None
    return _debt(f"{target}({kwarg}=)", kind, source, api, line, args, target=target,
                 owner=dotted, kwarg=kwarg, replacement=replacement)  # fmt: skip


def _debt(
    name: str, kind: DeprecatedKind, source: DeprecationSource, api: str, line: int,
    args: dict[str, ast.expr], **fields: str | None,
) -> Deprecation:  # fmt: skip
    """A debtcollector helper's deprecation: ``message``, ``version`` and
    ``removal_version`` as ``args`` give them, unless ``fields`` say otherwise."""
    removal_version, problem = removal(args.get("removal_version"))
    values = {
        "message": text(args.get("message")),
        "version": text(args.get("version")),
        "removal_version": removal_version,
        "removal_problem": problem,
        **fields,
    }
    return _deprecation(name, kind, source, api, line, **values)


def _pep702(call: ast.Call | None, dotted: str, kind: DeprecatedKind, line: int) -> Deprecation:
    """``@deprecated("message")``: a message, no versions."""
    message = text(call.args[0]) if call is not None and call.args else None
    return _deprecation(
        dotted, kind, DeprecationSource.PEP702, "deprecated", line, message=message
    )


def _versionutils(
    call: ast.Call | None, dotted: str, kind: DeprecatedKind, line: int
) -> Deprecation:
    """``@versionutils.deprecated(as_of, in_favor_of, remove_in)``: releases by name, the
    removal ``remove_in`` releases after ``as_of``."""
    args = arguments(call, VERSIONUTILS_PARAMS) if call is not None else {}
    as_of_expr = args.get("as_of")
    as_of = release_constant(as_of_expr)
    version = None
    removal_version: str | None = None
    problem: str | None = None
    start = parse_release(as_of) if as_of else None
    if start is None:
        version = ast.unparse(as_of_expr) if as_of_expr is not None else None
        problem = f"as_of {version or '(missing)'} is not a release name"
    else:
        version = start.name
        releases = remove_in(args.get("remove_in"))
        if isinstance(releases, str):
            problem = releases
        else:
            try:
                release = versionutils_removal(start.name, releases)
            except ValueError as exc:
                problem = str(exc)
            else:
                removal_version = release.name if release else None
    return _deprecation(dotted, kind, DeprecationSource.VERSIONUTILS, "versionutils.deprecated",
                        line, replacement=text(args.get("in_favor_of")), version=version,
                        removal_version=removal_version, removal_problem=problem)  # fmt: skip


def _deprecation(
    name: str, kind: DeprecatedKind, source: DeprecationSource, api: str, line: int, *,
    target: str | None = None, owner: str | None = None, kwarg: str | None = None,
    replacement: str | None = None, message: str | None = None, version: str | None = None,
    removal_version: str | None = None, removal_problem: str | None = None,
) -> Deprecation:  # fmt: skip
    return Deprecation(
        name=name,
        kind=kind,
        source=source,
        api=api,
        line=line,
        target=target or name,
        owner=owner or name,
        kwarg=kwarg,
        replacement=replacement or replacement_from_message(message),
        message=message,
        version=version,
        removal_version=removal_version,
        removal_problem=removal_problem,
    )
