"""``migrate``: move a consumer project from its copies to a graduated library."""

from __future__ import annotations

import os
from pathlib import Path

import click

from oslo_incubator.analysis.validation import (
    check_library_name,
    check_package_name,
    check_requirement,
)
from oslo_incubator.cli._common import checked, format_option, reports_errors
from oslo_incubator.model.graduate import MigrateOptions, MigrationResult
from oslo_incubator.workspace.config import ENV_INCUBATOR


@click.command()
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--library",
    default=None,
    callback=checked(check_library_name),
    help="The library the modules went to (oslo.foo).",
)
@click.option(
    "--program",
    "program_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Move to every library of the program in this folder (graduate program --dest), "
    "in one change; instead of --library.",
)
@click.option(
    "--package",
    default=None,
    callback=checked(check_package_name),
    help="Its import package (default: the library's name with '_' for '.': oslo_foo).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    help="A module that moved to the library (repeatable). Default: the modules the "
    "incubator's obsolete.txt and MAINTAINERS record as graduated to it.",
)
@click.option(
    "--incubator",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The incubator whose records name the modules (default: the configuration's "
    "'incubator' setting).",
)
@click.option(
    "--rev",
    default="HEAD",
    show_default=True,
    help="The incubator revision to read the records at (the shim branch, before it merges).",
)
@click.option(
    "--requirement",
    default=None,
    callback=checked(check_requirement),
    help="The line added to requirements.txt (default: the library's name).",
)
@click.option("--dry-run", is_flag=True, help="Print the unified diff; write nothing.")
@click.option("--force", is_flag=True, help="Change files that have uncommitted changes.")
@format_option("text", "json")
@reports_errors
def migrate(
    project: Path,
    library: str | None,
    program_dir: Path | None,
    package: str | None,
    modules: tuple[str, ...],
    incubator: Path | None,
    rev: str,
    requirement: str | None,
    dry_run: bool,
    force: bool,
    output_format: str,
) -> None:
    """Make PROJECT import the library instead of its copies of the moved modules.

    Every Python file outside the copy directory (and the copies that stay) gets its
    imports of <base>.openstack.common.<module> rewritten to <package>.<module>, with
    submodules, `from ... import ... as ...` and mock.patch strings; Python 2 files get
    a token-level rewrite and a warning. requirements.txt gains the library (in sorted
    place if the file is sorted, else at the end), openstack-common.conf loses the
    modules (comments kept), and the copies are deleted unless something the rewrite
    cannot change (setup.cfg, tox.ini, etc/) still names them.

    All or nothing: paths are checked first, files with uncommitted changes are refused
    (unless --force), and a failure leaves the project as it was. With --dry-run the
    diff goes to standard output and the summary to standard error.

    With --program DIR, every library the program in DIR has written is moved to at
    once: each library's modules to its package, each library the project uses added
    to requirements.txt at >= its version.
    """
    # Imported here: other commands need not load libcst.
    from oslo_incubator.operations.graduate import package_name
    from oslo_incubator.operations.migrate import migrate_project

    if (library is None) == (program_dir is None):
        raise click.UsageError("name one of --library and --program")
    if program_dir is not None:
        if modules or incubator or requirement or package:
            raise click.UsageError(
                "--program takes its libraries, modules and requirements from the program"
            )
        from oslo_incubator.workflows.program import migrate_to_program

        result = migrate_to_program(project, program_dir, dry_run=dry_run, force=force)
        _render(result, output_format, dry_run)
        return
    assert library is not None
    options = MigrateOptions(
        library=library,
        package=package or package_name(library),
        modules=modules,
        incubator=incubator or _environ_incubator(),
        incubator_rev=rev,
        requirement=requirement,
        dry_run=dry_run,
        force=force,
    )
    result = migrate_project(project, options)
    _render(result, output_format, dry_run)


def _render(result: MigrationResult, output_format: str, dry_run: bool) -> None:
    from oslo_incubator.report.graduate import (
        render_migration_diff,
        render_migration_json,
        render_migration_text,
    )

    if output_format == "json":
        click.echo(render_migration_json(result, with_diff=dry_run), nl=False)
    elif dry_run:
        click.echo(render_migration_diff(result), nl=False)
        click.echo(render_migration_text(result), nl=False, err=True)
    else:
        click.echo(render_migration_text(result), nl=False)


def _environ_incubator() -> Path | None:
    value = os.environ.get(ENV_INCUBATOR)
    return Path(value) if value else None
