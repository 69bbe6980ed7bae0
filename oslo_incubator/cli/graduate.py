"""``graduate``: plan and run the move of incubator modules into libraries."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from oslo_incubator.analysis.validation import (
    check_library_name,
    check_package_name,
    check_version_text,
)
from oslo_incubator.cli._common import (
    cache_options,
    checked,
    format_option,
    open_cache,
    package_root_option,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.graduate import DEFAULT_IDENTITY, GraduateOptions, Identity
from oslo_incubator.model.packageroot import PackageRoot
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
@package_root_option
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
    package_root: PackageRoot,
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
    "--private-copies/--no-private-copies",
    default=True,
    show_default=True,
    help="Carry the incubator modules the library needs that have not graduated yet as "
    "private copies in <package>/openstack/common (synced, tracked by its own "
    "openstack-common.conf); without, they are errors.",
)
@click.option(
    "--version",
    "version",
    default=None,
    help="Tag the library's last commit with this version (pbr reads it from the tag).",
)
@click.option(
    "--python-requires",
    default=None,
    help="The library's Requires-Python (default: the incubator's setup.cfg python_requires, "
    "else >= its oldest 'Programming Language :: Python :: X.Y' classifier, else >=3.8); "
    "one that admits 2.7 also makes its wheel universal.",
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
@package_root_option
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
    private_copies: bool,
    version: str | None,
    python_requires: str | None,
    allow_incubator_deps: bool,
    branch: str | None,
    in_place: bool,
    no_shims: bool,
    author: str,
    summary: str | None,
    deprecated_in: str | None,
    removal_version: str,
    package_root: PackageRoot,
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

    Clean dependencies: the library's package holds only MODULES. An incubator module
    they import that has graduated already (obsolete.txt, MAINTAINERS, a shim, a
    deletion naming its library) is imported from its library, which becomes a
    requirement; one that has not is synced as a private copy into
    <package>/openstack/common, listed in the library's own openstack-common.conf with a
    lock file, so `oslo-incubator drift --incubator INC LIBRARY` tracks it. Private
    copies' tests do not move. --with-closure graduates them all publicly instead.

    Exit status 2, nothing written, on bad input, or with --no-private-copies when the
    library would still import incubator modules that stay behind (graduate them too,
    or pass --allow-incubator-deps).
    """
    # Imported here: ``graduate plan`` need not load libcst.
    from oslo_incubator.operations.graduate import package_name
    from oslo_incubator.operations.sync import command_line
    from oslo_incubator.report.graduate import render_graduation_json, render_graduation_text
    from oslo_incubator.workflows.graduation import graduate_library

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
        private_copies=private_copies and not with_closure,
        version=version,
        python_requires=python_requires,
    )
    command = command_line(["graduate", "run", "--library", library, *modules])
    with open_cache(cache_dir, no_cache) as cache:
        result = graduate_library(incubator, options, cache, command)
    if output_format == "json":
        click.echo(render_graduation_json(result), nl=False)
    else:
        click.echo(render_graduation_text(result), nl=False)


def _verify_options(func: Any) -> Any:
    """The options of a proof, shared by ``program --verify`` and ``verify``."""
    for option in reversed(
        [
            click.option(
                "--python",
                default=None,
                help="The interpreter of the fresh virtualenvs (default: this one); "
                "the era's Python for old code: /root/.pyenv/versions/2.7.18/bin/python.",
            ),
            click.option(
                "--find-links",
                multiple=True,
                help="Also look for requirements here (a folder of wheels; repeatable).",
            ),
            click.option(
                "--constraint",
                "constraints",
                multiple=True,
                help="A pip constraints file for the requirements (the era's versions; "
                "repeatable).",
            ),
            click.option(
                "--no-index",
                is_flag=True,
                help="Install requirements only from the program's wheels and --find-links.",
            ),
            click.option(
                "--timeout",
                default=1800.0,
                show_default=True,
                help="Seconds a pip install may take.",
            ),
            click.option(
                "--test-timeout",
                default=600.0,
                show_default=True,
                help="Seconds one test module may run (then it is killed, with what it started).",
            ),
            click.option(
                "--keep", is_flag=True, help="Keep the virtualenvs and test runs, and say where."
            ),
        ]
    ):
        func = option(func)
    return func


