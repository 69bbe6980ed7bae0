"""Settings of one consumer project, as read from its configuration file."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot


class RewriteMode(enum.Enum):
    """How master text becomes project text."""

    CONVENTIONS = "conventions"  # as the project's existing copies were written
    IMPORTS = "imports"  # rewrite imports of the package root only (libcst)
    UPDATE_PY = "update.py"  # reproduce what the incubator's update.py at master wrote


@dataclass(frozen=True)
class CheckIgnore:
    """A ``check`` rule ignored by the configuration: ``rule`` is an id or a glob
    (``drift/graduated-*``, ``*``); ``paths`` are globs relative to the project (none:
    everywhere); ``line`` is where the configuration says so."""

    rule: str
    paths: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class ProjectConfig:
    """What a project declares about its copies.

    ``base`` is the dotted package that holds the copies (``nova``, ``foo.bar``);
    ``modules`` are module names as in ``openstack-common.conf`` (``log``,
    ``report.views.json``) in file order, without duplicates. ``release_series`` are
    OpenStack release series newer than the toolkit knows, in order (``release-series``
    in the file), so removal versions naming them can be dated.
    """

    source: Path | None
    base: str | None
    modules: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    incubator: Path | None = None
    # The incubator's web address, a template with {sha} for its commit pages
    # (``incubator-url`` in the file; see analysis.validation.commit_url_template).
    incubator_url: str | None = None
    package_root: PackageRoot = DEFAULT_PACKAGE_ROOT
    rewrite: RewriteMode = RewriteMode.CONVENTIONS
    release_series: tuple[str, ...] = ()
    check_ignores: tuple[CheckIgnore, ...] = ()
    module_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def base_path(self) -> str:
        """The base package as a path relative to the project root (``foo/bar``)."""
        return (self.base or "").replace(".", "/")

    @property
    def copy_dir(self) -> str:
        """Where copies live, relative to the project root (``nova/openstack/common``)."""
        return f"{self.base_path}/{self.package_root.path}"
