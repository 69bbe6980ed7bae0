"""``graduate``: plan (and later run) the move of incubator modules into libraries."""

from __future__ import annotations

from pathlib import Path

import click

from oslo_incubator.cli._common import (
    cache_options,
    format_option,
    open_cache,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT
from oslo_incubator.operations.plan import plan_graduation
from oslo_incubator.report.plan import render_plan_dot, render_plan_json, render_plan_text


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
    "--package-root",
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
    package_root: str,
    output_format: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Propose which modules leave the incubator together, and in which order.

    Modules that import each other at module level go together; a cycle closed only by
    an import inside a function (lazy) or a module path in a string (weak) is broken
    there and reported. Each library comes after the libraries it imports, and lists
    its modules, the API its consumers use, its third-party requirements (from the
    incubator's requirements files), what it imports, its consumers and its tests.

    With --project, consumer usage also groups modules: a module no consumer imports
    joins the one library that imports it, and modules always imported together join.
    With --module, those modules and everything they import at module level form one
    library, and the plan names that baggage.
    """
    with open_cache(cache_dir, no_cache) as cache, progress_bar("reading") as progress:
        result = plan_graduation(incubator, projects, modules, package_root, cache, progress)
    renderer = {"text": render_plan_text, "json": render_plan_json, "dot": render_plan_dot}
    click.echo(renderer[output_format](result), nl=False)
