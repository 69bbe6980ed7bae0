"""What a graduation takes besides its modules, decided on the incubator's module graph.

Pure: the graph, the master texts and the incubator's records in, decisions out; the
operation (:mod:`oslo_incubator.operations.graduate`) reads the incubator and writes.

* the tests that go with the library (:func:`choose_tests`), the helpers they need
  (:func:`test_helpers`), what they import (:func:`test_needs`, :func:`test_imports`)
  and where each lands (:func:`test_relative`);
* the private copies (:func:`private_modules`) and the graduated modules imported
  from their libraries (:func:`graduated_uses`);
* the import moves of the library's code and tests (:func:`library_moves`,
  :func:`elsewhere_moves`), and of the incubator's files that stay
  (:func:`moved_importers`);
* the requirement lines (:func:`requirement_lines`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import PurePosixPath

import networkx as nx
from packaging.utils import canonicalize_name

from oslo_incubator.analysis.imports import (
    dotted_module_of,
    expand_from_import,
    find_imports,
    innermost_module,
)
from oslo_incubator.analysis.moves import move_modules_or_text
from oslo_incubator.graph.modules import ExternalImport, TestFile
from oslo_incubator.model.graduate import (
    EarlierLibrary,
    FileRole,
    GraduatedDependency,
    LeftOutTest,
    LibraryFile,
)
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.plan import DependencyKind, ThirdParty

TESTS_ROOT = "tests"
#: Incubator test folders whose files land directly in ``<package>/tests``.
TEST_PREFIXES = ("tests/unit/", "tests/")


def choose_tests(
    tests: Sequence[TestFile],
    resolvable: set[str],
    modules: Sequence[str],
    take_named: bool,
    references: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[TestFile], tuple[LeftOutTest, ...]]:
    """The master tests that go with the library: test files (``test_*.py``) whose
    incubator imports, and the modules their strings name (``references``:
    ``import_opt('connection', 'openstack.common.db.options')`` is a test of ``db``),
    are all ``resolvable`` (graduating, or graduated already); with ``take_named``
    also those named for a graduating module (what else they import becomes a private
    copy, or stays a dependency). The others named for one are left out, and said so."""
    chosen_set = set(modules)
    chosen: list[TestFile] = []
    left_out: list[LeftOutTest] = []
    for test in tests:
        if not PurePosixPath(test.path).name.startswith("test_") or not test.modules:
            continue
        imported = set(test.modules)
        named = _named_for(test, chosen_set)
        if not imported & chosen_set:
            continue
        imported |= (references or {}).get(test.path, frozenset())
        if not named and _named_for(test, resolvable - chosen_set):
            continue  # a test of a module that graduated elsewhere (tests/unit/rpc/)
        if imported <= resolvable or (named and take_named):
            chosen.append(test)
        elif named:
            left_out.append(LeftOutTest(test.path, tuple(sorted(imported - resolvable))))
    return chosen, tuple(left_out)


def _named_for(test: TestFile, modules: set[str]) -> bool:
    """Whether a test file is named for one of ``modules`` it imports (``test_log.py``
    for ``log``, ``test_gettext.py`` for ``gettextutils``, ``db/sqlalchemy/test_x.py``
    for ``db.sqlalchemy``)."""
    parts = test.path[:-3].split("/")
    stem = parts[-1].removeprefix("test_")
    imported = set(test.modules) & modules
    if stem in imported or any(stem and m.startswith(stem) for m in imported):
        return True
    folders = [p for p in parts[:-1] if p not in ("tests", "unit")]
    return any(".".join(folders[i:]) in imported for i in range(len(folders)))


def test_helpers(tests: Sequence[TestFile], texts: Mapping[str, str]) -> list[str]:
    """Other files under ``tests/`` that the chosen tests need, transitively: those they
    import, and those a string names (``import_object('tests.unit.fake.FakeDriver')``),
    helper packages' ``__init__.py`` included. The ``__init__.py`` of ``tests`` and
    ``tests/unit`` are left out: the library's ``tests`` package gets its own."""
    by_dotted = {dotted_module_of(p)[0]: p for p in texts}
    roots = {f"{TESTS_ROOT}/__init__.py", *(f"{p}__init__.py" for p in TEST_PREFIXES)}
    seen: set[str] = {t.path for t in tests}
    todo = [t.path for t in tests]
    helpers: list[str] = []
    while todo:
        path = todo.pop()
        dotted, is_package = dotted_module_of(path)
        for site in find_imports(texts.get(path, ""), dotted, is_package, [TESTS_ROOT]):
            names = expand_from_import(site) if site.names else [site.module]
            for name in names:
                # A module, or a name inside one (a string naming a class).
                inner = innermost_module(name, by_dotted) if name.startswith(TESTS_ROOT) else None
                found = by_dotted.get(inner) if inner else None
                if found is None or found in seen or found in roots:
                    continue
                seen.add(found)
                helpers.append(found)
                todo.append(found)
    return sorted(helpers)


