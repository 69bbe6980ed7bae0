"""One walk of a module's syntax tree, in source order, with its scopes open: each
node is handed to who records what it states (the declarations, the references, the
outline); what a name means there is :mod:`.scopes`' answer."""

from __future__ import annotations

import ast

from oslo_incubator.analysis.deprecations.declarations import Declarations
from oslo_incubator.analysis.deprecations.nodes import decorator_names, is_accessor_of
from oslo_incubator.analysis.deprecations.outline import Outliner
from oslo_incubator.analysis.deprecations.references import Interest, References
from oslo_incubator.analysis.deprecations.scopes import Bound, ScopeChain
from oslo_incubator.analysis.deprecations.terms import Terms
from oslo_incubator.analysis.imports import resolve_relative
from oslo_incubator.model.debt import UseKind


class ModuleWalk(ast.NodeVisitor):
    """Walks module ``module`` once: declarations when ``declare``, references when
    ``interest`` is given, the outline of its types when ``outline``."""

    def __init__(
        self, module: str, is_package: bool, interest: Interest | None = None,
        walrus: bool = True, outline: bool = False, declare: bool = True,
    ):  # fmt: skip
        package = module if is_package else module.rpartition(".")[0]
        self.chain = ScopeChain(module, package, walrus)
        self.terms = Terms(self.chain)
        self.declarations = Declarations(self.chain) if declare else None
        self.references = (
            References(self.chain, self.terms, interest) if interest is not None else None
        )
        self.outliner = Outliner(self.chain, self.terms) if outline else None
        # Only the outline, which needs no resolving of every name and call.
        self._outline_only = self.declarations is None and self.references is None

    def run(self, tree: ast.Module) -> None:
        self.chain.open_module(tree)
        for stmt in tree.body:
            self.visit(stmt)
        self.chain.close()

    # Definitions and their scopes

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        dotted = f"{self.chain.where}.{node.name}"
        for decorator in node.decorator_list:
            if self.declarations is not None:
                self.declarations.decorated(decorator, node, dotted)
            if not is_accessor_of(decorator, node.name):
                self.visit(decorator)
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)
        if node.returns is not None:
            self.visit(node.returns)
        decorators = decorator_names(node)
        if self.outliner is not None:
            self.outliner.function_entered(node, dotted, decorators)
        # The annotation's term is taken here, before the body, whether or not an
        # outline is wanted: terms are cached per scope as they are first asked for.
        returns = (
            None
            if node.returns is None
            else self.terms.annotation(node.returns, len(self.chain.scopes) - 1)
        )
        scope = self.chain.open_function(node, dotted)
        scope.returns = [] if returns is None else None
        for stmt in node.body:
            self.visit(stmt)
        self.chain.close()
        if self.outliner is not None:
            self.outliner.function_left(node, dotted, decorators, returns, scope)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)
        scope = self.chain.open_function(node, self.chain.where)
        scope.kind = "comprehension"  # no definition of its own: uses stay in the caller
        self.visit(node.body)
        self.chain.close()

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        self.chain.open_comprehension(node)
        self.generic_visit(node)
        self.chain.close()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        dotted = f"{self.chain.where}.{node.name}"
        for decorator in node.decorator_list:
            if self.declarations is not None:
                self.declarations.decorated(decorator, node, dotted)
            self.visit(decorator)
        for base in node.bases:
            bound = self._resolve(base)
            if bound is not None:
                self._record(bound, base, UseKind.SUBCLASS)
            else:
                self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        self.chain.open_class(node, dotted)
        if self.outliner is not None:
            self.outliner.class_entered(node, dotted)
        for stmt in node.body:
            self.visit(stmt)
        self.chain.close()

    # Statements

    def visit_Return(self, node: ast.Return) -> None:
        if self.outliner is not None:
            self.outliner.returned(node)
        self.generic_visit(node)

    def visit_Yield(self, node: ast.Yield) -> None:
        self._mark_generator()
        self.generic_visit(node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._mark_generator()
        self.generic_visit(node)

    def _mark_generator(self) -> None:
        scope = self.chain.function_scope()
        if scope is not None:
            scope.generator = True

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self.outliner is not None:
            self.outliner.annotated(node)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if self.declarations is not None:
                self.declarations.assigned(node.targets[0].id, node.value, node.lineno)
        if self.outliner is not None:
            for target in node.targets:
                self.outliner.assigned(target, node.value)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._record(Bound(alias.name), node, UseKind.IMPORT)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = resolve_relative(node.level, node.module, self.chain.package)
        for alias in node.names:
            name = source if alias.name == "*" else f"{source}.{alias.name}".lstrip(".")
            self._record(Bound(name), node, UseKind.IMPORT)

    # Expressions

    def visit_Call(self, node: ast.Call) -> None:
        if self._outline_only:
            self.generic_visit(node)
            return
        if self.declarations is not None:
            self.declarations.called(node)
        func = node.func
        bound = self._resolve(func)
        keywords = tuple(k.arg for k in node.keywords if k.arg is not None)
        star = any(k.arg is None for k in node.keywords)
        if bound is not None:
            self._record(bound, func, UseKind.CALL, keywords, star)
            self._visit_beneath(func)
        else:
            if isinstance(func, ast.Attribute):
                if self.references is not None:
                    positional = (
                        -1
                        if any(isinstance(a, ast.Starred) for a in node.args)
                        else len(node.args)
                    )
                    self.references.record_unresolved(
                        func, UseKind.CALL, keywords, star, positional
                    )
                self.visit(func.value)
            else:
                self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._outline_only:
            self.visit(node.value)
            return
        bound = self.chain.resolve(node)
        if bound is not None:
            self._record(bound, node, UseKind.REFERENCE)
            self._visit_beneath(node)
        else:
            if self.references is not None:
                self.references.record_unresolved(node, UseKind.REFERENCE)
            self.visit(node.value)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and not self._outline_only:
            bound = self.chain.resolve(node)
            if bound is not None:
                self._record(bound, node, UseKind.REFERENCE)

    def _visit_beneath(self, chain: ast.expr) -> None:
        """Visit what lies under a resolved ``a.b.c`` chain (a call, a subscript), not the
        chain's own names, which the chain's reference already covers."""
        while isinstance(chain, ast.Attribute):
            chain = chain.value
        if not isinstance(chain, ast.Name):
            self.visit(chain)

    def _resolve(self, expr: ast.expr) -> Bound | None:
        return self.chain.resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None

    def _record(
        self, bound: Bound, node: ast.AST, kind: UseKind,
        keywords: tuple[str, ...] = (), star: bool = False,
    ) -> None:  # fmt: skip
        if self.references is not None:
            self.references.record(bound, node, kind, keywords, star)
