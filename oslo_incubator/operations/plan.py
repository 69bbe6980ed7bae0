"""Graduation plan: which incubator modules can leave together, in which order.

Public use cases: :func:`plan_graduation` (the whole plan), :func:`module_closure`
(what a set of modules needs at import time and which distributions it requires) and
:func:`find_usage` (which modules a project's own code imports, and which of their
names it uses). The incubator's module graph comes from
:func:`oslo_incubator.graph.incubator.incubator_graph`, which graduation runs share;
projects are read from their work trees.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from oslo_incubator.analysis.imports import (
    ImportKind,
    dotted_module_of,
    expand_from_import,
    find_imports,
    innermost_module,
    resolve_relative,
)
from oslo_incubator.analysis.normalise import decode
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
    closure_of,
    find_cycles,
    graduation_order,
    module_edges,
    requirements_of,
    strong_graph,
    third_party,
)
from oslo_incubator.history.incubator import Incubator, open_incubator
from oslo_incubator.history.master import MasterTree, read_master
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.plan import (
    ApiName,
    CloseCall,
    ConsumerUse,
    DependencyKind,
    GraduationPlan,
    Granularity,
    ImportLine,
    Library,
    ModuleClosure,
    ModuleDependency,
    ModuleInfo,
    ModuleUsage,
    PlanFile,
    PlannedLibrary,
    ProjectUsage,
)
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.files import project_python_files
from oslo_incubator.workspace.planfile import default_package

# Bump when the consumer scan changes, so cached scans of an older analysis are not reused.
ANALYSIS_VERSION = "plan/1"
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
    constraints = Constraints(
        together_sets, apart_sets, requested, _recorded_intent(history, graph)
    )
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
        notes=_notes(master, usages) + _grouping_notes(bonds, grouping),
        granularity=granularity,
        weights=tuple(WEIGHTS.items()),
    )


def plan_file_of(plan: GraduationPlan) -> PlanFile:
    """The editable plan file of ``plan``: each library with its import package and,
    as comments, what holds it together and its close calls."""
    libraries = []
    for library in plan.libraries:
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


def find_usage(
    project: Path,
    graph: nx.DiGraph,
    package_root: str = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ProjectUsage:
    """Which incubator modules ``project``'s own code imports, and which names it uses.

    Every ``.py`` file of the work tree is read except the copies under
    ``<base>/<package root>`` and virtualenvs, ``.tox``, ``.git``. Imports of
    ``<base>.openstack.common.x`` (absolute or relative, module-level or lazy) count as
    import sites; module aliases are resolved (``from nova.openstack.common import log
    as logging`` then ``logging.getLogger`` uses ``log.getLogger``), and so are names
    imported from a module and string paths to them. A name re-bound in a function is
    not tracked (static, approximate).

    Raises:
        ConfigError: the project's configuration is malformed or names no base package.
    """
    config = load_project_config(project)
    if not config.base:
        raise ConfigError("no base package: set base= in openstack-common.conf", project)
    root_module = package_root.strip("/").replace("/", ".")
    prefix = f"{config.base}.{root_module}"
    copy_dir = f"{config.base_path}/{package_root.strip('/')}"
    files = list(project_python_files(project, exclude=copy_dir))
    scans = _scan_project(project, files, prefix, root_module, cache, progress)
    locator = _Locator(graph, prefix, root_module)
    sites: dict[str, list[ImportLine]] = {}
    api: dict[tuple[str, str], int] = Counter()
    text_scanned = []
    for rel, scan in zip(files, scans, strict=True):
        if not scan["parsed"]:
            text_scanned.append(rel)
        for line, kind, candidates in scan["imports"]:
            targets = {locator.module(c) for c in candidates} - {None}
            for module in sorted(t for t in targets if t is not None):
                sites.setdefault(module, []).append(ImportLine(rel, line, DependencyKind(kind)))
        for dotted, count in scan["uses"]:
            found = locator.api_name(dotted)
            if found is not None:
                api[found] += count
    name = project.resolve().name
    usage = []
    for module in sorted(set(sites) | {m for m, _ in api}):
        names = sorted(
            ((n, c) for (m, n), c in api.items() if m == module), key=lambda x: (-x[1], x[0])
        )
        usage.append(
            ModuleUsage(
                module,
                tuple(sites.get(module, ())),
                tuple(ApiName(module, n, c, (name,)) for n, c in names),
            )
        )
    return ProjectUsage(name, str(project), config.base, tuple(usage), tuple(text_scanned))


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
    a shim), and which record; when files name several, the one most of them name."""
    root = history.index.package_root + "/"
    # One git process for every master file a shim could be, not one per file.
    history.index.texts(
        b for p, b in sorted(history.index.head_tree.items()) if p.startswith(root)
    )
    found = {}
    for module in sorted(graph):
        named: dict[str, list[str]] = {}  # library → the record naming it, per file
        for path in graph.nodes[module]["files"]:
            found_for = history.named_library(path)
            if found_for is not None:
                library, source = found_for
                named.setdefault(library, []).append(source.value)
        if named:
            chosen = min(named, key=lambda lib: (-len(named[lib]), lib))
            found[module] = Intent(chosen, " and ".join(sorted(set(named[chosen]))))
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


