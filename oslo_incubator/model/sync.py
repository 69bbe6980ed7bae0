"""What a sync plans and does: merge regions, files, modules, the lock file, the result."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from oslo_incubator.model.config import RewriteMode
from oslo_incubator.model.history import Commit
from oslo_incubator.model.lifecycle import Lifecycle
from oslo_incubator.model.packageroot import PackageRoot

LOCK_SCHEMA = "oslo-incubator.lock/1"


class LocalChanges(enum.Enum):
    """What a sync does with a copy's local changes."""

    KEEP = "keep"  # three-way merge: local changes stay, master's changes come in
    DROP = "drop"  # master wins, as update.py did; every dropped change is reported


@dataclass(frozen=True)
class SyncOptions:
    """What a sync is asked to do, beyond the project's configuration.

    ``modules`` and ``scripts``, when either is given, replace the configuration's
    lists (as update.py's ``--modules`` did); ``rewrite`` overrides the configured
    rewrite; ``local_changes`` says whether local changes are merged or dropped;
    ``command`` is the command line quoted at the end of the commit message.
    """

    modules: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    nodeps: bool = False
    rewrite: RewriteMode | None = None
    allow_conflicts: bool = False
    force: bool = False
    dry_run: bool = False
    commit: bool = False
    fail_on_obsolete: bool = False
    local_changes: LocalChanges = LocalChanges.KEEP
    command: str = "oslo-incubator sync"


class RegionKind(enum.Enum):
    """How one region of a three-way merge came out."""

    UNCHANGED = "unchanged"  # all three agree
    OURS = "ours"  # only the copy changed it: the local change is kept
    THEIRS = "theirs"  # only master changed it: master's change is taken
    SAME = "same"  # both made the same change, or master's change contains the copy's
    CONFLICT = "conflict"  # both changed it differently


@dataclass(frozen=True)
class MergeRegion:
    """One region of a three-way merge; line numbers are 1-based starts in each text."""

    kind: RegionKind
    base_start: int
    base: tuple[str, ...]
    ours_start: int
    ours: tuple[str, ...]
    theirs_start: int
    theirs: tuple[str, ...]

    @property
    def result(self) -> tuple[str, ...]:
        """The lines a merge keeps for this region: the copy's where only the copy
        changed (and for a conflict), master's everywhere else."""
        if self.kind in (RegionKind.OURS, RegionKind.CONFLICT):
            return self.ours
        return self.theirs


class FileAction(enum.Enum):
    """What a sync does to one file of the project."""

    CREATE = "create"  # the project has no such file yet
    UPDATE = "update"  # the copy had no local changes: master's text replaces it
    MERGE = "merge"  # local changes merged with master's changes
    CONFLICT = "conflict"  # local and master changes collide
    UNCHANGED = "unchanged"  # the copy already equals what the sync would write


class FileKind(enum.Enum):
    """Why a file is part of a sync."""

    MODULE = "module"  # a file of a module under the package root
    INIT = "init"  # an ``__init__.py`` master lacks, created empty
    COMPANION = "companion"  # ``tools/<mod>*``, ``etc/oslo/<mod>*.conf``
    SCRIPT = "script"  # a ``script=`` entry


@dataclass(frozen=True)
class LocalChange:
    """A local change of a copy against its base, and what the sync did with it.

    ``kept`` is false when master now makes the same change (the change is dropped
    from the list of local patches because master contains it; ``backported_from``
    names the master commit that introduced it, when found) or when the sync was told
    to drop local changes (``dropped``: master's text won, as with update.py).
    """

    copy_path: str
    base_start: int
    removed: tuple[str, ...]
    added: tuple[str, ...]
    kept: bool
    backported_from: str | None = None
    dropped: bool = False  # master's text replaced it (``--local-changes drop``)


@dataclass(frozen=True)
class ConflictHunk:
    """One region where the copy and master changed the same base lines differently."""

    copy_path: str
    base_start: int
    base: tuple[str, ...]
    ours: tuple[str, ...]
    theirs: tuple[str, ...]


