"""Graduation run: a new library with the modules' history, and shims left behind.

Public use cases: :func:`prepare_graduation` decides everything (which files, their
history paths, the rewritten code, the requirements, the incubator dependencies) and
writes nothing; :func:`graduate` prepares, refuses when the library would still import
incubator modules (unless allowed), then writes the library and the incubator's shim
commit.

How the library is made:

1. **History.** :func:`oslo_incubator.history.extract.extract_history` copies the
   commits that touched any path any of the library's files ever had (the history
   index follows renames), mapped to the file's place in the package. The incubator
   is only read.
2. **Code.** A commit on top rewrites imports with
   :func:`oslo_incubator.analysis.moves.move_modules` (``openstack.common.foo`` →
   ``oslo_foo.foo``, the tests' ``tests.unit.x`` → ``oslo_foo.tests.x``) and adds the
   packages' missing ``__init__.py``.
3. **Packaging.** A second commit adds the pbr files of
   :func:`oslo_incubator.analysis.packaging.library_files`.
4. **Shims.** One incubator commit, on a new branch built with git plumbing (no
   checkout is touched) or on the current branch with ``in_place``, replaces each
   graduated file by a shim and records the graduation in MAINTAINERS and
   ``obsolete.txt``.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import libcst as cst
import networkx as nx

from oslo_incubator.analysis.imports import (
    dotted_module_of,
    expand_from_import,
    find_imports,
    innermost_module,
)
from oslo_incubator.analysis.moves import MoveOutcome, move_modules, move_modules_text
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.packaging import (
    LibraryMetadata,
    add_requirement,
    incubator_metadata,
    leading_comments,
    library_files,
    package_name,
    public_names,
    record_in_maintainers,
    record_in_obsolete_list,
    shim_text,
)
from oslo_incubator.graph.incubator import incubator_graph, known_modules
from oslo_incubator.graph.modules import (
    ExternalImport,
    TestFile,
    merge_third_party,
    requirements_of,
    strong_closure,
    third_party,
)
from oslo_incubator.history.extract import extract_history
from oslo_incubator.history.git import git_text, list_tree, read_blobs, run_git
from oslo_incubator.history.index import HistoryIndex, build_index
from oslo_incubator.history.master import MasterTree, read_master
from oslo_incubator.model.errors import (
    ConfigError,
    DirtyTreeError,
    GitError,
    IncubatorDependencyError,
)
from oslo_incubator.model.graduate import (
    FileRole,
    GraduateOptions,
    GraduationResult,
    HistorySummary,
    IncubatorDependency,
    LeftOutTest,
    LibraryFile,
    ShimOutcome,
)
from oslo_incubator.model.plan import DependencyKind
from oslo_incubator.workspace.cache import Cache

TESTS_ROOT = "tests"
#: Incubator test folders whose files land directly in ``<package>/tests``.
TEST_PREFIXES = ("tests/unit/", "tests/")
MAINTAINERS = "MAINTAINERS"
OBSOLETE_LIST = "obsolete.txt"
REQUIREMENTS = "requirements.txt"

__all__ = [
    "PreparedGraduation",
    "default_branch",
    "graduate",
    "package_name",
    "prepare_graduation",
]


@dataclass(frozen=True)
class PreparedGraduation:
    """Everything :func:`graduate` will write, decided without writing.

    ``texts`` are the library files' final texts (path → text), ``__init__.py`` files
    added included; ``shims`` the incubator files of the shim commit (path → text,
    ``None`` for a file the commit removes).
    """

    result: GraduationResult
    texts: Mapping[str, str]
    packaging: Mapping[str, str]
    shims: Mapping[str, str | None]


def prepare_graduation(
    incubator: Path, options: GraduateOptions, cache: Cache | None = None
) -> PreparedGraduation:
    """Decide what graduating ``options.modules`` writes; write nothing.

    Args:
        incubator: the incubator's git repository (work tree or bare); HEAD is read.
        options: the library, modules and flags.
        cache: keeps the incubator's import analysis between runs.

    Returns:
        The result (its ``dependencies`` are the incubator modules the library would
        still import), the library's texts, its packaging files and the shims.

    Raises:
        GitError: ``incubator`` is not a git repository.
        ConfigError: an unknown module, a bad package name, or two files that would
            land on one library path.
    """
    _check_package(options.package, incubator)
    root = options.package_root.strip("/")
    root_module = root.replace("/", ".")
    master = read_master(incubator, root)
    graph, tests = incubator_graph(master, root, cache)
    requested = known_modules(graph, options.modules, root, incubator)
    if not requested:
        raise ConfigError("name at least one module to graduate", incubator)
    closure = strong_closure(graph, requested)
    modules = tuple(sorted(closure)) if options.with_closure else requested
    needed = tuple(sorted(closure - set(modules)))
    chosen_tests, left_out = _choose_tests(tests, modules, options.allow_incubator_deps)
    helpers = _test_helpers(chosen_tests, master.tests)
    module_index = build_index(incubator, root, master.head)
    test_index = build_index(incubator, TESTS_ROOT, master.head)

    files: list[LibraryFile] = []
    for module in modules:
        for path in graph.nodes[module]["files"]:
            target = f"{options.package}/{path[len(root) + 1 :]}"
            files.append(
                LibraryFile(target, path, FileRole.MODULE, module, _history(module_index, path))
            )
    for role, paths in (
        (FileRole.TEST, [t.path for t in chosen_tests]),
        (FileRole.HELPER, helpers),
    ):
        for path in paths:
            target = f"{options.package}/tests/{_test_relative(path)}"
            files.append(LibraryFile(target, path, role, None, _history(test_index, path)))
    files = _with_earlier_paths(incubator, master.head, files)
    _check_collisions(files, incubator)

    module_moves = _moves(graph, modules, (), options.package, root_module)
    test_moves = _moves(graph, modules, files, options.package, root_module)
    texts: dict[str, str] = {}
    dependencies: list[IncubatorDependency] = []
    warnings: list[str] = []
    rewritten: list[LibraryFile] = []
    for item in files:
        source = master.modules.get(item.source) or master.tests.get(item.source, "")
        dotted, is_package = dotted_module_of(item.source)
        moves = module_moves if item.role is FileRole.MODULE else test_moves
        outcome, warning = _move(source, moves, dotted, is_package, [root_module], item.source)
        if warning:
            warnings.append(warning)
        texts[item.path] = outcome.text
        rewritten.append(replace(item, moved=outcome.moved))
        dependencies += [
            IncubatorDependency(item.path, r.line, r.module) for r in outcome.leftovers
        ]
    for init in _missing_inits(texts, options.package):
        texts[init] = ""

    runtime = requirements_of(graph, modules)
    runtime_names = {r.distribution.lower() for r in runtime}
    test_imports = _test_imports(chosen_tests, helpers, master.tests)
    test_reqs, test_unmapped = third_party(test_imports, master.requirements)
    test_only = tuple(r for r in test_reqs if r.distribution.lower() not in runtime_names)
    unmapped = sorted(
        {n for m in modules for n in graph.nodes[m]["unmapped"]} | set(test_unmapped)
    )
    requirements = tuple(r.requirement for r in merge_third_party([runtime]))
    test_requirements = tuple(r.requirement for r in test_only)
    if unmapped:
        warnings.append(
            f"imported names no requirements file explains (left out): {', '.join(unmapped)}"
        )
    for test in left_out:
        warnings.append(
            f"{test.path} is left out: it imports {', '.join(test.needs)}, which stay(s) "
            "in the incubator"
        )

    setup_cfg = read_blobs(incubator, [f"{master.head}:setup.cfg"]).get(f"{master.head}:setup.cfg")
    inherited = incubator_metadata(decode(setup_cfg) if setup_cfg else None)
    meta = LibraryMetadata(
        name=options.library,
        package=options.package,
        summary=options.summary
        or f"The {', '.join(modules)} module{'s' if len(modules) > 1 else ''} of the "
        "incubator, as a library",
        author=str(inherited.get("author", options.identity.name)),
        author_email=str(inherited.get("author_email", options.identity.email)),
        home_page=str(inherited.get("home_page", f"https://pypi.org/project/{options.library}")),
        classifiers=tuple(inherited.get("classifiers", ())),
        license=str(inherited.get("license", "")),
        modules=modules,
        requirements=requirements,
        test_requirements=test_requirements,
        source=f"the incubator at commit {master.head[:12]}",
    )
    packaging = library_files(meta)

    shims: dict[str, str | None] = {}
    if options.shims:
        moved_tests = [f.source for f in files if f.role is FileRole.TEST]
        shims = _shim_files(incubator, master, graph, modules, options, moved_tests, warnings)
    result = GraduationResult(
        library=options.library,
        package=options.package,
        incubator=str(incubator),
        head=master.head,
        dest=str(options.dest),
        requested=requested,
        modules=modules,
        needed=needed,
        files=tuple(rewritten),
        packaging=tuple(sorted(packaging)),
        requirements=requirements,
        test_requirements=test_requirements,
        unmapped=tuple(unmapped),
        dependencies=tuple(sorted(dependencies, key=lambda d: (d.path, d.line, d.module))),
        allowed=options.allow_incubator_deps,
        left_out_tests=left_out,
        warnings=tuple(warnings),
    )
    return PreparedGraduation(result, texts, packaging, shims)


def graduate(
    incubator: Path, options: GraduateOptions, cache: Cache | None = None
) -> GraduationResult:
    """Make the library at ``options.dest`` and leave shims in the incubator.

    Everything is checked before anything is written: the destination is empty, the
    shim branch is new (or, in place, the work tree is clean), and the library would
    import no incubator module that stays behind (unless
    ``options.allow_incubator_deps``; then those are warnings). If writing the library
    fails, the destination is removed again.

    Raises:
        IncubatorDependencyError: the library would still import incubator modules.
        DirtyTreeError: ``in_place`` with uncommitted changes in the incubator.
        ConfigError: as :func:`prepare_graduation`; a destination that is not empty;
            a shim branch that exists.
        GitError: git failed.
    """
    dest = options.dest
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError("the destination exists and is not an empty directory", dest)
    branch = options.branch or default_branch(options.library)
    if options.shims:
        _check_shim_target(incubator, branch, options.in_place)
    prepared = prepare_graduation(incubator, options, cache)
    result = prepared.result
    if result.dependencies and not options.allow_incubator_deps:
        raise _dependency_error(result, dest)
    root = options.package_root.strip("/")
    with _removed_on_failure(dest):
        started = time.perf_counter()
        paths = sorted({p for f in result.files for p in f.history})
        target = {p: f.path for f in result.files for p in f.history}
        extracted = extract_history(incubator, dest, paths, target.get, result.head)
        seconds = time.perf_counter() - started
        env = options.identity.git_env()
        code = _commit_files(dest, prepared.texts, _code_message(result, root), env)
        packaging = _commit_files(dest, prepared.packaging, _packaging_message(result), env)
    history = HistorySummary(extracted.commits, extracted.dropped, extracted.head, len(paths),
                             seconds)  # fmt: skip
    shim = None
    if options.shims:
        shim = _commit_shims(incubator, result, prepared.shims, branch, options, packaging)
    return replace(
        result, history=history, code_commit=code, packaging_commit=packaging, shim=shim
    )


def default_branch(library: str) -> str:
    """The incubator branch the shims go on unless told: ``graduate-<library>``."""
    return f"graduate-{library}"


# Private


def _check_package(package: str, where: Path) -> None:
    if not package or not all(part.isidentifier() for part in package.split(".")):
        raise ConfigError(f"{package!r} is not a Python package name", where)


def _choose_tests(
    tests: Sequence[TestFile], modules: Sequence[str], allow_deps: bool
) -> tuple[list[TestFile], tuple[LeftOutTest, ...]]:
    """The master tests that go with the library: test files (``test_*.py``) whose
    incubator imports are all graduating; with ``allow_deps`` also those named for a
    graduating module. The others named for one are left out, and said so."""
    chosen_set = set(modules)
    chosen: list[TestFile] = []
    left_out: list[LeftOutTest] = []
    for test in tests:
        if not PurePosixPath(test.path).name.startswith("test_") or not test.modules:
            continue
        imported = set(test.modules)
        named = _named_for(test, chosen_set)
        if imported <= chosen_set or (named and allow_deps):
            chosen.append(test)
        elif named:
            left_out.append(LeftOutTest(test.path, tuple(sorted(imported - chosen_set))))
    return chosen, tuple(left_out)


def _named_for(test: TestFile, modules: set[str]) -> bool:
    """Whether a test file is named for one of ``modules`` it imports (``test_log.py``
    for ``log``, ``test_gettext.py`` for ``gettextutils``, ``db/sqlalchemy/test_x.py``
    for ``db.sqlalchemy``)."""
    parts = test.path[:-3].split("/")
    stem = parts[-1].removeprefix("test_")
    imported = set(test.modules) & modules
    if stem in imported or any(stem and m.startswith(stem) for m in imported):
        return True
    folders = [p for p in parts[:-1] if p not in ("tests", "unit")]
    return any(".".join(folders[i:]) in imported for i in range(len(folders)))


def _test_helpers(tests: Sequence[TestFile], texts: Mapping[str, str]) -> list[str]:
    """Other files under ``tests/`` that the chosen tests need, transitively: those they
    import, and those a string names (``import_object('tests.unit.fake.FakeDriver')``),
    helper packages' ``__init__.py`` included. The ``__init__.py`` of ``tests`` and
    ``tests/unit`` are left out: the library's ``tests`` package gets its own."""
    by_dotted = {dotted_module_of(p)[0]: p for p in texts}
    roots = {f"{TESTS_ROOT}/__init__.py", *(f"{p}__init__.py" for p in TEST_PREFIXES)}
    seen: set[str] = {t.path for t in tests}
    todo = [t.path for t in tests]
    helpers: list[str] = []
    while todo:
        path = todo.pop()
        dotted, is_package = dotted_module_of(path)
        for site in find_imports(texts.get(path, ""), dotted, is_package, [TESTS_ROOT]):
            names = expand_from_import(site) if site.names else [site.module]
            for name in names:
                # A module, or a name inside one (a string naming a class).
                inner = innermost_module(name, by_dotted) if name.startswith(TESTS_ROOT) else None
                found = by_dotted.get(inner) if inner else None
                if found is None or found in seen or found in roots:
                    continue
                seen.add(found)
                helpers.append(found)
                todo.append(found)
    return sorted(helpers)