@graduate.command()
@click.argument("plan_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--incubator",
    default=".",
    show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository; its HEAD starts the program (it is cloned, "
    "never changed).",
)
@click.option(
    "--dest",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The program's folder: one repository per library, program.json, .incubator.",
)
@click.option(
    "--version",
    "version",
    default="0.1.0",
    show_default=True,
    help="The version every library is tagged with; later ones require >= it.",
)
@click.option(
    "--python-requires",
    default=None,
    help="The libraries' Requires-Python (default: >= the --python of a proof, else as "
    "graduate run finds it in the incubator's setup.cfg, else >=3.8).",
)
@click.option("--verify", is_flag=True, help="Then prove the program (see graduate verify).")
@_verify_options
@click.option(
    "--author",
    default=DEFAULT_IDENTITY,
    show_default=True,
    help="'Name <email>' of the commits made.",
)
@format_option("text", "json")
@cache_options
@reports_errors
def program(
    plan_file: Path,
    incubator: Path,
    dest: Path,
    version: str,
    python_requires: str | None,
    verify: bool,
    python: str | None,
    find_links: tuple[str, ...],
    constraints: tuple[str, ...],
    no_index: bool,
    timeout: float,
    test_timeout: float,
    keep: bool,
    author: str,
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Carry out PLAN_FILE: graduate its libraries in order, one repository each in DEST.

    Each library is graduated as `graduate run` does (clean dependencies, private
    copies), from a bare scratch clone of the incubator in DEST/.incubator whose branch
    `program` collects every library's shims: so each later library imports the earlier
    ones instead of the incubator, and requires them (>= --version, the tag each gets).
    The incubator itself is not changed.

    Resumable: DEST/program.json records each library when done; run the same command
    again and finished libraries are verified and skipped. A summary table ends the run;
    with --verify the proof follows (see `graduate verify`).

    Exit status 2 on a bad plan file (naming its file and line), a module the incubator
    lacks, or a plan that no longer matches the libraries done.
    """
    from oslo_incubator.model.program import ProgramOptions
    from oslo_incubator.report.program import render_program_json, render_program_text
    from oslo_incubator.workflows.program import run_program

    try:
        identity = Identity.parse(author)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--author") from None
    if python_requires is None and python:
        python_requires = _requires_python(python)
    options = ProgramOptions(
        version=version,
        python_requires=python_requires,
        identity=identity,
        command=f"oslo-incubator graduate program {plan_file.name}",
    )
    with open_cache(cache_dir, no_cache) as cache, progress_bar("graduating") as progress:
        result = run_program(plan_file, incubator, dest, options, cache, progress)
    if output_format == "json":
        document = render_program_json(result)
        if verify:
            proof = _prove(
                dest, python, find_links, constraints, no_index, timeout, test_timeout, keep
            )
            from oslo_incubator.report.program import program_to_json, proof_to_json

            document = json.dumps(
                {**program_to_json(result), "proof": proof_to_json(proof)}, indent=2
            )
        click.echo(document.rstrip("\n"))
        return
    click.echo(render_program_text(result), nl=False)
    if verify:
        from oslo_incubator.report.program import render_proof_text

        proof = _prove(
            dest, python, find_links, constraints, no_index, timeout, test_timeout, keep
        )
        click.echo("")
        click.echo(render_proof_text(proof), nl=False)


@graduate.command()
@click.argument("dest", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_verify_options
@format_option("text", "json")
@reports_errors
def verify(
    dest: Path,
    python: str | None,
    find_links: tuple[str, ...],
    constraints: tuple[str, ...],
    no_index: bool,
    timeout: float,
    test_timeout: float,
    keep: bool,
    output_format: str,
) -> None:
    """Prove the program in DEST: for each library, build its wheel (and those before
    it), install them in a fresh virtualenv of --python with the library's declared
    requirements, run its moved tests there, and the same tests in the incubator at the
    program's starting commit under the same interpreter and packages. The table gives
    passed/ran in each, and how many of the incubator's passing tests still pass.
    """
    from oslo_incubator.report.program import render_proof_json, render_proof_text

    proof = _prove(dest, python, find_links, constraints, no_index, timeout, test_timeout, keep)
    renderer = render_proof_json if output_format == "json" else render_proof_text
    click.echo(renderer(proof), nl=False)


def _prove(
    dest: Path,
    python: str | None,
    find_links: tuple[str, ...],
    constraints: tuple[str, ...],
    no_index: bool,
    timeout: float,
    test_timeout: float,
    keep: bool,
) -> Any:
    from oslo_incubator.model.program import VerifyOptions
    from oslo_incubator.workflows.verify import verify_program

    options = VerifyOptions(
        python or sys.executable,
        tuple(find_links),
        no_index,
        float(timeout),
        keep,
        tuple(str(Path(c).resolve()) for c in constraints),
        float(test_timeout),
    )
    with progress_bar("proving") as progress:
        return verify_program(dest, options, progress)


def _requires_python(python: str) -> str:
    """``>=X.Y`` of an interpreter's version."""
    from oslo_incubator.workspace.environments import python_version

    major, minor, _ = python_version(python)
    return f">={major}.{minor}"
