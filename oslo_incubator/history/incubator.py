"""The incubator as every operation sees it: its history index, and the one rule for
what became of a module (its life cycle).

Drift, sync, scan, graduation and migration all ask the same two questions of master:
*which version is this copy?* (answered by :mod:`oslo_incubator.history.provenance`)
and *what do master's records say of this module?* (answered here). The life cycle
comes, in this order of precedence, from:

1. **deletion**: master's HEAD no longer has the file (renames followed). The library
   is the one a record names for any path the file had, else the one the deleting
   commit's message names.
2. **records**: the most specific ``obsolete.txt`` line, else MAINTAINERS entry, whose
   pattern matches the file at HEAD (see :func:`~oslo_incubator.analysis.records.record_of`),
   when it says deprecated or obsolete. The commit that says so is the oldest commit
   since which the records have said the same of that file.
3. **a shim**: master's file only re-exports another package (see
   :func:`~oslo_incubator.analysis.records.shim_library`); the commit is the one that
   made the file what it is at HEAD.
4. **records** again, when the rule of 2 says orphan or graduating.

Otherwise the module is active. Library names are recognised by the namespaces that the
incubator's own records and requirements files use (``oslo.config`` → ``oslo``), so no
list of library names is needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.records import (
    MaintainerEntry,
    ModuleRecord,
    library_in,
    library_in_message,
    maintainers_of,
    named_in_maintainers,
    namespaces_of,
    parse_maintainer_entries,
    parse_maintainers,
    parse_obsolete_list,
    record_of,
    shim_library,
)
from oslo_incubator.analysis.requirements import parse_requirements
from oslo_incubator.analysis.updatepy import ERAS, RuleSet, era_since, select_rule_set
from oslo_incubator.history.git import git_text, read_blobs, resolve_commit
from oslo_incubator.history.index import HistoryIndex, build_index
from oslo_incubator.model.history import ModuleChange
from oslo_incubator.model.lifecycle import ACTIVE, Lifecycle, LifecycleState, RecordSource
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.copies import module_files, module_of_path

MAINTAINERS = "MAINTAINERS"
OBSOLETE_LIST = "obsolete.txt"
RECORD_FILES = (OBSOLETE_LIST, MAINTAINERS)
REQUIREMENTS_FILES = ("requirements.txt", "test-requirements.txt")
UPDATE_PY = "update.py"
#: A shim is a few lines; longer master files are not parsed to ask whether they are one.
SHIM_MAX_BYTES = 4096

#: From least to most retired: a package module whose files disagree takes the least.
LIFECYCLE_ORDER = {
    LifecycleState.ACTIVE: 0,
    LifecycleState.ORPHAN: 1,
    LifecycleState.GRADUATING: 2,
    LifecycleState.DEPRECATED: 3,
    LifecycleState.OBSOLETE: 4,
    LifecycleState.DELETED: 5,
}


class Incubator:
    """An incubator's history and what its records say of each module.

    Attributes:
        path: the repository (work tree or bare).
        index: every version of every master file.
        records: the rules of ``obsolete.txt`` and MAINTAINERS at HEAD, in the order
            they are consulted.
        namespaces: the library namespaces the incubator's records and requirements use.
        libraries: the libraries of those namespaces that its records and requirements
            name (``oslo.config``), sorted.
    """

    def __init__(
        self,
        path: Path,
        index: HistoryIndex,
        records: Sequence[ModuleRecord],
        namespaces: Sequence[str],
        libraries: Sequence[str] = (),
    ):
        self.path = path
        self.index = index
        self.records = tuple(records)
        self.namespaces = tuple(namespaces)
        self.libraries = tuple(libraries)
        self._lifecycles: dict[str, Lifecycle | None] = {}

    @property
    def package_root(self) -> PackageRoot:
        """Where master modules live (``openstack/common``)."""
        return self.index.package_root

    @property
    def head(self) -> str:
        """The commit the incubator is read at."""
        return self.index.head

    def fingerprint(self) -> str:
        """A hash of everything that decides life cycles, for cache keys."""
        digest = hashlib.sha1(self.index.head.encode())
        for record in self.records:
            digest.update(repr(record).encode())
        return digest.hexdigest()

    # Life cycle

    def lifecycle(self, master_path: str) -> Lifecycle | None:
        """The life cycle of one master file (any path it ever had); ``None`` when
        master never had the path."""
        if master_path not in self._lifecycles:
            self._lifecycles[master_path] = self._lifecycle_of(master_path)
        return self._lifecycles[master_path]

    def module_lifecycle(self, module: str) -> Lifecycle | None:
        """The life cycle of a module as ``openstack-common.conf`` names it.

        A module master has at HEAD takes the least retired life cycle of its own files
        (its ``__init__.py`` aside when it has others), with the library any of them
        names. A module master no longer has is deleted (the newest deletion among the
        files it had). ``None`` when master never had it.
        """
        root = self.index.package_root
        files = module_files(module, self.index.head_tree, root)
        if files:
            own = [f for f in files if not f.endswith("/__init__.py")] or files
            found = [lc for lc in (self.lifecycle(f) for f in own) if lc is not None]
            if not found:
                return ACTIVE
            least = min(found, key=lambda lc: LIFECYCLE_ORDER[lc.state])
            library = least.library or next((lc.library for lc in found if lc.library), None)
            return Lifecycle(least.state, library, least.commit, least.source)
        gone = [
            (deletion.order, path)
            for path in self.former_files(module)
            if (deletion := self.index.deletion(self.index.lineage(path) or "")) is not None
        ]
        if not gone:
            return None
        _, path = min(gone)
        return self.lifecycle(path)

    def former_files(self, module: str) -> list[str]:
        """Master paths of ``module`` that master had and HEAD no longer has."""
        root = self.index.package_root.path
        rel = module.replace(".", "/")
        candidates = [f"{root}/{rel}.py"] + [
            p
            for p in self.index.lineage_of
            if p.startswith(f"{root}/{rel}/") and "/" not in p[len(root) + len(rel) + 2 :]
        ]
        return [
            p
            for p in candidates
            if (lineage := self.index.lineage(p)) is not None
            and self.index.head_path(lineage) is None
        ]

    def graduated_modules(self) -> dict[str, Lifecycle]:
        """Modules whose imports a project should no longer have: obsolete at HEAD, or
        deleted with a library named. Keys are module names (``log``, ``db.sqlalchemy``)."""
        root = self.index.package_root
        modules = {m for p in self.index.head_tree if (m := module_of_path(p, root))}
        deleted = {
            m
            for lineage in self.index.versions
            if (m := module_of_path(lineage, root)) is not None and m not in modules
        }
        deletions = [self.index.deletion(self.index.lineage(p) or "") for m in deleted
                     for p in self.former_files(m)]  # fmt: skip
        # One git process for every deleting commit's message, not one per module.
        self.index.messages(d.commit for d in deletions if d is not None)
        found = {}
        for module in sorted(modules | deleted):
            lifecycle = self.module_lifecycle(module)
            if lifecycle is None:
                continue
            if lifecycle.state is LifecycleState.OBSOLETE or (
                lifecycle.state is LifecycleState.DELETED and lifecycle.library
            ):
                found[module] = lifecycle
        return found

    # How master texts were rewritten into projects

    @cached_property
    def rewrite_eras(self) -> tuple[tuple[int, RuleSet], ...]:
        """Every rewrite the incubator's own ``update.py`` made, oldest first, with the
        time it came into force: read from each version of the file in master's history
        (two git processes). An incubator without ``update.py`` gets the known eras."""
        out = git_text(self.path, "log", "--format=%H %ct", self.index.head, "--", UPDATE_PY)
        found = [line.split() for line in out.splitlines() if line.strip()]
        if not found:
            return tuple((era_since(era), era) for era in ERAS)
        blobs = read_blobs(self.path, [f"{sha}:{UPDATE_PY}" for sha, _ in found])
        eras: list[tuple[int, RuleSet]] = []
        for sha, stamp in reversed(found):
            data = blobs.get(f"{sha}:{UPDATE_PY}")
            if data is None:
                continue
            rules = select_rule_set(decode(data), int(stamp))
            if not eras or not eras[-1][1].same_rules(rules):
                eras.append((int(stamp), rules))
        return tuple(eras)

    def rewrites_near(self, timestamp: int) -> list[RuleSet]:
        """The rewrites to try for a copy taken from a version made at ``timestamp``:
        the one in force then, the later ones in order (a sync comes after the version
        it copies), then the earlier ones, newest first."""
        eras = list(self.rewrite_eras)
        current = max((i for i, (since, _) in enumerate(eras) if since <= timestamp), default=0)
        order = eras[current:] + eras[:current][::-1]
        return [rules for _, rules in order]

    def named_library(self, master_path: str) -> tuple[str, RecordSource] | None:
        """The library master's records name for a file it has at HEAD, or that the file
        re-exports as a shim, with the record that names it; ``None`` when none does.
        The life cycle's library without the search for the commit that made it so."""
        lineage = self.index.lineage(master_path)
        head_path = None if lineage is None else self.index.head_path(lineage, master_path)
        if lineage is None or head_path is None:
            return None
        record = record_of(head_path, self.records)
        if record is not None and record.library:
            return record.library, record.source
        shim = self._shim(lineage, head_path)
        if shim is not None and shim.library:
            return shim.library, RecordSource.SHIM
        return None

    # What else master's history and records say of its modules

    def module_changes(self) -> list[ModuleChange]:
        """Every commit that changed master modules, newest first, with the modules it
        changed. Merge commits are left out: what they bring was changed by the commits
        they merge (their own conflict resolutions are no evidence of design)."""
        root = self.index.package_root
        touched: dict[str, set[str]] = {}
        for lineage, versions in self.index.versions.items():
            where = self.index.head_path(lineage) or lineage
            module = module_of_path(where, root)
            if module is None:
                continue
            for version in versions:
                touched.setdefault(version.commit, set()).add(module)
        commits = self.index.commits
        found = [
            ModuleChange(sha, commits[sha].subject, frozenset(modules))
            for sha, modules in touched.items()
            if sha in commits and len(commits[sha].parents) <= 1
        ]
        return sorted(found, key=lambda c: commits[c.sha].order)

    @cached_property
    def maintainer_entries(self) -> tuple[MaintainerEntry, ...]:
        """The MAINTAINERS entries at HEAD (none when there is no such file)."""
        data = self.index.read_at_head(MAINTAINERS)
        if not data:
            return ()
        return tuple(parse_maintainer_entries(decode(data), self.index.package_root))

    def module_maintainers(self, module: str) -> tuple[str, ...]:
        """The people MAINTAINERS lists for any of the module's files at HEAD."""
        files = module_files(module, self.index.head_tree, self.index.package_root)
        found: list[str] = []
        for path in files:
            found += [m for m in maintainers_of(path, self.maintainer_entries) if m not in found]
        return tuple(found)

    # Private

    def _lifecycle_of(self, master_path: str) -> Lifecycle | None:
        index = self.index
        lineage = index.lineage(master_path)
        if lineage is None:
            return None
        head_path = index.head_path(lineage, prefer=master_path)
        if head_path is None:
            return self._deleted(lineage)
        record = record_of(head_path, self.records)
        if record is not None and record.state.retired:
            return Lifecycle(
                record.state, record.library, self._record_commit(head_path, record), record.source
            )
        shim = self._shim(lineage, head_path)
        if shim is not None:
            return shim
        if record is None or record.state is LifecycleState.ACTIVE:
            return ACTIVE
        return Lifecycle(
            record.state, record.library, self._record_commit(head_path, record), record.source
        )

    def _deleted(self, lineage: str) -> Lifecycle:
        deletion = self.index.deletion(lineage)
        commit = deletion.commit if deletion else None
        library = None
        for version in self.index.versions_of(lineage):
            record = record_of(version.path, self.records)
            if record is not None and record.library:
                library = record.library
                break
        if library is None and commit is not None:
            message = self.index.messages([commit]).get(commit, "")
            library = library_in_message(message, self.namespaces)
        return Lifecycle(LifecycleState.DELETED, library, commit, RecordSource.DELETION)

    def _shim(self, lineage: str, head_path: str) -> Lifecycle | None:
        blob = self.index.head_tree.get(head_path)
        if blob is None:
            return None
        data = self.index.texts([blob]).get(blob, b"")
        if not data or len(data) > SHIM_MAX_BYTES:
            return None
        imported = shim_library(decode(data), self.package_root)
        if imported is None:
            return None
        library = library_in(imported, self.namespaces) or imported.split(".")[0]
        made = next((v.commit for v in self.index.versions_of(lineage) if v.blob == blob), None)
        return Lifecycle(LifecycleState.OBSOLETE, library, made, RecordSource.SHIM)

    def _record_commit(self, path: str, record: ModuleRecord) -> str | None:
        """The oldest commit since which the records have said ``record`` of ``path``."""
        found = None
        for commit, records in self._record_history:
            earlier = record_of(path, records)
            if earlier is None or (earlier.state, earlier.library, earlier.source) != (
                record.state,
                record.library,
                record.source,
            ):
                break
            found = commit
        return found

    @cached_property
    def _record_history(self) -> list[tuple[str, tuple[ModuleRecord, ...]]]:
        """Every commit that changed a record file, newest first, with the rules then
        in force. Two git processes: a log and one batch read."""
        out = git_text(self.path, "log", "--format=%H", self.index.head, "--", *RECORD_FILES)
        commits = out.split()
        wanted = [f"{c}:{name}" for c in commits for name in RECORD_FILES]
        blobs = read_blobs(self.path, wanted)
        history = []
        for commit in commits:
            texts = {name: blobs.get(f"{commit}:{name}") for name in RECORD_FILES}
            history.append((commit, tuple(self._parse_records(texts))))
        return history

    def _parse_records(self, texts: Mapping[str, bytes | None]) -> list[ModuleRecord]:
        return parse_records(texts, self.index.package_root, self.namespaces)