def _test_imports(
    tests: Sequence[TestFile], helpers: Sequence[str], texts: Mapping[str, str]
) -> list[ExternalImport]:
    imports = [imp for t in tests for imp in t.external]
    for path in helpers:
        dotted, is_package = dotted_module_of(path)
        local = {TESTS_ROOT, "openstack"}
        for site in find_imports(texts.get(path, ""), dotted, is_package):
            if site.module and site.module.split(".")[0] not in local:
                imports.append(
                    ExternalImport(site.module, DependencyKind(site.kind.value), path, site.line)
                )
    return imports


def _test_relative(path: str) -> str:
    for prefix in TEST_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _history(index: HistoryIndex, path: str) -> tuple[str, ...]:
    lineage = index.lineage(path)
    if lineage is None:
        return (path,)
    return tuple(sorted({v.path for v in index.versions_of(lineage)} | {path}))


def _with_earlier_paths(
    incubator: Path, head: str, files: Sequence[LibraryFile]
) -> list[LibraryFile]:
    """Add the paths a file had before it entered the folders the history index follows
    (``common/utils.py`` → ``openstack/common/utils.py`` in 2011): renames git detects
    anywhere in the tree, followed back from any path the file had. One ``git log``."""
    out = git_text(incubator, "log", "-M", "--diff-filter=R", "--name-status", "-z",
                   "--format=", head)  # fmt: skip
    fields = [f for f in out.split("\0") if f.strip()]
    earlier: dict[str, set[str]] = {}
    for index, status in enumerate(fields[:-2]):
        old, new = fields[index + 1], fields[index + 2]
        # Empty files "rename" into any other empty file: a package's __init__.py is
        # not followed this way, and a move must keep the file's name.
        if (
            status.startswith("R")
            and status[1:].isdigit()
            and PurePosixPath(old).name == PurePosixPath(new).name != "__init__.py"
        ):
            earlier.setdefault(new, set()).add(old)
    result = []
    for item in files:
        paths = set(item.history)
        todo = list(paths)
        while todo:
            for old in earlier.get(todo.pop(), ()):
                if old not in paths:
                    paths.add(old)
                    todo.append(old)
        result.append(replace(item, history=tuple(sorted(paths))))
    return result


