"""Sync: copy modules from master into a project without losing its local patches.

Public use cases: :func:`plan_sync` decides everything and writes nothing;
:func:`sync_project` plans, checks the work tree, writes all files or none, and
commits; :func:`commit_message` is the message it commits with.

How one file is decided. Master's text is rewritten into project form (the libcst
import rewrite, or the rules of the incubator's own ``update.py`` at the synced
commit). A copy that already equals it is left alone. A copy without local changes
(the lock file says it is what the last sync wrote, or drift finds it equal to a
master version) is replaced. Any other copy is merged three ways: base = the master
version the copy was taken from (from the lock file, else drift's base), ours = the
copy, theirs = master, lines compared folded so that rewrite differences are not
local changes.
"""

from __future__ import annotations

import shlex
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from oslo_incubator.analysis.dependencies import (
    ModuleNeed,
    companion_files,
    dependency_closure,
    master_modules,
)
from oslo_incubator.analysis.merge import merge3
from oslo_incubator.analysis.normalise import decode, fold
from oslo_incubator.analysis.rewrite import rewrite_text
from oslo_incubator.analysis.updatepy import (
    RuleSet,
    copies_root_init,
    select_rule_set,
    with_restored,
)
from oslo_incubator.history.git import (
    check_can_commit,
    check_clean,
    commit_paths,
    git_text,
    read_blobs,
    run_git,
)
from oslo_incubator.history.incubator import Incubator
from oslo_incubator.history.provenance import CopyAnalyser, analyse_project
from oslo_incubator.model.config import ProjectConfig, RewriteMode
from oslo_incubator.model.drift import CopyDrift, DriftStatus
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.history import Commit, Version
from oslo_incubator.model.lifecycle import Lifecycle, LifecycleState
from oslo_incubator.model.sync import (
    ConflictHunk,
    FileAction,
    FileKind,
    FileSync,
    LocalChange,
    LocalChanges,
    LockEntry,
    LockFile,
    ModuleSync,
    RegionKind,
    RetiredModule,
    SyncOptions,
    SyncResult,
)
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.copies import ROOT_INIT_MODULE, module_files
from oslo_incubator.workspace.lockfile import (
    LOCK_NAME,
    read_lock,
    render_lock,
    sha256_hex,
    updated_lock,
)
from oslo_incubator.workspace.writer import (
    FileWrite,
    Transaction,
    check_module_name,
    safe_destination,
)

IMPORTS_REWRITE = "imports"
CONVENTIONS_REWRITE = "conventions"
#: How many of a project's clean copies are read to learn its rewrite convention.
CONVENTION_SAMPLE = 12
_EXECUTABLE = 0o755
_REGULAR = 0o644


def plan_sync(
    incubator: Incubator,
    project: Path,
    config: ProjectConfig,
    options: SyncOptions,
    cache: Cache | None = None,
) -> SyncResult:
    """Decide what syncing ``project`` from ``incubator``'s HEAD would write.

    Args:
        incubator: from :func:`oslo_incubator.history.incubator.open_incubator`.
        project: the project's root.
        config: its settings (``base`` is required).
        options: modules, rewrite, flags.
        cache: drift's cache, used when a copy's base must be inferred.

    Returns:
        The result, with every file's new text, the lock file and the commit message;
        nothing is written.

    Raises:
        ConfigError: no base package, an unknown module or script, a bad lock file.
        UnsafePathError: a module, script or destination would leave the project.
    """
    planner = _Planner(incubator, project, config, options, cache)
    return planner.plan()


