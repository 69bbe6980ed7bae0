"""What every command shares: error handling, the cache option, progress display."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from oslo_incubator.analysis.syntax import ParseWarnings
from oslo_incubator.model.errors import OsloIncubatorError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot
from oslo_incubator.workspace.cache import Cache, CacheUnavailable, default_cache_dir

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def reports_errors(func: F) -> F:
    """Turn this package's exceptions, and a file that cannot be read, written or
    decoded, into a one-line message naming it and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OsloIncubatorError as exc:
            click.echo(f"oslo-incubator: error: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"oslo-incubator: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except UnicodeError as exc:
            click.echo(
                f"oslo-incubator: error: not text in the expected encoding ({exc})", err=True
            )
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


def note_parse_warnings(seen: ParseWarnings) -> None:
    """One line on stderr counting the warnings Python gave while parsing the code a
    command read (nothing when there were none); the first one names its file and line.
    """
    if not seen:
        return
    count, files = len(seen), seen.file_count()
    click.echo(
        f"oslo-incubator: note: parsing the code read raised {count} Python "
        f"warning{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"(first: {next(iter(seen))}); not shown, and they change no result",
        err=True,
    )


def checked(check: Callable[[str], str]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback that runs ``check`` on an option's value (or values), turning
    its ``ValueError`` into a usage error (exit 2) before anything runs."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        values = value if isinstance(value, tuple) else (value,)
        for item in values:
            if item is None:
                continue
            try:
                check(item)
            except ValueError as exc:
                raise click.BadParameter(str(exc)) from None
        return value

    return callback


def package_root_option(func: F) -> F:
    """Add ``--package-root``, read into a :class:`PackageRoot` (a usage error, exit 2,
    when it is not package names joined by ``/``)."""

    def parse(ctx: click.Context, param: click.Parameter, value: str) -> PackageRoot:
        try:
            return PackageRoot.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option(
        "--package-root",
        callback=parse,
        default=DEFAULT_PACKAGE_ROOT.path,
        show_default=True,
        help="Where master modules live in the incubator.",
    )(func)


def cache_options(func: F) -> F:
    """Add ``--cache-dir`` and ``--no-cache``."""
    func = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the on-disk cache."
    )(func)
    func = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Where results are cached (default: $OSLO_INCUBATOR_CACHE_DIR, else "
        "$XDG_CACHE_HOME/oslo-incubator).",
    )(func)
    return func


def cluster_options(func: F) -> F:
    """Add ``--scheduler`` (or ``$DASK_SCHEDULER_ADDRESS``) and ``--fleet``."""
    func = click.option(
        "--fleet",
        "fleet_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="A file listing the repositories to read, one a line: LOCATION [REVISION], "
        "a path or a git URL (see the formats page). With PROJECTS, both are read.",
    )(func)
    func = click.option(
        "--scheduler",
        envvar="DASK_SCHEDULER_ADDRESS",
        default=None,
        metavar="ADDRESS",
        help="Run on the Dask cluster whose scheduler listens at ADDRESS "
        "(tcp://host:8786; default: $DASK_SCHEDULER_ADDRESS): projects are read and "
        "analysed by tasks on its workers, which must see the same paths. Needs "
        "'oslo-incubator[cluster]'. The result is the same as without.",
    )(func)
    return func


@contextmanager
def cluster_engine(scheduler: str | None) -> Iterator[Any]:
    """The engine of ``--scheduler``, or ``None`` (this machine's processes); Dask is
    imported only when a scheduler is given."""
    if not scheduler:
        yield None
        return
    from oslo_incubator.workflows.cluster import connect

    with connect(scheduler) as engine:
        yield engine


def fleet_projects(
    projects: tuple[Path, ...], fleet_file: Path | None, cache_dir: Path | None, engine: Any
) -> tuple[Path, ...]:
    """PROJECTS, then the repositories of ``--fleet`` where the workers can read them
    (clones under ``<cache dir>/fleet``)."""
    if fleet_file is None:
        return projects
    from oslo_incubator.workflows.cluster import fleet_paths
    from oslo_incubator.workspace.fleetfile import read_fleet

    clones = (cache_dir or default_cache_dir(os.environ)) / "fleet"
    return (*projects, *fleet_paths(read_fleet(fleet_file), clones, engine))


@contextmanager
def open_cache(cache_dir: Path | None, no_cache: bool) -> Iterator[Cache | None]:
    """The cache the options ask for, closed afterwards."""
    if no_cache:
        yield None
        return
    try:
        cache = Cache(cache_dir or default_cache_dir(os.environ))
    except CacheUnavailable as exc:
        click.echo(f"warning: no cache ({exc}); going on without one", err=True)
        yield None
        return
    try:
        yield cache
    finally:
        cache.close()


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing click's bar on a terminal; ``None`` when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}

    def update(name: str, done: int, total: int) -> None:
        bar = state.get(name)
        if bar is None:
            for other in state.values():
                other.render_finish()
            bar = click.progressbar(length=total, label=f"{label} {name}", file=sys.stderr)
            state[name] = bar
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        for bar in state.values():
            bar.render_finish()


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with the given choices."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format: text for people, the others for machines.",
    )
