"""``impact``: what a change to the incubator or a library does to the projects."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oslo_incubator.cli._common import (
    EXIT_FINDINGS,
    cache_options,
    format_option,
    open_cache,
    package_root_option,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.impact import ImpactReport
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.report.impact import (
    render_impact_json,
    render_impact_sarif,
    render_impact_text,
)


@click.command()
@click.argument(
    "projects", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--incubator",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The incubator's git repository (work tree or bare) the change is in.",
)
@click.option(
    "--library",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A graduated library's git repository instead: the projects import it.",
)
@click.option(
    "--change",
    default=None,
    help="One commit (a sha, a branch, a review fetched as a ref), compared with its "
    "first parent. Default: HEAD.",
)
@click.option("--range", "span", default=None, help="A range of commits, A..B.")
@click.option(
    "--since-release",
    is_flag=True,
    help="With --library: everything since its last tag, and the release that needs.",
)
@click.option(
    "--run-tests",
    is_flag=True,
    help="Cross tests: for each touched project, a temporary worktree with the change "
    "synced in, its tests run before and after in a fresh virtualenv.",
)
@click.option(
    "--all-tests",
    is_flag=True,
    help="With --run-tests: every test module, not only those the import graph selects.",
)
@click.option(
    "--python",
    default=None,
    help="With --run-tests: the interpreter of the projects' virtualenvs (default: "
    "python3, else this one). Old projects want the Python of their era.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=600.0,
    show_default=True,
    help="With --run-tests: seconds one test module may run before it is killed.",
)
@click.option(
    "--constraints",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="With --run-tests: a pip constraints file (the versions of the project's era).",
)
@click.option(
    "--keep",
    is_flag=True,
    help="With --run-tests: keep the temporary worktrees and virtualenvs, and say where.",
)
@package_root_option
@click.option("-v", "--verbose", is_flag=True, help="List private names and every line.")
@format_option("text", "json", "sarif")
@cache_options
@reports_errors
def impact(
    projects: tuple[Path, ...],
    incubator: Path | None,
    library: Path | None,
    change: str | None,
    span: str | None,
    since_release: bool,
    run_tests: bool,
    all_tests: bool,
    python: str | None,
    timeout: float,
    constraints: Path | None,
    keep: bool,
    package_root: PackageRoot,
    verbose: bool,
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """What a change does to the projects that copy or import its modules.

    For a change to incubator master (--incubator) or to a graduated library
    (--library): how the public API of each module it touches changes (removed,
    renamed, incompatible, extended, added, body), which lines of each PROJECT use
    a changed name, and a verdict per project: breaking (a line uses something
    removed or changed incompatibly; a call that no longer fits the new signature),
    affected (it uses changed code) or untouched. A project's copies of the changed
    modules are shown with their drift before the change.

    Exit codes: 0 no project breaks, 1 a project would break (or a test newly
    fails), 2 bad usage or input.
    """
    if (incubator is None) == (library is None):
        raise click.UsageError("give exactly one of --incubator and --library")
    if change is not None and span is not None:
        raise click.UsageError("give --change or --range, not both")
    if since_release and library is None:
        raise click.UsageError("--since-release is for a library (--library)")
    if since_release and span is not None:
        raise click.UsageError("--since-release sets the range itself; leave out --range")
    if (all_tests or keep or python or constraints) and not run_tests:
        raise click.UsageError("--all-tests, --keep, --python, --constraints need --run-tests")
    if run_tests and library is not None:
        raise click.UsageError("--run-tests works on an incubator change (it syncs)")
    with open_cache(cache_dir, no_cache) as cache:
        with progress_bar("reading") as progress:
            if incubator is not None:
                from oslo_incubator.operations.impact import incubator_impact

                report = incubator_impact(
                    incubator, projects, change, span, package_root, cache, progress
                )
            else:
                assert library is not None
                from oslo_incubator.operations.impact import library_impact

                report = library_impact(
                    library, projects, change, span, since_release, cache, progress
                )
        if run_tests and incubator is not None:
            from oslo_incubator.workflows.impact import CrossTestOptions, cross_test

            options = CrossTestOptions(
                python=python, all_tests=all_tests, timeout=timeout,
                constraints=constraints, keep=keep,
            )  # fmt: skip
            with progress_bar("testing") as progress:
                report = cross_test(
                    incubator, report, package_root, options, cache, progress, _say
                )
    renderers = {
        "text": lambda r: render_impact_text(r, verbose),
        "json": render_impact_json,
        "sarif": render_impact_sarif,
    }
    click.echo(renderers[output_format](report), nl=False)
    if _fails(report):
        sys.exit(EXIT_FINDINGS)


def _fails(report: ImpactReport) -> bool:
    return report.breaking or any(
        p.tests is not None and p.tests.newly_failing for p in report.projects
    )


def _say(message: str) -> None:
    if sys.stderr.isatty():
        click.echo(message, err=True)
