"""Graduation plan: which incubator modules can leave together, in which order.

Public use case: :func:`plan_graduation` (the whole plan).
The incubator's module graph comes from
:func:`oslo_incubator.graph.incubator.incubator_graph`, which graduation runs share;
which modules and names a project's own code uses, from
:func:`oslo_incubator.graph.usage.find_usage`, which ``impact`` shares.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import networkx as nx

from oslo_incubator.graph.evidence import WEIGHTS, Bonds, Evidence, weigh_evidence
from oslo_incubator.graph.grouping import (
    CLOSE_CALLS_PER_LIBRARY,
    Constraints,
    Grouping,
    Intent,
    group_modules,
)
from oslo_incubator.graph.incubator import incubator_graph, known_modules
from oslo_incubator.graph.modules import (
    ModuleGroup,
    TestFile,
    baggage_of,
    find_cycles,
    graduation_order,
    module_edges,
    requirements_of,
    strong_graph,
    third_party,
)
from oslo_incubator.graph.usage import find_usage
from oslo_incubator.history.incubator import Incubator, open_incubator
from oslo_incubator.history.master import MasterTree, read_master
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.plan import (
    ApiName,
    CloseCall,
    ConsumerUse,
    DependencyKind,
    GraduationPlan,
    Granularity,
    Library,
    ModuleDependency,
    ModuleInfo,
    PlanFile,
    PlannedLibrary,
    ProjectUsage,
)
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.planfile import default_package

REQUIREMENTS_FILES = ("requirements.txt", "test-requirements.txt")
TESTS_DIR = "tests"

Progress = Callable[[str, int, int], None]


def plan_graduation(
    incubator: Path,
    projects: Sequence[Path] = (),
    modules: Sequence[str] = (),
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
    granularity: Granularity = Granularity.BALANCED,
    together: Sequence[Sequence[str]] = (),
    apart: Sequence[Sequence[str]] = (),
) -> GraduationPlan:
    """Propose libraries for the incubator's modules, in graduation order.

    Modules are grouped from the evidence the repositories hold (imports, the
    incubator's history and records, the consumers' imports, requirements, names; see
    :mod:`oslo_incubator.graph.evidence` and :mod:`oslo_incubator.graph.grouping`).

    Args:
        incubator: the incubator's git repository (work tree or bare); HEAD is read.
        projects: consumer checkouts whose own code shows which modules and names are
            used, and which are used together.
        modules: modules to graduate as one library (``--module``); the plan says what
            their closure drags in, and groups the other modules as usual.
        package_root: where master modules live.
        cache: keeps per-file scans of project code and the history index between runs.
        progress: called with (project name, files done, files in all).
        granularity: how large the libraries are.
        together: sets of modules that must share a library (``--together a,b``).
        apart: sets of modules no two of which may share one (``--apart a,b``).

    Returns:
        The plan; libraries in an order where each comes after those it imports.

    Raises:
        GitError: ``incubator`` is not a git repository.
        ConfigError: a project has no base package, or nothing is under the root.
        OsloIncubatorError: a module named does not exist at HEAD.
        PlanConstraintError: ``together`` and ``apart`` contradict each other or the
            imports.
    """
    master = read_master(incubator, package_root)
    graph, tests = incubator_graph(master, package_root, cache)
    requested = known_modules(graph, modules, package_root)
    together_sets = tuple(known_modules(graph, t, package_root) for t in together)
    apart_sets = tuple(known_modules(graph, a, package_root) for a in apart)
    history = open_incubator(incubator, package_root, cache)
    usages = tuple(find_usage(p, graph, package_root, cache, progress) for p in projects)
    evidence = Evidence(
        changes=history.module_changes(),
        consumer_files=_consumer_files(usages) if usages else None,
        maintainers={m: history.module_maintainers(m) for m in sorted(graph)},
    )
    bonds = weigh_evidence(graph, evidence)
    intent = _recorded_intent(history, graph)
    # Libraries the incubator already requires are out: their modules stay alone.
    released_names = frozenset(
        i.library for i in intent.values() if master.requirements.find(i.library) is not None
    )
    constraints = Constraints(together_sets, apart_sets, requested, intent, released_names)
    grouping = group_modules(graph, bonds, constraints, granularity)
    groups = list(grouping.groups)
    namespace = _namespace(history, master)
    names = _library_names(graph, groups, bonds, usages, namespace)
    uses = [sum(_import_sites(m, usages) for m in g.modules) for g in groups]
    order, _ = graduation_order(graph, groups, names, uses)
    position = {names[i]: n for n, i in enumerate(order)}
    library_of = {m: names[i] for i, g in enumerate(groups) for m in g.modules}
    test_owner = _test_owners(tests, library_of, position)
    libraries = tuple(
        _library(
            graph,
            groups[i],
            names[i],
            library_of,
            position,
            usages,
            test_owner,
            master,
            bonds,
            _close_calls(grouping, i, names),
        )
        for i in order
    )
    # A library the incubator already requires has been released: its modules are
    # graduated already (their records name it), not a library to cut again.
    released = tuple(
        lib.name for lib in libraries if master.requirements.find(lib.name) is not None
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
        notes=_notes(master, usages)
        + _grouping_notes(bonds, grouping)
        + _released_notes(libraries, released),
        granularity=granularity,
        weights=tuple(WEIGHTS.items()),
        released=released,
    )


def plan_file_of(plan: GraduationPlan) -> PlanFile:
    """The editable plan file of ``plan``: each library with its import package and,
    as comments, what holds it together and its close calls. Libraries the incubator
    already requires were released before and are left out: a program would build a
    second distribution of the same name."""
    libraries = []
    for library in plan.libraries:
        if library.name in plan.released:
            continue
        why = list(library.reasons)
        for call in library.close_calls:
            mine, other = _sides(call, library.name)
            why.append(f"apart from {other[0]} ({other[1]}), tied to {mine}: {call.apart}")
        libraries.append(
            PlannedLibrary(
                library.name, default_package(library.name), library.modules, tuple(why)
            )
        )
    return PlanFile(tuple(libraries), plan.head, plan.package_root)


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


def _recorded_intent(history: Incubator, graph: nx.DiGraph) -> dict[str, Intent]:
    """Module → the library the records name for its files (MAINTAINERS, obsolete.txt,
    a shim), and which record. Only a library named for every file of the module
    (``__init__.py`` aside) is intent: the incubator listed single files of a package
    that went elsewhere (two fixtures of ``fixture`` went to a test library, the others
    did not), and a record about part of a module says nothing of the rest."""
    root = history.package_root.path + "/"
    # One git process for every master file a shim could be, not one per file.
    history.index.texts(
        b for p, b in sorted(history.index.head_tree.items()) if p.startswith(root)
    )
    found = {}
    for module in sorted(graph):
        named: dict[str, list[str]] = {}  # library → the record naming it, per file
        files = graph.nodes[module]["files"]
        own = [p for p in files if not p.endswith("/__init__.py")] or list(files)
        for path in own:
            found_for = history.named_library(path)
            if found_for is not None:
                library, source = found_for
                named.setdefault(library, []).append(source.value)
        if len(named) == 1 and len(next(iter(named.values()))) == len(own):
            ((chosen, sources),) = named.items()
            found[module] = Intent(chosen, " and ".join(sorted(set(sources))))
    return found


def _namespace(history: Incubator, master: MasterTree) -> str:
    """The library namespace the incubator's records and requirements use most
    (``oslo`` for ``oslo.config``), empty when they use none."""
    if not history.namespaces:
        return ""
    named = [line.name.lower() for line in master.requirements.lines]
    named += [r.library.lower() for r in history.records if r.library]
    counts = {ns: sum(1 for n in named if n.split(".")[0] == ns) for ns in history.namespaces}
    return min(history.namespaces, key=lambda ns: (-counts[ns], ns))


def _library_names(
    graph: nx.DiGraph,
    groups: Sequence[ModuleGroup],
    bonds: Bonds,
    usages: Sequence[ProjectUsage],
    namespace: str,
) -> list[str]:
    """A name for each group, from the evidence: the library its records name; else
    the namespace with the stem its modules share (a package, a name family covering at
    least half of them) or its defining module. Larger groups choose first."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for index in sorted(range(len(groups)), key=lambda i: (-len(groups[i].modules), i)):
        group = groups[index]
        candidates = [] if group.intent is None else [group.intent]
        stems = _stems(graph, group, bonds, usages)
        candidates += [_qualified(stem, namespace) for stem in stems]
        chosen = next((c for c in candidates if c not in taken), None)
        if chosen is None:
            base = candidates[0]
            chosen = next(
                f"{base}-{n}" for n in range(2, len(groups) + 2) if f"{base}-{n}" not in taken
            )
        taken.add(chosen)
        names[index] = chosen
    return [names[i] for i in range(len(groups))]


