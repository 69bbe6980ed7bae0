"""Deprecation debt: what is deprecated across projects, who still uses it, and which
removals are overdue.

Public use case: :func:`scan_debt`. Statically only: scanned code is read and parsed,
never imported. Each project's files are parsed once to find declarations and class
outlines; then only the files whose text mentions a deprecated name are parsed again
for references, so a large tree with little debt is scanned at the cost of one parse.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from oslo_incubator.analysis.deprecations import (
    DeprecationIndex,
    ModuleOutline,
    Reference,
    Signature,
    describe_module,
    find_mentions,
    find_references,
    may_declare,
    module_for_path,
)
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.python2 import as_python3
from oslo_incubator.analysis.receivers import ClassFacts, freeze
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
from oslo_incubator.model.codec import from_jsonable, to_jsonable
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
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config
from oslo_incubator.workspace.files import project_python_files

Progress = Callable[[str, int, int], None]

# Directories that hold no project source of their own (tool caches, build output).

# Bump when what is cached per file, or how uses are matched, changes: older entries
# (a whole scan's uses among them) must not be reused.
ANALYSIS_VERSION = "debt/10"

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
    cache: Cache | None = None,
) -> DebtReport:
    """Scan ``projects`` together for deprecations, their uses, and overdue removals.

    Args:
        projects: project root directories. A use in one project of a name another
            project deprecates is found (that is the point of scanning them together).
        release: the OpenStack release series the projects are in (``'mitaka'``,
            ``'M'``, ``'2023.1'``), for release-named removal versions when a project's
            version does not name its series.
        progress: called with (project name, files done, files in all) while parsing.
        cache: keeps what each file declares and states (and its references, per set
            of deprecated names) by content, so an unchanged tree is only read and
            hashed again.

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
    with _collector_paused():
        described = [_describe_project(source, cache, progress) for source in sources]
        for source, facts_of in zip(sources, described, strict=True):
            for file, facts in zip(source.files, facts_of, strict=True):
                if facts.error is not None:
                    line, reason = facts.error
                    skipped.append(SkippedFile(file.project, file.path, line, reason))
                    continue
                located += [(file, d) for d in facts.deprecations]
        # Every use depends on every file: a scan of unchanged trees finds them cached
        # under the digest of all the files' keys, and reads no file's facts.
        everything = hashlib.sha1(
            "\0".join(f"{f.project}/{f.path}:{f.key}" for s in sources for f in s.files).encode()
        ).hexdigest()
        found = _cached_uses(cache, everything, sources)
        if found is None:
            outlines = [
                facts.outline
                for source, facts_of in zip(sources, described, strict=True)
                for facts in _outlines(source, facts_of, cache)
                if facts.outline is not None
            ]
            deprecations = [d for _, d in located]
            index = DeprecationIndex(deprecations, outlines)
            found = _find_uses(sources, index, {(s.project, s.path) for s in skipped}, cache)
            if cache is not None:
                cache.put("debt-uses", everything, _uses_json(found))
    versions = {s.name: _project_version(s) for s in sources}
    series_of = {s.name: load_project_config(s.root).release_series for s in sources}
    items = []
    for number, (file, dep) in enumerate(located):
        version = versions[file.project]
        if dep.removal_problem is not None:
            removal = Removal(RemovalStatus.UNKNOWN, dep.removal_problem)
        else:
            series = series_of[file.project]
            removal = Removal(
                *assess_removal(dep.removal_version, version.version, chosen, series)
            )
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

    @functools.cached_property
    def text(self) -> str:
        """The decoded text (only decoded when needed: a warm scan never does)."""
        return decode(self.data)

    @functools.cached_property
    def key(self) -> str:
        """The file's cache key: its content, its module name and the analysis."""
        digest = hashlib.sha1(self.data).hexdigest()
        parts = (ANALYSIS_VERSION, self.module, str(self.is_package), digest)
        return hashlib.sha1("\0".join(parts).encode()).hexdigest()

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
    base = str(root)
    for path in paths:
        module, is_package = module_for_path(path, packages)
        # os.path, not pathlib: a warm scan is mostly this loop over thousands of files.
        with open(os.path.join(base, path), "rb") as stream:
            data = stream.read()
        files.append(_File(name, path, module or name, is_package, data))
    return _Project(name, root, tuple(files))


