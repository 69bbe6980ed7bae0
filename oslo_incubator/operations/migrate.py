"""Migrate a consumer project from its copies of graduated modules to the library.

Public use cases: :func:`plan_migration` decides every edit and writes nothing;
:func:`migrate_project` plans, checks the work tree and writes every edit or none;
:func:`graduated_modules` reads which modules went to a library from the incubator's
records (``obsolete.txt`` and MAINTAINERS, as ``graduate run`` leaves them).

What a migration changes:

* every Python file of the project outside its copy directory, and the copies that
  stay, gets :func:`~oslo_incubator.analysis.moves.move_modules` with
  ``<base>.openstack.common.<m>`` → ``<package>.<m>`` (imports, ``from ... import ...
  as ...``, submodules, qualified names, ``mock.patch`` strings; Python 2 text gets
  the token-level fallback, with a warning);
* ``requirements.txt`` gains the library, keeping its format;
* ``openstack-common.conf`` loses the modules (``module=`` lines and ``modules=``
  lists), keeping its comments;
* the copies of the moved modules are deleted, unless something the rewrite could not
  change still names them (a ``setup.cfg`` entry point, a configuration file): those
  are kept and listed.

Safety is sync's: destinations are checked before anything is written, files with
uncommitted changes are refused unless forced, and all edits land or none do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import libcst as cst

from oslo_incubator.analysis.imports import dotted_module_of, expand_from_import, find_imports
from oslo_incubator.analysis.moves import (
    MoveOutcome,
    move_modules,
    move_modules_text,
    regroup_imports,
)
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.packaging import add_requirement
from oslo_incubator.analysis.requirements import parse_requirements
from oslo_incubator.history.git import check_clean, read_blobs
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.config import ProjectConfig
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.graduate import (
    EditAction,
    FileEdit,
    KeptCopy,
    MigrateOptions,
    MigrationResult,
    MigrationTarget,
)
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.workspace.config import CONF_NAME, load_project_config, remove_conf_modules
from oslo_incubator.workspace.copies import locate_copies
from oslo_incubator.workspace.files import project_python_files
from oslo_incubator.workspace.writer import FileWrite, Transaction, safe_destination

REQUIREMENTS = "requirements.txt"
# Files besides Python whose references to a copy would break if it were deleted.
CONFIG_FILES = ("setup.cfg", "tox.ini")
CONFIG_DIRS = ("etc/",)
_TEMP_SUFFIX = ".oslo-incubator-migrate.tmp"


def graduated_modules(
    incubator: Path,
    library: str,
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT,
    rev: str = "HEAD",
) -> tuple[str, ...]:
    """The modules the incubator at ``rev`` says went to ``library``: obsolete or
    deleted, with that library named by their records, a shim or the deleting commit
    (names compared ignoring case and ``.``/``_``/``-``). The life cycle rule is the
    one drift and sync use (:mod:`oslo_incubator.history.incubator`).

    Raises:
        GitError: ``incubator`` is not a git repository or has no ``rev``.
    """
    wanted = _library_key(library)
    found = open_incubator(incubator, package_root, None, rev).graduated_modules()
    return tuple(
        sorted(m for m, life in found.items() if _library_key(life.library or "") == wanted)
    )


def plan_migration(project: Path, options: MigrateOptions) -> MigrationResult:
    """Decide every edit migrating ``project`` to the library; write nothing.

    Args:
        project: the project's root.
        options: the library, its package, the modules (or the incubator whose
            records name them).

    Returns:
        The edits (with old and new texts), the copies kept and why, warnings.

    Raises:
        ConfigError: no base package; no module named and none recorded.
        GitError: the incubator cannot be read.
    """
    config = _config(project)
    modules, source = _modules(options, config, project)
    requirement = options.requirement or _requirement_line(options, config)
    target = MigrationTarget(options.library, options.package, modules, requirement)
    result = _plan(project, config, (target,), source, options.dry_run, always_require=True)
    if requirement == options.library and any(e.path == REQUIREMENTS for e in result.edits):
        note = (
            f"{REQUIREMENTS}: {options.library} added without a lower bound (no version is "
            "known: the incubator's requirements do not name it); pass --requirement "
            f"'{options.library}>=X.Y'"
        )
        result = replace(result, warnings=(*result.warnings, note))
    return result


def plan_libraries(
    project: Path, targets: Sequence[MigrationTarget], dry_run: bool = False
) -> MigrationResult:
    """Decide every edit moving ``project`` to several libraries at once (a program):
    each target's modules to its package; a target's requirement is added when the
    project has or declares one of its modules. Write nothing.

    Raises:
        ConfigError: no base package.
    """
    config = _config(project)
    return _plan(project, config, tuple(targets), "program", dry_run, always_require=False)


def migrate_libraries(
    project: Path, targets: Sequence[MigrationTarget], dry_run: bool = False, force: bool = False
) -> MigrationResult:
    """Plan the move to several libraries (:func:`plan_libraries`), then write every
    edit or none, in one transaction, as :func:`migrate_project` does."""
    if dry_run:
        return plan_libraries(project, targets, dry_run=True)
    names = ", ".join(t.library for t in targets)
    return _migrate(
        project, f"oslo-incubator migrate --program ({names})",
        lambda: plan_libraries(project, targets), force,
    )  # fmt: skip


def migrate_project(project: Path, options: MigrateOptions) -> MigrationResult:
    """Plan the migration, then write every edit or none (nothing for a dry run).

    Raises:
        ConfigError, GitError: as :func:`plan_migration`.
        UnsafePathError: an edit would land outside the project (nothing is written).
        DirtyTreeError: a file to be changed has uncommitted changes (and not
            ``options.force``).
        OSError: writing failed (nothing is left changed).
    """
    if options.dry_run:
        return plan_migration(project, options)
    return _migrate(
        project, f"oslo-incubator migrate --library {options.library}",
        lambda: plan_migration(project, options), options.force,
    )  # fmt: skip


# Private


def _migrate(
    project: Path, label: str, plan: Callable[[], MigrationResult], force: bool
) -> MigrationResult:
    """Plan inside a transaction, then write every edit of the plan or none."""
    with Transaction(project, label) as txn:
        result = plan()
        if not result.edits:
            return result
        paths = [e.path for e in result.edits]
        targets = {path: safe_destination(project, path) for path in paths}
        if not force:
            check_clean(
                project,
                paths,
                "{count} file(s) to be migrated have uncommitted changes ({paths}); "
                "commit or stash them, or pass --force",
            )
        writes = {
            e.path: FileWrite(
                None if e.new_text is None else e.new_text.encode("utf-8", "surrogateescape"),
                _mode(targets[e.path]),
                FileWrite.read_as(
                    None if e.old_text is None else e.old_text.encode("utf-8", "surrogateescape")
                ),
            )
            for e in result.edits
        }
        txn.write(writes)
    written = tuple(e.path for e in result.edits if e.action is not EditAction.DELETE)
    deleted = tuple(e.path for e in result.edits if e.action is EditAction.DELETE)
    return replace(result, written=written, deleted=deleted)


def _config(project: Path) -> ProjectConfig:
    config = load_project_config(project)
    if not config.base:
        raise ConfigError("no base package: set base= in openstack-common.conf", project)
    return config


def _plan(
    project: Path,
    config: ProjectConfig,
    targets: tuple[MigrationTarget, ...],
    source: str,
    dry_run: bool,
    always_require: bool,
) -> MigrationResult:
    assert config.base
    modules = tuple(m for t in targets for m in t.modules)
    prefix = f"{config.base}.{config.package_root.module}"
    warnings: list[str] = []
    copies = locate_copies(project, config).copies
    present = {c.module for c in copies} | set(config.modules)
    for module in modules:
        if module not in present:
            warnings.append(f"{module}: the project has no copy of it and does not declare it")
    moved_copies = {
        c.copy_path: c.module
        for c in copies
        if c.module in modules and c.copy_path.startswith(config.copy_dir + "/")
    }
    moves = {f"{prefix}.{m}": f"{t.package}.{m}" for t in targets for m in t.modules}
    for other in present:  # a moving package module must not take its subpackages along
        if other not in modules and any(other.startswith(m + ".") for m in modules):
            moves[f"{prefix}.{other}"] = f"{prefix}.{other}"

    edits: list[FileEdit] = []
    texts: dict[str, str] = {}  # every Python file as it will be, moved copies aside
    packages = sorted({t.package.split(".")[0] for t in targets})
    base = config.base or ""
    # A file that never spells a moved module's name cannot import it: not parsed.
    names = re.compile(r"\b(?:" + "|".join(re.escape(m.split(".")[-1]) for m in modules) + r")\b")
    for rel in project_python_files(project):
        if rel in moved_copies:
            continue
        text = decode((project / rel).read_bytes())
        inside_copies = rel.startswith(config.copy_dir + "/")
        if (not inside_copies and config.package_root.module.split(".")[0] not in text) or (
            not names.search(text)
        ):
            texts[rel] = text
            continue
        outcome, warning = _move(text, moves, rel)
        if warning:
            warnings.append(warning)
        if outcome.moved and not inside_copies:
            # The library's imports join the third-party group, in hacking's order.
            outcome = replace(outcome, text=regroup_imports(outcome.text, packages, base))
        for value in dict.fromkeys(outcome.kept_strings):
            line = next((n for n, t in enumerate(text.splitlines(), 1) if value in t), 0)
            warnings.append(
                f"{rel}:{line}: left {value!r} as it is: a string naming a moved module "
                "that is not an import path (a configuration value or key); change it "
                "by hand if it is one"
            )
        texts[rel] = outcome.text
        if outcome.text != text:
            edits.append(FileEdit(rel, EditAction.MODIFY, text, outcome.text, outcome.moved))

    kept = _still_imported(project, texts, moved_copies, prefix, config)
    kept_paths = {k.path for k in kept}
    for path in sorted(moved_copies):
        if path not in kept_paths:
            old = decode((project / path).read_bytes())
            edits.append(FileEdit(path, EditAction.DELETE, old, None))

    current = project / REQUIREMENTS
    old_requirements = decode(current.read_bytes()) if current.is_file() else None
    new_requirements, changed = old_requirements, False
    for target in targets:
        if always_require or set(target.modules) & present:
            new_requirements, added = add_requirement(new_requirements, target.requirement)
            changed = changed or added
    if changed and new_requirements is not None:
        action = EditAction.CREATE if old_requirements is None else EditAction.MODIFY
        edits.append(FileEdit(REQUIREMENTS, action, old_requirements, new_requirements))

    edits += _conf_edit(project, config, modules, warnings)
    return MigrationResult(
        project=str(project),
        base=config.base,
        library=", ".join(t.library for t in targets),
        package=", ".join(t.package for t in targets),
        modules=modules,
        modules_from=source,
        edits=tuple(sorted(edits, key=lambda e: e.path)),
        kept=kept,
        warnings=tuple(warnings),
        dry_run=dry_run,
        targets=targets if source == "program" else (),
    )


def _library_key(name: str) -> str:
    return re.sub(r"[._-]+", ".", name.lower())


def _modules(
    options: MigrateOptions, config: ProjectConfig, project: Path
) -> tuple[tuple[str, ...], str]:
    if options.modules:
        return tuple(dict.fromkeys(m.replace("/", ".") for m in options.modules)), "option"
    incubator = options.incubator or config.incubator
    if incubator is None:
        raise ConfigError(
            "name the modules that moved (--module) or the incubator whose records say so "
            "(--incubator)",
            project,
        )
    found = graduated_modules(
        incubator, options.library, config.package_root, options.incubator_rev
    )
    if not found:
        raise ConfigError(
            f"the incubator records no module graduated to {options.library} "
            f"(obsolete.txt, MAINTAINERS at {options.incubator_rev}); name them with --module",
            incubator,
        )
    return found, "records"


def _requirement_line(options: MigrateOptions, config: ProjectConfig) -> str:
    """The library with the lower bound the incubator's own requirements give it (the
    shims made the incubator require the version it graduated as), else bare."""
    incubator = options.incubator or config.incubator
    if incubator is None:
        return options.library
    rev = options.incubator_rev
    found = read_blobs(incubator, [f"{rev}:{REQUIREMENTS}"]).get(f"{rev}:{REQUIREMENTS}")
    if found is None:
        return options.library
    listed = parse_requirements(decode(found), REQUIREMENTS).find(options.library)
    if listed is None or not listed.specifier:
        return options.library
    return f"{listed.name}{listed.specifier}"


def _move(text: str, moves: Mapping[str, str], rel: str) -> tuple[MoveOutcome, str | None]:
    dotted, is_package = dotted_module_of(rel)
    try:
        # Only strings passed as import paths move: a string in a table or a default is
        # data a configuration may hold (a driver alias), which must keep working.
        return move_modules(text, moves, dotted, is_package, strings="import-paths"), None
    except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        outcome = move_modules_text(text, moves, dotted, is_package)
        if outcome.text == text:
            return outcome, None
        return outcome, (
            f"{rel}: libcst cannot parse it ({reason}); imports moved with regular expressions"
        )


def _still_imported(
    project: Path,
    texts: Mapping[str, str],
    moved_copies: Mapping[str, str],
    prefix: str,
    config: ProjectConfig,
) -> tuple[KeptCopy, ...]:
    """Moved copies that something left unchanged still names: a Python file the
    rewrite could not change, or a configuration file (entry points, driver paths)."""
    dotted_copies = {dotted_module_of(path)[0]: path for path in moved_copies}
    importers: dict[str, list[str]] = {}
    for rel, text in texts.items():
        if prefix not in text and ".openstack" not in text and "from ." not in text:
            continue
        dotted, is_package = dotted_module_of(rel)
        for site in find_imports(text, dotted, is_package, [prefix]):
            names = expand_from_import(site) if site.names else [site.module]
            for name in names:
                path = _copy_of(name, dotted_copies)
                if path is not None:
                    importers.setdefault(path, []).append(f"{rel}:{site.line}")
    pattern = re.compile(re.escape(prefix) + r"(?:\.[A-Za-z_]\w*)+")
    for rel in _config_files(project):
        text = decode((project / rel).read_bytes())
        for match in pattern.finditer(text):
            path = _copy_of(match.group(0), dotted_copies)
            if path is not None:
                line = text.count("\n", 0, match.start()) + 1
                importers.setdefault(path, []).append(f"{rel}:{line}")
    return tuple(
        KeptCopy(path, tuple(dict.fromkeys(found))) for path, found in sorted(importers.items())
    )


def _copy_of(name: str, dotted_copies: Mapping[str, str]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        path = dotted_copies.get(".".join(parts[:end]))
        if path is not None:
            return path
    return None


def _config_files(project: Path) -> list[str]:
    found = [name for name in CONFIG_FILES if (project / name).is_file()]
    for folder in CONFIG_DIRS:
        base = project / folder
        if base.is_dir():
            for dirpath, _, filenames in os.walk(base):
                for filename in sorted(filenames):
                    found.append((Path(dirpath) / filename).relative_to(project).as_posix())
    return found


def _conf_edit(
    project: Path, config: ProjectConfig, modules: Sequence[str], warnings: list[str]
) -> list[FileEdit]:
    source = config.source
    if source is None:
        return []
    if source.name != CONF_NAME:
        warnings.append(f"{source.name}: remove {', '.join(modules)} from its modules by hand")
        return []
    old = decode(source.read_bytes())
    new, _ = remove_conf_modules(old, modules)
    if new == old:
        return []
    rel = source.resolve().relative_to(project.resolve()).as_posix()
    return [FileEdit(rel, EditAction.MODIFY, old, new)]


def _mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644