def test_needs(
    tests: Sequence[TestFile],
    helpers: Sequence[str],
    texts: Mapping[str, str],
    graph: nx.DiGraph,
    package_root: PackageRoot,
) -> frozenset[str]:
    """The incubator modules the moved tests and their helpers import or name in a
    string."""
    needs = {m for t in tests for m in t.modules}
    for path in [*(t.path for t in tests), *helpers]:
        needs |= references(texts.get(path, ""), path, graph, package_root)
    return frozenset(needs)


def references(
    text: str, path: str, graph: nx.DiGraph, package_root: PackageRoot
) -> frozenset[str]:
    """The incubator modules a file imports or names in a string, any kind."""
    root_module = package_root.module
    found = set()
    known = set(graph)
    dotted, is_package = dotted_module_of(path)
    for site in find_imports(text, dotted, is_package, [root_module]):
        names = expand_from_import(site) if site.names else [site.module]
        for name in names:
            if name and name.startswith(root_module + "."):
                inner = innermost_module(name[len(root_module) + 1 :], known)
                if inner is not None:
                    found.add(inner)
    return frozenset(found)


def test_imports(
    tests: Sequence[TestFile],
    helpers: Sequence[str],
    texts: Mapping[str, str],
    package_root: PackageRoot,
) -> list[ExternalImport]:
    """The outside imports of the moved tests and of their helpers."""
    imports = [imp for t in tests for imp in t.external]
    for path in helpers:
        dotted, is_package = dotted_module_of(path)
        local = {TESTS_ROOT, package_root.module.split(".")[0]}
        for site in find_imports(texts.get(path, ""), dotted, is_package):
            if site.module and site.module.split(".")[0] not in local:
                imports.append(
                    ExternalImport(site.module, DependencyKind(site.kind.value), path, site.line)
                )
    return imports


def test_relative(path: str) -> str:
    """Where a test file goes under ``<package>/tests``: ``tests/unit/x`` and
    ``tests/x`` both go to ``x``."""
    for prefix in TEST_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def private_modules(
    graph: nx.DiGraph,
    modules: Sequence[str],
    test_needs: Iterable[str],
    graduated: Mapping[str, GraduatedDependency],
) -> tuple[str, ...]:
    """The modules the library must carry as private copies.

    First, every incubator module that neither graduates with it nor has graduated
    already, and that its modules import (at module level, in a function, or by a
    module path in a string: their imports are rewritten, so each must resolve) or
    its moved tests import. Then, transitively, whatever those copies import at module
    level or in a function, whatever it is: sync writes a copy's imports as
    ``<package>.openstack.common.<module>``, so each must be there too (even one of
    the library's own modules, or a graduated one, when a copy imports it). A module
    path in a private copy's string (a configurable handler) does not pull the module
    in: it is needed only if configured so.
    """
    own = set(modules)
    private: set[str] = set()
    todo = [m for m in test_needs if m not in own and m not in graduated]
    for module in modules:
        todo += [t for t in graph.successors(module) if t not in own and t not in graduated]
    while todo:
        module = todo.pop()
        if module in private:
            continue
        private.add(module)
        todo += [
            t
            for t in graph.successors(module)
            if t not in private and graph[module][t]["kind"] is not DependencyKind.WEAK
        ]
    return tuple(sorted(private))


def graduated_uses(
    graph: nx.DiGraph,
    modules: Sequence[str],
    test_needs: Iterable[str],
    graduated: Mapping[str, GraduatedDependency],
) -> dict[str, GraduatedDependency]:
    """The graduated modules the library's own modules or moved tests import."""
    by_code = {t for m in modules for t in graph.successors(m) if t in graduated}
    by_tests = {m for m in test_needs if m in graduated} - by_code
    found = {m: graduated[m] for m in by_code}
    found.update({m: replace(graduated[m], tests_only=True) for m in by_tests})
    return found