@dataclass(frozen=True)
class _Facts:
    """What one file declares and states, or why it could not be read (line, reason)."""

    deprecations: tuple[Deprecation, ...] = ()
    outline: ModuleOutline | None = None  # None: in the cache, not read yet
    error: tuple[int | None, str] | None = None


def _describe_project(
    project: _Project, cache: Cache | None, progress: Progress | None
) -> list[_Facts]:
    """What each file of ``project`` declares (or why it does not parse), from the cache
    where its content is known. Facts described afresh carry their outline; cached
    ones leave it to :func:`_outlines`, which reads it only when it is needed."""
    keys = [file.key for file in project.files]
    cached = cache.get_many("debt-declared", keys) if cache is not None else {}
    declared: dict[str, Any] = {}
    outlines: dict[str, Any] = {}
    described = []
    for done, (file, key) in enumerate(zip(project.files, keys, strict=True), start=1):
        if key in cached:
            facts = _declared_from_json(cached[key])
        else:
            facts = _describe(file)
            declared[key] = _declared_json(facts)
            outlines[key] = _outline_json(facts.outline)
        described.append(facts)
        if progress is not None and (done % 50 == 0 or done == len(project.files)):
            progress(project.name, done, len(project.files))
    if cache is not None and declared:
        cache.put_many("debt-declared", declared)
        cache.put_many("debt-outline", outlines)
    return described


def _outlines(project: _Project, described: list[_Facts], cache: Cache | None) -> list[_Facts]:
    """``described`` with the outline of every parsed file, read from the cache for
    those described in an earlier run."""
    wanted = [
        f.key for f, facts in zip(project.files, described, strict=True) if facts.outline is None
    ]
    cached = cache.get_many("debt-outline", wanted) if cache is not None and wanted else {}
    complete = []
    for file, facts in zip(project.files, described, strict=True):
        if facts.outline is None and facts.error is None:
            data = cached.get(file.key)
            outline = _outline_from_json(data) if data is not None else _describe(file).outline
            facts = replace(facts, outline=outline)
        if facts.error is None:
            complete.append(facts)
    return complete


def _cached_uses(
    cache: Cache | None, everything: str, sources: Sequence[_Project]
) -> dict[int, list[Use]] | None:
    data = cache.get("debt-uses", everything) if cache is not None else None
    if data is None:
        return None
    found: dict[int, list[Use]] = {}
    for index, uses in data.items():
        found[int(index)] = [
            Use(project, path, line, UseKind(kind), scope, Confidence(confidence), reason)
            for project, path, line, kind, scope, confidence, reason in uses
        ]
    return found


def _uses_json(found: dict[int, list[Use]]) -> dict[str, Any]:
    return {
        str(index): [
            [u.project, u.path, u.line, u.kind.value, u.scope, u.confidence.value, u.reason]
            for u in uses
        ]
        for index, uses in found.items()
    }


def _describe(file: _File) -> _Facts:
    tree, error = _parse_tree(file)
    if tree is None:
        return _Facts(error=error)
    found, outline = describe_module(
        tree, file.module, file.is_package, file.walrus, may_declare(file.text)
    )
    return _Facts(tuple(found), outline)


def _parse_tree(file: _File) -> tuple[ast.Module | None, tuple[int | None, str] | None]:
    """The file's syntax tree (Python 2 spellings read as their Python 3 equivalents,
    lines unchanged), or the error of the original text."""
    try:
        return parse_python(file.data, file.path), None
    except SyntaxError as exc:
        error: tuple[int | None, str] = (exc.lineno, exc.msg)
    except ValueError as exc:  # null bytes, or an encoding the coding cookie cannot decode
        return None, (None, str(exc))
    try:
        return parse_python(as_python3(file.text), file.path), None
    except (SyntaxError, ValueError):
        return None, error