def _stems(
    graph: nx.DiGraph, group: ModuleGroup, bonds: Bonds, usages: Sequence[ProjectUsage]
) -> list[str]:
    stems = []
    if group.requested:
        stems.append(group.requested[0])
    members = group.modules
    if len(members) > 1:
        stems.append(_common_package(members))
        covering = [
            (len(shared), family.label, family.stem)
            for family in bonds.families
            if len(shared := family.modules & members) >= 2 and 2 * len(shared) >= len(members)
        ]
        if covering:
            stems.append(min(covering, key=lambda c: (-c[0], c[1]))[2])
    stems += _by_definition(graph, group, bonds, usages)
    return list(dict.fromkeys(s for s in stems if s))


def _common_package(modules: frozenset[str]) -> str:
    split = [m.split(".") for m in sorted(modules)]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return ".".join(common)


def _by_definition(
    graph: nx.DiGraph, group: ModuleGroup, bonds: Bonds, usages: Sequence[ProjectUsage]
) -> list[str]:
    """The group's modules, the defining one first: the one most bound to the others,
    then the most imported by consumers, the one importing most of the others at module
    level, the outermost, the first alphabetically."""
    inner = bonds.graph.subgraph(group.modules)
    imports = strong_graph(graph).subgraph(group.modules)

    def rank(module: str) -> tuple[float, int, int, int, str]:
        bound = sum(w for _, _, w in inner.edges(module, data="weight"))
        return (
            -round(bound, 6),
            -_import_sites(module, usages),
            -len(nx.descendants(imports, module)),
            module.count("."),
            module,
        )

    return sorted(group.modules, key=rank)


