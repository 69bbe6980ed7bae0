"""Drift: where every copied module of each project stands against master.

Public use cases: :func:`analyse_drift` (a whole report) and :func:`open_incubator`
(the history index, with its cache), which sync and graduation reuse.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from oslo_incubator.analysis.diff import changed_line_count, changed_lines_lower_bound, diff_hunks
from oslo_incubator.analysis.imports import expand_from_import, find_imports, innermost_module
from oslo_incubator.analysis.maintainers import (
    ModuleFate,
    fate_of,
    library_in_message,
    parse_maintainers,
    parse_obsolete_list,
)
from oslo_incubator.analysis.normalise import decode, fold, fold_quirks, is_trivial
from oslo_incubator.history.git import resolve_commit
from oslo_incubator.history.index import COMPANION_PREFIXES, HistoryIndex, build_index
from oslo_incubator.model.codec import from_jsonable, to_jsonable
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT, ProjectConfig
from oslo_incubator.model.drift import (
    GRADUATED_IMPORT_RULE,
    STATUS_SEVERITY,
    CopyDrift,
    DriftReport,
    DriftStatus,
    Hunk,
    ModuleDrift,
    Obsolescence,
    Policy,
    ProjectDrift,
    Violation,
)
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.history import Version
from oslo_incubator.model.sync import LockEntry
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.copies import CopyLocation, locate_copies
from oslo_incubator.workspace.files import project_python_files
from oslo_incubator.workspace.lockfile import read_lock, sha256_hex

# Bump when the analysis changes, so cached results of an older analysis are not reused;
# the package version is part of the key too, so development builds never share results.
ANALYSIS_VERSION = "drift/1"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Incubator:
    """An incubator's history and what it says about obsolete modules."""

    path: Path
    index: HistoryIndex
    fates: tuple[ModuleFate, ...]

    @property
    def root_module(self) -> str:
        """The package root as a dotted module (``openstack.common``)."""
        return self.index.package_root.replace("/", ".")


class _Candidates:
    """The versions of one lineage, folded for one base package on demand.

    Most copies equal a recent version, so versions are folded newest first and only
    as far as the search needs; the quirk fold and the nearest-version search, which
    need them all, come only after an exact search failed.
    """

    def __init__(self, versions: list[Version], texts: dict[str, bytes], base: str, root: str):
        self.versions = versions  # newest first, deletions left out
        self._texts = texts
        self._base = base
        self._root = root
        self._folded: dict[str, str] = {}

    def folded(self, blob: str) -> str:
        """The fold of one version's text."""
        found = self._folded.get(blob)
        if found is None:
            found = fold(decode(self._texts.get(blob, b"")), self._base, self._root)
            self._folded[blob] = found
        return found

    def latest_equal(self, folded: str) -> Version | None:
        """The latest introduction of a content whose fold equals ``folded``."""
        for version in self.versions:
            if self.folded(version.blob or "") == folded:
                return version
        return None

    def latest_equal_quirks(self, folded: str) -> Version | None:
        """Like :meth:`latest_equal`, comparing quirk folds."""
        wanted = fold_quirks(folded)
        for version in self.versions:
            if fold_quirks(self.folded(version.blob or "")) == wanted:
                return version
        return None


def open_incubator(
    path: Path,
    package_root: str = DEFAULT_PACKAGE_ROOT,
    cache: Cache | None = None,
    rev: str = "HEAD",
) -> Incubator:
    """Index the incubator at ``path`` as of ``rev`` (from the cache when that commit
    was indexed before).

    Raises:
        GitError: ``path`` is not a git repository, or has no commit ``rev``.
    """
    head = resolve_commit(path, rev)
    key = hashlib.sha1(f"{head}:{package_root}".encode()).hexdigest()
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
    fates: list[ModuleFate] = []
    records = index.read_many_at_head(["obsolete.txt", "MAINTAINERS"])
    if records.get("obsolete.txt"):
        fates += parse_obsolete_list(decode(records["obsolete.txt"]))
    if records.get("MAINTAINERS"):
        fates += parse_maintainers(decode(records["MAINTAINERS"]), index.package_root)
    return Incubator(path, index, tuple(fates))