def _cache_key(file: _File, *more: str) -> str:
    return hashlib.sha1("\0".join((file.key, *more)).encode()).hexdigest() if more else file.key


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the scan keeps every module's facts alive
    while it parses thousands of files, and each full collection would walk them all
    again (it more than doubled a cold scan). The scan makes no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _find_uses(
    sources: Sequence[_Project],
    index: DeprecationIndex,
    unparsed: set[tuple[str, str]],
    cache: Cache | None,
) -> dict[int, list[Use]]:
    """Uses of each deprecation (by its position in ``index``), certain and possible."""
    found: dict[int, list[Use]] = {}
    interest = index.interest()
    if not interest.words:
        return found
    mentions = _mention_test(interest.words)
    text_words = index.words()
    wanted = sorted(interest.words) + ["|"] + sorted(interest.members)
    asked = hashlib.sha1("\0".join(wanted).encode()).hexdigest()
    files = [f for source in sources for f in source.files if mentions(f.text)]
    keys = {id(f): _cache_key(f, asked) for f in files}
    cached = cache.get_many("debt-references", keys.values()) if cache is not None else {}
    fresh: dict[str, Any] = {}
    for file in files:
        references: list[Reference]
        key = keys[id(file)]
        if (file.project, file.path) in unparsed:
            references = [
                Reference(None, word, line, UseKind.TEXT, file.module)
                for word, line in find_mentions(file.text, text_words)
            ]
        elif key in cached:
            references = [_reference_from_json(r) for r in cached[key]]
        else:
            tree = _parse_tree(file)[0]
            assert tree is not None  # it parsed when it was described
            references = find_references(tree, file.module, file.is_package, interest, file.walrus)
            fresh[key] = [_reference_json(r) for r in references]
        for ref in references:
            for match in index.match(ref):
                use = Use(
                    file.project, file.path, ref.line, match.kind, ref.scope,
                    match.confidence, match.reason,
                )  # fmt: skip
                found.setdefault(match.index, []).append(use)
    if cache is not None and fresh:
        cache.put_many("debt-references", fresh)
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


# Private: the JSON shapes of cached facts and references (compact lists, read fast)


def _declared_json(facts: _Facts) -> Any:
    if facts.error is not None:
        return {"error": list(facts.error)}
    return {"deprecations": [to_jsonable(d) for d in facts.deprecations]}


def _declared_from_json(data: Any) -> _Facts:
    if "error" in data:
        line, reason = data["error"]
        return _Facts(error=(line, reason))
    return _Facts(tuple(from_jsonable(Deprecation, d) for d in data["deprecations"]))


def _outline_json(outline: ModuleOutline | None) -> Any:
    if outline is None:
        return None
    return {
        "module": outline.module,
        "aliases": [list(a) for a in outline.aliases],
        "returns": [list(r) for r in outline.returns],
        "variables": [list(v) for v in outline.variables],
        "signatures": [
            [name, sig.required, sig.maximum, list(sig.names), sig.any_keyword]
            for name, sig in outline.signatures
        ],
        "stars": list(outline.stars),
        "classes": [
            [c.name, list(c.bases), sorted(c.members), sorted(c.properties),
             [list(a) for a in c.attributes], c.dynamic, c.unresolved_bases]
            for c in outline.classes
        ],
    }  # fmt: skip


def _outline_from_json(data: Any) -> ModuleOutline:
    classes = tuple(
        ClassFacts(name, tuple(bases), frozenset(members), frozenset(properties),
                   tuple((attr, freeze(term)) for attr, term in attributes), dynamic,
                   unresolved)
        for name, bases, members, properties, attributes, dynamic, unresolved in data["classes"]
    )  # fmt: skip
    return ModuleOutline(
        classes=classes,
        aliases=tuple((name, dotted) for name, dotted in data["aliases"]),
        returns=tuple((name, freeze(term)) for name, term in data["returns"]),
        variables=tuple((name, freeze(term)) for name, term in data["variables"]),
        module=data["module"],
        signatures=tuple(
            (name, Signature(required, maximum, tuple(names), any_keyword))
            for name, required, maximum, names, any_keyword in data["signatures"]
        ),
        stars=tuple(data["stars"]),
    )


def _reference_json(ref: Reference) -> list[Any]:
    return [ref.target, ref.attr, ref.line, ref.kind.value, ref.scope, list(ref.keywords),
            ref.star_kwargs, ref.via_instance, ref.receiver, ref.positional,
            list(ref.receiver_uses)]  # fmt: skip


def _reference_from_json(data: list[Any]) -> Reference:
    target, attr, line, kind, scope, keywords, star, via_instance, receiver, positional, uses = (
        data
    )
    return Reference(target, attr, line, UseKind(kind), scope, tuple(keywords), star,
                     via_instance, freeze(receiver), positional, tuple(uses))  # fmt: skip
