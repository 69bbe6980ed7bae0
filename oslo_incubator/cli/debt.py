"""``debt``: deprecated APIs across projects, their remaining uses, overdue removals."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from oslo_incubator.analysis.versions import parse_release
from oslo_incubator.cli._common import (
    EXIT_FINDINGS,
    cache_options,
    format_option,
    open_cache,
    progress_bar,
    reports_errors,
)
from oslo_incubator.operations.debt import scan_debt
from oslo_incubator.report.debt import render_debt_json, render_debt_text


def _release(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and parse_release(value) is None:
        raise click.BadParameter(f"{value!r} is not a release letter, name or series (2015.1)")
    return value


@click.command()
@format_option("text", "json")
@click.option(
    "--release",
    default=None,
    callback=_release,
    help="The OpenStack release series the projects are in (liberty, M, 2023.1), for "
    "removal versions given as release names when a project's version does not name its "
    "series (12.0.0 does not; 2015.1.0 is Kilo).",
)
@click.option(
    "--fail-on-overdue", is_flag=True, help="Exit 1 when any removal is overdue (for CI)."
)
@click.option("-v", "--verbose", is_flag=True, help="List every use and every skipped file.")
@cache_options
@click.argument("projects", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_errors
def debt(
    output_format: str,
    release: str | None,
    fail_on_overdue: bool,
    verbose: bool,
    cache_dir: Path | None,
    no_cache: bool,
    projects: tuple[Path, ...],
) -> None:
    """Find deprecated APIs in PROJECTS, who still uses them, and overdue removals.

    Deprecations made with oslo_incubator.deprecation or debtcollector (removals,
    moves, renames, updating, deprecate()), PEP 702's @deprecated, and oslo's
    versionutils.deprecated are found statically (nothing is imported), however the
    helpers were imported. Uses are found across all PROJECTS: imports, calls,
    instantiations, subclasses and references, resolved through import aliases and
    inferred types (class hierarchies, self attributes, constructor calls, annotations,
    what functions return); an attribute whose object stays unknown but whose name is
    a deprecated method's is counted separately as a possible use, with the reason.
    Results are cached per file content (--no-cache to skip).

    A removal is overdue when the declaring project's version (setup.cfg,
    pyproject.toml, PKG-INFO, else the latest git tag) has reached the removal
    version; versionutils' as_of + remove_in is counted in releases.
    """
    with open_cache(cache_dir, no_cache) as cache, progress_bar("debt") as progress:
        report = scan_debt(projects, release, progress, cache)
    if output_format == "json":
        click.echo(render_debt_json(report), nl=False)
    else:
        click.echo(render_debt_text(report, verbose), nl=False)
    if fail_on_overdue and report.overdue:
        sys.exit(EXIT_FINDINGS)