def _check_collisions(files: Sequence[LibraryFile], incubator: Path) -> None:
    owner: dict[str, str] = {}
    for item in files:
        for path in (item.path,):
            if path in owner and owner[path] != item.source:
                raise ConfigError(
                    f"{owner[path]} and {item.source} would both become {path}", incubator
                )
            owner[path] = item.source
    claimed: dict[str, str] = {}
    for item in files:
        for old in item.history:
            if claimed.get(old, item.path) != item.path:
                raise ConfigError(
                    f"{old} is in the history of both {claimed[old]} and {item.path}", incubator
                )
            claimed[old] = item.path


def _moves(
    graph: nx.DiGraph,
    modules: Sequence[str],
    files: Iterable[LibraryFile],
    package: str,
    root_module: str,
) -> dict[str, str]:
    moves = {f"{root_module}.{m}": f"{package}.{m}" for m in modules}
    # A package module graduating without its subpackages must not take them along.
    for other in graph:
        if other not in modules and any(other.startswith(m + ".") for m in modules):
            moves[f"{root_module}.{other}"] = f"{root_module}.{other}"
    # The tests' own namespaces move as a whole, strings naming them included
    # (``import_object_ns('tests.unit', ...)``), as the files do: tests/unit/x →
    # <package>/tests/x, tests/x → <package>/tests/x. Not "tests" itself: a bare
    # 'tests' string is more often a folder name than a module.
    for item in files:
        if item.role is not FileRole.MODULE:
            parts = item.source.split("/")
            if parts[1] == "unit" and len(parts) > 2:
                moves[f"{TESTS_ROOT}.unit"] = f"{package}.tests"
            else:
                top = parts[1].removesuffix(".py")
                moves[f"{TESTS_ROOT}.{top}"] = f"{package}.tests.{top}"
    return moves