# Private: reading a project's own code


def _scan_project(
    project: Path,
    files: Sequence[str],
    prefix: str,
    root_module: str,
    cache: Cache | None,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    # A file that never spells the root (``openstack.common``, or ``from
    # nova.openstack import common``) cannot import it: it is not parsed at all.
    parent, _, last = root_module.rpartition(".")
    markers = [root_module.encode()] + ([f"{parent} import {last}".encode()] if parent else [])

    def mentions_root(data: bytes) -> bool:
        return any(marker in data for marker in markers)

    contents = [(project / rel).read_bytes() for rel in files]
    keys = [_scan_key(rel, data, prefix) for rel, data in zip(files, contents, strict=True)]
    wanted = [k for k, data in zip(keys, contents, strict=True) if mentions_root(data)]
    cached = cache.get_many("plan-usage", wanted) if cache is not None and wanted else {}
    fresh: dict[str, dict[str, Any]] = {}
    scans = []
    name = project.resolve().name
    for done, (rel, data, key) in enumerate(zip(files, contents, keys, strict=True), start=1):
        if not mentions_root(data):
            scans.append({"parsed": True, "imports": [], "uses": []})
        elif key in cached:
            scans.append(cached[key])
        else:
            dotted, is_package = dotted_module_of(rel)
            scan = _scan_source(decode(data), dotted, is_package, prefix)
            fresh[key] = scan
            scans.append(scan)
        if progress is not None and (done % 50 == 0 or done == len(files)):
            progress(name, done, len(files))
    if cache is not None and fresh:
        cache.put_many("plan-usage", fresh)
    return scans


def _scan_key(rel: str, data: bytes, prefix: str) -> str:
    digest = hashlib.sha1(data).hexdigest()
    return hashlib.sha1(f"{ANALYSIS_VERSION}:{prefix}:{rel}:{digest}".encode()).hexdigest()


def _under(dotted: str, prefix: str) -> bool:
    return dotted.startswith(prefix + ".")


def _related(dotted: str, prefix: str) -> bool:
    """Under the prefix, or an ancestor of it (``nova`` binds ``nova.openstack.common``)."""
    return dotted == prefix or _under(dotted, prefix) or prefix.startswith(dotted + ".")


_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def _scan_source(source: str, module: str, is_package: bool, prefix: str) -> dict[str, Any]:
    """One file's imports of incubator modules and the dotted names it uses (JSON-able:
    it is cached)."""
    try:
        tree = ast.parse(source)
        package = module if is_package else module.rpartition(".")[0]
        scanner = _UsageScanner(package, prefix)
        scanner.visit(tree)
    except (SyntaxError, ValueError, RecursionError):
        return _scan_text(source, module, is_package, prefix)
    return {"parsed": True, "imports": scanner.imports, "uses": sorted(scanner.uses.items())}


class _UsageScanner:
    """One pass over a syntax tree: imports under the prefix, the names they bind in
    each scope, and every later use of those names.

    A name assigned in a scope (a local variable, an argument, a loop target) hides
    the import from there on, in that scope only: ``session = get_session()`` then
    ``session.query`` is not a use of the incubator's ``session`` module.
    """

    def __init__(self, package: str, prefix: str):
        self.package = package
        self.prefix = prefix
        self.scopes: list[dict[str, str | None]] = [{}]
        self.functions = 0  # > 0 inside a function: imports there are lazy
        self.imports: list[list[Any]] = []
        self.uses: Counter[str] = Counter()

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def hide(self, name: str) -> None:
        if self.lookup(name) is not None:
            self.scopes[-1][name] = None

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind is ast.Name:
            self._name(node)  # type: ignore[arg-type]
        elif kind is ast.Attribute:
            self._attribute(node)  # type: ignore[arg-type]
        elif kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str) and _under(value, self.prefix) and _DOTTED.fullmatch(value):
                self.uses[value] += 1
        elif kind is ast.Import or kind is ast.ImportFrom:
            self._import(node)  # type: ignore[arg-type]
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.Lambda:
            self._function(node)  # type: ignore[arg-type]
        elif kind is ast.ClassDef:
            self._class(node)  # type: ignore[arg-type]
        else:
            if kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
                self.hide(node.name)  # type: ignore[attr-defined]
            for child in ast.iter_child_nodes(node):
                self.visit(child)

    def _name(self, node: ast.Name) -> None:
        if type(node.ctx) is not ast.Load:
            self.hide(node.id)
            return
        target = self.lookup(node.id)
        if target is not None and _under(target, self.prefix):
            self.uses[target] += 1

    def _attribute(self, node: ast.Attribute) -> None:
        chain = []
        current: ast.expr = node
        while type(current) is ast.Attribute:
            chain.append(current.attr)
            current = current.value
        if type(current) is ast.Name:
            target = self.lookup(current.id)
            if target is not None:
                dotted = ".".join([target, *reversed(chain)])
                if _under(dotted, self.prefix):
                    self.uses[dotted] += 1
        else:
            self.visit(current)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        kind = ImportKind.LAZY.value if self.functions else ImportKind.STRONG.value
        scope = self.scopes[-1]
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _under(alias.name, self.prefix):
                    self.imports.append([node.lineno, kind, [alias.name]])
                if alias.asname:
                    scope[alias.asname] = alias.name if _related(alias.name, self.prefix) else None
                else:
                    top = alias.name.split(".")[0]
                    scope[top] = top if _related(alias.name, self.prefix) else scope.get(top)
            return
        base = resolve_relative(node.level, node.module, self.package)
        names = [a for a in node.names if a.name != "*"]
        candidates = [base, *(f"{base}.{a.name}" for a in names)]
        related = any(_under(c, self.prefix) or c == self.prefix for c in candidates)
        if related:
            self.imports.append([node.lineno, kind, candidates])
        for alias in names:
            target = f"{base}.{alias.name}"
            scope[alias.asname or alias.name] = target if _related(target, self.prefix) else None
            if _under(target, self.prefix):
                self.uses[target] += 1  # the from-import names it

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.visit(decorator)
            self.hide(node.name)
        self.scopes.append({})
        self.functions += 1
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None:
                self.hide(arg.arg)
        body = node.body if isinstance(node.body, list) else [node.body]
        for stmt in body:
            self.visit(stmt)
        self.functions -= 1
        self.scopes.pop()

    def _class(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self.hide(node.name)
        self.scopes.append({})
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()


def _scan_text(source: str, module: str, is_package: bool, prefix: str) -> dict[str, Any]:
    imports: list[list[Any]] = []
    bindings: dict[str, str] = {}
    uses: Counter[str] = Counter()
    for site in find_imports(source, module, is_package, [prefix]):
        if site.kind is ImportKind.WEAK:
            uses[site.module] += 1
            continue
        candidates = expand_from_import(site) if site.names else [site.module]
        if not any(_related(c, prefix) for c in candidates):
            continue
        if any(_under(c, prefix) for c in candidates):
            imports.append([site.line, site.kind.value, candidates])
        if site.names:
            for name, alias in site.names:
                bindings[alias] = f"{site.module}.{name}"
        elif site.alias:
            bindings[site.alias] = site.module
        else:
            top = site.module.split(".")[0]
            bindings[top] = top
    if bindings:
        names = "|".join(re.escape(n) for n in sorted(bindings, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w.])({names})(?!\w)((?:\.[A-Za-z_]\w*)*)")
        for match in pattern.finditer(source):
            dotted = bindings[match.group(1)] + match.group(2)
            if _under(dotted, prefix):
                uses[dotted] += 1  # the import line itself included, as a from-import counts
    return {"parsed": False, "imports": imports, "uses": sorted(uses.items())}


class _Locator:
    """Maps a project's dotted names under ``<base>.<root>`` to incubator modules."""

    def __init__(self, graph: nx.DiGraph, prefix: str, root_module: str):
        self.prefix = prefix
        self.root_module = root_module
        self.known = {f"{root_module}.{m}": m for m in graph}
        self.submodules = {
            m: {p.rsplit("/", 1)[-1][:-3] for p in graph.nodes[m]["files"]} - {"__init__"}
            for m in graph
            if any(p.endswith("/__init__.py") for p in graph.nodes[m]["files"])
        }

    def _split(self, dotted: str) -> tuple[str, list[str]] | None:
        if not _under(dotted, self.prefix):
            return None
        inner = self.root_module + dotted[len(self.prefix) :]
        full = innermost_module(inner, self.known)
        if full is None:
            return None
        rest = inner[len(full) + 1 :]
        return self.known[full], rest.split(".") if rest else []

    def module(self, dotted: str) -> str | None:
        """The incubator module ``dotted`` is in, if any."""
        found = self._split(dotted)
        return found[0] if found else None

    def api_name(self, dotted: str) -> tuple[str, str] | None:
        """(module, public name) for a use of ``dotted``; a name in a package module is
        qualified by its file (``session.get_session``); a module itself is no name."""
        found = self._split(dotted)
        if found is None or not found[1]:
            return None
        module, rest = found
        if rest[0] in self.submodules.get(module, ()):
            if len(rest) < 2:
                return None
            return module, f"{rest[0]}.{rest[1]}"
        return module, rest[0]
