"""``scan``: the graph of modules and functions copied across a fleet of projects."""

from __future__ import annotations

import os
from pathlib import Path

import click

from oslo_incubator.cli._common import (
    cache_options,
    cluster_engine,
    cluster_options,
    fleet_projects,
    format_option,
    open_cache,
    package_root_option,
    progress_bar,
    reports_errors,
)
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.scan import ScanOptions
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.report.scan import SCAN_SCHEMA, render_scan_json, render_scan_text


@click.command()
@click.option(
    "--incubator",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The incubator's git repository: families get their master and members their "
    "drift status.",
)
@package_root_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that fingerprint files (default: one per CPU).",
)
@click.option(
    "--min-similarity",
    type=click.FloatRange(min=0.0, max=1.0, min_open=True),
    default=0.8,
    show_default=True,
    help="Least Jaccard similarity of 5-token shingles for a near copy.",
)
@click.option(
    "--min-tokens",
    type=click.IntRange(min=1),
    default=25,
    show_default=True,
    help="Smaller modules, functions and classes are not compared (comments are not "
    "tokens; a string is one).",
)
@click.option(
    "--min-lines",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Shorter modules, functions and classes are not compared.",
)
@format_option("text", "json", "graphml", "dot")
@click.option("-v", "--verbose", is_flag=True, help="List the members of every family.")
@cache_options
@cluster_options
@click.argument(
    "projects",
    nargs=-1,
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@reports_errors
def scan(
    incubator: Path | None,
    package_root: PackageRoot,
    jobs: int | None,
    min_similarity: float,
    min_tokens: int,
    min_lines: int,
    output_format: str,
    verbose: bool,
    cache_dir: Path | None,
    no_cache: bool,
    scheduler: str | None,
    fleet_file: Path | None,
    projects: tuple[Path, ...],
) -> None:
    """Find modules, functions and classes copied across PROJECTS (and the
    repositories of a --fleet file).

    Every Python file of every project is read (virtualenvs, .tox, .git, build
    output and *.egg-info are skipped) and normalised, so that a copy compares
    equal whatever package it sits in. Copies are grouped into families at two
    grains, whole modules and top-level functions and classes: exact copies by
    their normalised tokens, near copies by the Jaccard similarity of their
    5-token shingles (candidates found with MinHash and LSH, then compared
    exactly).

    With --incubator, a family copied from the incubator names its master and
    each member's drift status. Families with no master that span two or more
    projects are ranked as incubation candidates, with the reason for each rank.

    The text summary is for people; --format json adds every member and the copy
    graph (node-link), graphml and dot export the graph alone. Results are cached
    per file content, so a second scan of unchanged trees only reads and hashes
    files. Exit 0 (a scan reports, it does not judge), 2 on bad input.

    With --scheduler, the scan runs on a Dask cluster: projects are read and
    fingerprinted by tasks on its workers (with each worker's cache), where their
    fingerprints stay; the LSH buckets and the count of exact copies are
    reductions there, and only files that can make a family come back. Drift's
    analysis and the exact comparisons run there too. The report is the same.
    """
    if not projects and fleet_file is None:
        raise click.UsageError("give PROJECTS, or a --fleet file")
    options = ScanOptions(
        min_similarity=min_similarity,
        min_tokens=min_tokens,
        min_lines=min_lines,
        jobs=jobs or os.cpu_count() or 1,
    )
    with (
        open_cache(cache_dir, no_cache) as cache,
        progress_bar("scan") as progress,
        cluster_engine(scheduler) as engine,
    ):
        projects = fleet_projects(projects, fleet_file, cache_dir, engine)
        report = scan_projects(projects, options, incubator, package_root, cache, progress, engine)
    if output_format == "text":
        click.echo(render_scan_text(report, verbose), nl=False)
        return
    # networkx takes a fifth of a second to import: only the machine formats need it.
    from oslo_incubator.graph.copies import build_copy_graph
    from oslo_incubator.report.graph import graph_to_node_link, render_dot, render_graphml

    graph = build_copy_graph(report)
    if output_format == "json":
        click.echo(render_scan_json(report, graph_to_node_link(graph)), nl=False)
    elif output_format == "graphml":
        click.echo(render_graphml(graph), nl=False)
    else:
        click.echo(render_dot(graph, SCAN_SCHEMA), nl=False)
