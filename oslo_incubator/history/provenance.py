"""Provenance: where each copy of a project came from in the incubator's history.

For one copy: the master version it was taken from (its *base*), the master commits it
misses, its local changes (and which of them are backports of later master commits),
its content status, and the life cycle master's records give the module. Drift reports
this; sync merges from it; scan ties families to it. One engine, so that the three can
never disagree about a copy.

How a base is found, cheapest first:

1. **exact**: the newest version whose fold equals the copy's fold;
2. **quirk**: the same, allowing update.py's unescaped-dot mangling in the copy (one
   way only, :func:`~oslo_incubator.analysis.normalise.quirk_equal`);
3. **lock**: the version the lock file names (what the last sync wrote from);
4. **nearest**: the version with the fewest changed lines; the differences are the
   copy's local changes. When the copy has lines against it that neither it nor any
   later master version has (text master removed before), an older version that
   explains those lines, the rest being backports of later master changes, is the
   base instead (see :meth:`CopyAnalyser._older_base`). A local change that only
   restores lines master removed is read that way too: as an older base.

A file without code (empty, comments, a lone docstring) matches versions of its own
master path only: across renames such files are no evidence (every empty
``__init__.py`` "is" every other). When it matches no version at its path and master's
file has no code either, it is current with no base (match ``trivial``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from oslo_incubator.analysis.dependencies import dependency_closure
from oslo_incubator.analysis.diff import changed_line_count, changed_lines_lower_bound, diff_hunks
from oslo_incubator.analysis.normalise import decode, fold, fold_quirks, is_trivial, quirk_equal
from oslo_incubator.analysis.provenance import (
    backport_origin,
    change_delta,
    is_significant,
    stripped_lines,
)
from oslo_incubator.analysis.rewrite import undo_rewrite
from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.history.incubator import Incubator
from oslo_incubator.history.index import COMPANION_PREFIXES
from oslo_incubator.model.codec import from_jsonable, to_jsonable
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.drift import (
    STATUS_SEVERITY,
    CopyDrift,
    DriftStatus,
    Hunk,
    ModuleDrift,
    ProjectDrift,
)
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.history import Version
from oslo_incubator.model.lifecycle import ACTIVE, Lifecycle, LifecycleState
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.sync import LockEntry
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.copies import CopyLocation, locate_copies
from oslo_incubator.workspace.lockfile import read_lock, sha256_hex

# Bump when the analysis changes, so cached results of an older analysis are not reused;
# the package version is part of the key too, so development builds never share results.
ANALYSIS_VERSION = "provenance/3"
#: How many ancestors of a diverged copy's nearest version are tried as its base.
OLDER_BASES_TRIED = 64

Progress = Callable[[str, int, int], None]


def analyse_project(
    incubator: Incubator,
    project: Path,
    config: ProjectConfig,
    cache: Cache | None = None,
    progress: Progress | None = None,
    modules: Collection[str] | None = None,
) -> ProjectDrift:
    """The provenance of every copy of one project, rolled up into modules.

    Args:
        incubator: from :func:`oslo_incubator.history.incubator.open_incubator`.
        project: the project's root.
        config: its settings (``base`` is required).
        cache: where results per copy content are kept between runs.
        progress: called with (project name, copies done, copies in all).
        modules: only the copies of these modules (and these of the missing ones) are
            analysed, when given (``impact`` asks about the modules a change touches).

    Raises:
        ConfigError: the configuration names no base package.
    """
    if not config.base:
        raise ConfigError(
            "no base package: set base= in openstack-common.conf", config.source or project
        )
    index = incubator.index
    companions = [p for p in index.lineage_of if p.startswith(COMPANION_PREFIXES)]
    located = locate_copies(project, config, companions)
    if modules is not None:
        wanted = set(modules)
        located = replace(
            located,
            copies=tuple(c for c in located.copies if c.module in wanted),
            missing=tuple(m for m in located.missing if m in wanted),
        )
    skipped = list(located.skipped)
    contents: dict[str, bytes] = {}
    for c in located.copies:
        try:
            contents[c.copy_path] = (project / c.copy_path).read_bytes()
        except OSError as exc:
            skipped.append(f"{c.copy_path}: {exc.strerror or 'cannot be read'}")
    located = replace(located, copies=tuple(c for c in located.copies if c.copy_path in contents))
    # A sync's lock file names each copy's master version exactly.
    lock = read_lock(project)
    locked = {c.copy_path: lock.entry(c.copy_path) if lock else None for c in located.copies}
    keys = {
        c.copy_path: _result_key(incubator, config, c, contents[c.copy_path], locked[c.copy_path])
        for c in located.copies
    }
    cached: dict[str, object] = cache.get_many("drift-copy", keys.values()) if cache else {}
    analyser = CopyAnalyser(incubator, config.base)
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
    pulled = _pulled_in(located.copies, contents, config, incubator.index.package_root)
    return ProjectDrift(
        name=project.resolve().name,
        path=str(project),
        base=config.base,
        copies=tuple(copies),
        undeclared=tuple(
            c.copy_path for c in located.copies if not c.declared and c.module not in pulled
        ),
        pulled_in=tuple(
            c.copy_path for c in located.copies if not c.declared and c.module in pulled
        ),
        missing=located.missing,
        modules=roll_up(incubator, copies, located.missing),
        skipped=tuple(skipped),
    )


def roll_up(
    incubator: Incubator | None, copies: Sequence[CopyDrift], missing: Sequence[str] = ()
) -> tuple[ModuleDrift, ...]:
    """Group copies into modules: a module takes the worst content status of its files,
    and the life cycle master's records give it (``incubator`` ``None``: that of its
    first file)."""
    grouped: dict[str, list[CopyDrift]] = {}
    for copy in copies:
        grouped.setdefault(copy.module, []).append(copy)
    modules = []
    for name, files in grouped.items():
        status = max((c.status for c in files), key=STATUS_SEVERITY.__getitem__)
        lifecycle = incubator.module_lifecycle(name) if incubator is not None else None
        if lifecycle is None:
            lifecycle = _files_lifecycle(files)
        modules.append(ModuleDrift(name, status, tuple(files), lifecycle))
    for name in missing:
        lifecycle = incubator.module_lifecycle(name) if incubator is not None else None
        modules.append(ModuleDrift(name, DriftStatus.MISSING, (), lifecycle or ACTIVE))
    return tuple(sorted(modules, key=lambda m: m.module))


class CopyAnalyser:
    """Provenance of single copies against one incubator, for one base package."""

    def __init__(self, incubator: Incubator, base: str):
        self.incubator = incubator
        self.index = incubator.index
        self.base = base
        self.package_root = incubator.package_root
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
        """The provenance of one copy whose content is ``data``; ``locked`` is its lock
        file entry, whose master version is the base when the copy equals no version."""
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
        trivial = is_trivial(text)
        candidates = self._candidates_of(lineage, location.master_path if trivial else None)
        head_path = self.index.head_path(lineage, prefer=location.master_path)
        lifecycle = self.incubator.lifecycle(location.master_path) or ACTIVE
        known = replace(
            unknown,
            master_path=head_path or location.master_path,
            lifecycle=lifecycle,
            status=DriftStatus.OBSOLETE if head_path is None else DriftStatus.CURRENT,
        )
        head_blob = self.index.head_tree.get(head_path) if head_path else None
        everything = self._candidates_of(lineage, None)
        head_folded = everything.folded(head_blob) if head_blob else None
        folded = fold(text, self.base, self.package_root)
        match = "exact"
        base = candidates.latest_equal(folded)
        if base is None:
            match = "quirk"
            base = candidates.latest_equal_quirks(folded)
        if base is None and trivial:
            if head_folded is not None and is_trivial(head_folded):
                return replace(known, match="trivial")
            # No version of its own path: compare with the lineage like any copy.
            candidates = everything
        if not candidates.versions:
            parses = _parses(location.copy_path, text)
            return replace(known, status=DriftStatus.UNKNOWN, parses=parses)
        hunks: tuple[Hunk, ...] = ()
        pinned = self._locked_version(candidates, locked) if base is None and locked else None
        if pinned is not None:
            match = "lock"
            base, hunks = self._nearest(candidates, text, folded, pinned)
        elif base is None:
            match = "nearest"
            base, hunks = self._nearest(candidates, text, folded)
        if head_path is None:
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

    def backport_of(
        self, base: Version, base_commit: str, removed: Sequence[str], added: Sequence[str]
    ) -> str | None:
        """The master commit after ``base_commit`` that made the same change as a local
        one made on top of the version ``base`` (``removed`` base lines, ``added`` copy
        lines), if one did: the local change is then a backport of it."""
        lineage = self.index.lineage(base.path)
        if lineage is None:
            return None
        candidates = self._candidates_of(lineage, None)
        delta = change_delta(removed, added, self.fold_line)
        newer = self._newer(candidates, base_commit)
        return backport_origin(delta, candidates.stripped(base), newer)

    def fold_line(self, line: str) -> str:
        """One line folded as copies are compared (see :func:`normalise.fold`)."""
        return fold(line, self.base, self.package_root)

    # Private

    def _candidates_of(self, lineage: str, path: str | None) -> _Candidates:
        key = f"{lineage}\0{path or ''}"
        found = self._candidates.get(key)
        if found is None:
            versions = [
                v for v in self.index.versions_of(lineage) if v.blob and path in (None, v.path)
            ]
            texts = self.index.texts(v.blob for v in versions if v.blob)
            found = _Candidates(versions, texts, self.base, self.package_root)
            self._candidates[key] = found
        return found

    def _newer(
        self, candidates: _Candidates, base_commit: str
    ) -> Iterable[tuple[str, Counter[str]]]:
        """(commit, stripped lines) of the versions that ``base_commit`` does not have,
        oldest first: the first that carries a change introduced it in master."""
        newer = [
            v for v in candidates.versions if not self.index.is_ancestor(v.commit, base_commit)
        ]
        for version in sorted(newer, key=lambda v: -v.order):
            yield version.commit, candidates.stripped(version)

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
        hunks = self._local_changes(candidates, base, text, copy_folded)
        if pinned is None and _unexplained(hunks):
            base, hunks = self._older_base(candidates, ranked, base, hunks, text, copy_folded)
        return base, hunks

    def _older_base(
        self,
        candidates: _Candidates,
        ranked: Sequence[Version],
        nearest: Version,
        hunks: tuple[Hunk, ...],
        text: str,
        copy_folded: list[str],
    ) -> tuple[Version, tuple[Hunk, ...]]:
        """An older version that explains more of the copy than the nearest one does.

        Against the nearest version a copy may carry lines that neither that version
        nor any later master version has: text master itself removed before. That
        copy is an older version with later master fixes cherry-picked (backports),
        not the nearest version with local patches that undo master's changes. Of the
        ancestors of the nearest version (closest first, at most
        :data:`OLDER_BASES_TRIED`), the one leaving the fewest unexplained lines wins,
        then the fewest changed lines, then the newest.
        """
        best = (_unexplained(hunks), sum(h.changed_lines for h in hunks), nearest.order)
        chosen = (nearest, hunks)
        tried = 0
        for version in ranked:
            if version is nearest or not self.index.is_ancestor(version.commit, nearest.commit):
                continue
            tried += 1
            if tried > OLDER_BASES_TRIED:
                break
            found = self._local_changes(candidates, version, text, copy_folded)
            key = (_unexplained(found), sum(h.changed_lines for h in found), version.order)
            if key < best:
                best, chosen = key, (version, found)
        return chosen

    def _local_changes(
        self, candidates: _Candidates, base: Version, text: str, copy_folded: list[str]
    ) -> tuple[Hunk, ...]:
        """The copy's hunks against ``base``, each marked with the later master commit
        that made the same change, when one did (a backport)."""
        base_text = decode(self.index.texts([base.blob or ""])[base.blob or ""])
        hunks = diff_hunks(
            candidates.folded(base.blob or "").splitlines(),
            copy_folded,
            base_text.replace("\r\n", "\n").splitlines(),
            text.replace("\r\n", "\n").splitlines(),
            base_name=f"master {base.path}@{base.commit[:8]}",
            copy_name="copy",
        )
        newer = list(self._newer(candidates, base.commit))
        base_lines = candidates.stripped(base)
        marked = []
        for hunk in hunks:
            delta = change_delta(hunk.removed, hunk.added, self.fold_line)
            origin = backport_origin(delta, base_lines, newer)
            marked.append(replace(hunk, backported_from=origin))
        return tuple(marked)


class _Candidates:
    """The versions of one lineage (or of one path of it), folded for one base package
    on demand.

    Most copies equal a recent version, so versions are folded newest first and only
    as far as the search needs; the quirk comparison and the nearest-version search,
    which need them all, come only after an exact search failed.
    """

    def __init__(
        self,
        versions: list[Version],
        texts: dict[str, bytes],
        base: str,
        package_root: PackageRoot,
    ):
        self.versions = versions  # newest first, deletions left out
        self._texts = texts
        self._base = base
        self._package_root = package_root
        self._folded: dict[str, str] = {}
        self._stripped: dict[str, Counter[str]] = {}

    def folded(self, blob: str) -> str:
        """The fold of one version's text."""
        found = self._folded.get(blob)
        if found is None:
            found = fold(decode(self._texts.get(blob, b"")), self._base, self._package_root)
            self._folded[blob] = found
        return found

    def stripped(self, version: Version) -> Counter[str]:
        """The version's folded, stripped lines, as :func:`carries` compares them."""
        blob = version.blob or ""
        if blob not in self._stripped:
            self._stripped[blob] = stripped_lines(self.folded(blob).splitlines())
        return self._stripped[blob]

    def latest_equal(self, folded: str) -> Version | None:
        """The latest introduction of a content whose fold equals ``folded``."""
        for version in self.versions:
            if self.folded(version.blob or "") == folded:
                return version
        return None

    def latest_equal_quirks(self, folded: str) -> Version | None:
        """Like :meth:`latest_equal`, allowing the unescaped-dot mangling in the copy."""
        wanted = fold_quirks(folded)
        for version in self.versions:
            master = self.folded(version.blob or "")
            if fold_quirks(master) == wanted and quirk_equal(folded, master):
                return version
        return None


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
    digest.update(
        "\0".join(
            [
                ANALYSIS_VERSION,
                _package_version(),
                incubator.fingerprint(),
                config.base or "",
                copy.master_path,
                copy.module,
            ]
        ).encode()
    )
    return digest.hexdigest()


