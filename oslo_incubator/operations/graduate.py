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
   packages' missing ``__init__.py``. Clean dependencies: a module that graduated
   already (the incubator's records, or ``options.earlier``) is imported from its
   library; one that has not is imported from ``oslo_foo.openstack.common`` and listed
   as a private copy, for the graduation workflow to sync there.
3. **Packaging.** A second commit adds the pbr files of
   :func:`oslo_incubator.analysis.packaging.library_files`.
4. **Shims.** One incubator commit, on a new branch built with git plumbing (no
   checkout is touched) or on the current branch with ``in_place``, replaces each
   graduated file by a shim and records the graduation in MAINTAINERS and
   ``obsolete.txt``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import networkx as nx

from oslo_incubator.analysis.imports import (
    dotted_module_of,
)
from oslo_incubator.analysis.moves import move_modules_or_text
from oslo_incubator.analysis.normalise import decode
from oslo_incubator.analysis.packaging import (
    LibraryMetadata,
    add_requirement,
    code_commit_message,
    incubator_metadata,
    leading_comments,
    library_files,
    missing_inits,
    package_name,
    packaging_commit_message,
    public_names,
    shim_commit_message,
    shim_text,
)
from oslo_incubator.analysis.records import (
    record_in_maintainers,
    record_in_obsolete_list,
    shim_library,
)
from oslo_incubator.graph.graduation import (
    TESTS_ROOT,
    choose_tests,
    earlier_packages,
    elsewhere_moves,
    graduated_uses,
    library_moves,
    moved_importers,
    names_a_module,
    private_modules,
    references,
    requirement_lines,
    test_helpers,
    test_imports,
    test_needs,
    test_relative,
)
from oslo_incubator.graph.incubator import incubator_graph, known_modules
from oslo_incubator.graph.modules import (
    TestFile,
    requirements_of,
    strong_closure,
    third_party,
)
from oslo_incubator.history.extract import extract_history
from oslo_incubator.history.git import (
    branch_exists,
    check_clean,
    commit_texts,
    commit_tree,
    create_branch,
    fast_forward,
    list_tree,
    read_blobs,
    renames,
    resolve_commit,
    tag_head,
    valid_branch_name,
)
from oslo_incubator.history.incubator import SHIM_MAX_BYTES, open_incubator
from oslo_incubator.history.index import HistoryIndex, build_index
from oslo_incubator.history.master import MasterTree, read_master
from oslo_incubator.model.errors import (
    ConfigError,
    GitError,
    IncubatorDependencyError,
)
from oslo_incubator.model.graduate import (
    DEFAULT_PYTHON_REQUIRES,
    FileRole,
    GraduatedDependency,
    GraduateOptions,
    GraduationResult,
    HistorySummary,
    IncubatorDependency,
    LeftOutTest,
    LibraryFile,
    ShimOutcome,
)
from oslo_incubator.model.packageroot import PackageRoot
from oslo_incubator.workspace.cache import Cache

MAINTAINERS = "MAINTAINERS"
OBSOLETE_LIST = "obsolete.txt"
REQUIREMENTS = "requirements.txt"

__all__ = [
    "PreparedGraduation",
    "check_dependencies",
    "check_targets",
    "commit_library_files",
    "default_branch",
    "graduate",
    "leave_shims",
    "package_name",
    "prepare_graduation",
    "removed_on_failure",
    "tag_library",
    "write_library",
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

    One step each: :func:`_choose` (the modules, tests, helpers, private copies and
    graduated libraries), :func:`_library_files` (the files and their history paths),
    :func:`_rewrite` (the moved code and the incubator dependencies left),
    :func:`_requirements`, :func:`_packaging` and :func:`_shim_files`.

    Args:
        incubator: the incubator's git repository (work tree or bare); HEAD is read.
        options: the library, modules and flags.
        cache: keeps the incubator's import analysis between runs.

    Returns:
        The result (its ``graduated`` are the modules imported from libraries that
        exist already, its ``private`` those to copy privately when
        ``options.private_copies``, its ``dependencies`` the references left to
        incubator modules), the library's texts, its packaging files and the shims.

    Raises:
        GitError: ``incubator`` is not a git repository.
        ConfigError: an unknown module, a bad package name, or two files that would
            land on one library path.
    """
    _check_package(options.package, incubator)
    choice = _choose(incubator, options, cache)
    files, data = _library_files(incubator, choice, options.package)
    code = _rewrite(choice, files, data, options)
    requirements, test_requirements, unmapped = _requirements(choice, options)
    warnings = list(code.warnings)
    if unmapped:
        warnings.append(
            f"imported names no requirements file explains (left out): {', '.join(unmapped)}"
        )
    for test in choice.left_out:
        warnings.append(
            f"{test.path} is left out: it imports {', '.join(test.needs)}, which stay(s) "
            "in the incubator"
        )
    packaging = _packaging(incubator, choice, requirements, test_requirements, options)
    shims: dict[str, str | None] = {}
    if options.shims:
        moved_tests = [f.source for f in files if f.role is FileRole.TEST]
        shims = _shim_files(incubator, choice, options, moved_tests, warnings)
    result = GraduationResult(
        library=options.library,
        package=options.package,
        incubator=str(incubator),
        head=choice.master.head,
        dest=str(options.dest),
        requested=choice.requested,
        modules=choice.modules,
        needed=choice.needed,
        files=code.files,
        packaging=tuple(sorted(packaging)),
        requirements=requirements,
        test_requirements=test_requirements,
        unmapped=unmapped,
        dependencies=code.dependencies,
        allowed=options.allow_incubator_deps,
        left_out_tests=choice.left_out,
        warnings=tuple(warnings),
        private=choice.private,
        graduated=tuple(choice.uses[m] for m in sorted(choice.uses)),
    )
    return PreparedGraduation(result, code.texts, packaging, shims)


def graduate(
    incubator: Path, options: GraduateOptions, cache: Cache | None = None
) -> GraduationResult:
    """Make the library at ``options.dest`` and leave shims in the incubator.

    Everything is checked before anything is written: the destination is empty, the
    shim branch is new (or, in place, the work tree is clean), and the library would
    import no incubator module that stays behind (unless
    ``options.allow_incubator_deps``; then those are warnings). If writing the library
    fails, the destination is removed again. A library that needs private copies is
    the graduation workflow's (:mod:`oslo_incubator.workflows.graduation`): sync
    writes them.

    Raises:
        IncubatorDependencyError: the library would still import incubator modules.
        DirtyTreeError: ``in_place`` with uncommitted changes in the incubator.
        ConfigError: as :func:`prepare_graduation`; a destination that is not empty;
            a shim branch that exists; private copies asked for.
        GitError: git failed.
    """
    if options.private_copies:
        raise ConfigError("private copies are written by the graduation workflow", incubator)
    check_targets(incubator, options)
    prepared = prepare_graduation(incubator, options, cache)
    check_dependencies(prepared, options)
    with removed_on_failure(options.dest):
        result = write_library(incubator, prepared, options)
    return leave_shims(incubator, prepared, result, options)


def check_targets(incubator: Path, options: GraduateOptions) -> None:
    """Refuse before anything is written: a destination that is not empty, an existing
    shim branch, or (``in_place``) a dirty incubator work tree.

    Raises:
        ConfigError, DirtyTreeError: as :func:`graduate`.
    """
    dest = options.dest
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError("the destination exists and is not an empty directory", dest)
    if options.shims:
        branch = options.branch or default_branch(options.library)
        _check_shim_target(incubator, branch, options.in_place)


def check_dependencies(prepared: PreparedGraduation, options: GraduateOptions) -> None:
    """Refuse a library that would still import incubator modules (unless allowed).

    Raises:
        IncubatorDependencyError: naming the first reference's file and line.
    """
    if prepared.result.dependencies and not options.allow_incubator_deps:
        raise _dependency_error(prepared.result, options.dest)


def write_library(
    incubator: Path, prepared: PreparedGraduation, options: GraduateOptions
) -> GraduationResult:
    """Write the library's repository: the modules' history, the code commit and the
    packaging commit (the caller removes ``options.dest`` if a later step fails: see
    :func:`removed_on_failure`).

    Raises:
        GitError: git failed.
    """
    result = prepared.result
    dest = options.dest
    started = time.perf_counter()
    paths = sorted({p for f in result.files for p in f.history})
    target = {p: f.path for f in result.files for p in f.history}
    extracted = extract_history(incubator, dest, paths, target.get, result.head)
    seconds = time.perf_counter() - started
    env = options.identity.git_env()
    code = commit_texts(
        dest, prepared.texts, code_commit_message(result, options.package_root), env
    )
    packaging = commit_texts(dest, prepared.packaging, packaging_commit_message(result), env)
    history = HistorySummary(extracted.commits, extracted.dropped, extracted.head, len(paths),
                             seconds)  # fmt: skip
    return replace(result, history=history, code_commit=code, packaging_commit=packaging)


def commit_library_files(
    dest: Path, texts: Mapping[str, str], message: str, options: GraduateOptions
) -> str | None:
    """Write ``texts`` (path → text) into the library and commit them as
    ``options.identity``; ``None`` when nothing changed."""
    return commit_texts(dest, texts, message, options.identity.git_env())


def tag_library(dest: Path, version: str, options: GraduateOptions) -> str:
    """Tag the library's HEAD with ``version`` (an annotated tag, as pbr reads
    versions from tags), and return the tag."""
    tag_head(dest, version, f"{options.library} {version}\n", options.identity.git_env())
    return version


def leave_shims(
    incubator: Path,
    prepared: PreparedGraduation,
    result: GraduationResult,
    options: GraduateOptions,
) -> GraduationResult:
    """Commit the shims in the incubator (unless ``options.shims`` is false), on the
    shim branch or, ``in_place``, on the current branch.

    Raises:
        GitError: git failed.
    """
    if not options.shims:
        return result
    branch = options.branch or default_branch(options.library)
    head = resolve_commit(options.dest) if result.packaging_commit else None
    shim = _commit_shims(incubator, result, prepared.shims, branch, options, head)
    return replace(result, shim=shim)


@contextlib.contextmanager
def removed_on_failure(dest: Path) -> Iterator[None]:
    """Remove what the block wrote into ``dest`` (or ``dest`` itself, when it did not
    exist) if the block fails."""
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


def default_branch(library: str) -> str:
    """The incubator branch the shims go on unless told: ``graduate-<library>``."""
    return f"graduate-{library}"


# Private


@dataclass(frozen=True)
class _Choice:
    """What goes into the library (the first step of :func:`prepare_graduation`)."""

    package_root: PackageRoot
    master: MasterTree
    graph: nx.DiGraph
    requested: tuple[str, ...]
    modules: tuple[str, ...]  # requested, or their closure with ``with_closure``
    needed: tuple[str, ...]  # the closure's modules that do not graduate
    tests: tuple[TestFile, ...]
    helpers: tuple[str, ...]
    left_out: tuple[LeftOutTest, ...]
    private: tuple[str, ...]
    uses: Mapping[str, GraduatedDependency]  # graduated modules imported from libraries


@dataclass(frozen=True)
class _Code:
    """The library's rewritten code (the third step of :func:`prepare_graduation`)."""

    texts: Mapping[str, str]  # library path → text, the added ``__init__.py`` included
    files: tuple[LibraryFile, ...]  # with what moved in each
    dependencies: tuple[IncubatorDependency, ...]
    warnings: tuple[str, ...]


def _choose(incubator: Path, options: GraduateOptions, cache: Cache | None) -> _Choice:
    """The modules that graduate, the tests and helpers that go with them, the private
    copies and the graduated modules the library imports from their libraries."""
    package_root = options.package_root
    master = read_master(incubator, package_root)
    graph, tests = incubator_graph(master, package_root, cache)
    requested = known_modules(graph, options.modules, package_root, incubator)
    if not requested:
        raise ConfigError("name at least one module to graduate", incubator)
    closure = strong_closure(graph, requested)
    modules = tuple(sorted(closure)) if options.with_closure else requested
    graduated = _graduated_elsewhere(
        incubator, master, graph, package_root, modules, options, cache
    )
    resolvable = set(modules) | set(graduated)
    named_in_strings = {
        t.path: references(master.tests.get(t.path, ""), t.path, graph, package_root)
        for t in tests
        if set(t.modules) & set(modules)
    }
    chosen_tests, left_out = choose_tests(
        tests,
        resolvable,
        modules,
        options.allow_incubator_deps or options.private_copies,
        named_in_strings,
    )
    helpers = test_helpers(chosen_tests, master.tests)
    needs = test_needs(chosen_tests, helpers, master.tests, graph, package_root)
    private: tuple[str, ...] = ()
    if options.private_copies:
        private = private_modules(graph, modules, needs, graduated)
    # A graduated module a private copy needs is copied too (see private_modules);
    # then the library's own references go to that copy, and its library is no need.
    uses = {
        m: use
        for m, use in graduated_uses(graph, modules, needs, graduated).items()
        if m not in private
    }
    needed = tuple(sorted(closure - set(modules)))
    return _Choice(
        package_root,
        master,
        graph,
        requested,
        modules,
        needed,
        tuple(chosen_tests),
        tuple(helpers),
        left_out,
        private,
        uses,
    )


def _library_files(
    incubator: Path, choice: _Choice, package: str
) -> tuple[list[LibraryFile], dict[str, bytes]]:
    """The library's files, each with every path its history had, and the texts of
    the test data files among them (``<head>:<path>`` → bytes).

    Raises:
        ConfigError: two files would land on one library path, or share history.
    """
    master, graph = choice.master, choice.graph
    module_index = build_index(incubator, choice.package_root, master.head)
    test_index = build_index(incubator, PackageRoot(TESTS_ROOT), master.head)
    files: list[LibraryFile] = []
    for module in choice.modules:
        for path in graph.nodes[module]["files"]:
            target = f"{package}/{path[len(choice.package_root.path) + 1 :]}"
            files.append(
                LibraryFile(target, path, FileRole.MODULE, module, _history(module_index, path))
            )
    for role, paths in (
        (FileRole.TEST, [t.path for t in choice.tests]),
        (FileRole.HELPER, choice.helpers),
    ):
        for path in paths:
            target = f"{package}/tests/{test_relative(path)}"
            files.append(LibraryFile(target, path, role, None, _history(test_index, path)))
    data = _test_data(incubator, master, files, package)
    files += [
        LibraryFile(target, path, FileRole.DATA, None, _history(test_index, path))
        for path, target in sorted(data.items())
    ]
    data_texts = read_blobs(incubator, [f"{master.head}:{path}" for path in data])
    files = _with_earlier_paths(incubator, master.head, files)
    _check_collisions(files, incubator)
    return files, data_texts


def _rewrite(
    choice: _Choice,
    files: Sequence[LibraryFile],
    data_texts: Mapping[str, bytes],
    options: GraduateOptions,
) -> _Code:
    """The library's texts: imports moved (graduating modules to the package, tests
    to ``<package>.tests``, graduated ones to their library, private copies to
    ``<package>.openstack.common``), the missing ``__init__.py`` added; and the
    references to incubator modules that nothing resolves."""
    master, graph, package_root = choice.master, choice.graph, choice.package_root
    elsewhere = elsewhere_moves(choice.uses, choice.private, options.package, package_root)
    own = library_moves(graph, choice.modules, (), options.package, package_root)
    module_moves = {**own, **elsewhere}
    tests = library_moves(graph, choice.modules, files, options.package, package_root)
    test_moves = {**tests, **elsewhere}
    texts: dict[str, str] = {}
    dependencies: list[IncubatorDependency] = []
    warnings: list[str] = []
    rewritten: list[LibraryFile] = []
    for item in files:
        if item.role is FileRole.DATA:
            texts[item.path] = decode(data_texts.get(f"{master.head}:{item.source}", b""))
            rewritten.append(item)
            continue
        source = master.modules.get(item.source) or master.tests.get(item.source, "")
        dotted, is_package = dotted_module_of(item.source)
        moves = module_moves if item.role is FileRole.MODULE else test_moves
        outcome, warning = move_modules_or_text(
            source, moves, dotted, is_package, [package_root.module], item.source
        )
        if warning:
            warnings.append(warning)
        texts[item.path] = outcome.text
        rewritten.append(replace(item, moved=outcome.moved))
        for ref in outcome.leftovers:
            if options.private_copies and not names_a_module(ref.module, graph, package_root):
                # Broken in the incubator already (a stale import, an entry-point
                # namespace in a string): nothing a graduation can resolve.
                warnings.append(
                    f"{item.path}:{ref.line}: {ref.module} names no incubator module; left as is"
                )
                continue
            dependencies.append(IncubatorDependency(item.path, ref.line, ref.module))
    for init in missing_inits(texts, options.package):
        texts[init] = ""
    dependencies.sort(key=lambda d: (d.path, d.line, d.module))
    return _Code(texts, tuple(rewritten), tuple(dependencies), tuple(warnings))


def _requirements(
    choice: _Choice, options: GraduateOptions
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The library's requirement lines, its test requirement lines, and the imported
    names no requirements file explains."""
    graph, master = choice.graph, choice.master
    code = set(choice.modules) | set(choice.private)
    runtime = requirements_of(graph, code)
    imported = test_imports(choice.tests, choice.helpers, master.tests, choice.package_root)
    test_reqs, test_unmapped = third_party(imported, master.requirements)
    unmapped = sorted({n for m in code for n in graph.nodes[m]["unmapped"]} | set(test_unmapped))
    requirements, test_requirements = requirement_lines(
        runtime, test_reqs, choice.uses, options.earlier, graph, code, imported
    )
    unmapped = [n for n in unmapped if n.split(".")[0] not in earlier_packages(options.earlier)]
    return requirements, test_requirements, tuple(unmapped)


def _packaging(
    incubator: Path,
    choice: _Choice,
    requirements: tuple[str, ...],
    test_requirements: tuple[str, ...],
    options: GraduateOptions,
) -> dict[str, str]:
    """The library's pbr files, with what the incubator's ``setup.cfg`` says of its
    authors, licence, classifiers and Python versions."""
    head, modules = choice.master.head, choice.modules
    setup_cfg = read_blobs(incubator, [f"{head}:setup.cfg"]).get(f"{head}:setup.cfg")
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
        source=f"the incubator at commit {head[:12]}",
        python_requires=options.python_requires
        or str(inherited.get("python_requires", DEFAULT_PYTHON_REQUIRES)),
    )
    return library_files(meta)


def _graduated_elsewhere(
    incubator: Path,
    master: MasterTree,
    graph: nx.DiGraph,
    package_root: PackageRoot,
    modules: Sequence[str],
    options: GraduateOptions,
    cache: Cache | None,
) -> dict[str, GraduatedDependency]:
    """Modules outside the library that have a library already: those the incubator
    records as graduated (obsolete or deleted, with a library named; the life-cycle rule
    of :mod:`oslo_incubator.history.incubator`) and those of ``options.earlier``
    (which win: the program knows their package and version)."""
    found: dict[str, GraduatedDependency] = {}
    life_cycles = open_incubator(incubator, package_root, cache, master.head).graduated_modules()
    for module, life in sorted(life_cycles.items()):
        if not life.library or module in modules:
            continue
        target = (
            _shim_target(master, graph, module, package_root)
            or f"{package_name(life.library)}.{module}"
        )
        line = master.requirements.find(life.library)
        requirement = (
            f"{line.name}{line.specifier}{f'; {line.marker}' if line.marker else ''}"
            if line
            else life.library
        )
        source = life.source.value if life.source else "records"
        found[module] = GraduatedDependency(module, life.library, target, requirement, source)
    for earlier in options.earlier:
        for module in earlier.modules:
            if module not in modules:
                found[module] = GraduatedDependency(
                    module, earlier.name, f"{earlier.package}.{module}", earlier.requirement,
                    "program",
                )  # fmt: skip
    return found


def _shim_target(
    master: MasterTree, graph: nx.DiGraph, module: str, package_root: PackageRoot
) -> str | None:
    """The module a graduated module's master file re-exports, when it is a shim."""
    if module not in graph:
        return None
    rel = module.replace(".", "/")
    root = package_root.path
    for path in (f"{root}/{rel}.py", f"{root}/{rel}/__init__.py"):
        text = master.modules.get(path)
        if text is not None and len(text) <= SHIM_MAX_BYTES:
            return shim_library(text, package_root)
    return None


_LITERAL = re.compile(r"""(?:'([^'\\\n]+)'|"([^"\\\n]+)")""")


def _test_data(
    incubator: Path, master: MasterTree, files: Sequence[LibraryFile], package: str
) -> dict[str, str]:
    """The data files under ``tests/`` (not Python) that the moved tests read, and
    where each goes in the library (master path → library path).

    A test names a data folder or file in a string (``os.path.join(
    os.path.dirname(__file__), '..', 'var')``); it goes where the same relative path
    leads from the test's place in the library (``tests/unit/test_policy.py`` →
    ``<package>/tests/``, so ``tests/var`` → ``<package>/var``), if that is inside the
    package.
    """
    tests = [f for f in files if f.role in (FileRole.TEST, FileRole.HELPER)]
    if not tests:
        return {}
    data = [p for p in list_tree(incubator, master.head, [TESTS_ROOT]) if not p.endswith(".py")]
    owners: dict[str, list[str]] = {}  # a data folder or file's name → its paths
    for path in data:
        parts = PurePosixPath(path).parts
        for end in range(2, len(parts) + 1):
            owners.setdefault(parts[end - 1], []).append("/".join(parts[:end]))
    found: dict[str, str] = {}
    for item in tests:
        text = master.tests.get(item.source, "")
        names = {a or b for a, b in _LITERAL.findall(text)}
        for name in sorted(names & set(owners)):
            for place in sorted(set(owners[name])):
                relative = os.path.relpath(place, PurePosixPath(item.source).parent)
                target = os.path.normpath(PurePosixPath(item.path).parent / relative)
                if not target.startswith(package + "/"):
                    continue
                for path in data:
                    if path == place or path.startswith(place + "/"):
                        found.setdefault(path, target + path[len(place) :])
    return found


def _check_package(package: str, where: Path) -> None:
    if not package or not all(part.isidentifier() for part in package.split(".")):
        raise ConfigError(f"{package!r} is not a Python package name", where)


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
    earlier: dict[str, set[str]] = {}
    for old, new in renames(incubator, head):
        # Empty files "rename" into any other empty file: a package's __init__.py is
        # not followed this way, and a move must keep the file's name.
        if PurePosixPath(old).name == PurePosixPath(new).name != "__init__.py":
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


def _check_shim_target(incubator: Path, branch: str, in_place: bool) -> None:
    if in_place:
        try:
            check_clean(
                incubator,
                [":/"],
                "--in-place needs a clean work tree; {count} file(s) have uncommitted changes "
                "({paths})",
                untracked=False,
                work_tree=True,
            )
        except GitError:
            raise ConfigError("--in-place needs a work tree of the incubator", incubator) from None
        return
    if not valid_branch_name(incubator, branch):
        raise ConfigError(f"{branch!r} is not a valid branch name", incubator)
    if branch_exists(incubator, branch):
        raise ConfigError(
            f"branch {branch!r} exists already; name another with --branch", incubator
        )


def _shim_files(
    incubator: Path,
    choice: _Choice,
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
    master, graph, modules = choice.master, choice.graph, choice.modules
    paths = [p for m in modules for p in graph.nodes[m]["files"]]
    files: dict[str, str | None] = {}
    for path in paths:
        text = master.modules.get(path, "")
        dotted, _ = dotted_module_of(path)
        new = options.package + dotted[len(choice.package_root.module) :]
        files[path] = shim_text(
            new,
            options.library,
            public_names(text),
            header=leading_comments(text),
            version=options.deprecated_in,
            removal_version=options.removal_version,
        )
    staying = {**master.modules, **master.tests}
    for path in [*paths, *moved_tests]:
        staying.pop(path, None)
    importers, notes = moved_importers(
        staying, graph, modules, options.package, choice.package_root
    )
    files.update(importers)
    warnings.extend(notes)
    files.update(dict.fromkeys(moved_tests))
    files.update(_records(incubator, choice, options, paths, bool(importers)))
    return files


def _records(
    incubator: Path,
    choice: _Choice,
    options: GraduateOptions,
    paths: Sequence[str],
    required: bool,
) -> dict[str, str]:
    """The incubator's records of the graduation of ``paths``: MAINTAINERS,
    ``obsolete.txt`` and, when ``required`` (its own files import the library now),
    ``requirements.txt``."""
    head, root = choice.master.head, choice.package_root.path
    records = read_blobs(
        incubator, [f"{head}:{MAINTAINERS}", f"{head}:{OBSOLETE_LIST}", f"{head}:{REQUIREMENTS}"]
    )
    maintainers = records.get(f"{head}:{MAINTAINERS}")
    obsolete = records.get(f"{head}:{OBSOLETE_LIST}")
    requirements = records.get(f"{head}:{REQUIREMENTS}")
    files: dict[str, str] = {}
    if required:
        line = f"{options.library}>={options.version}" if options.version else options.library
        text, changed = add_requirement(
            decode(requirements) if requirements is not None else None, line
        )
        if changed:
            files[REQUIREMENTS] = text
    all_files = [p[len(root) + 1 :] for p in list_tree(incubator, head, [root])]
    graph = choice.graph
    graduated = {m: [p[len(root) + 1 :] for p in graph.nodes[m]["files"]] for m in choice.modules}
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


def _commit_shims(
    incubator: Path,
    result: GraduationResult,
    files: Mapping[str, str | None],
    branch: str,
    options: GraduateOptions,
    library_head: str | None,
) -> ShimOutcome:
    """Make the shim commit without touching a checkout; then point the new branch at
    it, or fast-forward the current branch for ``in_place``."""
    message = shim_commit_message(result, library_head)
    commit = commit_tree(incubator, result.head, files, message, options.identity.git_env())
    graduated = {f.source for f in result.files if f.role is FileRole.MODULE}
    records = (MAINTAINERS, OBSOLETE_LIST, REQUIREMENTS)
    rewritten = tuple(
        p for p, t in files.items() if t is not None and p not in graduated and p not in records
    )
    removed = tuple(p for p, t in files.items() if t is None)
    if options.in_place:
        fast_forward(incubator, commit)
    else:
        create_branch(incubator, branch, commit)
    return ShimOutcome(
        None if options.in_place else branch,
        commit,
        tuple(files),
        options.in_place,
        tuple(sorted(graduated)),
        rewritten,
        removed,
    )