def sync_project(
    incubator: Incubator,
    project: Path,
    config: ProjectConfig,
    options: SyncOptions,
    cache: Cache | None = None,
) -> SyncResult:
    """Plan the sync, then write every changed file and the lock file, or nothing.

    Nothing is written for a dry run, when a merge conflicts (unless
    ``options.allow_conflicts``), or when a retired module (deprecated, obsolete or
    deleted in master) was asked for and ``options.fail_on_obsolete`` is set. With
    ``options.commit`` the written files (only those) are committed with
    :func:`commit_message`.

    Raises:
        ConfigError, UnsafePathError: as :func:`plan_sync`.
        DirtyTreeError: a file to be changed has uncommitted changes (and not
            ``options.force``).
        GitError: committing failed.
    """
    if options.dry_run:
        return plan_sync(incubator, project, config, options, cache)
    if options.commit:
        check_can_commit(project)  # fail before anything is written
    committer = commit_paths if options.commit else None
    # Read, plan and write under the project's lock: two syncs never interleave, and a
    # file changed by anyone else meanwhile stops the write.
    with Transaction(project, options.command, committer) as transaction:
        result = plan_sync(incubator, project, config, options, cache)
        recovered = transaction.recovered
        if recovered.outcome is not None:
            note = (
                f"an interrupted write ({recovered.command or 'a command'}) was "
                f"{recovered.outcome} first: {len(recovered.files)} file(s)"
            )
            result = replace(result, warnings=(note, *result.warnings))
        writes = _writes(project, result)
        if not writes:
            return replace(result, refused="retired") if refused(result, options) else result
        if not options.force:
            check_clean(
                project,
                [p for p in writes if p != LOCK_NAME],
                "{count} file(s) to be synced have uncommitted changes ({paths}); "
                "commit or stash them, or pass --force",
            )
        if refused(result, options):
            reason = "conflicts" if result.conflicts else "retired"
            return replace(result, refused=reason)
        message = result.message if options.commit else None
        written = transaction.write(writes, message)
    committed = git_text(project, "rev-parse", "HEAD").strip() if options.commit else None
    return replace(result, written=tuple(written), committed=committed)


def refused(result: SyncResult, options: SyncOptions) -> bool:
    """Whether the sync must not write: conflicts without ``allow_conflicts``, or
    retired modules with ``fail_on_obsolete``."""
    if result.conflicts and not options.allow_conflicts:
        return True
    return bool(result.retired) and options.fail_on_obsolete


def commit_message(
    modules: Sequence[ModuleSync],
    master: Commit,
    command: str,
    retired: Sequence[RetiredModule] = (),
) -> str:
    """The commit message of a sync, shaped like nova's "Sync ... from oslo-incubator"
    and fit for Gerrit review under OpenStack's conventions.

    The subject names the modules synced when that fits in 50 characters (else their
    number); a blank line; a body wrapped at 72 columns (only an unbreakable token, a
    long path or the command line, may run past it) naming the master commit (short sha
    and date), listing per module the master commits picked up (oldest first), the local
    changes kept and those dropped because master now has them, and ending with the
    command line. A commit-msg hook (Gerrit's Change-Id) appends its trailer after it.
    """
    changed = [m for m in modules if any(f.changes_project for f in m.files)]
    names = [m.module for m in changed]
    date = master.date[:10]
    lines = [_subject(names), "", f"Sync from oslo-incubator at {master.sha[:7]} ({date}):", ""]
    for module in changed:
        note = ""
        if module.required_by:
            note = f" (needed by {', '.join(module.required_by)})"
        if all(f.action is FileAction.CREATE for f in module.files if f.changes_project):
            note = " (new)" + note
        lines += _wrapped(f"{module.module}{note}", "  ", "    ")
    picked = [m for m in changed if m.picked_up]
    if picked:
        lines += ["", "Changes include:"]
        for module in picked:
            lines.append(f"{module.module}:")
            for commit in module.picked_up:
                lines += _wrapped(f"{commit.sha[:7]} {commit.subject}", "  ", " " * 10)
    changes = [(f, c) for m in changed for f in m.files for c in f.local_changes]
    kept = [(f, c) for f, c in changes if c.kept]
    in_master = [(f, c) for f, c in changes if not c.kept and not c.dropped]
    dropped = [(f, c) for f, c in changes if c.dropped]
    if kept:
        lines += ["", "Local changes kept:"]
        for f, c in kept:
            lines += _wrapped(f"{f.copy_path} line {c.base_start}", "  ", "    ")
    if in_master:
        lines += ["", "Local changes dropped because master now has them:"]
        for f, c in in_master:
            origin = f" (from {c.backported_from[:7]})" if c.backported_from else ""
            lines += _wrapped(f"{f.copy_path} line {c.base_start}{origin}", "  ", "    ")
    if dropped:
        lines += ["", "Local changes dropped, master's text taken (--local-changes drop):"]
        for f, c in dropped:
            text = f"{f.copy_path} line {c.base_start}: -{len(c.removed)} +{len(c.added)}"
            lines += _wrapped(text, "  ", "    ")
    conflicted = [f.copy_path for m in changed for f in m.files if f.conflicts]
    if conflicted:
        lines += ["", "Conflicts left with markers:"] + [f"  {p}" for p in conflicted]
    gone = [r for r in retired if not r.copied]
    if gone:
        lines += ["", "Not synced, deleted in master:"]
        for item in gone:
            library = item.lifecycle.library
            text = item.module + (f", replaced by {library}" if library else "")
            lines += _wrapped(text, "  ", "    ")
    kept_on = [r for r in retired if r.copied and any(m.module == r.module for m in changed)]
    if kept_on:
        lines += ["", "Synced, though master retires them:"]
        for r in kept_on:
            lines += _wrapped(f"{r.module}: {r.lifecycle.describe()}", "  ", "    ")
    generated = f"Generated with: {command}"
    # The command line is one unbreakable token: on a line of its own when too long.
    lines += ["", generated] if len(generated) <= BODY_WIDTH else ["", "Generated with:", command]
    return "\n".join(lines) + "\n"