def _pulled_in(
    copies: Sequence[CopyLocation], contents: Mapping[str, bytes], config: ProjectConfig,
    package_root: PackageRoot,
) -> set[str]:  # fmt: skip
    """Modules the declared copies import, transitively: update.py and sync copy them
    along, so their copies are dependencies, not undeclared."""
    files: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for copy in copies:
        files.setdefault(copy.module, []).append(copy.master_path)
        if copy.master_path.endswith(".py"):
            text = decode(contents[copy.copy_path])
            texts[copy.master_path] = undo_rewrite(text, config.base or "", package_root)
    declared = [m for m in config.modules if m in files]
    needs = dependency_closure(
        declared, lambda m: files.get(m, []), texts, package_root, frozenset(files)
    )
    return {n.module for n in needs if n.required_by}


def _files_lifecycle(files: Sequence[CopyDrift]) -> Lifecycle:
    retired = [c.lifecycle for c in files if c.lifecycle.state is not LifecycleState.ACTIVE]
    return retired[0] if retired else ACTIVE


def _unexplained(hunks: Sequence[Hunk]) -> int:
    """Significant lines a copy adds in hunks that are no backport: lines neither its
    base nor any later master version explains."""
    return sum(
        1
        for hunk in hunks
        if hunk.backported_from is None
        for line in hunk.added
        if is_significant(line)
    )


def _parses(path: str, text: str) -> bool | None:
    if not path.endswith(".py"):
        return None
    try:
        parse_python(text, path)
    except (SyntaxError, ValueError):
        return False
    return True
