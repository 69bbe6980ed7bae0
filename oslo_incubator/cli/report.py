"""``report``: a static HTML site of the fleet's drift, families, plan and debt.

What the site shows is gathered by :func:`oslo_incubator.workflows.site.gather_site`
(four operations, and the layout of two graphs); this command resolves the options,
renders the pages and writes them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click

from oslo_incubator.analysis.validation import commit_url_template
from oslo_incubator.cli._common import (
    cache_options,
    checked,
    open_cache,
    package_root_option,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.report.html import render_site
from oslo_incubator.report.html.page import GENERATOR
from oslo_incubator.workspace.config import (
    load_project_config,
    resolve_incubator,
    resolve_incubator_url,
)

# The pages --skip leaves out (workflows.site.OPTIONAL_PAGES, not imported for --help).
_OPTIONAL_PAGES = ("families", "plan", "debt")
# What a site written by this command holds at its root: removed before writing again.
_SITE_ENTRIES = ("index.html", "families.html", "plan.html", "debt.html", "copies", "assets")


@click.command()
@click.option(
    "--incubator",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository (work tree or bare). Default: $OSLO_INCUBATOR, "
    "else the projects' configured incubator.",
)
@package_root_option
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
    type=click.Choice(_OPTIONAL_PAGES),
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
    package_root: PackageRoot,
    output: Path,
    incubator_url: str | None,
    skip: tuple[str, ...],
    release: str | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    projects: tuple[Path, ...],
) -> None:
    """Write a static HTML site about PROJECTS and their incubator to --output.

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
    from oslo_incubator.workflows.site import SiteOptions, gather_site

    configs = [load_project_config(p) for p in projects]
    path = resolve_incubator(incubator, configs, os.environ)
    options = SiteOptions(
        skip=frozenset(skip),
        release=release,
        jobs=jobs or os.cpu_count() or 1,
        commit_url=resolve_incubator_url(incubator_url, configs, os.environ),
    )
    _check_output(output)
    with open_cache(cache_dir, no_cache) as cache, progress_bar("report") as progress:
        site = gather_site(path, projects, package_root, options, cache, progress)
    files = render_site(site)
    _write_site(output, files)
    pages = sum(1 for name in files if name.endswith(".html"))
    size = sum(len(text.encode("utf-8")) for text in files.values())
    click.echo(
        f"report: {pages} pages ({size / 1e6:.1f} MB) in {output}; open "
        f"{(output / 'index.html').resolve().as_uri()}"
    )


# Private


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
