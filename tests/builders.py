"""Build the git repositories a test needs in a few lines.

``make_incubator`` writes an incubator from a scripted history; ``make_project`` writes
a consumer project whose copies are master texts passed through update.py's simplest
rewrite (the import prefix, and ``oslo`` to the base), as a real sync would have left
them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from oslo_incubator.analysis.normalise import rewrite_import_prefix
from oslo_incubator.history.builder import RepoBuilder

ROOT = "openstack/common"
Files = Mapping[str, str | bytes | None]


def make_incubator(
    path: Path, history: Sequence[tuple[str, Files]], root: str = ROOT
) -> RepoBuilder:
    """An incubator whose commits are ``(message, files)`` in order.

    File paths are relative to the repository; ``None`` deletes a file. The package
    root's ``__init__.py`` files are added to the first commit.
    """
    repo = RepoBuilder(path)
    for i, (message, files) in enumerate(history):
        if i == 0:
            parts = root.split("/")
            inits = {"/".join(parts[: n + 1]) + "/__init__.py": "" for n in range(len(parts))}
            files = {**inits, **files}
        repo.commit(message, files)
    return repo


def synced(text: str, base: str) -> str:
    """What update.py would have made of master ``text`` for project ``base``."""
    return rewrite_import_prefix(text.replace("oslo", base).replace("OSLO", base.upper()), base)


def make_project(
    path: Path,
    base: str,
    copies: Mapping[str, str | bytes],
    conf: str | None = None,
    extra: Files | None = None,
    rewrite: bool = True,
) -> RepoBuilder:
    """A project with ``copies`` (paths relative to ``<base>/openstack/common``).

    ``conf`` is the text of ``openstack-common.conf``; by default it declares every
    top-level module of ``copies`` and ``base``. ``extra`` adds other files.
    """
    repo = RepoBuilder(path)
    base_path = base.replace(".", "/")
    files: dict[str, str | bytes | None] = {}
    parts = base_path.split("/")
    for n in range(len(parts)):
        files["/".join(parts[: n + 1]) + "/__init__.py"] = ""
    files[f"{base_path}/openstack/__init__.py"] = ""
    files[f"{base_path}/{ROOT}/__init__.py"] = ""
    for rel, text in copies.items():
        if rewrite and isinstance(text, str):
            text = synced(text, base)
        files[f"{base_path}/{ROOT}/{rel}"] = text
    if conf is None:
        modules = sorted({rel.split("/")[0].removesuffix(".py") for rel in copies} - {"__init__"})
        conf = "[DEFAULT]\n" + "".join(f"module={m}\n" for m in modules) + f"base={base}\n"
    files["openstack-common.conf"] = conf
    files.update(extra or {})
    repo.commit("Sync from oslo-incubator", files)
    return repo
