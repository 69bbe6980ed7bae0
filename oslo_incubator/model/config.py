"""Settings of one consumer project, as read from its configuration file."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PACKAGE_ROOT = "openstack/common"


class RewriteMode(enum.Enum):
    """How master text becomes project text."""

    CONVENTIONS = "conventions"  # as the project's existing copies were written
    IMPORTS = "imports"  # rewrite imports of the package root only (libcst)
    UPDATE_PY = "update.py"  # reproduce what the incubator's update.py at master wrote


@dataclass(frozen=True)
class ProjectConfig:
    """What a project declares about its copies.

    ``base`` is the dotted package that holds the copies (``nova``, ``foo.bar``);
    ``modules`` are module names as in ``openstack-common.conf`` (``log``,
    ``report.views.json``) in file order, without duplicates.
    """

    source: Path | None
    base: str | None
    modules: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    incubator: Path | None = None
    package_root: str = DEFAULT_PACKAGE_ROOT
    rewrite: RewriteMode = RewriteMode.CONVENTIONS
    module_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def base_path(self) -> str:
        """The base package as a path relative to the project root (``foo/bar``)."""
        return (self.base or "").replace(".", "/")

    @property
    def copy_dir(self) -> str:
        """Where copies live, relative to the project root (``nova/openstack/common``)."""
        return f"{self.base_path}/{self.package_root}"

    @property
    def root_module(self) -> str:
        """The package root as a dotted module (``openstack.common``)."""
        return self.package_root.replace("/", ".")