def _move(
    text: str,
    moves: Mapping[str, str],
    dotted: str,
    is_package: bool,
    watch: Sequence[str],
    path: str,
) -> tuple[MoveOutcome, str | None]:
    try:
        return move_modules(text, moves, dotted, is_package, watch), None
    except (cst.ParserSyntaxError, RecursionError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        outcome = move_modules_text(text, moves, dotted, is_package, watch)
        warning = (
            f"{path}: libcst cannot parse it ({reason}); imports moved with regular expressions"
        )
        return outcome, warning


def _missing_inits(texts: Mapping[str, str], package: str) -> list[str]:
    folders = {package}
    for path in texts:
        parent = PurePosixPath(path).parent
        while str(parent) not in (".", "") and str(parent) != package:
            folders.add(str(parent))
            parent = parent.parent
    folders.add(f"{package}/tests")
    return sorted(f"{f}/__init__.py" for f in folders if f"{f}/__init__.py" not in texts)


def _dependency_error(result: GraduationResult, dest: Path) -> IncubatorDependencyError:
    first, *rest = result.dependencies
    needed = sorted({d.module for d in result.dependencies})
    lines = [
        f"still imports {first.module}, which stays in the incubator "
        f"({len(result.dependencies)} reference(s) to {len(needed)} module(s)); graduate "
        "them first or with it (--with-closure), or pass --allow-incubator-deps"
    ]
    lines += [f"  {dest / d.path}:{d.line}: {d.module}" for d in rest]
    return IncubatorDependencyError("\n".join(lines), dest / first.path, first.line)


@contextlib.contextmanager
def _removed_on_failure(dest: Path) -> Iterator[None]:
    existed = dest.exists()
    try:
        yield
    except BaseException:
        if existed:
            for child in dest.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        else:
            shutil.rmtree(dest, ignore_errors=True)
        raise


def _commit_files(
    repo: Path, texts: Mapping[str, str], message: str, env: Mapping[str, str]
) -> str | None:
    for rel, text in texts.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", errors="surrogateescape")
    run_git(repo, "add", "--", *texts)
    if not run_git(repo, "diff", "--cached", "--name-only").strip():
        return None
    run_git(repo, "commit", "-q", "--no-verify", "-F", "-", input=message.encode(), env=dict(env))
    return git_text(repo, "rev-parse", "HEAD").strip()


def _code_message(result: GraduationResult, root: str) -> str:
    modules = ", ".join(result.modules)
    root_module = root.replace("/", ".")
    return (
        f"Move {modules} into the {result.package} package\n\n"
        f"Imports of {root_module}.<module> now name {result.package}.<module>, in the\n"
        f"library's code and in its tests (moved to {result.package}/tests).\n\n"
        f"Graduated from the incubator at {result.head[:12]} by oslo-incubator graduate run.\n"
    )


def _packaging_message(result: GraduationResult) -> str:
    return (
        f"Add pbr packaging for {result.library}\n\n"
        "setup.cfg, setup.py, requirements.txt (what the modules import, with the\n"
        "incubator's specifiers), test-requirements.txt, README.rst, tox.ini, the\n"
        "doc/source skeleton and .gitignore.\n"
    )


def _check_shim_target(incubator: Path, branch: str, in_place: bool) -> None:
    if in_place:
        try:
            status = git_text(incubator, "status", "--porcelain", "--untracked-files=no")
        except GitError:
            raise ConfigError("--in-place needs a work tree of the incubator", incubator) from None
        dirty = [line[3:] for line in status.splitlines() if len(line) > 3]
        if dirty:
            raise DirtyTreeError(
                f"--in-place needs a clean work tree; {len(dirty)} file(s) have uncommitted "
                f"changes ({', '.join(dirty[:3])}{', ...' if len(dirty) > 3 else ''})",
                incubator / dirty[0],
            )
        return
    try:
        run_git(incubator, "check-ref-format", "--branch", branch)
    except GitError:
        raise ConfigError(f"{branch!r} is not a valid branch name", incubator) from None
    with contextlib.suppress(GitError):
        run_git(incubator, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
        raise ConfigError(
            f"branch {branch!r} exists already; name another with --branch", incubator
        )


def _shim_files(
    incubator: Path,
    master: MasterTree,
    graph: nx.DiGraph,
    modules: Sequence[str],
    options: GraduateOptions,
    moved_tests: Sequence[str],
    warnings: list[str],
) -> dict[str, str | None]:
    """The incubator files of the shim commit, path → new text (``None``: removed).

    Each graduated file becomes a shim. The incubator's other modules and tests that
    import a graduated module now import the library instead (as the incubator did
    after each real graduation), so they do not go through the shims and warn, and a
    consumer's copy of them that a migration rewrote equals master again; the library
    joins ``requirements.txt`` then. The tests that moved to the library are removed.
    MAINTAINERS and ``obsolete.txt`` record the graduation.
    """
    root = options.package_root.strip("/")
    root_module = root.replace("/", ".")
    paths = [p for m in modules for p in graph.nodes[m]["files"]]
    files: dict[str, str | None] = {}
    for path in paths:
        text = master.modules.get(path, "")
        dotted, _ = dotted_module_of(path)
        new = options.package + dotted[len(root_module) :]
        files[path] = shim_text(
            dotted,
            new,
            options.library,
            public_names(text),
            header=leading_comments(text),
            version=options.deprecated_in,
            removal_version=options.removal_version,
        )
    moves = _moves(graph, modules, (), options.package, root_module)
    staying = {**master.modules, **master.tests}
    for path in sorted(set(staying) - set(paths) - set(moved_tests)):
        if not any(m.split(".")[0] in staying[path] for m in modules):
            continue  # cannot name a graduated module: not worth parsing
        dotted, is_package = dotted_module_of(path)
        outcome, warning = _move(staying[path], moves, dotted, is_package, (), path)
        if outcome.text != staying[path]:
            files[path] = outcome.text
            if warning:
                warnings.append(warning)
    rewritten = [p for p in files if p not in paths]
    for path in moved_tests:
        files[path] = None
    head = master.head
    records = read_blobs(
        incubator, [f"{head}:{MAINTAINERS}", f"{head}:{OBSOLETE_LIST}", f"{head}:{REQUIREMENTS}"]
    )
    maintainers = records.get(f"{head}:{MAINTAINERS}")
    obsolete = records.get(f"{head}:{OBSOLETE_LIST}")
    requirements = records.get(f"{head}:{REQUIREMENTS}")
    if rewritten:
        text, changed = add_requirement(
            decode(requirements) if requirements is not None else None, options.library
        )
        if changed:
            files[REQUIREMENTS] = text
    all_files = [p[len(root) + 1 :] for p in list_tree(incubator, head, [root])]
    graduated = {m: [p[len(root) + 1 :] for p in graph.nodes[m]["files"]] for m in modules}
    files[MAINTAINERS] = record_in_maintainers(
        decode(maintainers) if maintainers is not None else None,
        graduated,
        all_files,
        options.library,
    )
    files[OBSOLETE_LIST] = record_in_obsolete_list(
        decode(obsolete) if obsolete is not None else None, paths, options.library
    )
    return files


def _shim_message(result: GraduationResult, library_head: str | None) -> str:
    modules = ", ".join(result.modules)
    at = f" (library commit {library_head[:12]})" if library_head else ""
    return (
        f"Graduate {modules} to {result.library}\n\n"
        f"The code now lives in the {result.library} library, package {result.package}{at}.\n"
        "Each graduated file is left as a shim that re-exports the library's names and\n"
        "warns on import; the incubator's own modules and tests that imported them now\n"
        "import the library, and the tests that moved to the library are removed.\n"
        "MAINTAINERS and obsolete.txt record the graduation, so drift and sync report\n"
        f"these modules' life cycle as obsolete, replaced by {result.library}.\n"
    )


def _commit_shims(
    incubator: Path,
    result: GraduationResult,
    files: Mapping[str, str | None],
    branch: str,
    options: GraduateOptions,
    library_head: str | None,
) -> ShimOutcome:
    """Build the shim commit with plumbing (a private index file), so no checkout and no
    index of the incubator is touched; then point the branch at it, or fast-forward the
    current branch for ``in_place``."""
    modes = _modes(incubator, result.head, files)
    message = _shim_message(result, library_head)
    with tempfile.TemporaryDirectory(prefix="oslo-incubator-shim-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        run_git(incubator, "read-tree", result.head, env=env)
        entries = []
        for path, text in files.items():
            if text is None:
                entries.append(f"0 {'0' * 40}\t{path}\n")  # mode 0: drop the entry
                continue
            data = text.encode("utf-8", "surrogateescape")
            blob = run_git(incubator, "hash-object", "-w", "--stdin", input=data).decode().strip()
            entries.append(f"{modes.get(path, '100644')} {blob}\t{path}\n")
        run_git(
            incubator, "update-index", "--index-info", input="".join(entries).encode(), env=env
        )
        tree = run_git(incubator, "write-tree", env=env).decode().strip()
    commit = (
        run_git(
            incubator,
            "commit-tree",
            tree,
            "-p",
            result.head,
            input=message.encode(),
            env=options.identity.git_env(),
        )
        .decode()
        .strip()
    )
    graduated = {f.source for f in result.files if f.role is FileRole.MODULE}
    records = (MAINTAINERS, OBSOLETE_LIST, REQUIREMENTS)
    rewritten = tuple(
        p for p, t in files.items() if t is not None and p not in graduated and p not in records
    )
    removed = tuple(p for p, t in files.items() if t is None)
    if options.in_place:
        run_git(incubator, "merge", "--ff-only", "-q", commit)
    else:
        run_git(incubator, "update-ref", f"refs/heads/{branch}", commit, "0" * 40)
    return ShimOutcome(
        None if options.in_place else branch,
        commit,
        tuple(files),
        options.in_place,
        tuple(sorted(graduated)),
        rewritten,
        removed,
    )


def _modes(incubator: Path, head: str, files: Iterable[str]) -> dict[str, str]:
    out = git_text(incubator, "ls-tree", "-z", "--full-tree", head, "--", *files)
    modes = {}
    for entry in out.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            modes[path] = meta.split()[0]
    return modes
