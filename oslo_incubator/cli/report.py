"""``report``: a static HTML site of the fleet's drift, families, plan and debt.

This command runs four operations (drift, scan, graduate plan, debt) and renders what
they return. Composing operations belongs one layer up, in ``workflows/``, which is
being added on another branch; until it lands the composition lives here, in
:func:`_gather`, as plain calls with nothing decided between them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import click

from oslo_incubator.analysis.validation import check_package_root, commit_url_template
from oslo_incubator.cli._common import (
    cache_options,
    checked,
    open_cache,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.config import DEFAULT_PACKAGE_ROOT
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.report.html import Site, render_site
from oslo_incubator.report.html.page import GENERATOR
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import (
    load_project_config,
    resolve_incubator,
    resolve_incubator_url,
)

#: The pages that can be left out, and the command each comes from.
OPTIONAL_PAGES = {"families": "scan", "plan": "graduate plan", "debt": "debt"}
# What a site written by this command holds at its root: removed before writing again.
_SITE_ENTRIES = ("index.html", "families.html", "plan.html", "debt.html", "copies", "assets")


@dataclass(frozen=True)
class _Choices:
    incubator: Path
    package_root: str
    projects: tuple[Path, ...]
    skip: frozenset[str]
    release: str | None
    jobs: int


@click.command()
@click.option(
    "--incubator",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository (work tree or bare). Default: $OSLO_INCUBATOR, "
    "else the projects' configured incubator.",
)
@click.option(
    "--package-root",
    callback=checked(check_package_root),
    default=DEFAULT_PACKAGE_ROOT,
    show_default=True,
    help="Where master modules live in the incubator.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory the site is written to (created; a site written there before is "
    "replaced, any other non-empty directory is refused).",
)
@click.option(
    "--incubator-url",
    default=None,
    callback=checked(commit_url_template),
    metavar="URL",
    help="The incubator's web address, for links to its commits: a repository page "
    "(https://github.com/openstack/oslo-incubator) or a template with {sha}. Default: "
    "$OSLO_INCUBATOR_URL, else incubator-url in the projects' configuration; without "
    "one, commits are shown without links.",
)
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(list(OPTIONAL_PAGES)),
    help="Leave a page out (repeatable): families (scan), plan (graduate plan), debt.",
)
@click.option(
    "--release",
    default=None,
    help="For the debt page: the OpenStack release series the projects are in (see debt --help).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for the families page's scan (default: one per CPU).",
)
@cache_options
@click.argument(
    "projects",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@reports_errors
def report(
    incubator: Path | None,
    package_root: str,
    output: Path,
    incubator_url: str | None,
    skip: tuple[str, ...],
    release: str | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    projects: tuple[Path, ...],
) -> None:
    """Write a static HTML site about PROJECTS and their incubator to OUTPUT.

    Pages: the fleet (modules by projects, each cell a module's status, life cycle
    and commits behind, sortable and filterable), a page per module copy (base commit,
    missed commits, local changes side by side with backports marked), the copy
    families with incubation candidates and the copy graph (scan), the graduation
    plan drawn in layers with the evidence behind each library (graduate plan), and
    the deprecation debt (debt). Each page embeds the JSON its command prints with
    --format json.

    The site works from file:// and offline: its stylesheet and script ship with
    this package, nothing is fetched when it is viewed, and its tables read without
    JavaScript (which only sorts and filters). Results are cached as by the commands
    themselves, so a second report of unchanged trees is quick. Exit 0, or 2 on bad
    input.
    """
    configs = [load_project_config(p) for p in projects]
    choices = _Choices(
        incubator=resolve_incubator(incubator, configs, os.environ),
        package_root=package_root,
        projects=projects,
        skip=frozenset(skip),
        release=release,
        jobs=jobs or os.cpu_count() or 1,
    )
    url = resolve_incubator_url(incubator_url, configs, os.environ)
    _check_output(output)
    with open_cache(cache_dir, no_cache) as cache:
        site = _gather(choices, cache, url)
    files = render_site(site)
    _write_site(output, files)
    pages = sum(1 for name in files if name.endswith(".html"))
    size = sum(len(text.encode("utf-8")) for text in files.values())
    click.echo(
        f"report: {pages} pages ({size / 1e6:.1f} MB) in {output}; open "
        f"{(output / 'index.html').resolve().as_uri()}"
    )


# Private


def _gather(choices: _Choices, cache: Cache | None, url: str | None) -> Site:
    """Run the operations the pages need; each is imported only when its page is asked
    for (networkx, libcst and numpy are large imports)."""
    from oslo_incubator.history.incubator import open_incubator
    from oslo_incubator.operations.drift import analyse_drift

    with progress_bar("drift") as progress:
        inc = open_incubator(choices.incubator, choices.package_root, cache)
        drift = analyse_drift(inc, choices.projects, cache, progress)
    scan = graph = families = plan = layers = debt = None
    if "families" not in choices.skip:
        from oslo_incubator.graph.copies import build_copy_graph
        from oslo_incubator.graph.layout import family_drawing
        from oslo_incubator.model.scan import ScanOptions
        from oslo_incubator.operations.scan import scan_projects
        from oslo_incubator.report.graph import graph_to_node_link

        with progress_bar("scan") as progress:
            scan = scan_projects(
                choices.projects,
                ScanOptions(jobs=choices.jobs),
                choices.incubator,
                choices.package_root,
                cache,
                progress,
            )
        copy_graph = build_copy_graph(scan)
        graph = graph_to_node_link(copy_graph)
        families = family_drawing(copy_graph)
    if "plan" not in choices.skip:
        from oslo_incubator.graph.layout import plan_drawing
        from oslo_incubator.operations.plan import plan_graduation

        with progress_bar("plan") as progress:
            plan = plan_graduation(
                choices.incubator, choices.projects, (), choices.package_root, cache, progress
            )
        layers = plan_drawing(plan)
    if "debt" not in choices.skip:
        from oslo_incubator.operations.debt import scan_debt

        with progress_bar("debt") as progress:
            debt = scan_debt(choices.projects, choices.release, progress, cache)
    return Site(drift, scan, graph, families, plan, layers, debt, url)


def _check_output(output: Path) -> None:
    """Refuse, before any work, to write into a directory that holds something else.

    Raises:
        ConfigError: ``output`` is a non-empty directory that no report wrote.
    """
    if not output.exists():
        return
    if not output.is_dir():
        raise ConfigError("not a directory", output)
    if not any(output.iterdir()):
        return
    index = output / "index.html"
    written = index.is_file() and f'content="{GENERATOR}"' in index.read_text(
        encoding="utf-8", errors="replace"
    )
    if not written:
        raise ConfigError(
            "not empty, and not a site this command wrote; choose another --output", output
        )


def _write_site(output: Path, files: dict[str, str]) -> None:
    """Replace what an earlier report wrote in ``output`` with ``files``."""
    for name in _SITE_ENTRIES:
        old = output / name
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        elif old.exists() or old.is_symlink():
            old.unlink()
    with progress_bar("writing") as progress:
        for n, (name, text) in enumerate(sorted(files.items()), start=1):
            path = output / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if progress is not None:
                progress("site", n, len(files))
