"""The incubator's files at HEAD, as a graduation plan and run read them.

Master is read from git (the incubator may be bare): one ``git ls-tree`` and one
``git cat-file --batch`` for the modules under the package root, the tests under
``tests/`` and the requirements files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.requirements import (
    Requirements,
    merge_requirements,
    parse_requirements,
)
from oslo_incubator.history.git import list_tree, read_blobs, resolve_commit
from oslo_incubator.model.errors import ConfigError
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

REQUIREMENTS_FILES = ("requirements.txt", "test-requirements.txt")
TESTS_DIR = "tests"


@dataclass(frozen=True)
class MasterTree:
    """The incubator's files at HEAD that a plan reads (paths repository-relative)."""

    head: str
    modules: Mapping[str, str]  # every .py file under the package root
    tests: Mapping[str, str]  # every .py file under tests/
    requirements: Requirements


def read_master(
    incubator: Path, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT, rev: str = "HEAD"
) -> MasterTree:
    """Read the master modules, tests and requirements files at HEAD (or ``rev``).

    Raises:
        GitError: ``incubator`` is not a git repository.
        ConfigError: nothing lies under ``package_root`` at HEAD.
    """
    head = resolve_commit(incubator, rev)
    root = package_root.path
    tree = list_tree(incubator, head, [root, TESTS_DIR, *REQUIREMENTS_FILES])
    wanted = {p: sha for p, sha in tree.items() if p.endswith(".py") or p in REQUIREMENTS_FILES}
    blobs = read_blobs(incubator, wanted.values())
    texts = {p: decode(blobs.get(sha, b"")) for p, sha in wanted.items()}
    modules = {p: t for p, t in texts.items() if p.startswith(root + "/") and p.endswith(".py")}
    if not modules:
        raise ConfigError(f"no Python files under {root}/ at HEAD", incubator)
    tests = {p: t for p, t in texts.items() if p.startswith(TESTS_DIR + "/") and p.endswith(".py")}
    requirements = merge_requirements(
        parse_requirements(texts[name], name) for name in REQUIREMENTS_FILES if name in texts
    )
    return MasterTree(head, modules, tests, requirements)
