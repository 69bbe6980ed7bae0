"""What the static HTML site shows: drift, scan, the graduation plan and debt.

Composes four operations (``drift``, ``scan``, ``graduate plan``, ``debt``) and lays
out the graphs the site draws, so it lives one layer above the operations. Nothing is
decided between them: each runs as its own command would, on the same projects and
cache, and the renderer (:mod:`oslo_incubator.report.html`) draws what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.graph.copies import build_copy_graph
from oslo_incubator.graph.layout import family_drawing, plan_drawing
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.debt import DebtReport
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.model.plan import GraduationPlan
from oslo_incubator.model.scan import ScanOptions, ScanReport
from oslo_incubator.operations.debt import scan_debt
from oslo_incubator.operations.drift import analyse_drift
from oslo_incubator.operations.plan import plan_graduation
from oslo_incubator.operations.scan import scan_projects
from oslo_incubator.report.graph import graph_to_node_link
from oslo_incubator.report.html import Site
from oslo_incubator.workspace.cache import Cache

Progress = Callable[[str, int, int], None]

#: The pages that can be left out, and the command each comes from.
OPTIONAL_PAGES = {"families": "scan", "plan": "graduate plan", "debt": "debt"}


@dataclass(frozen=True)
class SiteOptions:
    """Which optional pages to leave out (keys of :data:`OPTIONAL_PAGES`), the release
    series for the debt page, worker processes for the scan, and the template of links
    to master commits (``{sha}`` in it; ``None``: no links)."""

    skip: frozenset[str] = frozenset()
    release: str | None = None
    jobs: int = 1
    commit_url: str | None = None


def gather_site(
    incubator: Path,
    projects: Sequence[Path],
    package_root: PackageRoot,
    options: SiteOptions,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> Site:
    """Run the operations the site's pages need, and lay out its graphs.

    Args:
        incubator: the incubator's repository.
        projects: project roots.
        package_root: where master modules live in the incubator.
        options: see :class:`SiteOptions`.
        cache: shared by every operation, as each command would use it.
        progress: called with ("<page> <stage>", done, total) as the operations go.

    Returns:
        What :func:`oslo_incubator.report.html.render_site` draws.

    Raises:
        ConfigError, GitError: as the operations raise them (bad configuration, an
            incubator that is no git repository).
    """
    inc = open_incubator(incubator, package_root, cache)
    drift = analyse_drift(inc, projects, cache, _stage(progress, "drift"))
    scan: ScanReport | None = None
    graph = families = layers = None
    plan: GraduationPlan | None = None
    debt: DebtReport | None = None
    if "families" not in options.skip:
        scan = scan_projects(
            projects,
            ScanOptions(jobs=options.jobs),
            incubator,
            package_root,
            cache,
            _stage(progress, "scan"),
        )
        copy_graph = build_copy_graph(scan)
        graph = graph_to_node_link(copy_graph)
        families = family_drawing(copy_graph)
    if "plan" not in options.skip:
        plan = plan_graduation(incubator, projects, (), package_root, cache,
                               _stage(progress, "plan"))  # fmt: skip
        layers = plan_drawing(plan)
    if "debt" not in options.skip:
        debt = scan_debt(projects, options.release, _stage(progress, "debt"), cache)
    return Site(drift, scan, graph, families, plan, layers, debt, options.commit_url)


# Private


def _stage(progress: Progress | None, stage: str) -> Progress | None:
    """``progress`` with each name prefixed by the stage it belongs to."""
    if progress is None:
        return None
    report = progress

    def staged(name: str, done: int, total: int) -> None:
        report(f"{stage} {name}", done, total)

    return staged
