"""``drift`` and ``check``: where copies stand, and the CI gate over it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from oslo_incubator.cli._common import (
    EXIT_FINDINGS,
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
from oslo_incubator.history.incubator import open_incubator
from oslo_incubator.model.check import Baseline, Level, Waiver
from oslo_incubator.model.drift import GRADUATED_IMPORT_RULE, DriftReport, DriftStatus, Policy
from oslo_incubator.model.lifecycle import LifecycleState
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.operations.drift import analyse_drift, check_policy, judge_findings
from oslo_incubator.report.drift import (
    render_check_json,
    render_check_junit,
    render_check_sarif,
    render_check_text,
    render_drift_json,
    render_drift_text,
)
from oslo_incubator.workspace.baseline import read_baseline, render_baseline
from oslo_incubator.workspace.config import load_project_config, resolve_incubator

_project_argument = click.argument(
    "projects",
    nargs=-1,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
_incubator_option = click.option(
    "--incubator",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The incubator's git repository (work tree or bare). Default: $OSLO_INCUBATOR, "
    "else the projects' configured incubator.",
)


def _incubator(option: Path | None, projects: tuple[Path, ...]) -> Path:
    return resolve_incubator(option, [load_project_config(p) for p in projects], os.environ)


def _run(
    incubator: Path | None,
    package_root: PackageRoot,
    projects: tuple[Path, ...],
    cache_dir: Path | None,
    no_cache: bool,
    scheduler: str | None = None,
    fleet_file: Path | None = None,
) -> DriftReport:
    with (
        open_cache(cache_dir, no_cache) as cache,
        progress_bar("drift") as progress,
        cluster_engine(scheduler) as engine,
    ):
        projects = fleet_projects(projects, fleet_file, cache_dir, engine) or (Path("."),)
        path = _incubator(incubator, projects)
        inc = open_incubator(path, package_root, cache)
        return analyse_drift(inc, projects, cache, progress, engine)


@click.command()
@_incubator_option
@package_root_option
@format_option("text", "json")
@click.option("-v", "--verbose", is_flag=True, help="Show the local changes of diverged copies.")
@cache_options
@cluster_options
@_project_argument
@reports_errors
def drift(
    incubator: Path | None,
    package_root: PackageRoot,
    output_format: str,
    verbose: bool,
    cache_dir: Path | None,
    no_cache: bool,
    scheduler: str | None,
    fleet_file: Path | None,
    projects: tuple[Path, ...],
) -> None:
    """Show where every copied module of PROJECTS (default: .) stands against the incubator.

    For each copy, its content status: current (equals master), behind (equals an
    older master version; shows the base commit and the master commits missed),
    diverged (local changes on top of the nearest master version; backports are
    named), obsolete (master no longer has the file), unknown (no master origin) or
    missing (declared, not present). Apart from content, each module's life cycle in
    master: active, orphan, graduating, deprecated, obsolete (replaced, though master
    still has it) or deleted, with the library that replaces it.

    With --scheduler, each project is analysed by a task on a Dask cluster's
    workers (which must see the same paths, and open the incubator and the cache
    themselves); the report is the same.
    """
    report = _run(incubator, package_root, projects, cache_dir, no_cache, scheduler, fleet_file)
    if output_format == "json":
        click.echo(render_drift_json(report), nl=False)
    else:
        click.echo(render_drift_text(report, verbose), nl=False)


GRADUATED_IMPORT = GRADUATED_IMPORT_RULE.rpartition("/")[2]
DEFAULT_FAIL_ON = "diverged,missing,deleted,graduated-import"
ACTIVE = LifecycleState.ACTIVE.value  # never a failure: the life cycle of most modules


def _policy(value: str, max_behind: int | None) -> Policy:
    """Read ``--fail-on``: content statuses, life-cycle states and ``graduated-import``;
    ``status:X`` or ``lifecycle:X`` where a word is both (``obsolete`` alone is both)."""
    statuses: set[DriftStatus] = set()
    states: set[LifecycleState] = set()
    imports = False
    known_statuses = {s.value: s for s in DriftStatus}
    known_states = {s.value: s for s in LifecycleState}
    for raw in (v.strip() for v in value.split(",")):
        if not raw:
            continue
        axis, _, name = raw.rpartition(":")
        if name == GRADUATED_IMPORT and not axis:
            imports = True
        elif axis in ("", "status") and name in known_statuses:
            statuses.add(known_statuses[name])
            if not axis and name in known_states:
                states.add(known_states[name])
        elif axis in ("", "lifecycle") and name in known_states and name != ACTIVE:
            states.add(known_states[name])
        else:
            choices = ", ".join(
                [
                    *known_statuses,
                    *(s for s in known_states if s not in known_statuses and s != ACTIVE),
                    GRADUATED_IMPORT,
                ]
            )
            raise click.BadParameter(f"{raw!r}: choose from {choices}", param_hint="--fail-on")
    return Policy(frozenset(statuses), frozenset(states), max_behind, imports)


@click.command()
@_incubator_option
@package_root_option
@click.option(
    "--fail-on",
    default=DEFAULT_FAIL_ON,
    show_default=True,
    help="Comma-separated content statuses (current, behind, diverged, unknown, "
    "obsolete, missing), life-cycle states (orphan, graduating, deprecated, obsolete, "
    "deleted) and graduated-import that fail the check; 'status:obsolete' or "
    "'lifecycle:obsolete' picks one meaning of obsolete, which alone means both.",
)
@click.option(
    "--max-behind",
    type=click.IntRange(min=0),
    default=None,
    help="Fail copies more than N master commits behind.",
)
@click.option(
    "--fail-level",
    type=click.Choice([level.value for level in Level]),
    default=Level.ERROR.value,
    show_default=True,
    help="The lowest level that fails: findings of a rule at 'warning' level (strings "
    "naming a graduated module) fail only with warning (or note).",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A baseline file: the findings it records are reported but do not fail.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Record every finding not ignored inline or by the configuration in this "
    "baseline file (then the check passes); may be the --baseline file.",
)
@click.option(
    "--since",
    metavar="REV",
    default=None,
    help="Fail only on what changed since the commit REV of the projects' git: copies "
    "whose files changed, and import lines added or modified (the work tree counts).",
)
@format_option("text", "json", "junit", "sarif")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to a file instead of standard output.",
)
@cache_options
@_project_argument
@reports_errors
def check(
    incubator: Path | None,
    package_root: PackageRoot,
    fail_on: str,
    max_behind: int | None,
    fail_level: str,
    baseline: Path | None,
    write_baseline: Path | None,
    since: str | None,
    output_format: str,
    output: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    projects: tuple[Path, ...],
) -> None:
    """Fail (exit 1) when copies of PROJECTS (default: .) break the drift policy; for CI.

    The default policy fails diverged and missing copies, copies of modules master
    deleted, and any import in the projects' own code of a module master says
    graduated (rule drift/graduated-import, with file and line). A string naming such
    a module (drift/graduated-string) is a warning: reported, failed only with
    --fail-level warning. A module that master still has is never failed for its life
    cycle unless asked (--fail-on deprecated, obsolete ...): a deprecated module can be
    fully current. Add --max-behind N to bound how far a copy may lag.

    A finding does not fail when an "# oslo-incubator: ignore[RULE]" comment is on its
    line, when check_ignore in the project's configuration covers it, when the
    --baseline file records it, or, with --since REV, when the change since REV did not
    introduce it. SARIF results point at the copy files (or lines) so code-scanning UIs
    show them inline.
    """
    policy = _policy(fail_on, max_behind)
    level = Level(fail_level)
    accepted = read_baseline(baseline) if baseline is not None else None
    projects = projects or (Path("."),)
    path = _incubator(incubator, projects)
    with open_cache(cache_dir, no_cache) as cache, progress_bar("drift") as progress:
        inc = open_incubator(path, package_root, cache)
        report = analyse_drift(inc, projects, cache, progress)
    violations = check_policy(report, policy, inc)
    result = judge_findings(report, violations, level, accepted, since)
    if write_baseline is not None:
        recorded = [f for f in result.findings if f.waiver not in (Waiver.INLINE, Waiver.CONFIG)]
        write_baseline.write_text(render_baseline(recorded), encoding="utf-8")
        accepted = Baseline(frozenset(f.fingerprint for f in recorded), str(write_baseline))
        result = judge_findings(report, violations, level, accepted, since)
    renderer = {
        "text": render_check_text,
        "json": render_check_json,
        "junit": render_check_junit,
        "sarif": render_check_sarif,
    }[output_format]
    text = renderer(report, result)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if result.failed:
        sys.exit(EXIT_FINDINGS)