#: OpenStack's commit message conventions: a subject of at most 50 characters where
#: possible (72 at most), a body wrapped at 72.
SUBJECT_GOAL = 50
SUBJECT_MAX = 72
BODY_WIDTH = 72


def command_line(args: Sequence[str], program: str = "oslo-incubator") -> str:
    """The command line to quote in a commit message."""
    return shlex.join([program, *args])


# Private


def _subject(names: Sequence[str]) -> str:
    """The first line: the modules by name when that fits :data:`SUBJECT_GOAL`, else
    their number; a lone module keeps its name up to :data:`SUBJECT_MAX`."""
    if not names:
        return "Sync with oslo-incubator (no changes)"
    named = f"Sync {', '.join(names)} from oslo-incubator"
    if len(named) <= SUBJECT_GOAL or (len(names) == 1 and len(named) <= SUBJECT_MAX):
        return named
    if len(names) == 1:
        return "Sync a module from oslo-incubator"
    return f"Sync {len(names)} modules from oslo-incubator"


def _wrapped(text: str, indent: str, hanging: str) -> list[str]:
    """``text`` wrapped at :data:`BODY_WIDTH` after ``indent``, continuation lines after
    ``hanging``; words are never broken (a long path stays whole)."""
    return textwrap.wrap(
        text,
        width=BODY_WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


@dataclass(frozen=True)
class _Planned:
    module: str
    kind: FileKind
    copy_path: str
    master_path: str | None


@dataclass(frozen=True)
class _Base:
    """Where a copy came from: the master version, who said so, and whether the copy
    carries local changes on top of it."""

    version: Version | None
    source: str | None
    clean: bool
    commit: str | None = None  # the master commit synced from, when known

    @property
    def base_commit(self) -> str | None:
        """The commit to report and to count master's changes from."""
        return self.commit or (self.version.commit if self.version else None)


class _Planner:
    def __init__(
        self, incubator: Incubator, project: Path, config: ProjectConfig,
        options: SyncOptions, cache: Cache | None,
    ) -> None:  # fmt: skip
        if not config.base:
            raise ConfigError(
                "no base package: set base= in openstack-common.conf or pass --base",
                config.source or project,
            )
        self.incubator = incubator
        self.index = incubator.index
        self.project = project
        self.config = config
        self.options = options
        self.cache = cache
        self.base: str = config.base
        self.package_root = self.index.package_root
        self.root = self.package_root.path
        self.head = self.index.commits[self.index.head]
        self.paths = frozenset(self.index.head_tree)
        self.companions = sorted(p for p in self.paths if p.startswith(("tools/", "etc/oslo/")))
        self.warnings: list[str] = []
        self.lock = read_lock(project)
        self._drift: dict[str, CopyDrift] | None = None
        self._analyser = CopyAnalyser(incubator, config.base)
        self.mode = options.rewrite or config.rewrite
        self.rules: RuleSet | None = None
        self.copy_root_init = True
        self._conventions: dict[str, tuple[RuleSet | None, str]] = {}
        self._project_convention: tuple[RuleSet | None, str] | None = None
        self._fits: dict[tuple[str, tuple[str, ...] | None], list[tuple[RuleSet | None, str]]] = {}
        if self.mode is RewriteMode.UPDATE_PY:
            data = self.index.read_at_head("update.py")
            update_py = decode(data) if data is not None else None
            self.rules = self._update_py_rules(update_py)
            # update.py before 2014-02 only created an empty root __init__.py.
            self.copy_root_init = copies_root_init(update_py, self.head.timestamp)
        if self.mode is RewriteMode.CONVENTIONS:
            self.rewrite_name = CONVENTIONS_REWRITE
        else:
            self.rewrite_name = self.rules.name if self.rules else IMPORTS_REWRITE

    def plan(self) -> SyncResult:
        modules, scripts = self._requested()
        retired: list[RetiredModule] = []
        active = []
        for module in modules:
            files = module_files(module, self.paths, self.package_root)
            if not files and companion_files(module, self.companions):
                active.append(module)  # tools/install_venv_common.py: companions only
                continue
            lifecycle = self._lifecycle(module)
            if lifecycle.state is LifecycleState.DELETED:
                retired.append(RetiredModule(module, lifecycle, copied=False))
                continue
            if lifecycle.state.retired:
                retired.append(RetiredModule(module, lifecycle, copied=True))
                self.warnings.append(f"{module} is {lifecycle.describe()} in master; copied")
            active.append(module)
        needs = self._needs(active)
        planned = self._planned(needs, scripts)
        texts = self._master_texts([p.master_path for p in planned if p.master_path])
        modes = self._master_modes([p.master_path for p in planned if p.master_path])
        syncs: dict[str, list[FileSync]] = {}
        if any(p.module == ROOT_INIT_MODULE for p in planned):
            syncs[ROOT_INIT_MODULE] = []
        syncs.update({n.module: [] for n in needs})
        syncs.update({script: [] for script in scripts})
        for item in planned:
            syncs[item.module].append(self._file(item, texts, modes))
        module_syncs = tuple(
            ModuleSync(
                module=name,
                required_by=next((n.required_by for n in needs if n.module == name), ()),
                files=tuple(files),
                picked_up=self._picked_up(files),
            )
            for name, files in syncs.items()
        )
        lock = self._lock(module_syncs, texts)
        return SyncResult(
            project=str(self.project),
            base=self.base,
            incubator=str(self.incubator.path),
            master=self.head,
            rewrite=self._rewrite_summary(module_syncs),
            command=self.options.command,
            modules=module_syncs,
            retired=tuple(retired),
            warnings=tuple(self.warnings),
            message=commit_message(module_syncs, self.head, self.options.command, retired),
            lock=lock,
            dry_run=self.options.dry_run,
        )

    # Which files

    def _requested(self) -> tuple[list[str], list[str]]:
        if self.options.modules or self.options.scripts:
            modules, scripts = list(self.options.modules), list(self.options.scripts)
        else:
            modules, scripts = list(self.config.modules), list(self.config.scripts)
        if not modules and not scripts:
            raise ConfigError(
                "nothing to sync: no module= or script= in the configuration and none given",
                self.config.source or self.project,
            )
        for module in modules:
            check_module_name(self.project, module)
        for script in scripts:
            safe_destination(self.project, script)
        return list(dict.fromkeys(modules)), list(dict.fromkeys(scripts))

    def _files_of(self, module: str) -> list[str]:
        files = module_files(module, self.paths, self.package_root)
        if not files:
            return []
        parts = module.split(".")
        parents = [f"{self.root}/__init__.py"] + [
            f"{self.root}/{'/'.join(parts[:end])}/__init__.py" for end in range(1, len(parts))
        ]
        return [p for p in parents if p in self.paths and p not in files] + files

    def _needs(self, modules: list[str]) -> list[ModuleNeed]:
        if self.options.nodeps:
            return [ModuleNeed(m) for m in modules]
        sources = [p for p in self.paths if p.startswith(self.root + "/") and p.endswith(".py")]
        blobs = self.index.texts(self.index.head_tree[p] for p in sources)
        texts = {p: decode(blobs.get(self.index.head_tree[p], b"")) for p in sources}
        known = master_modules(self.paths, self.package_root)
        needs = dependency_closure(modules, self._files_of, texts, self.package_root, known)
        for need in needs:
            if not need.required_by:
                continue
            lifecycle = self._lifecycle(need.module)
            if lifecycle.state.retired:
                self.warnings.append(
                    f"{need.module} is {lifecycle.describe()} in master but "
                    f"{', '.join(need.required_by)} import(s) it; copied"
                )
        return needs

    def _planned(self, needs: Sequence[ModuleNeed], scripts: Sequence[str]) -> list[_Planned]:
        planned: dict[str, _Planned] = {}
        for need in needs:
            for path in self._files_of(need.module):
                copy_path = self._destination(path)
                # The root __init__.py belongs to no module in particular (as in drift).
                is_root_init = path == f"{self.root}/__init__.py"
                if is_root_init and not self._copies_root_init(need.module):
                    continue
                owner = ROOT_INIT_MODULE if is_root_init else need.module
                planned.setdefault(copy_path, _Planned(owner, FileKind.MODULE, copy_path, path))
            for path in companion_files(need.module, self.companions):
                copy_path = self._destination(path)
                planned.setdefault(
                    copy_path, _Planned(need.module, FileKind.COMPANION, copy_path, path)
                )
        for script in scripts:
            planned.setdefault(script, _Planned(script, FileKind.SCRIPT, script, script))
        for item in list(planned.values()):
            if item.kind is FileKind.MODULE:
                for init in self._missing_inits(item.copy_path, planned):
                    planned[init] = _Planned(item.module, FileKind.INIT, init, None)
        for item in planned.values():
            safe_destination(self.project, item.copy_path)
        return list(planned.values())

    def _copies_root_init(self, module: str) -> bool:
        """Whether syncing ``module`` copies master's root ``__init__.py``. update.py
        did so only for a top-level module (its ``_copy_module`` copies the parents'
        ``__init__.py`` of a dotted one instead), and before February 2014 never."""
        if self.mode is RewriteMode.UPDATE_PY:
            return self.copy_root_init and "." not in module
        return True

    def _destination(self, master_path: str) -> str:
        if master_path.startswith(self.root + "/"):
            return f"{self.config.copy_dir}/{master_path[len(self.root) + 1 :]}"
        if master_path.startswith("etc/oslo/"):
            return f"etc/{self.config.base_path}/{master_path[len('etc/oslo/') :]}"
        return master_path

    def _missing_inits(self, copy_path: str, planned: dict[str, _Planned]) -> list[str]:
        top = f"{self.config.base_path}/openstack"
        folder = copy_path.rpartition("/")[0]
        missing = []
        while folder.startswith(top):
            init = f"{folder}/__init__.py"
            if init not in planned and not (self.project / init).exists():
                missing.append(init)
            if folder == top:
                break
            folder = folder.rpartition("/")[0]
        return missing

    # Reading master

    def _master_texts(self, paths: Iterable[str]) -> dict[str, bytes]:
        tracked = {p: self.index.head_tree[p] for p in paths if p in self.index.head_tree}
        blobs = self.index.texts(tracked.values())
        texts = {p: blobs[b] for p, b in tracked.items() if b in blobs}
        others = [p for p in paths if p not in tracked]
        if others:
            found = read_blobs(self.index.repo, [f"{self.index.head}:{p}" for p in others])
            for path in others:
                data = found.get(f"{self.index.head}:{path}")
                if data is None:
                    raise ConfigError(
                        f"script {path!r} is not in master at {self.index.head[:8]}",
                        self.config.source or self.project,
                    )
                texts[path] = data
        return texts

    def _master_modes(self, paths: Sequence[str]) -> dict[str, int]:
        if not paths:
            return {}
        out = run_git(self.index.repo, "ls-tree", "-z", self.index.head, "--", *paths)
        modes = {}
        for entry in out.decode("utf-8", "surrogateescape").split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                modes[path] = _EXECUTABLE if meta.split()[0] == "100755" else _REGULAR
        return modes

    def _update_py_rules(self, update_py: str | None) -> RuleSet:
        rules = select_rule_set(update_py, self.head.timestamp)
        if update_py is None:
            self.warnings.append(
                f"the incubator has no update.py at {self.index.head[:8]}; "
                f"using the rules of {rules.name} ({rules.date})"
            )
        return rules

    def _lifecycle(self, module: str) -> Lifecycle:
        lifecycle = self.incubator.module_lifecycle(module)
        if lifecycle is None:
            raise ConfigError(
                f"module {module!r} is not in master at {self.index.head[:8]} and never was",
                self.config.source or self.project,
                self.config.module_lines.get(module),
            )
        return lifecycle

    # One file

    def _file(self, item: _Planned, texts: dict[str, bytes], modes: dict[str, int]) -> FileSync:
        target = self.project / item.copy_path
        old_bytes = target.read_bytes() if target.is_file() else None
        old_text = decode(old_bytes) if old_bytes is not None else None
        created = FileSync(
            module=item.module,
            kind=item.kind,
            copy_path=item.copy_path,
            master_path=item.master_path,
            action=FileAction.CREATE,
            old_text=old_text,
        )
        if item.master_path is None:
            return created  # an empty __init__.py
        data = texts[item.master_path]
        rules, rewrite = self._rewrite_for(item, old_text)
        theirs = self._render(decode(data), item.copy_path, rules)
        mode = modes.get(item.master_path, _REGULAR)
        if mode != _EXECUTABLE and old_bytes is not None:
            mode = target.stat().st_mode & 0o777
        sync = replace(
            created,
            rewrite=rewrite,
            master_sha256=sha256_hex(data),
            new_text=theirs,
            mode=mode,
        )
        if old_text is None:
            return sync
        if old_text == theirs:
            return replace(sync, action=FileAction.UNCHANGED)
        drop = self.options.local_changes is LocalChanges.DROP
        # What drift calls current, sync leaves alone: master has nothing new for it,
        # and any difference is how the project's copy was written. Only dropping local
        # changes with a rewrite named outright (update.py's own behaviour, replayed)
        # rewrites it.
        rewrite_named = self.mode is not RewriteMode.CONVENTIONS
        if not (drop and rewrite_named) and self._is_current(item.copy_path):
            return replace(sync, action=FileAction.UNCHANGED, new_text=old_text)
        found = self._base_of(item, old_bytes or b"")
        base_commit = found.base_commit
        sync = replace(sync, base_commit=base_commit, base_source=found.source)
        if found.clean:
            return replace(sync, action=FileAction.UPDATE)
        base_text = ""
        if found.version is not None and found.version.blob:
            blob = self.index.texts([found.version.blob]).get(found.version.blob, b"")
            base_text = self._render(decode(blob), item.copy_path, rules)
        merged = merge3(base_text, old_text, theirs, key=self._fold)
        changes = []
        conflicts = []
        for region in merged.regions:
            if region.kind is RegionKind.OURS or (drop and region.kind is RegionKind.CONFLICT):
                changes.append(
                    LocalChange(
                        item.copy_path,
                        region.base_start,
                        region.base,
                        region.ours,
                        kept=not drop,
                        dropped=drop,
                    )
                )
            elif region.kind is RegionKind.SAME:
                origin = None
                if found.version is not None and base_commit is not None:
                    origin = self._analyser.backport_of(
                        found.version, base_commit, region.base, region.ours
                    )
                changes.append(
                    LocalChange(
                        item.copy_path,
                        region.base_start,
                        region.base,
                        region.ours,
                        kept=False,
                        backported_from=origin,
                    )  # fmt: skip
                )
            elif region.kind is RegionKind.CONFLICT:
                conflicts.append(
                    ConflictHunk(
                        item.copy_path,
                        region.base_start,
                        region.base,
                        region.ours,
                        region.theirs,
                    )  # fmt: skip
                )
        if conflicts:
            action = FileAction.CONFLICT
        elif any(c.kept for c in changes):
            action = FileAction.MERGE
        else:
            action = FileAction.UPDATE
        return replace(
            sync,
            action=action,
            new_text=theirs if drop else merged.text(),
            local_changes=tuple(changes),
            conflicts=tuple(conflicts),
        )

    # How master text is written into this project

    def _rewrite_for(self, item: _Planned, old_text: str | None) -> tuple[RuleSet | None, str]:
        """The rewrite for one file (rules ``None``: the imports rewrite) and its name.

        With conventions: the rewrite the copy's lock entry names; else, of the
        rewrites that turn the copy's base version into exactly its text, the project's
        own when it is one of them, else the one in force when the base was made; else
        (a new file, a copy with local changes) the project's.
        """
        if self.mode is not RewriteMode.CONVENTIONS:
            return self.rules, self.rewrite_name
        if item.copy_path not in self._conventions:
            project = self._project_rewrite()
            found = None
            entry = self.lock.entry(item.copy_path) if self.lock else None
            if entry is not None:
                found = self._named_rewrite(entry.rewrite)
            if found is None and old_text is not None:
                # The project's own rewrite first: one render, when it fits.
                fits = self._fitting_rewrites(item.copy_path, old_text, [project])
                if not fits:
                    fits = self._fitting_rewrites(item.copy_path, old_text)
                if fits:
                    found = project if project[1] in {name for _, name in fits} else fits[0]
            rules, name = found or project
            if rules is not None:
                # Master may import libraries this era's update.py did not know yet.
                rules = with_restored(rules, self.incubator.libraries)
            self._conventions[item.copy_path] = (rules, name)
        return self._conventions[item.copy_path]

    def _fitting_rewrites(
        self,
        copy_path: str,
        old_text: str,
        among: Sequence[tuple[RuleSet | None, str]] | None = None,
    ) -> list[tuple[RuleSet | None, str]]:
        """Every rewrite (of ``among``, else of all) that turns the copy's base version
        into exactly its text, the update.py eras nearest the base's date first and the
        imports rewrite last; empty when the copy has local changes or no base, or when
        its text gives no evidence (it names neither the package root nor oslo, so every
        rewrite fits)."""
        key = (copy_path, tuple(name for _, name in among) if among is not None else None)
        if key not in self._fits:
            self._fits[key] = self._find_fitting_rewrites(copy_path, old_text, among)
        return self._fits[key]

    def _find_fitting_rewrites(
        self,
        copy_path: str,
        old_text: str,
        among: Sequence[tuple[RuleSet | None, str]] | None,
    ) -> list[tuple[RuleSet | None, str]]:
        drift = self._drift_of().get(copy_path)
        if drift is None or drift.hunks or drift.base_commit is None or not drift.master_path:
            return []
        lineage = self.index.lineage(drift.master_path) or ""
        version = next(
            (
                v
                for v in self.index.versions_of(lineage)
                if v.commit == drift.base_commit and v.blob
            ),
            None,
        )
        if version is None or version.blob is None:
            return []
        base_text = decode(self.index.texts([version.blob]).get(version.blob, b""))
        words = ("oslo", "OSLO", self.package_root.module.split(".")[0])
        if not any(word in base_text for word in words):
            return []
        when = self.index.commits[version.commit].timestamp
        if among is None:
            among = [(r, r.name) for r in self.incubator.rewrites_near(when)]
            among.append((None, IMPORTS_REWRITE))
        fits: list[tuple[RuleSet | None, str]] = []
        for rules, name in among:
            rendered = rewrite_text(base_text, self.base, copy_path, rules, self.package_root)
            if rendered.text == old_text:
                fits.append((rules, name))
        return fits

    def _project_rewrite(self) -> tuple[RuleSet | None, str]:
        """The rewrite that fits the most of the project's clean copies (the imports
        rewrite on a tie, and for a project without copies that tell)."""
        if self._project_convention is None:
            votes: Counter[str] = Counter()
            found: dict[str, tuple[RuleSet | None, str]] = {
                IMPORTS_REWRITE: (None, IMPORTS_REWRITE)
            }
            clean = [
                c for c in self._drift_of().values()
                if c.copy_path.endswith(".py") and not c.hunks and c.base_commit
            ]  # fmt: skip
            telling = 0
            for copy in clean:
                if telling == CONVENTION_SAMPLE:
                    break
                text = decode((self.project / copy.copy_path).read_bytes())
                fits = self._fitting_rewrites(copy.copy_path, text)
                if fits:
                    telling += 1
                for rules, name in fits:
                    votes[name] += 1
                    found.setdefault(name, (rules, name))
            if votes:
                best = max(votes.values())
                names = [n for n in votes if votes[n] == best]
                newest = [r.name for _, r in self.incubator.rewrite_eras][::-1]
                name = (
                    IMPORTS_REWRITE if IMPORTS_REWRITE in names else min(names, key=newest.index)
                )
                self._project_convention = found[name]
            else:
                self._project_convention = found[IMPORTS_REWRITE]
        return self._project_convention

    def _named_rewrite(self, name: str) -> tuple[RuleSet | None, str] | None:
        if name == IMPORTS_REWRITE:
            return None, IMPORTS_REWRITE
        for _, rules in self.incubator.rewrite_eras:
            if rules.name == name:
                return rules, name
        return None

    def _rewrite_summary(self, modules: Sequence[ModuleSync]) -> str:
        """The rewrite for the report: the one every file used, or what conventions
        chose file by file (``conventions: update.py@36b0e857 x40, imports x2``)."""
        if self.mode is not RewriteMode.CONVENTIONS:
            return self.rewrite_name
        used = Counter(f.rewrite for m in modules for f in m.files if f.master_path and f.rewrite)
        if not used:
            return self._project_rewrite()[1]
        if len(used) == 1:
            return next(iter(used))
        return "conventions: " + ", ".join(
            f"{name} x{count}" for name, count in sorted(used.items(), key=lambda kv: -kv[1])
        )

    def _is_current(self, copy_path: str) -> bool:
        drift = self._drift_of().get(copy_path)
        return drift is not None and drift.status is DriftStatus.CURRENT

    def _render(self, text: str, copy_path: str, rules: RuleSet | None) -> str:
        outcome = rewrite_text(text, self.base, copy_path, rules, self.package_root)
        if outcome.warning and f"{copy_path}: {outcome.warning}" not in self.warnings:
            self.warnings.append(f"{copy_path}: {outcome.warning}")
        return outcome.text

    def _fold(self, line: str) -> str:
        return fold(line, self.base, self.package_root)

    def _base_of(self, item: _Planned, old_bytes: bytes) -> _Base:
        assert item.master_path is not None
        lineage = self.index.lineage(item.master_path)
        entry = self.lock.entry(item.copy_path) if self.lock else None
        if entry is not None and lineage is not None:
            version = self._version_with_hash(lineage, entry.master_sha256)
            if version is not None:
                clean = sha256_hex(old_bytes) == entry.written_sha256
                commit = entry.master_commit if entry.master_commit in self.index.commits else None
                return _Base(version, "lock", clean, commit or version.commit)
        drift = self._drift_of().get(item.copy_path)
        if drift is None:
            return _Base(None, None, False)
        if drift.match == "trivial":
            return _Base(None, "drift", True)
        if drift.base_commit is None or drift.master_path is None:
            return _Base(None, None, False)
        drift_lineage = self.index.lineage(drift.master_path) or lineage
        version = next(
            (v for v in self.index.versions_of(drift_lineage or "")
             if v.commit == drift.base_commit and v.blob),
            None,
        )  # fmt: skip
        return _Base(version, "drift", not drift.hunks and drift.match != "nearest")

    def _version_with_hash(self, lineage: str, sha256: str) -> Version | None:
        versions = [v for v in self.index.versions_of(lineage) if v.blob]
        texts = self.index.texts(v.blob for v in versions if v.blob)
        for version in versions:
            if sha256_hex(texts.get(version.blob or "", b"")) == sha256:
                return version
        return None

    def _drift_of(self) -> dict[str, CopyDrift]:
        if self._drift is None:
            report = analyse_project(self.incubator, self.project, self.config, self.cache)
            self._drift = {c.copy_path: c for c in report.copies}
        return self._drift

    # Roll-ups

    def _picked_up(self, files: Sequence[FileSync]) -> tuple[Commit, ...]:
        found: dict[str, Commit] = {}
        for item in files:
            if item.action in (FileAction.UNCHANGED, FileAction.CREATE) or not item.base_commit:
                continue
            lineage = self.index.lineage(item.master_path or "")
            if lineage is None:
                continue
            for commit in self.index.changes_since(lineage, item.base_commit):
                found[commit.sha] = commit
        return tuple(sorted(found.values(), key=lambda c: -c.order))

    def _lock(self, modules: Sequence[ModuleSync], texts: dict[str, bytes]) -> LockFile:
        entries = [
            LockEntry(
                path=f.copy_path,
                module=f.module,
                master_path=f.master_path,
                master_commit=self.index.head,
                master_sha256=sha256_hex(texts[f.master_path]),
                written_sha256=sha256_hex(f.new_text.encode("utf-8", "surrogateescape")),
                rewrite=f.rewrite,
            )
            for m in modules
            for f in m.files
            if f.master_path is not None
        ]
        return updated_lock(self.lock, self.base, self.package_root, entries)


def _writes(project: Path, result: SyncResult) -> dict[str, FileWrite]:
    writes = {
        f.copy_path: FileWrite(
            f.new_text.encode("utf-8", "surrogateescape"),
            f.mode,
            FileWrite.read_as(
                None if f.old_text is None else f.old_text.encode("utf-8", "surrogateescape")
            ),
        )
        for f in result.changed
    }
    current = project / LOCK_NAME
    if result.lock is not None and (result.lock.entries or current.is_file()):
        text = render_lock(result.lock).encode("utf-8")
        old = current.read_bytes() if current.is_file() else None
        if old != text:
            writes[LOCK_NAME] = FileWrite(text, _REGULAR, FileWrite.read_as(old))
    return writes
