"""Impact: what a change to the incubator (or to a graduated library) does to the
projects that copy (or import) its modules, before it merges.

Public use cases: :func:`incubator_impact` and :func:`library_impact`. Both read the
change from git (:mod:`oslo_incubator.history.changes`), classify how the API of each
module it touches changed (:func:`oslo_incubator.analysis.api.compare_api`), find every
line of each project's own code that uses a changed name (the usage scan
``graduate plan`` shares, :mod:`oslo_incubator.graph.usage`) and decide per line and
per project: breaking, affected or untouched. A project of the incubator also shows
where its copies of the changed modules stood before the change (the provenance
engine, :func:`oslo_incubator.history.provenance.analyse_project`, run on the
incubator as it was before the change). A library gets the smallest release that
describes its changes. The cross tests, which need a sync, are in
:mod:`oslo_incubator.workflows.impact`.
"""

from __future__ import annotations

import configparser
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from packaging.version import InvalidVersion, Version

from oslo_incubator.analysis.api import (
    bound_parameters,
    check_call,
    compare_api,
    read_api,
    relied_defaults,
)
from oslo_incubator.analysis.imports import dotted_module_of
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.graph.usage import (
    ProjectScan,
    UseSite,
    scan_export_uses,
    scan_incubator_usage,
    scan_package_usage,
)
from oslo_incubator.history.changes import (
    FileChange,
    changed_files,
    commits_in,
    files_at,
    resolve_range,
    texts_of,
)
from oslo_incubator.history.git import read_blobs
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.api import (
    MODULE_CODE,
    ApiChange,
    ChangeKind,
    ModuleApi,
    Symbol,
)
from oslo_incubator.model.drift import DriftStatus, ProjectDrift
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.impact import (
    VERDICT_SEVERITY,
    Bump,
    CallSite,
    CopyTouch,
    ImpactReport,
    ModuleChange,
    ModuleImport,
    ProjectImpact,
    ReleaseNeed,
    Verdict,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.model.plan import ImportLine
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.copies import module_of_path

Progress = Callable[[str, int, int], None]

#: Folders of a library that hold no part of its API.
NOT_API = frozenset({"tests", "test", "doc", "docs", "tools"})


def incubator_impact(
    incubator: Path,
    projects: Sequence[Path],
    change: str | None = None,
    span: str | None = None,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ImpactReport:
    """What a change to incubator master does to ``projects``.

    Args:
        incubator: the incubator's git repository (work tree or bare).
        projects: consumer checkouts (each with its ``openstack-common.conf``).
        change: one commit, compared with its first parent (default ``HEAD``).
        span: ``A..B`` instead of ``change``.
        package_root: where master modules live.
        cache: drift's and the usage scan's cache.
        progress: called with (project name, files done, files in all).

    Raises:
        GitError: not a repository, or an unknown revision.
        ConfigError: a project has no base package.
    """
    root = package_root.path
    found = resolve_range(incubator, change, span)
    files = changed_files(incubator, found, [root])
    before, after = texts_of(incubator, found, files)
    modules = _incubator_modules(files, before, after, package_root)
    tree = {**files_at(incubator, found.base, [root]), **files_at(incubator, found.head, [root])}
    known: dict[str, list[str]] = defaultdict(list)
    for path in sorted(tree):
        module = module_of_path(path, package_root)
        if module is not None:
            known[module].append(path)
    touched = [m.module for m in modules]
    wanted = _wanted(modules)
    impacts = []
    state = (
        open_incubator(incubator, package_root, cache, rev=found.base)
        if projects and touched
        else None
    )
    for project in projects:
        config = load_project_config(project)
        if not config.base:
            raise ConfigError(
                "no base package: set base= in openstack-common.conf", config.source or project
            )
        drift = (
            analyse_project(state, project, config, cache, None, touched)
            if state is not None
            else None
        )
        scan = scan_incubator_usage(project, known, package_root, cache, progress, wanted)
        scan = _with_export_uses(project, scan, wanted, f"{config.base_path}/{root}", cache)
        impacts.append(_project_impact(project, scan, modules, drift))
    return ImpactReport(
        source=str(incubator),
        kind="incubator",
        base=found.base,
        head=found.head,
        commits=commits_in(incubator, found),
        modules=tuple(modules),
        projects=tuple(impacts),
        package=package_root.module,
        notes=_notes(modules),
    )


def library_impact(
    library: Path,
    projects: Sequence[Path],
    change: str | None = None,
    span: str | None = None,
    since_release: bool = False,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ImpactReport:
    """What a change to a graduated library's repository does to ``projects`` that
    import it, and the smallest release that describes it.

    The library's packages are those its ``setup.cfg`` lists under ``[files]
    packages`` (namespace packages left out), else its top-level folders with an
    ``__init__.py``; tests are no part of its API. With ``since_release`` the change
    is everything since the last tag.

    Raises:
        GitError: not a repository, an unknown revision, or no tag to start from.
        ConfigError: no package found in the library.
    """
    found = resolve_range(library, change, span, since_release)
    packages = _library_packages(library, found.head) or _library_packages(library, found.base)
    if not packages:
        raise ConfigError("no Python package found in the library (setup.cfg [files])", library)
    folders = [p.replace(".", "/") for p in packages]
    files = [
        f
        for f in changed_files(library, found, folders)
        if not any(set((p or "").split("/")) & NOT_API for p in (f.old_path, f.new_path))
    ]
    before, after = texts_of(library, found, files)
    modules: list[ModuleChange] = []
    impacts: list[ProjectImpact] = []
    scans: dict[str, list[ProjectScan]] = defaultdict(list)
    for package, folder in zip(packages, folders, strict=True):
        own = [f for f in files if _under_folder(f, folder)]
        changed = _library_modules(own, before, after, folder)
        modules += changed
        tree = {
            **files_at(library, found.base, [folder]),
            **files_at(library, found.head, [folder]),
        }
        known: dict[str, list[str]] = defaultdict(list)
        for path in sorted(tree):
            if path.endswith(".py") and not set(path.split("/")) & NOT_API:
                known[_library_module(path, folder)].append(path)
        for project in projects:
            scans[str(project)].append(
                scan_package_usage(
                    project,
                    package,
                    package,
                    known,
                    None,
                    cache,
                    progress,
                    only=_wanted(changed, package),
                )
            )
    wanted = _wanted(modules)  # keyed as the scan names modules: "" for the package
    for project in projects:
        merged = _merge_scans(scans[str(project)])
        merged = _with_export_uses(project, merged, wanted, None, cache)
        impacts.append(_project_impact(project, merged, modules, None))
    commits = commits_in(library, found)
    return ImpactReport(
        source=str(library),
        kind="library",
        base=found.base,
        head=found.head,
        commits=commits,
        modules=tuple(modules),
        projects=tuple(impacts),
        package=", ".join(packages),
        release=release_need(modules, found.tag),
        notes=_notes(modules),
    )


def release_need(modules: Sequence[ModuleChange], last_tag: str | None) -> ReleaseNeed:
    """The smallest bump describing ``modules``' changes: major for a public name
    removed, renamed or changed incompatibly (a module removed included), minor for
    one added or extended, patch for any other change, none without changes."""
    major: list[str] = []
    minor: list[str] = []
    patch: list[str] = []
    for module in modules:
        where = module.module or "(package)"
        if module.removed:
            major.append(f"{where}: module removed")
            continue
        if not module.parsed:
            patch.append(f"{where}: changed (not valid Python 3: its API was not compared)")
            continue
        for change in module.public_changes:
            text = f"{where}.{change.name}: {change.kind.value} ({'; '.join(change.reasons)})"
            if change.kind.breaking:
                major.append(text)
            elif change.kind in (ChangeKind.ADDED, ChangeKind.EXTENDED):
                minor.append(text)
            else:
                patch.append(text)
        if not module.public_changes:
            patch.append(f"{where}: code changed, no public name did")
    if not module_list_changed(modules):
        bump = Bump.NONE
    elif major:
        bump = Bump.MAJOR
    elif minor:
        bump = Bump.MINOR
    else:
        bump = Bump.PATCH
    reasons = {Bump.MAJOR: major, Bump.MINOR: minor, Bump.PATCH: patch, Bump.NONE: []}[bump]
    return ReleaseNeed(last_tag, bump, _next_version(last_tag, bump), tuple(reasons))


def module_list_changed(modules: Sequence[ModuleChange]) -> bool:
    """Whether any module changed at all."""
    return any(m.changes or m.removed or not m.parsed or m.old_paths != m.new_paths
               for m in modules)  # fmt: skip


# Private: the change


def _with_export_uses(
    project: Path,
    scan: ProjectScan,
    wanted: Mapping[str, Collection[str] | None],
    exclude: str | None,
    cache: Cache | None,
) -> ProjectScan:
    """``scan`` with the uses of the project's own names bound to changed names."""

    def changed(module: str, name: str) -> bool:
        names = wanted.get(module, set())
        return names is None or name in names or name.split(".")[0] in names

    exports = tuple(e for e in scan.exports if changed(e.module, e.target))
    if not exports:
        return scan
    extra = scan_export_uses(project, replace(scan, exports=exports), exclude, cache)
    return replace(scan, uses=scan.uses + extra)


def _wanted(
    modules: Sequence[ModuleChange], package: str = ""
) -> dict[str, Collection[str] | None]:
    """For the usage scan: per module, the names whose uses matter (``None``: any use,
    when the module went or could not be read)."""
    wanted: dict[str, Collection[str] | None] = {}
    for module in modules:
        name = module.module or package
        names = {c.name for c in module.changes if c.kind is not ChangeKind.ADDED}
        if module.removed or not module.parsed:
            wanted[name] = None
        else:
            wanted[name] = names - {MODULE_CODE}
    return wanted


def _incubator_modules(
    files: Sequence[FileChange],
    before: Mapping[str, bytes],
    after: Mapping[str, bytes],
    package_root: PackageRoot,
) -> list[ModuleChange]:
    root = package_root.path

    def module_of(path: str) -> str | None:
        return module_of_path(path, package_root)

    def qualifier(path: str) -> str:
        # A package module's names are qualified by their file (session.get_session).
        module = module_of(path) or ""
        stem = path[len(root) + 1 : -3]
        return (
            ""
            if stem == module.replace(".", "/") or stem.endswith("/__init__")
            else (stem.rpartition("/")[2])
        )

    return _module_changes(files, before, after, module_of, qualifier)


def _library_module(path: str, folder: str) -> str:
    dotted, _ = dotted_module_of(path[len(folder) + 1 :] if path != folder else "__init__.py")
    return dotted


def _library_modules(
    files: Sequence[FileChange], before: Mapping[str, bytes], after: Mapping[str, bytes],
    folder: str,
) -> list[ModuleChange]:  # fmt: skip
    return _module_changes(
        files, before, after, lambda p: _library_module(p, folder), lambda p: ""
    )


def _module_changes(
    files: Sequence[FileChange],
    before: Mapping[str, bytes],
    after: Mapping[str, bytes],
    module_of: Callable[[str], str | None],
    qualifier: Callable[[str], str],
) -> list[ModuleChange]:
    olds: dict[str, dict[str, Symbol]] = defaultdict(dict)
    news: dict[str, dict[str, Symbol]] = defaultdict(dict)
    old_paths: dict[str, list[str]] = defaultdict(list)
    new_paths: dict[str, list[str]] = defaultdict(list)
    parsed: dict[str, bool] = defaultdict(lambda: True)
    moved: dict[str, str] = {}
    for change in files:
        old_module = module_of(change.old_path) if change.old_path else None
        new_module = module_of(change.new_path) if change.new_path else None
        for path, module, texts, sink, paths in (
            (change.old_path, old_module, before, olds, old_paths),
            (change.new_path, new_module, after, news, new_paths),
        ):
            if path is None or module is None:
                continue
            paths[module].append(path)
            api = read_api(decode(texts.get(path, b"")))
            parsed[module] &= api.parsed
            sink[module].update(_qualified(api, qualifier(path)))
        if old_module is not None and new_module is not None and old_module != new_module:
            moved[old_module] = new_module
    result = []
    for module in sorted(set(old_paths) | set(new_paths)):
        changes = compare_api(ModuleApi(olds[module]), ModuleApi(news[module]))
        target = moved.get(module) if module not in new_paths else None
        if target is not None:
            changes = tuple(_moved(c, target) for c in changes)
        result.append(
            ModuleChange(
                module,
                tuple(old_paths.get(module, ())),
                tuple(new_paths.get(module, ())),
                changes if parsed[module] else (),
                parsed[module],
                target,
            )
        )
    return result


def _qualified(api: ModuleApi, prefix: str) -> dict[str, Symbol]:
    if not prefix:
        return dict(api.symbols)
    return {
        f"{prefix}.{name}": replace(symbol, name=f"{prefix}.{name}")
        for name, symbol in api.symbols.items()
    }


def _moved(change: ApiChange, target: str) -> ApiChange:
    if change.kind is ChangeKind.REMOVED and change.old is not None:
        return replace(
            change, kind=ChangeKind.RENAMED, reasons=(f"moved to module {target}",),
            new=replace(change.old, name=f"{target}.{change.name}"),
        )  # fmt: skip
    return change


def _under_folder(change: FileChange, folder: str) -> bool:
    return any(
        p is not None and p.startswith(folder + "/") for p in (change.old_path, change.new_path)
    )


def _library_packages(library: Path, rev: str) -> list[str]:
    data = read_blobs(library, [f"{rev}:setup.cfg"]).get(f"{rev}:setup.cfg")
    packages: list[str] = []
    if data is not None:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(decode(data))
        except configparser.Error:
            parser = configparser.ConfigParser()
        listed = parser.get("files", "packages", fallback="").split()
        namespaces = set(parser.get("files", "namespace_packages", fallback="").split())
        packages = [p for p in listed if p not in namespaces]
    if not packages:
        tree = files_at(library, rev, [])
        tops = {p.split("/")[0] for p in tree if p.count("/") == 1 and p.endswith("/__init__.py")}
        packages = sorted(t for t in tops if t not in NOT_API)
    # The most specific only: oslo.concurrency, not oslo as well.
    return [p for p in packages if not any(o != p and o.startswith(p + ".") for o in packages)]


def _merge_scans(scans: Sequence[ProjectScan]) -> ProjectScan:
    first = scans[0]
    imports: dict[str, tuple[ImportLine, ...]] = {}
    for scan in scans:
        imports.update(scan.imports)
    return replace(
        first,
        imports=imports,
        uses=tuple(u for s in scans for u in s.uses),
        text_scanned=tuple(sorted({f for s in scans for f in s.text_scanned})),
    )


def _next_version(tag: str | None, bump: Bump) -> str | None:
    if tag is None or bump is Bump.NONE:
        return None
    try:
        version = Version(tag)
    except InvalidVersion:
        return None
    major, minor, micro = (list(version.release) + [0, 0])[:3]
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{micro + 1}"


def _notes(modules: Iterable[ModuleChange]) -> tuple[str, ...]:
    return tuple(
        f"{m.module}: not valid Python 3 before or after; its names were not compared, "
        "every use counts as affected"
        for m in modules
        if not m.parsed
    )


# Private: the projects


def _project_impact(
    project: Path, scan: ProjectScan, modules: Sequence[ModuleChange], drift: ProjectDrift | None
) -> ProjectImpact:
    by_module = {m.module: m for m in modules}
    sites = []
    for use in scan.uses:
        module = by_module.get(use.module)
        if module is None:
            continue
        site = _classify(use, module)
        if site is not None:
            sites.append(site)
    sites.sort(key=lambda s: (s.path, s.line, s.name))
    imports = tuple(
        ModuleImport(module, line.path, line.line)
        for module in by_module
        for line in scan.imports.get(module, ())
    )
    copies = _copies(drift) if drift is not None else ()
    at_import = [
        m.module
        for m in modules
        if any(c.name == MODULE_CODE for c in m.changes)
        and (scan.imports.get(m.module) or any(u.module == m.module for u in scan.uses))
    ]
    verdict = max((s.verdict for s in sites), key=VERDICT_SEVERITY.__getitem__,
                  default=Verdict.UNTOUCHED)  # fmt: skip
    return ProjectImpact(
        name=scan.name,
        path=str(project),
        verdict=verdict,
        copies=copies,
        imports=tuple(sorted(imports, key=lambda i: (i.path, i.line))),
        sites=tuple(sites),
        reasons=_reasons(sites, copies, imports)
        + tuple(f"{m}: module-level code changed (it runs at import)" for m in at_import),
        text_scanned=scan.text_scanned,
    )


def _classify(use: UseSite, module: ModuleChange) -> CallSite | None:
    """What the change of ``module`` does to one use of a name in it."""

    def site(changed: str, kind: ChangeKind, verdict: Verdict, reason: str) -> CallSite:
        if use.via and not use.through_call:
            reason += f" (used as {use.via})"
        return CallSite(
            use.module, use.name, use.path, use.line, changed, kind, verdict, reason,
            use.call is not None, use.via,
        )  # fmt: skip

    if module.removed:
        where = f"moved to {module.moved_to}" if module.moved_to else "removed"
        kind = ChangeKind.RENAMED if module.moved_to else ChangeKind.REMOVED
        return site("", kind, Verdict.BREAKING, f"module {module.module or '(package)'} {where}")
    if not module.parsed:
        if not use.name or use.imported:
            return None
        return site(use.name, ChangeKind.BODY, Verdict.AFFECTED,
                    "the module changed; its names could not be compared")  # fmt: skip
    changes = {c.name: c for c in module.changes if c.kind is not ChangeKind.ADDED}
    if use.through_call:
        return _through_call(use, changes, site)
    change = changes.get(use.name) if use.name else None
    if change is None and use.name:
        # A member of something removed or renamed is gone with it.
        parts = use.name.split(".")
        for end in range(len(parts) - 1, 0, -1):
            outer = changes.get(".".join(parts[:end]))
            if outer is not None and outer.kind in (ChangeKind.REMOVED, ChangeKind.RENAMED):
                change = outer
                break
    if change is None or change.name == MODULE_CODE:
        # Code that runs at import changes every user alike: a note, not a line each.
        return None
    reasons = "; ".join(change.reasons)
    if change.kind in (ChangeKind.REMOVED, ChangeKind.RENAMED):
        what = f"{change.name} {reasons}" if change.name != use.name else reasons
        return site(change.name, change.kind, Verdict.BREAKING, what)
    if use.imported:
        return None  # the lines that use the imported name say more
    if change.kind is ChangeKind.INCOMPATIBLE:
        new = change.new
        if (
            use.call is not None
            and new is not None
            and new.parameters is not None
            and (change.old is not None and change.old.kind is new.kind)
        ):
            misfit = check_call(use.call, new.parameters)
            if misfit is not None:
                return site(change.name, change.kind, Verdict.BREAKING, f"this call {misfit}")
            relied = relied_defaults(use.call, change)
            if relied:
                return site(change.name, change.kind, Verdict.BREAKING,
                            f"this call relies on the old default of {', '.join(relied)} "
                            f"({reasons})")  # fmt: skip
            return site(change.name, change.kind, Verdict.AFFECTED,
                        f"signature changed ({reasons}); this call still fits")  # fmt: skip
        how = "not a call" if use.call is None else "a call"
        return site(change.name, change.kind, Verdict.AFFECTED,
                    f"{reasons} ({how} here: check by hand)")  # fmt: skip
    return site(change.name, change.kind, Verdict.AFFECTED, reasons)


def _through_call(
    use: UseSite,
    changes: Mapping[str, ApiChange],
    site: Callable[[str, ChangeKind, Verdict, str], CallSite],
) -> CallSite | None:
    """A use of a project name that holds what calling ``use.name`` returned
    (``synchronized = lockutils.synchronized_with_prefix('nova-')``). When that
    function only returns a ``functools.partial`` of another, the call is checked
    against the other's new signature, less what the partial binds."""
    change = changes.get(use.name)
    if change is None:
        return None
    made = f"{use.via} (made by {use.name})"
    reasons = "; ".join(change.reasons)
    if change.kind in (ChangeKind.REMOVED, ChangeKind.RENAMED):
        return site(change.name, change.kind, Verdict.BREAKING, f"{made}: {reasons}")
    symbol = change.new
    if symbol is not None and symbol.partial is not None:
        target, positional, keywords = symbol.partial
        inner = changes.get(target)
        if inner is not None and inner.new is not None and inner.new.parameters is not None:
            why = "; ".join(inner.reasons)
            if use.call is not None and inner.kind is ChangeKind.INCOMPATIBLE:
                params = bound_parameters(inner.new.parameters, positional, keywords)
                misfit = check_call(use.call, params)
                if misfit is not None:
                    why = f"this call of {made}, a partial of {target}, {misfit}"
                    return site(target, inner.kind, Verdict.BREAKING, why)
            return site(target, inner.kind, Verdict.AFFECTED,
                        f"calls {target} through {made}: {why}")  # fmt: skip
    return site(change.name, change.kind, Verdict.AFFECTED, f"uses {made}: {reasons}")


def _copies(drift: ProjectDrift) -> tuple[CopyTouch, ...]:
    touches = []
    for module in drift.modules:
        behind = max((c.commits_behind for c in module.copies), default=0)
        local = sum(c.changed_lines for c in module.copies)
        touches.append(
            CopyTouch(
                module.module,
                module.status,
                tuple(c.copy_path for c in module.copies),
                behind,
                local,
            )  # fmt: skip
        )
    return tuple(touches)


def _reasons(
    sites: Sequence[CallSite], copies: Sequence[CopyTouch], imports: Sequence[ModuleImport]
) -> tuple[str, ...]:
    reasons = []
    grouped: dict[tuple[str, str, Verdict], list[CallSite]] = defaultdict(list)
    for s in sites:
        grouped[(s.module, s.changed, s.verdict)].append(s)
    for (module, changed, verdict), found in sorted(
        grouped.items(), key=lambda kv: (-VERDICT_SEVERITY[kv[0][2]], kv[0][0], kv[0][1])
    ):
        name = ".".join(p for p in (module, changed) if p)
        lines = "line" if len(found) == 1 else "lines"
        reasons.append(f"{verdict.value}: {name} ({found[0].change.value}), {len(found)} {lines}")
    for copy in copies:
        if copy.status is DriftStatus.BEHIND:
            reasons.append(
                f"copy of {copy.module} is {copy.commits_behind} master commit(s) behind: "
                "its next sync brings those too"
            )
        elif copy.status is DriftStatus.DIVERGED:
            reasons.append(
                f"copy of {copy.module} carries local changes ({copy.local_lines} lines): "
                "the sync merges the change with them"
            )
        elif copy.status is DriftStatus.MISSING:
            reasons.append(f"{copy.module} is declared but has no copy")
    if not sites and (copies or imports):
        reasons.append("imports or copies a changed module, but uses nothing that changed")
    return tuple(reasons)