def library_moves(
    graph: nx.DiGraph,
    modules: Sequence[str],
    files: Iterable[LibraryFile],
    package: str,
    package_root: PackageRoot,
) -> dict[str, str]:
    """Moves of the graduating modules into ``package`` (not their subpackages that
    stay), and of the tests' namespaces that ``files`` move."""
    moves = {f"{package_root.module}.{m}": f"{package}.{m}" for m in modules}
    # A package module graduating without its subpackages must not take them along.
    for other in graph:
        if other not in modules and any(other.startswith(m + ".") for m in modules):
            moves[f"{package_root.module}.{other}"] = f"{package_root.module}.{other}"
    # The tests' own namespaces move as a whole, strings naming them included
    # (``import_object_ns('tests.unit', ...)``), as the files do: tests/unit/x →
    # <package>/tests/x, tests/x → <package>/tests/x. Not "tests" itself: a bare
    # 'tests' string is more often a folder name than a module.
    for item in files:
        if item.role in (FileRole.TEST, FileRole.HELPER):
            parts = item.source.split("/")
            if parts[1] == "unit" and len(parts) > 2:
                moves[f"{TESTS_ROOT}.unit"] = f"{package}.tests"
            else:
                top = parts[1].removesuffix(".py")
                moves[f"{TESTS_ROOT}.{top}"] = f"{package}.tests.{top}"
    return moves


def moved_importers(
    texts: Mapping[str, str],
    graph: nx.DiGraph,
    modules: Sequence[str],
    package: str,
    package_root: PackageRoot,
) -> tuple[dict[str, str], list[str]]:
    """The files of ``texts`` (path → text) that import one of ``modules``, rewritten to
    import it from ``package`` (path → new text, by path), and a warning for each one
    libcst could not parse."""
    moves = library_moves(graph, modules, (), package, package_root)
    # Any reference to a module spells its first name as a whole word ("log" in
    # "common.log", not in "logging"): files without one are not worth parsing.
    named = re.compile(r"\b(?:" + "|".join(re.escape(m.split(".")[0]) for m in modules) + r")\b")
    rewritten: dict[str, str] = {}
    warnings: list[str] = []
    for path in sorted(texts):
        if not named.search(texts[path]):
            continue
        dotted, is_package = dotted_module_of(path)
        outcome, warning = move_modules_or_text(texts[path], moves, dotted, is_package, (), path)
        if outcome.text != texts[path]:
            rewritten[path] = outcome.text
            if warning:
                warnings.append(warning)
    return rewritten, warnings


def elsewhere_moves(
    uses: Mapping[str, GraduatedDependency],
    private: Sequence[str],
    package: str,
    package_root: PackageRoot,
) -> dict[str, str]:
    """Moves of the modules that do not graduate with the library: graduated ones to
    their library, private ones to ``<package>.openstack.common``."""
    moves = {f"{package_root.module}.{m}": use.target for m, use in uses.items()}
    moves.update(
        {f"{package_root.module}.{m}": f"{package}.{package_root.module}.{m}" for m in private}
    )
    return moves


def names_a_module(name: str, graph: nx.DiGraph, package_root: PackageRoot) -> bool:
    """Whether a dotted name under the package root names a module at HEAD (or a name
    inside one)."""
    if not name.startswith(package_root.module + "."):
        return False
    return innermost_module(name[len(package_root.module) + 1 :], set(graph)) is not None


def requirement_lines(
    runtime: Sequence[ThirdParty],
    tests: Sequence[ThirdParty],
    uses: Mapping[str, GraduatedDependency],
    earlier: Sequence[EarlierLibrary],
    graph: nx.DiGraph,
    code: Iterable[str],
    test_imports: Sequence[ExternalImport],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``requirements.txt`` and ``test-requirements.txt`` lines: the third-party
    distributions, and the libraries the code and tests import (graduated modules, and
    packages of earlier libraries that master's code already imports), those with their
    specifiers."""
    by_package = {e.package.split(".")[0]: e for e in earlier}
    libraries = {canonicalize_name(e.name) for e in earlier}
    libraries |= {canonicalize_name(u.library) for u in uses.values()}
    runtime_lines: dict[str, str] = {
        canonicalize_name(r.distribution): r.requirement
        for r in runtime
        if canonicalize_name(r.distribution) not in libraries
    }
    test_lines: dict[str, str] = {
        canonicalize_name(r.distribution): r.requirement
        for r in tests
        if canonicalize_name(r.distribution) not in libraries
    }
    code_packages = {imp.name.split(".")[0] for m in code for imp in graph.nodes[m]["external"]}
    for top, library in by_package.items():
        if top in code_packages:
            runtime_lines[canonicalize_name(library.name)] = library.requirement
        elif any(imp.name.split(".")[0] == top for imp in test_imports):
            test_lines[canonicalize_name(library.name)] = library.requirement
    for use in uses.values():
        target = test_lines if use.tests_only else runtime_lines
        target.setdefault(canonicalize_name(use.library), use.requirement)
    for key in runtime_lines:
        test_lines.pop(key, None)
    return tuple(runtime_lines.values()), tuple(test_lines.values())


def earlier_packages(earlier: Iterable[EarlierLibrary]) -> set[str]:
    """The top-level packages of the earlier libraries of a program."""
    return {e.package.split(".")[0] for e in earlier}
