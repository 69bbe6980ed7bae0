"""``sync`` and ``update``: copy modules from master into a project, keeping local patches.

``update`` takes the options of oslo-incubator's ``update.py`` (``--base``,
``--modules a,b``, ``--dest-dir``, ``--config-file``, a positional config file or
project directory) and runs the same sync.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from oslo_incubator.analysis.validation import check_base_package
from oslo_incubator.cli._common import (
    EXIT_FINDINGS,
    cache_options,
    checked,
    format_option,
    open_cache,
    reports_errors,
)
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.config import ProjectConfig, RewriteMode
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.sync import LocalChanges, SyncOptions, SyncResult
from oslo_incubator.operations.sync import command_line, refused, sync_project
from oslo_incubator.report.sync import render_sync_diff, render_sync_json, render_sync_text
from oslo_incubator.workspace.config import (
    CONF_NAME,
    load_project_config,
    resolve_incubator,
)

F = TypeVar("F", bound=Callable[..., Any])


def _sync_options(func: F) -> F:
    """The options ``sync`` and ``update`` share."""
    decorators = [
        click.option(
            "--incubator",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            default=None,
            help="The incubator's git repository (work tree or bare). Default: the "
            "configuration's 'incubator' setting.",
        ),
        click.option(
            "--rev",
            default="HEAD",
            show_default=True,
            help="The master commit to sync from.",
        ),
        click.option(
            "--script",
            "scripts",
            multiple=True,
            help="A stand-alone file to copy (repeatable), e.g. tools/colorizer.py.",
        ),
        click.option(
            "--nodeps",
            is_flag=True,
            help="Copy only the modules named, not the modules they import.",
        ),
        click.option(
            "--rewrite",
            type=click.Choice([m.value for m in RewriteMode]),
            default=None,
            help="conventions: write as the project's existing copies were written (the "
            "rewrite its lock file names, else the incubator's update.py rules that turn "
            "each copy's base version into exactly that copy; imports for a project "
            "without copies). imports: rewrite imports of the package root with libcst, "
            "nothing else. update.py: what the incubator's own update.py at the synced "
            "commit would have written. Default: the configuration's 'rewrite' setting, "
            "else conventions.",
        ),
        click.option(
            "--local-changes",
            type=click.Choice([m.value for m in LocalChanges]),
            default=LocalChanges.KEEP.value,
            show_default=True,
            help="keep: merge local changes with master's three ways (a conflict writes "
            "nothing). drop: master's text wins, as update.py did; every dropped change "
            "is listed in the report and the commit message.",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            help="Print the diff and the commit message; write nothing.",
        ),
        click.option(
            "--commit",
            "do_commit",
            is_flag=True,
            help="Commit the written files (and only them) with the generated message.",
        ),
        click.option(
            "--allow-conflicts",
            is_flag=True,
            help="Write conflicting files with conflict markers instead of writing nothing.",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Overwrite files that have uncommitted changes.",
        ),
        click.option(
            "--fail-on-obsolete",
            is_flag=True,
            help="Exit 1, writing nothing, when a module asked for is deprecated, "
            "obsolete or deleted in master (by default such modules are copied with a "
            "warning, deleted ones are never copied).",
        ),
        click.option("--generated-with", default=None, hidden=True),
        format_option("text", "json"),
        cache_options,
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


@click.command()
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--module",
    "modules",
    multiple=True,
    help="A module to sync (repeatable); replaces the configuration's list.",
)
@click.option(
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The configuration file (default: PROJECT/openstack-common.conf or pyproject.toml).",
)
@_sync_options
@reports_errors
def sync(project: Path, modules: tuple[str, ...], config_file: Path | None, **kwargs: Any) -> None:
    """Copy modules from the incubator's master into PROJECT, keeping local patches.

    Copies the modules of the configuration (or --module), the modules they import
    (unless --nodeps), their companion files and the scripts; rewrites imports; merges
    local changes of diverged copies with master's changes three ways. A conflict
    writes nothing and exits 1 (unless --allow-conflicts). Every write is all or
    nothing; files with uncommitted changes are refused (exit 2) unless --force.
    Records what was written in openstack-common.lock.
    """
    config = load_project_config(project, config_file)
    _run(project, config, modules, kwargs)


@click.command()
@click.argument(
    "configfile_or_destdir",
    required=False,
    type=click.Path(exists=True, path_type=Path),
)
@click.option("--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The project's openstack-common.conf.")  # fmt: skip
@click.option("--dest-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The project directory (default: the config file's directory).")  # fmt: skip
@click.option(
    "--base",
    default=None,
    callback=checked(check_base_package),
    help="The base package that holds openstack/common.",
)
@click.option("--modules", "module_list", default=None,
              help="Comma-separated modules to copy (replaces the configuration's).")  # fmt: skip
@click.option("--module", "modules", multiple=True, help="A module to copy (repeatable).")
@_sync_options
@reports_errors
def update(
    configfile_or_destdir: Path | None,
    config_file: Path | None,
    dest_dir: Path | None,
    base: str | None,
    module_list: str | None,
    modules: tuple[str, ...],
    **kwargs: Any,
) -> None:
    """update.py's options for the same sync: [CONFIGFILE_OR_DESTDIR] --base --modules ...

    As oslo-incubator's update.py read them: a positional config file or project
    directory (holding openstack-common.conf), --config-file, --dest-dir (default: the
    config file's directory), --base and --modules/--module overriding the file. The
    incubator defaults to --incubator, the configuration's setting, or the current
    directory when it is an incubator (update.py ran from its checkout).
    """
    if configfile_or_destdir is not None:
        if configfile_or_destdir.is_file():
            config_file = config_file or configfile_or_destdir
        else:
            dest_dir = dest_dir or configfile_or_destdir
            if config_file is None and (configfile_or_destdir / CONF_NAME).is_file():
                config_file = configfile_or_destdir / CONF_NAME
    if dest_dir is None and config_file is not None:
        dest_dir = config_file.parent
    if dest_dir is None or not dest_dir.is_dir():
        raise click.UsageError("a valid destination directory is required (--dest-dir)")
    config = load_project_config(dest_dir, config_file) if config_file else _bare_config(dest_dir)
    if base:
        config = _with_base(config, base)
    names = [*(m.strip() for m in (module_list or "").split(",") if m.strip()), *modules]
    if (
        kwargs["incubator"] is None
        and config.incubator is None
        and _looks_like_incubator(Path.cwd(), config.package_root)
    ):
        kwargs["incubator"] = Path.cwd()
    _run(dest_dir, config, tuple(names), kwargs)


# Private


def _run(
    project: Path, config: ProjectConfig, modules: tuple[str, ...], kw: dict[str, Any]
) -> None:
    incubator = resolve_incubator(kw["incubator"], [config], os.environ)
    options = SyncOptions(
        modules=modules,
        scripts=tuple(kw["scripts"]),
        nodeps=kw["nodeps"],
        rewrite=RewriteMode(kw["rewrite"]) if kw["rewrite"] else None,
        allow_conflicts=kw["allow_conflicts"],
        force=kw["force"],
        dry_run=kw["dry_run"],
        commit=kw["do_commit"],
        fail_on_obsolete=kw["fail_on_obsolete"],
        local_changes=LocalChanges(kw["local_changes"]),
        command=kw["generated_with"] or _command(),
    )
    with open_cache(kw["cache_dir"], kw["no_cache"]) as cache:
        inc = open_incubator(incubator, config.package_root, cache, kw["rev"])
        result = sync_project(inc, project, config, options, cache)
    _render(result, kw["output_format"])
    if refused(result, options):
        sys.exit(EXIT_FINDINGS)


def _render(result: SyncResult, output_format: str) -> None:
    if output_format == "json":
        click.echo(render_sync_json(result, with_diff=result.dry_run), nl=False)
        return
    if result.dry_run:
        click.echo(render_sync_diff(result), nl=False)
        click.echo("\n" + result.message)
    click.echo(render_sync_text(result), nl=False)


def _command() -> str:
    """The command line as typed, when this process is the console script running this
    command (not, say, ``demo`` running it); else rebuilt from the options."""
    ctx = click.get_current_context()
    typed = sys.argv[1:]
    if Path(sys.argv[0]).name == "oslo-incubator" and typed[:1] == [ctx.info_name]:
        return command_line(typed)
    return _reconstructed(ctx)


def _reconstructed(ctx: click.Context) -> str:
    args: list[str] = []
    for param in ctx.command.params:
        if not isinstance(param, click.Option) or param.hidden or param.name is None:
            continue
        value = ctx.params.get(param.name)
        if value in (None, False, (), param.default) and not (param.multiple and value):
            continue
        flag = max(param.opts, key=len)
        if param.is_flag:
            args.append(flag)
        elif param.multiple:
            for item in value:
                args += [flag, str(item)]
        else:
            args += [flag, str(value)]
    for param in ctx.command.params:
        if isinstance(param, click.Argument) and ctx.params.get(param.name or "") is not None:
            args.append(str(ctx.params[param.name or ""]))
    return command_line([ctx.info_name or "sync", *args])


def _bare_config(project: Path) -> ProjectConfig:
    return ProjectConfig(source=None, base=None)


def _with_base(config: ProjectConfig, base: str) -> ProjectConfig:
    from dataclasses import replace

    return replace(config, base=base.replace("/", "."))


def _looks_like_incubator(path: Path, package_root: PackageRoot) -> bool:
    return (path / package_root.path).is_dir() and (path / ".git").exists()
