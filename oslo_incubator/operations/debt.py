"""Deprecation debt: what is deprecated across projects, who still uses it, and which
removals are overdue.

Public use case: :func:`scan_debt`. Statically only: scanned code is read and parsed,
never imported. Each project's files are parsed once to find declarations and class
outlines; then only the files whose text mentions a deprecated name are parsed again
for references, so a large tree with little debt is scanned at the cost of one parse.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.analysis.deprecations import (
    DeprecationIndex,
    ModuleOutline,
    Reference,
    find_deprecations,
    find_mentions,
    find_references,
    may_declare,
    module_for_path,
    outline_module,
)
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.syntax import parse_python
from oslo_incubator.analysis.versions import (
    Release,
    assess_removal,
    parse_release,
    release_of_version,
    version_from_pkg_info,
    version_from_pyproject,
    version_from_setup_cfg,
    version_from_tag,
)
from oslo_incubator.history.git import run_git
from oslo_incubator.model.debt import (
    Confidence,
    DebtItem,
    DebtReport,
    Deprecation,
    ProjectVersion,
    Removal,
    RemovalStatus,
    SkippedFile,
    Use,
    UseKind,
)
from oslo_incubator.model.errors import GitError, NotAProjectError, OsloIncubatorError
from oslo_incubator.workspace.files import project_python_files

Progress = Callable[[str, int, int], None]

# Directories that hold no project source of their own (tool caches, build output).

# Up to this many deprecated names, files are pre-filtered with substring tests.
_FEW_WORDS = 32

# Where a project's version is declared, in the order they are tried.
_VERSION_FILES: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("setup.cfg", version_from_setup_cfg),
    ("pyproject.toml", version_from_pyproject),
    ("PKG-INFO", version_from_pkg_info),
)


def scan_debt(
    projects: Sequence[Path],
    release: str | None = None,
    progress: Progress | None = None,
) -> DebtReport:
    """Scan ``projects`` together for deprecations, their uses, and overdue removals.

    Args:
        projects: project root directories. A use in one project of a name another
            project deprecates is found (that is the point of scanning them together).
        release: the OpenStack release series the projects are in (``'mitaka'``,
            ``'M'``, ``'2023.1'``), for release-named removal versions when a project's
            version does not name its series.
        progress: called with (project name, files done, files in all) while parsing.

    Returns:
        The report; items in project order, then by file and line.

    Raises:
        NotAProjectError: a path is not a directory, or has no Python files.
        OsloIncubatorError: ``release`` names no release series.
    """
    chosen = _release(release)
    sources = [
        _read_project(path, name) for path, name in zip(projects, _names(projects), strict=True)
    ]
    located: list[tuple[_File, Deprecation]] = []
    outlines: list[ModuleOutline] = []
    skipped: list[SkippedFile] = []
    for source in sources:
        for done, file in enumerate(source.files, start=1):
            tree = _parse(file, skipped)
            if tree is not None:
                outlines.append(outline_module(tree, file.module, file.is_package))
                if may_declare(file.text):
                    located += [
                        (file, d)
                        for d in find_deprecations(tree, file.module, file.is_package, file.walrus)
                    ]
            if progress is not None:
                progress(source.name, done, len(source.files))
    deprecations = [d for _, d in located]
    index = DeprecationIndex(deprecations, outlines)
    found = _find_uses(sources, index, {(s.project, s.path) for s in skipped})
    versions = {s.name: _project_version(s) for s in sources}
    items = []
    for number, (file, dep) in enumerate(located):
        version = versions[file.project]
        if dep.removal_problem is not None:
            removal = Removal(RemovalStatus.UNKNOWN, dep.removal_problem)
        else:
            removal = Removal(*assess_removal(dep.removal_version, version.version, chosen))
        certain = tuple(u for u in found.get(number, ()) if u.confidence is Confidence.CERTAIN)
        possible = tuple(u for u in found.get(number, ()) if u.confidence is Confidence.POSSIBLE)
        items.append(DebtItem(file.project, file.path, dep, removal, certain, possible))
    return DebtReport(
        projects=tuple(versions[s.name] for s in sources),
        items=tuple(items),
        files_scanned=sum(len(s.files) for s in sources),
        skipped=tuple(skipped),
        release=chosen.name if chosen else None,
    )


def discover_version(project: Path) -> tuple[str | None, str | None]:
    """The version of ``project`` and where it was found.

    Tried in order: ``setup.cfg`` ``[metadata] version``, ``pyproject.toml``
    ``[project] version``, ``PKG-INFO`` ``Version:``, then the latest tag reachable
    from HEAD (``git describe --tags --abbrev=0``, one git process). ``(None, None)``
    when none of them gives one.
    """
    for name, parse in _VERSION_FILES:
        path = project / name
        if path.is_file():
            version = parse(path.read_text(encoding="utf-8", errors="replace"))
            if version:
                return version, name
    try:
        tag = run_git(project, "describe", "--tags", "--abbrev=0").decode("utf-8", "replace")
    except GitError:
        return None, None  # not a git repository, or no tag yet
    return (version_from_tag(tag), "git tag") if tag.strip() else (None, None)


# Private


@dataclass(frozen=True)
class _File:
    project: str
    path: str  # relative to the project root, with "/"
    module: str
    is_package: bool
    data: bytes
    text: str

    @property
    def walrus(self) -> bool:
        """Whether the text may hold an assignment expression."""
        return ":=" in self.text


@dataclass(frozen=True)
class _Project:
    name: str
    root: Path
    files: tuple[_File, ...]


def _release(value: str | None) -> Release | None:
    if value is None:
        return None
    release = parse_release(value)
    if release is None:
        raise OsloIncubatorError(f"release {value!r} is not a release letter, name or series")
    return release


def _names(projects: Sequence[Path]) -> list[str]:
    """Project names: the directory names, or the paths where two directory names clash."""
    names = [path.resolve().name or str(path) for path in projects]
    return [n if names.count(n) == 1 else str(p) for n, p in zip(names, projects, strict=True)]


def _read_project(root: Path, name: str) -> _Project:
    if not root.exists():
        raise NotAProjectError("no such project directory", root)
    if not root.is_dir():
        raise NotAProjectError("not a project directory (it is a file)", root)
    paths = list(project_python_files(root))
    if not paths:
        raise NotAProjectError("not a project directory: it has no Python files", root)
    packages = {p.rpartition("/")[0] for p in paths if p.endswith("/__init__.py")}
    files = []
    for path in paths:
        module, is_package = module_for_path(path, packages)
        data = (root / path).read_bytes()
        files.append(_File(name, path, module or name, is_package, data, decode(data)))
    return _Project(name, root, tuple(files))


def _parse(file: _File, skipped: list[SkippedFile]) -> ast.Module | None:
    try:
        return parse_python(file.data, file.path)
    except SyntaxError as exc:
        skipped.append(SkippedFile(file.project, file.path, exc.lineno, exc.msg))
    except ValueError as exc:  # null bytes, or an encoding the coding cookie cannot decode
        skipped.append(SkippedFile(file.project, file.path, None, str(exc)))
    return None


def _find_uses(
    sources: Sequence[_Project], index: DeprecationIndex, unparsed: set[tuple[str, str]]
) -> dict[int, list[Use]]:
    """Uses of each deprecation (by its position in ``index``), certain and possible."""
    found: dict[int, list[Use]] = {}
    interest = index.interest()
    if not interest.words:
        return found
    mentions = _mention_test(interest.words)
    text_words = index.words()
    for source in sources:
        for file in source.files:
            if not mentions(file.text):
                continue
            references: list[Reference]
            if (file.project, file.path) in unparsed:
                references = [
                    Reference(None, word, line, UseKind.TEXT, file.module)
                    for word, line in find_mentions(file.text, text_words)
                ]
            else:
                tree = parse_python(file.data, file.path)
                references = find_references(
                    tree, file.module, file.is_package, interest, file.walrus
                )
            for ref in references:
                for match in index.match(ref):
                    use = Use(
                        file.project, file.path, ref.line, match.kind, ref.scope, match.confidence
                    )
                    found.setdefault(match.index, []).append(use)
    return found


def _mention_test(words: frozenset[str]) -> Callable[[str], bool]:
    """A fast test of whether a text mentions any of ``words`` (a pre-filter only: the
    reference scan decides). Substring tests beat a regex alternation for a few words;
    one regex scan wins when there are many."""
    if len(words) <= _FEW_WORDS:
        ordered = sorted(words)
        return lambda text: any(word in text for word in ordered)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return lambda text: pattern.search(text) is not None


def _project_version(project: _Project) -> ProjectVersion:
    version, source = discover_version(project.root)
    release = release_of_version(version) if version else None
    return ProjectVersion(
        project.name, str(project.root), version, source, release.name if release else None
    )
