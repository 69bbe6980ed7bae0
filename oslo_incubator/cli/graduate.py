"""``graduate``: plan and run the move of incubator modules into libraries."""

from __future__ import annotations

from pathlib import Path

import click

from oslo_incubator.analysis.validation import (
    check_library_name,
    check_package_name,
    check_package_root,
    check_version_text,
)
from oslo_incubator.cli._common import (
    cache_options,
    checked,
    format_option,
    open_cache,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.graduate import DEFAULT_IDENTITY, GraduateOptions, Identity
from oslo_incubator.model.plan import Granularity
from oslo_incubator.operations.plan import plan_file_of, plan_graduation
from oslo_incubator.report.plan import render_plan_dot, render_plan_json, render_plan_text
from oslo_incubator.workspace.planfile import render_plan_file


def _module_sets(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, ...], ...]:
    sets = []
    for value in values:
        names = tuple(n.strip() for n in value.split(",") if n.strip())
        if len(names) < 2:
            raise click.BadParameter(f"{value!r}: name two or more modules, a,b", ctx, param)
        sets.append(names)
    return tuple(sets)


@click.group()
def graduate() -> None:
    """Move stable modules out of the incubator into libraries."""


@graduate.command()
@click.option(
    "--incubator",
    default=".",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository (work tree or bare); HEAD is read.",
)
@click.option(
    "--project",
    "projects",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A consumer checkout whose own code shows which modules and names are used "
    "(repeat for several).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    help="A module to graduate (repeat to put several in one library); the plan says "
    "what its closure drags in.",
)
@click.option(
    "--granularity",
    type=click.Choice([g.value for g in Granularity]),
    default=Granularity.BALANCED.value,
    show_default=True,
    help="How large the libraries are: fine splits themes, coarse joins related ones.",
)
@click.option(
    "--together",
    multiple=True,
    callback=_module_sets,
    metavar="A,B[,...]",
    help="Modules that must share a library (repeatable).",
)
@click.option(
    "--apart",
    multiple=True,
    callback=_module_sets,
    metavar="A,B[,...]",
    help="Modules no two of which may share a library (repeatable).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the plan as an editable TOML plan file here (for graduate run "
    "--plan and graduate program).",
)
@click.option(
    "--package-root",
    callback=checked(check_package_root),
    default=DEFAULT_PACKAGE_ROOT,
    show_default=True,
    help="Where master modules live in the incubator.",
)
@format_option("text", "json", "dot")
@cache_options
@reports_errors
def plan(
    incubator: Path,
    projects: tuple[Path, ...],
    modules: tuple[str, ...],
    granularity: str,
    together: tuple[tuple[str, ...], ...],
    apart: tuple[tuple[str, ...], ...],
    output: Path | None,
    package_root: str,
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Propose which modules leave the incubator together, and in which order.

    Modules are grouped from evidence, each signal weighed and shown: module-level
    imports (a module imported only by one other and by no consumer is its helper),
    commits that changed modules together (sweeping commits left out), consumer files
    importing them together (--project), shared third-party requirements, shared
    maintainers (MAINTAINERS) and name families (report.*, *utils). Modules that import
    each other at module level, and modules the incubator's records send to one library,
    always go together; records naming different libraries keep modules apart.

    No library imports a later one at module level; a cycle closed only by an import
    inside a function (lazy) or a module path in a string (weak) is broken there and
    reported. Each library says what holds it together, in numbers, and what kept its
    modules apart from close neighbours in other libraries; it lists its modules, the API
    its consumers use, its requirements, what it imports, its consumers and its tests.

    With --module, those modules and everything they import at module level form one
    library, and the plan names that baggage. --together and --apart are hard.
    """
    with open_cache(cache_dir, no_cache) as cache, progress_bar("reading") as progress:
        result = plan_graduation(
            incubator,
            projects,
            modules,
            package_root,
            cache,
            progress,
            granularity=Granularity(granularity),
            together=together,
            apart=apart,
        )
    if output is not None:
        try:
            output.write_text(render_plan_file(plan_file_of(result)), encoding="utf-8")
        except OSError as exc:
            raise click.FileError(str(output), exc.strerror or str(exc)) from None
    renderer = {"text": render_plan_text, "json": render_plan_json, "dot": render_plan_dot}
    click.echo(renderer[output_format](result), nl=False)


@graduate.command()
@click.option(
    "--incubator",
    default=".",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository (work tree or bare); HEAD is graduated.",
)
@click.option(
    "--library",
    required=True,
    callback=checked(check_library_name),
    help="The new library's name (oslo.serialization).",
)
@click.option(
    "--package",
    default=None,
    callback=checked(check_package_name),
    help="Its import package (default: the library's name with '_' for '.': oslo_serialization).",
)
@click.argument("modules", nargs=-1, required=True)
@click.option(
    "--dest",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the library's new git repository goes (absent or empty).",
)
@click.option(
    "--with-closure",
    is_flag=True,
    help="Graduate with the modules everything that they import at module level.",
)
@click.option(
    "--allow-incubator-deps",
    is_flag=True,
    help="Write the library even though it still imports incubator modules that stay "
    "behind (listed as warnings); by default that is an error and nothing is written.",
)
@click.option(
    "--branch",
    default=None,
    help="The incubator branch the shim commit goes on (default: graduate-<library>; "
    "created from HEAD, no checkout is touched).",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Commit the shims on the current branch of the incubator (its work tree must be "
    "clean) instead of on a new branch.",
)
@click.option("--no-shims", is_flag=True, help="Leave the incubator alone: no shim commit.")
@click.option(
    "--author",
    default=DEFAULT_IDENTITY,
    show_default=True,
    help="'Name <email>' of the commits made (the library's code and packaging, the shims).",
)
@click.option("--summary", default=None, help="The library's one-line summary in setup.cfg.")
@click.option(
    "--deprecated-in",
    default=None,
    callback=checked(check_version_text),
    help="Version the shims' deprecation starts in.",
)
@click.option(
    "--removal-version",
    default="?",
    show_default=True,
    callback=checked(check_version_text),
    help="Version the shims go away in ('?': a future version).",
)
@click.option(
    "--package-root",
    callback=checked(check_package_root),
    default=DEFAULT_PACKAGE_ROOT,
    show_default=True,
    help="Where master modules live in the incubator.",
)
@format_option("text", "json")
@cache_options
@reports_errors
def run(
    incubator: Path,
    library: str,
    package: str | None,
    modules: tuple[str, ...],
    dest: Path,
    with_closure: bool,
    allow_incubator_deps: bool,
    branch: str | None,
    in_place: bool,
    no_shims: bool,
    author: str,
    summary: str | None,
    deprecated_in: str | None,
    removal_version: str,
    package_root: str,
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Graduate MODULES into a new library at --dest, with their git history.

    The library's repository holds only the commits that touched the modules and their
    tests (renames followed; authors, dates and messages kept), then a commit that
    rewrites imports (openstack.common.foo becomes <package>.foo, tests move to
    <package>/tests) and a commit with pbr packaging (setup.cfg, setup.py, requirements
    with the incubator's specifiers, tox.ini, README, docs, .gitignore).

    In the incubator, a commit on a new branch (or with --in-place, on the current one)
    replaces each graduated file with a shim that re-exports the library and warns on
    import, and records the graduation in MAINTAINERS and obsolete.txt, so drift and
    sync give the module the life cycle obsolete. `oslo-incubator migrate` then moves
    consumers.

    Exit status 2, nothing written, when the library would still import incubator
    modules that stay behind (graduate them too, or pass --allow-incubator-deps).
    """
    # Imported here: ``graduate plan`` need not load libcst.
    from oslo_incubator.operations.graduate import graduate as graduate_library
    from oslo_incubator.operations.graduate import package_name
    from oslo_incubator.report.graduate import render_graduation_json, render_graduation_text

    if in_place and branch:
        raise click.UsageError("--in-place and --branch exclude each other")
    try:
        identity = Identity.parse(author)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--author") from None
    options = GraduateOptions(
        library=library,
        package=package or package_name(library),
        modules=modules,
        dest=dest,
        package_root=package_root,
        allow_incubator_deps=allow_incubator_deps,
        with_closure=with_closure,
        branch=branch,
        in_place=in_place,
        shims=not no_shims,
        identity=identity,
        summary=summary,
        deprecated_in=deprecated_in,
        removal_version=None if removal_version == "" else removal_version,
    )
    with open_cache(cache_dir, no_cache) as cache:
        result = graduate_library(incubator, options, cache)
    if output_format == "json":
        click.echo(render_graduation_json(result), nl=False)
    else:
        click.echo(render_graduation_text(result), nl=False)