def analyse_drift(
    incubator: Incubator,
    projects: Sequence[Path],
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> DriftReport:
    """Analyse every copy of every project against ``incubator``.

    Args:
        incubator: from :func:`open_incubator`.
        projects: project roots; each is read with its own configuration.
        cache: where results per copy content are kept between runs.
        progress: called with (project name, copies done, copies in all).

    Returns:
        The report, projects in the given order.

    Raises:
        ConfigError: a project's configuration is malformed or names no base package.
    """
    results = []
    for project in projects:
        config = load_project_config(project)
        results.append(analyse_project(incubator, project, config, cache, progress))
    return DriftReport(str(incubator.path), incubator.index.head, tuple(results))


def analyse_project(
    incubator: Incubator,
    project: Path,
    config: ProjectConfig,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> ProjectDrift:
    """Drift of one project's copies (see :func:`analyse_drift`)."""
    if not config.base:
        raise ConfigError(
            "no base package: set base= in openstack-common.conf", config.source or project
        )
    index = incubator.index
    companions = [p for p in index.lineage_of if p.startswith(COMPANION_PREFIXES)]
    located = locate_copies(project, config, companions)
    contents = {c.copy_path: (project / c.copy_path).read_bytes() for c in located.copies}
    # A sync's lock file names each copy's master version exactly.
    lock = read_lock(project)
    locked = {c.copy_path: lock.entry(c.copy_path) if lock else None for c in located.copies}
    keys = {
        c.copy_path: _result_key(incubator, config, c, contents[c.copy_path], locked[c.copy_path])
        for c in located.copies
    }
    cached: dict[str, object] = cache.get_many("drift-copy", keys.values()) if cache else {}
    analyser = _Analyser(incubator, config.base, incubator.root_module)
    copies: list[CopyDrift] = []
    fresh: dict[str, object] = {}
    todo = [c for c in located.copies if keys[c.copy_path] not in cached]
    analyser.prefetch(c.master_path for c in todo)
    for done, location in enumerate(located.copies, start=1):
        key = keys[location.copy_path]
        result = None
        if key in cached:
            try:
                result = from_jsonable(CopyDrift, cached[key])
            except ValueError:
                result = None
        if result is None:
            result = analyser.analyse(
                location, contents[location.copy_path], locked[location.copy_path]
            )
            fresh[key] = to_jsonable(result)
        copies.append(result)
        if progress is not None:
            progress(project.name, done, len(located.copies))
    if cache is not None and fresh:
        cache.put_many("drift-copy", fresh)
    return ProjectDrift(
        name=project.resolve().name,
        path=str(project),
        base=config.base,
        copies=tuple(copies),
        undeclared=located.undeclared,
        missing=located.missing,
        modules=roll_up(copies, located.missing),
    )


def roll_up(copies: Sequence[CopyDrift], missing: Sequence[str] = ()) -> tuple[ModuleDrift, ...]:
    """Group copies into modules; a module takes the worst status of its files."""
    grouped: dict[str, list[CopyDrift]] = {}
    for copy in copies:
        grouped.setdefault(copy.module, []).append(copy)
    modules = [
        ModuleDrift(
            name, max((c.status for c in files), key=STATUS_SEVERITY.__getitem__), tuple(files)
        )
        for name, files in grouped.items()
    ]
    modules += [ModuleDrift(name, DriftStatus.MISSING, ()) for name in missing]
    return tuple(sorted(modules, key=lambda m: m.module))


# Private


@cache
def _package_version() -> str:
    try:
        return importlib.metadata.version("oslo-incubator")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _result_key(
    incubator: Incubator,
    config: ProjectConfig,
    copy: CopyLocation,
    data: bytes,
    locked: LockEntry | None = None,
) -> str:
    digest = hashlib.sha1(data)
    if locked is not None:
        digest.update(locked.master_sha256.encode())
    fates = json.dumps([to_jsonable(f) for f in incubator.fates], sort_keys=True)
    digest.update(
        "\0".join(
            [
                ANALYSIS_VERSION,
                _package_version(),
                incubator.index.head,
                config.base or "",
                copy.master_path,
                copy.module,
                fates,
            ]
        ).encode()
    )
    return digest.hexdigest()


class _Analyser:
    """Drift of single copies against one incubator, for one base package."""

    def __init__(self, incubator: Incubator, base: str, root_module: str):
        self.incubator = incubator
        self.index = incubator.index
        self.base = base
        self.root_module = root_module
        self._candidates: dict[str, _Candidates] = {}

    def prefetch(self, master_paths: Iterable[str]) -> None:
        """Read every version of the lineages of ``master_paths``, and the messages of
        the commits that deleted them, with one git process each."""
        blobs = []
        deletions = []
        for path in master_paths:
            lineage = self.index.lineage(path)
            if lineage is None:
                continue
            blobs += [v.blob for v in self.index.versions_of(lineage) if v.blob]
            if self.index.head_path(lineage) is None:
                deletion = self.index.deletion(lineage)
                if deletion is not None:
                    deletions.append(deletion.commit)
        self.index.texts(blobs)
        self.index.messages(deletions)

    def analyse(
        self, location: CopyLocation, data: bytes, locked: LockEntry | None = None
    ) -> CopyDrift:
        """The drift of one copy whose content is ``data``; ``locked`` is its lock file
        entry, whose master version is the base when the copy equals no version."""
        text = decode(data)
        unknown = CopyDrift(
            module=location.module,
            copy_path=location.copy_path,
            master_path=None,
            status=DriftStatus.UNKNOWN,
            match="none",
        )
        lineage = self.index.lineage(location.master_path)
        if lineage is None:
            return replace(unknown, parses=_parses(location.copy_path, text))
        candidates = self._candidates_of(lineage)
        if not candidates.versions:
            return replace(
                unknown,
                master_path=location.master_path,
                parses=_parses(location.copy_path, text),
            )
        head_path = self.index.head_path(lineage, prefer=location.master_path)
        obsolete = self._obsolescence(lineage, head_path)
        known = replace(
            unknown,
            master_path=head_path or candidates.versions[0].path,
            obsoleted_by=obsolete,
            status=DriftStatus.OBSOLETE if obsolete else DriftStatus.CURRENT,
        )
        head_blob = self.index.head_tree.get(head_path) if head_path else None
        head_folded = candidates.folded(head_blob) if head_blob else None
        if head_folded is not None and is_trivial(text) and is_trivial(head_folded):
            return replace(known, match="trivial")
        folded = fold(text, self.base, self.root_module)
        match = "exact"
        base = candidates.latest_equal(folded)
        if base is None:
            match = "quirk"
            base = candidates.latest_equal_quirks(folded)
        hunks: tuple[Hunk, ...] = ()
        pinned = self._locked_version(candidates, locked) if base is None and locked else None
        if pinned is not None:
            match = "lock"
            base, hunks = self._nearest(candidates, text, folded, pinned)
        elif base is None:
            match = "nearest"
            base, hunks = self._nearest(candidates, text, folded)
        if obsolete is not None:
            status = DriftStatus.OBSOLETE
        elif hunks:
            status = DriftStatus.DIVERGED
            known = replace(known, parses=_parses(location.copy_path, text))
        elif head_folded is not None and candidates.folded(base.blob or "") == head_folded:
            return replace(known, base_commit=base.commit, match=match)
        else:
            status = DriftStatus.BEHIND
        return replace(
            known,
            status=status,
            base_commit=base.commit,
            missed_commits=tuple(self.index.changes_since(lineage, base.commit)),
            hunks=hunks,
            match=match,
        )

    def _candidates_of(self, lineage: str) -> _Candidates:
        found = self._candidates.get(lineage)
        if found is None:
            versions = [v for v in self.index.versions_of(lineage) if v.blob]
            texts = self.index.texts(v.blob for v in versions if v.blob)
            found = _Candidates(versions, texts, self.base, self.root_module)
            self._candidates[lineage] = found
        return found

    def _locked_version(self, candidates: _Candidates, locked: LockEntry) -> Version | None:
        texts = self.index.texts(v.blob for v in candidates.versions if v.blob)
        for version in candidates.versions:
            if sha256_hex(texts.get(version.blob or "", b"")) == locked.master_sha256:
                return version
        return None

    def _nearest(
        self, candidates: _Candidates, text: str, folded: str, pinned: Version | None = None
    ) -> tuple[Version, tuple[Hunk, ...]]:
        """The nearest version (or ``pinned``) and the copy's local changes against it."""
        copy_folded = folded.splitlines()
        copy_counter = Counter(copy_folded)
        unique: dict[str, Version] = {}
        for version in candidates.versions:
            assert version.blob is not None
            unique.setdefault(version.blob, version)
        counters = {blob: Counter(candidates.folded(blob).splitlines()) for blob in unique}
        ranked = sorted(
            unique.values(),
            key=lambda v: (
                changed_lines_lower_bound(counters[v.blob or ""], copy_counter),
                v.order,
            ),
        )
        best: tuple[int, int, Version] | None = (0, 0, pinned) if pinned else None
        for version in [] if pinned else ranked:
            blob = version.blob or ""
            if (
                best is not None
                and changed_lines_lower_bound(counters[blob], copy_counter) > best[0]
            ):
                break
            count = changed_line_count(candidates.folded(blob).splitlines(), copy_folded)
            if best is None or (count, version.order) < (best[0], best[1]):
                best = (count, version.order, version)
        assert best is not None
        base = best[2]
        base_text = decode(self.index.texts([base.blob or ""])[base.blob or ""])
        hunks = diff_hunks(
            candidates.folded(base.blob or "").splitlines(),
            copy_folded,
            base_text.replace("\r\n", "\n").splitlines(),
            text.replace("\r\n", "\n").splitlines(),
            base_name=f"master {base.path}@{base.commit[:8]}",
            copy_name="copy",
        )
        stripped: dict[str, Counter[str]] = {}

        def stripped_lines(blob: str) -> Counter[str]:
            if blob not in stripped:
                folded_lines = candidates.folded(blob).splitlines()
                stripped[blob] = Counter(line.strip() for line in folded_lines)
            return stripped[blob]

        newer = sorted(
            (v for v in unique.values() if v.order < base.order), key=lambda v: -v.order
        )  # oldest of the newer versions first: the first match introduced the change
        marked = []
        for hunk in hunks:
            delta = _significant_delta(hunk, self.base, self.root_module)
            origin = None
            if delta:
                for version in newer:
                    base_lines = stripped_lines(base.blob or "")
                    if _carries(delta, base_lines, stripped_lines(version.blob or "")):
                        origin = version.commit
                        break
            marked.append(
                Hunk(hunk.base_start, hunk.removed, hunk.copy_start, hunk.added, hunk.text, origin)
            )
        return base, tuple(marked)

    def _obsolescence(self, lineage: str, head_path: str | None) -> Obsolescence | None:
        if head_path is None:
            deletion = self.index.deletion(lineage)
            commit = deletion.commit if deletion else None
            library = None
            for version in self.index.versions_of(lineage):
                fate = fate_of(version.path, list(self.incubator.fates))
                if fate is not None and fate.library:
                    library = fate.library
                    break
            if library is None and commit is not None:
                library = library_in_message(self.index.messages([commit]).get(commit, ""))
            return Obsolescence("deleted", commit, library)
        fate = fate_of(head_path, list(self.incubator.fates))
        if fate is None:
            return None
        return Obsolescence(fate.source, None, fate.library)


def _parses(path: str, text: str) -> bool | None:
    if not path.endswith(".py"):
        return None
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _significant_delta(hunk: Hunk, base: str, root_module: str) -> Counter[str]:
    delta: Counter[str] = Counter()
    for line in hunk.added:
        key = fold(line, base, root_module).strip()
        if _significant(key):
            delta[key] += 1
    for line in hunk.removed:
        key = fold(line, base, root_module).strip()
        if _significant(key):
            delta[key] -= 1
    return Counter({k: v for k, v in delta.items() if v})


def _significant(line: str) -> bool:
    return any(ch.isalnum() for ch in line)


def _carries(delta: Counter[str], base: Counter[str], version: Counter[str]) -> bool:
    # The version makes the same net change to the base's lines as the local hunk does.
    for line, change in delta.items():
        if change > 0 and version[line] < base[line] + change:
            return False
        if change < 0 and version[line] > base[line] + change:
            return False
    return True


def check_policy(
    report: DriftReport, policy: Policy, incubator: Incubator | None = None
) -> list[Violation]:
    """Every copy of ``report`` that ``policy`` rejects, in report order; with the
    ``incubator``, also every import of a graduated module in the projects' own code
    (see :func:`graduated_imports`), when the policy fails obsolete copies."""
    violations = []
    for project in report.projects:
        for copy in project.copies:
            message = _violation_message(copy, policy)
            if message:
                violations.append(
                    Violation(project.name, copy.module, copy.copy_path, copy.status, message)
                )
        if DriftStatus.MISSING in policy.fail_on:
            for module in project.missing:
                violations.append(
                    Violation(
                        project.name,
                        module,
                        None,
                        DriftStatus.MISSING,
                        f"module {module} is declared but has no copy",
                    )
                )
        if incubator is not None and DriftStatus.OBSOLETE in policy.fail_on:
            violations += graduated_imports(incubator, project)
    return violations


def graduated_imports(incubator: Incubator, project: ProjectDrift) -> list[Violation]:
    """Imports of ``<base>.<root>.<module>`` (or ``mock.patch`` strings naming one) in a
    project's own code, where master says the module graduated or is obsolete.

    After a migration to a library nothing should import the old path again; this is
    the lint rule that keeps it so (rule ``drift/graduated-import``). A module counts
    when MAINTAINERS or ``obsolete.txt`` mark every file it has at master's HEAD, or
    when master deleted it naming the library it went to. Files outside the copy
    directory are read (virtualenvs, ``.tox`` and build folders skipped); only those
    that name a flagged module are parsed.
    """
    if not project.base:
        return []
    flagged = _graduated_modules(incubator)
    if not flagged:
        return []
    root = Path(project.path)
    prefix = f"{project.base}.{incubator.root_module}"
    copy_dir = f"{project.base.replace('.', '/')}/{incubator.index.package_root}"
    # Only a file that spells "<root>.m" or "<root> import ... m" can name a flagged
    # module: the others are not parsed.
    names = "|".join(re.escape(m) for m in sorted(flagged, key=len, reverse=True))
    root_module = re.escape(incubator.root_module)
    spelled = re.compile(
        rf"{root_module}\.(?:{names})\b|{root_module}\s+import\s+(?:\([^)]*|[^\n]*)\b(?:{names})\b"
    )
    violations = []
    for rel in project_python_files(root, exclude=copy_dir):
        text = decode((root / rel).read_bytes())
        if incubator.root_module not in text or not spelled.search(text):
            continue
        parts = rel[:-3].split("/")
        is_package = parts[-1] == "__init__"
        dotted = ".".join(parts[:-1] if is_package else parts)
        seen: set[tuple[int, str]] = set()
        for site in find_imports(text, dotted, is_package, [prefix]):
            for name in expand_from_import(site) if site.names else [site.module]:
                if not name.startswith(prefix + "."):
                    continue
                module = innermost_module(name[len(prefix) + 1 :], flagged)
                if module is None or (site.line, module) in seen:
                    continue
                seen.add((site.line, module))
                library = flagged[module] or "nothing named"
                violations.append(
                    Violation(
                        project.name,
                        module,
                        rel,
                        DriftStatus.OBSOLETE,
                        f"{rel}:{site.line}: imports {prefix}.{module}, obsolete in master "
                        f"(replaced by {library})",
                        line=site.line,
                        rule=GRADUATED_IMPORT_RULE,
                    )
                )
    return violations


def _graduated_modules(incubator: Incubator) -> dict[str, str | None]:
    """Modules master marks obsolete or deleted for a library → the library."""
    index = incubator.index
    root = index.package_root
    fates = list(incubator.fates)
    at_head: dict[str, list[ModuleFate | None]] = {}
    for path in index.head_tree:
        module = _module_of(path, root)
        if module is not None:
            at_head.setdefault(module, []).append(fate_of(path, fates))
    found: dict[str, str | None] = {
        module: next((f.library for f in marks if f and f.library), None)
        for module, marks in at_head.items()
        if all(marks)
    }
    deleted = [
        lineage
        for lineage in index.versions
        if (module := _module_of(lineage, root)) is not None
        and module not in at_head
        and index.head_path(lineage) is None
    ]
    # One git process for every deleting commit's message, not one per module.
    index.messages(d.commit for lineage in deleted if (d := index.deletion(lineage)))
    analyser = _Analyser(incubator, "", incubator.root_module)
    for lineage in deleted:
        module = _module_of(lineage, root)
        gone = analyser._obsolescence(lineage, None)
        if module is not None and module not in found and gone is not None and gone.library:
            found[module] = gone.library
    return found


def _module_of(path: str, root: str) -> str | None:
    """The module of a master file as update.py names it (``db/api.py`` → ``db``)."""
    if not path.startswith(root + "/") or not path.endswith(".py"):
        return None
    parts = path[len(root) + 1 : -3].split("/")
    if len(parts) == 1:
        return None if parts[0] == "__init__" else parts[0]
    return ".".join(parts[:-1])


def _violation_message(copy: CopyDrift, policy: Policy) -> str | None:
    if copy.status in policy.fail_on:
        if copy.status is DriftStatus.DIVERGED:
            return (
                f"{copy.copy_path} carries {_count(len(copy.hunks), 'local change')} "
                f"({_count(copy.changed_lines, 'line')}) on top of master "
                f"{(copy.base_commit or '')[:8]}"
            )
        if copy.status is DriftStatus.OBSOLETE and copy.obsoleted_by is not None:
            replaced = copy.obsoleted_by.library or "nothing named"
            return f"{copy.copy_path} is obsolete in master (replaced by {replaced})"
        return f"{copy.copy_path} is {copy.status.value}"
    if policy.max_behind is not None and copy.commits_behind > policy.max_behind:
        return (
            f"{copy.copy_path} is {copy.commits_behind} master commits behind "
            f"(at most {policy.max_behind} allowed)"
        )
    return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