def parse_records(
    texts: Mapping[str, bytes | None], package_root: PackageRoot, namespaces: Sequence[str]
) -> list[ModuleRecord]:
    """The rules of ``obsolete.txt`` then MAINTAINERS (texts by file name, ``None`` or
    absent when the file is missing)."""
    records: list[ModuleRecord] = []
    if texts.get(OBSOLETE_LIST):
        records += parse_obsolete_list(decode(texts[OBSOLETE_LIST] or b""))
    if texts.get(MAINTAINERS):
        records += parse_maintainers(decode(texts[MAINTAINERS] or b""), package_root, namespaces)
    return records


def open_incubator(
    path: Path,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    rev: str = "HEAD",
) -> Incubator:
    """Index the incubator at ``path`` as of ``rev`` (from the cache when that commit
    was indexed before) and read its records.

    Raises:
        GitError: ``path`` is not a git repository, or has no commit ``rev``.
    """
    head = resolve_commit(path, rev)
    key = hashlib.sha1(f"{head}:{package_root.path}".encode()).hexdigest()
    index = None
    if cache is not None:
        data = cache.get("history-index", key)
        if data is not None:
            try:
                index = HistoryIndex.from_json(path, data)
            except (ValueError, KeyError, TypeError):
                index = None
    if index is None:
        index = build_index(path, package_root, head)
        if cache is not None:
            cache.put("history-index", key, index.to_json())
    texts = index.read_many_at_head([*RECORD_FILES, *REQUIREMENTS_FILES])
    names = _named_distributions(texts)
    plain = parse_records(texts, index.package_root, ())
    maintainers = decode(texts.get(MAINTAINERS, b""))
    named = [*names, *(r.library for r in plain if r.library), *named_in_maintainers(maintainers)]
    namespaces = namespaces_of(named)
    records = parse_records(texts, index.package_root, namespaces)
    libraries = sorted(
        {n.lower() for n in [*named, *(r.library for r in records if r.library)]
         if n.split(".")[0].lower() in namespaces and "." in n}
    )  # fmt: skip
    return Incubator(path, index, records, namespaces, libraries)


def _named_distributions(texts: dict[str, bytes]) -> Iterable[str]:
    for name in REQUIREMENTS_FILES:
        if name in texts:
            yield from (line.name for line in parse_requirements(decode(texts[name]), name).lines)