def _qualified(stem: str, namespace: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9._-]", "_", stem).strip("._-") or "library"
    if not namespace or clean.split(".")[0] == namespace:
        return clean
    return f"{namespace}.{clean}"


def _close_calls(grouping: Grouping, index: int, names: Sequence[str]) -> tuple[CloseCall, ...]:
    """The strongest close calls of one group, what kept them apart in words."""
    library_of = {m: names[i] for i, g in enumerate(grouping.groups) for m in g.modules}
    calls = []
    for call in grouping.close_calls:
        if index not in call.groups:
            continue
        apart = call.apart
        if call.cycle:
            hops = ", ".join(f"{u} imports {v} ({library_of[v]})" for u, v in call.cycle)
            apart = f"{apart}: {hops}"
        calls.append(CloseCall(call.bond, (names[call.groups[0]], names[call.groups[1]]), apart))
    return tuple(calls[:CLOSE_CALLS_PER_LIBRARY])


def _sides(call: CloseCall, library: str) -> tuple[str, tuple[str, str]]:
    """(this library's module, (the other module, its library)) of a close call."""
    (a, b), (lib_a, lib_b) = call.bond.modules, call.libraries
    return (a, (b, lib_b)) if lib_a == library else (b, (a, lib_a))


def _grouping_notes(bonds: Bonds, grouping: Grouping) -> tuple[str, ...]:
    notes = list(grouping.notes)
    if bonds.swept:
        notes.append(
            f"co-change: {len(bonds.changes)} commits counted; {bonds.swept} left out as "
            f"sweeping (they changed more than {bonds.cut} modules)"
        )
    return tuple(notes)


def _library(
    graph: nx.DiGraph,
    group: ModuleGroup,
    name: str,
    library_of: Mapping[str, str],
    position: Mapping[str, int],
    usages: Sequence[ProjectUsage],
    test_owner: Mapping[TestFile, str],
    master: MasterTree,
    bonds: Bonds,
    close_calls: tuple[CloseCall, ...],
) -> Library:
    first = (
        group.requested[0] if group.requested else _by_definition(graph, group, bonds, usages)[0]
    )
    modules = tuple(sorted(group.modules, key=lambda m: (m != first, m)))
    requirements = requirements_of(graph, modules)
    own_tests = sorted(t.path for t, owner in test_owner.items() if owner == name)
    test_imports = [imp for t, owner in test_owner.items() if owner == name for imp in t.external]
    test_reqs, _ = third_party(test_imports, master.requirements)
    runtime = {r.distribution.lower() for r in requirements}
    return Library(
        name=name,
        modules=modules,
        reasons=group.reasons + bonds.describe(modules, graph),
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
        bonds=bonds.bonds_within(modules),
        close_calls=close_calls,
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


def _released_notes(libraries: Sequence[Library], released: Sequence[str]) -> tuple[str, ...]:
    return tuple(
        f"{lib.name} ({', '.join(lib.modules)}) is already a requirement of the incubator: "
        "graduated before, left out of the plan file"
        for lib in libraries
        if lib.name in released
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