@dataclass(frozen=True)
class FileSync:
    """One file of a sync: where it comes from, what happens to it, and the texts."""

    module: str
    kind: FileKind
    copy_path: str  # relative to the project root
    master_path: str | None  # relative to the incubator root; None for a created __init__
    action: FileAction
    base_commit: str | None = None  # the master commit the copy was taken from
    base_source: str | None = None  # "lock", "drift" or None
    rewrite: str = ""  # which rewrite produced the new text ("imports", "update.py@<sha>")
    local_changes: tuple[LocalChange, ...] = ()
    conflicts: tuple[ConflictHunk, ...] = ()
    master_sha256: str | None = None
    old_text: str | None = field(default=None, compare=False, repr=False)
    new_text: str = field(default="", compare=False, repr=False)
    mode: int = field(default=0o644, compare=False)

    @property
    def changes_project(self) -> bool:
        """Whether the project's file changes."""
        return self.action is not FileAction.UNCHANGED


@dataclass(frozen=True)
class ModuleSync:
    """One module of a sync, with its files and the master commits it picks up.

    ``required_by`` is empty for a module asked for; a dependency names the modules
    that import it.
    """

    module: str
    required_by: tuple[str, ...]
    files: tuple[FileSync, ...]
    picked_up: tuple[Commit, ...] = ()

    @property
    def action(self) -> FileAction:
        """The most notable action among the files (conflict > merge > create > update)."""
        order = [FileAction.CONFLICT, FileAction.MERGE, FileAction.CREATE, FileAction.UPDATE]
        for action in order:
            if any(f.action is action for f in self.files):
                return action
        return FileAction.UNCHANGED


@dataclass(frozen=True)
class RetiredModule:
    """A module asked for that master's records retire: deprecated or obsolete ones are
    copied with a warning, deleted ones are never copied. (A retired dependency is
    copied with a warning but not listed.)"""

    module: str
    lifecycle: Lifecycle
    copied: bool


@dataclass(frozen=True)
class LockEntry:
    """What one sync wrote to one file (see doc/source/lockfile.rst)."""

    path: str  # in the project
    module: str
    master_path: str
    master_commit: str
    master_sha256: str  # of the master file's bytes at master_commit
    written_sha256: str  # of the bytes the sync wrote
    rewrite: str  # "imports" or "update.py@<sha of the update.py rule set>"


@dataclass(frozen=True)
class LockFile:
    """The lock file of a project: one entry per synced file, sorted by path."""

    base: str
    package_root: PackageRoot
    entries: tuple[LockEntry, ...] = ()
    schema: str = LOCK_SCHEMA

    def entry(self, path: str) -> LockEntry | None:
        """The entry of a project path, or ``None``."""
        for entry in self.entries:
            if entry.path == path:
                return entry
        return None


@dataclass(frozen=True)
class SyncResult:
    """Everything one sync decided, before or after it wrote.

    ``written`` lists the project paths written (none for a dry run or when the sync
    was refused); ``committed`` is the new commit's sha with ``--commit``.
    """

    project: str
    base: str
    incubator: str
    master: Commit
    rewrite: str
    command: str
    modules: tuple[ModuleSync, ...]
    retired: tuple[RetiredModule, ...] = ()
    warnings: tuple[str, ...] = ()
    message: str = ""
    lock: LockFile | None = field(default=None, compare=False)
    written: tuple[str, ...] = ()
    committed: str | None = None
    dry_run: bool = False
    refused: str | None = None  # why nothing was written: "conflicts" or "retired"

    @property
    def files(self) -> tuple[FileSync, ...]:
        """Every file of every module, in module order."""
        return tuple(f for m in self.modules for f in m.files)

    @property
    def conflicts(self) -> tuple[ConflictHunk, ...]:
        """Every conflicting hunk."""
        return tuple(c for f in self.files for c in f.conflicts)

    @property
    def changed(self) -> tuple[FileSync, ...]:
        """Files whose content the sync changes."""
        return tuple(f for f in self.files if f.changes_project)
