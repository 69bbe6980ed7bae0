"""A graduation with clean dependencies: the library, its private copies, the shims.

Public use case: :func:`graduate_library`. It composes two operations:
:mod:`~oslo_incubator.operations.graduate` decides and writes the library (its public
package holds only its own modules; imports of modules that graduated already name
their library), and :mod:`~oslo_incubator.operations.sync` writes the *private copies*
of the incubator modules the library still needs into ``<package>/openstack/common``,
with an ``openstack-common.conf`` and a lock file, so that ``drift`` and ``sync``
treat the library like any other project that copies from the incubator.

Order, all or nothing: every refusal is checked first; the library's history, code and
packaging commits are written, then the private copies' commit, then the version tag;
if any of that fails the destination is removed. Only then are the shims committed in
the incubator.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.graduate import GraduateOptions, GraduationResult, PrivateCopies
from oslo_incubator.model.sync import SyncOptions
from oslo_incubator.operations.graduate import (
    check_dependencies,
    check_targets,
    leave_shims,
    prepare_graduation,
    removed_on_failure,
    tag_library,
    write_library,
)
from oslo_incubator.operations.sync import sync_project
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import CONF_NAME, load_project_config, private_copies_conf

DEFAULT_COMMAND = "oslo-incubator graduate run"


def graduate_library(
    incubator: Path,
    options: GraduateOptions,
    cache: Cache | None = None,
    command: str = DEFAULT_COMMAND,
) -> GraduationResult:
    """Graduate ``options.modules`` into a library at ``options.dest``, with private
    copies of what it still needs from the incubator (``options.private_copies``).

    Args:
        incubator: the incubator's git repository; HEAD is graduated.
        options: the library, its modules and flags.
        cache: the import analysis and history index between runs.
        command: the command line quoted in the private copies' commit message.

    Returns:
        What was written: the library, its private copies, its tag, the shims.

    Raises:
        ConfigError, DirtyTreeError, IncubatorDependencyError, GitError: as
            :func:`oslo_incubator.operations.graduate.graduate`; nothing is written.
    """
    check_targets(incubator, options)
    prepared = prepare_graduation(incubator, options, cache)
    check_dependencies(prepared, options)
    with removed_on_failure(options.dest):
        result = write_library(incubator, prepared, options)
        if result.private:
            copies = _write_private_copies(incubator, result, options, cache, command)
            result = replace(result, private_copies=copies)
        if options.version:
            result = replace(result, tag=tag_library(options.dest, options.version, options))
    return leave_shims(incubator, prepared, result, options)


# Private


def _write_private_copies(
    incubator: Path,
    result: GraduationResult,
    options: GraduateOptions,
    cache: Cache | None,
    command: str,
) -> PrivateCopies:
    dest = options.dest
    (dest / CONF_NAME).write_text(private_copies_conf(options.package, result.private))
    config = load_project_config(dest)
    source = open_incubator(incubator, options.package_root, cache, result.head)
    sync_options = SyncOptions(modules=result.private, nodeps=True, command=command)
    synced = sync_project(source, dest, config, sync_options, cache)
    paths = [CONF_NAME, *synced.written]
    run_git(dest, "add", "--", *paths)
    message = (
        f"Private copies of {len(result.private)} incubator module(s) for {result.library}\n\n"
        f"{result.library} needs these modules before they graduate. They live in\n"
        f"{options.package}/{options.package_root}, outside its API, listed in {CONF_NAME} "
        "with a lock\nfile, so that drift and sync track them like any project's copies.\n\n"
        + synced.message
    )
    run_git(dest, "commit", "-q", "--no-verify", "-F", "-", input=message.encode(),
            env=options.identity.git_env())  # fmt: skip
    commit = git_text(dest, "rev-parse", "HEAD").strip()
    return PrivateCopies(options.package, result.private, tuple(sorted(synced.written)), commit)
