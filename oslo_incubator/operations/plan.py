"""Graduation plan: which incubator modules can leave together, in which order.

Public use cases: :func:`plan_graduation` (the whole plan) and :func:`module_closure`
(what a set of modules needs at import time and which distributions it requires).
The incubator's module graph comes from
:func:`oslo_incubator.graph.incubator.incubator_graph`, which graduation runs share;
which modules and names a project's own code uses, from
:func:`oslo_incubator.graph.usage.find_usage`, which ``impact`` shares.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import networkx as nx

from oslo_incubator.graph.incubator import incubator_graph, known_modules
from oslo_incubator.graph.modules import (
    ModuleGroup,
    TestFile,
    baggage_of,
    closure_of,
    find_cycles,
    graduation_order,
    group_modules,
    module_edges,
    requirements_of,
    third_party,
)
from oslo_incubator.graph.usage import find_usage
from oslo_incubator.history.master import MasterTree, read_master
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.plan import (
    ApiName,
    ConsumerUse,
    DependencyKind,
    GraduationPlan,
    Library,
    ModuleClosure,
    ModuleDependency,
    ModuleInfo,
    ProjectUsage,
)
from oslo_incubator.workspace.cache import Cache

REQUIREMENTS_FILES = ("requirements.txt", "test-requirements.txt")
TESTS_DIR = "tests"

Progress = Callable[[str, int, int], None]


def plan_graduation(
    incubator: Path,
    projects: Sequence[Path] = (),
    modules: Sequence[str] = (),
    package_root: str = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> GraduationPlan:
    """Propose libraries for the incubator's modules, in graduation order.

    Args:
        incubator: the incubator's git repository (work tree or bare); HEAD is read.
        projects: consumer checkouts whose own code shows which modules and names are
            used; with none, grouping uses the import graph alone.
        modules: modules to graduate as one library (``--module``); the plan says what
            their closure drags in. Without them every module is planned.
        package_root: where master modules live.
        cache: keeps per-file scans of project code between runs.
        progress: called with (project name, files done, files in all).

    Returns:
        The plan; libraries in an order where each comes after those it imports.

    Raises:
        GitError: ``incubator`` is not a git repository.
        ConfigError: a project has no base package, or nothing is under the root.
        OsloIncubatorError: a requested module does not exist at HEAD.
    """
    master = read_master(incubator, package_root)
    graph, tests = incubator_graph(master, package_root, cache)
    requested = known_modules(graph, modules, package_root)
    usages = tuple(find_usage(p, graph, package_root, cache, progress) for p in projects)
    consumer_files = _consumer_files(usages) if usages else None
    groups = group_modules(graph, requested, consumer_files)
    names = [_library_name(graph, g, usages) for g in groups]
    uses = [sum(_import_sites(m, usages) for m in g.modules) for g in groups]
    order, _ = graduation_order(graph, groups, names, uses)
    position = {names[i]: n for n, i in enumerate(order)}
    library_of = {m: names[i] for i, g in enumerate(groups) for m in g.modules}
    test_owner = _test_owners(tests, library_of, position)
    libraries = tuple(
        _library(graph, groups[i], names[i], library_of, position, usages, test_owner, master)
        for i in order
    )
    return GraduationPlan(
        incubator=str(incubator),
        head=master.head,
        package_root=package_root,
        projects=tuple(u.name for u in usages),
        requested=requested,
        libraries=libraries,
        cycles=find_cycles(graph),
        modules=tuple(_module_info(graph, m) for m in sorted(graph)),
        edges=module_edges(graph),
        notes=_notes(master, usages),
    )


def module_closure(
    incubator: Path,
    modules: Sequence[str],
    package_root: str = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
) -> ModuleClosure:
    """What ``modules`` need at import time (their strong closure) and what the closure
    requires from third parties, with the baggage beyond the modules asked for.

    Raises:
        GitError: ``incubator`` is not a git repository.
        OsloIncubatorError: a module does not exist at HEAD.
    """
    master = read_master(incubator, package_root)
    graph, _ = incubator_graph(master, package_root, cache)
    return closure_of(graph, known_modules(graph, modules, package_root))


# Private


def _consumer_files(usages: Sequence[ProjectUsage]) -> dict[str, frozenset[str]]:
    files: dict[str, set[str]] = {}
    for usage in usages:
        for module in usage.modules:
            files.setdefault(module.module, set()).update(
                f"{usage.name}:{path}" for path in module.files
            )
    return {m: frozenset(f) for m, f in files.items()}


def _import_sites(module: str, usages: Sequence[ProjectUsage]) -> int:
    return sum(len(u.sites) for p in usages for u in p.modules if u.module == module)


def _library_name(graph: nx.DiGraph, group: ModuleGroup, usages: Sequence[ProjectUsage]) -> str:
    if group.requested:
        return group.requested[0]

    # The most imported module names the library; else the outermost package, else
    # the module nothing else in the group imports.
    def rank(module: str) -> tuple[int, int, int, str]:
        imported_inside = any(p in group.modules for p in graph.predecessors(module))
        return (-_import_sites(module, usages), module.count("."), int(imported_inside), module)

    return min(group.modules, key=rank)


def _library(
    graph: nx.DiGraph,
    group: ModuleGroup,
    name: str,
    library_of: Mapping[str, str],
    position: Mapping[str, int],
    usages: Sequence[ProjectUsage],
    test_owner: Mapping[TestFile, str],
    master: MasterTree,
) -> Library:
    modules = tuple(sorted(group.modules, key=lambda m: (m != name, m)))
    requirements = requirements_of(graph, modules)
    own_tests = sorted(t.path for t, owner in test_owner.items() if owner == name)
    test_imports = [imp for t, owner in test_owner.items() if owner == name for imp in t.external]
    test_reqs, _ = third_party(test_imports, master.requirements)
    runtime = {r.distribution.lower() for r in requirements}
    return Library(
        name=name,
        modules=modules,
        reasons=group.reasons,
        files=sum(len(graph.nodes[m]["files"]) for m in modules),
        lines=sum(graph.nodes[m]["lines"] for m in modules),
        requested=group.requested,
        baggage=baggage_of(graph, group.requested, modules) if group.requested else None,
        api=_library_api(modules, usages),
        requirements=requirements,
        test_requirements=tuple(r for r in test_reqs if r.distribution.lower() not in runtime),
        unmapped=tuple(sorted({n for m in modules for n in graph.nodes[m]["unmapped"]})),
        dependencies=_dependencies(graph, group, name, library_of, position),
        consumers=_consumers(modules, usages),
        tests=tuple(own_tests),
    )


def _test_owners(
    tests: Sequence[TestFile], library_of: Mapping[str, str], position: Mapping[str, int]
) -> dict[TestFile, str]:
    """Which library each test file goes with: the module it is named for, when it
    imports it (``test_log.py``, ``db/sqlalchemy/test_utils.py``), else the last library
    (in graduation order) it imports, since it can run only once all have graduated."""
    owners = {}
    for test in tests:
        named = _named_module(test)
        if named is not None:
            owners[test] = library_of[named]
            continue
        libraries = {library_of[m] for m in test.modules}
        if libraries:
            owners[test] = max(libraries, key=lambda lib: position[lib])
    return owners


def _named_module(test: TestFile) -> str | None:
    parts = test.path[:-3].split("/")
    stem = parts[-1].removeprefix("test_")
    if stem in test.modules:
        return stem
    # test_gettext.py tests gettextutils, test_periodic.py periodic_task.
    prefixed = [m for m in test.modules if stem and m.startswith(stem)]
    if len(prefixed) == 1:
        return prefixed[0]
    folders = parts[1:-1]
    for start in range(len(folders)):
        candidate = ".".join(folders[start:])
        if candidate in test.modules:
            return candidate
    return None


def _library_api(modules: Sequence[str], usages: Sequence[ProjectUsage]) -> tuple[ApiName, ...]:
    uses: Counter[tuple[str, str]] = Counter()
    projects: dict[tuple[str, str], set[str]] = {}
    for usage in usages:
        for module in usage.modules:
            if module.module not in modules:
                continue
            for item in module.api:
                uses[(item.module, item.name)] += item.uses
                projects.setdefault((item.module, item.name), set()).add(usage.name)
    order = {m: i for i, m in enumerate(modules)}
    keys = sorted(uses, key=lambda k: (order[k[0]], -uses[k], k[1]))
    return tuple(ApiName(m, n, uses[(m, n)], tuple(sorted(projects[(m, n)]))) for m, n in keys)


def _dependencies(
    graph: nx.DiGraph,
    group: ModuleGroup,
    name: str,
    library_of: Mapping[str, str],
    position: Mapping[str, int],
) -> tuple[ModuleDependency, ...]:
    kinds: dict[str, DependencyKind] = {}
    for module in group.modules:
        for target in graph.successors(module):
            if target in group.modules:
                continue
            kind = graph[module][target]["kind"]
            if target not in kinds or kind.strength > kinds[target].strength:
                kinds[target] = kind
    deps = [
        ModuleDependency(t, library_of[t], k, position[library_of[t]] > position[name])
        for t, k in kinds.items()
    ]
    return tuple(sorted(deps, key=lambda d: (position[d.library], d.module)))


def _consumers(modules: Sequence[str], usages: Sequence[ProjectUsage]) -> tuple[ConsumerUse, ...]:
    result = []
    for usage in usages:
        sites = {(s.path, s.line) for u in usage.modules if u.module in modules for s in u.sites}
        if sites:
            result.append(ConsumerUse(usage.name, len(sites), len({p for p, _ in sites})))
    return tuple(result)


def _module_info(graph: nx.DiGraph, module: str) -> ModuleInfo:
    data = graph.nodes[module]
    return ModuleInfo(
        module, data["files"], data["lines"], data["tests"], data["requirements"], data["unmapped"]
    )


def _notes(master: MasterTree, usages: Sequence[ProjectUsage]) -> tuple[str, ...]:
    notes = [
        f"{bad.source}:{bad.line}: requirement not understood, left out: {bad.text} ({bad.reason})"
        for bad in master.requirements.invalid
    ]
    for usage in usages:
        if usage.text_scanned:
            notes.append(
                f"{usage.name}: {len(usage.text_scanned)} files are not valid Python 3; "
                "their imports and names were found by a text scan"
            )
    return tuple(notes)
