#!/usr/bin/env python3
"""Ground truth of where oslo-incubator modules graduated, and a plan's score against it.

Two subcommands, standard library only::

    python tools/graduation_truth.py truth --incubator /tmp/real/inc-2014-06 \\
        --library oslo.log=/work/.mirror/openstack+oslo.log/repo ... --output truth.json
    python tools/graduation_truth.py score --truth truth.json --plan plan.json

``truth`` reads everything from the repositories it is given; no module or library name
is written in this file. A *module* is named as the incubator's update.py names it
(``log`` for ``openstack/common/log.py``, ``db.sqlalchemy`` for the ``*.py`` files directly
in ``openstack/common/db/sqlalchemy/``). Evidence that module M went into library L,
strongest first:

``history`` (confidence ``strong``)
    L's history holds M's file at the incubator path at the repository root
    (``openstack/common/lockutils.py``: graduate.sh kept the history) and a later commit
    moved it into L's package (git rename detection, copies detected too, followed to
    L's HEAD). A root file that never reached the package does not count; neither does
    a package ``__init__.py`` when M has other files.
``copy`` (``medium``)
    L's package gained a file that shares most of its distinctive lines with M's file
    (at the snapshot, or just before the incubator deleted it), or a substantial part of
    it, or, for a file too small for that, most of its lines under the same name; the
    incubator file must be the older. It counts only when corroborated: the incubator's
    records name L, or L's commit speaks of the incubator or graduation, or names the
    file. Private copies (``<package>/openstack/common/...``) and tests are never
    compared, and a private copy later moved into the package counts only when the
    incubator names L.
``record`` (``weak``)
    The incubator names L: a commit after the snapshot that deletes M's files and names
    L, an ``obsolete.txt`` line ``<glob> <library>``, or a MAINTAINERS status change of
    M whose commit names L. Records alone make L count only when M has no file evidence
    at all and the deleting commit says the code graduated or moved.

Each module lists its ``libraries`` (``split`` when several), the ``confidence`` of each,
the libraries that later ``removed`` its code, those ``superseded`` (every file left L and
had also gone to another library, as ``context`` left oslo.log for oslo.context), the
commits that ``deleted`` it from the incubator, ``notes`` on conflicts, and ``evidence``.

``score`` compares a plan (``oslo-incubator graduate plan --format json``) with the truth
over module pairs: recall over the pairs that really share a library, precision over the
pairs the plan puts together.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, product
from math import prod
from pathlib import Path
from typing import Any

DEFAULT_ROOT = "openstack/common"
# Copy detection: a package file matches an incubator file when they share at least
# MIN_SHARED distinctive lines covering MIN_COVER of either file's distinctive lines.
MIN_SHARED = 8
MIN_COVER = 0.4
# A line present in this many incubator files is boilerplate (licence, common idioms).
BOILERPLATE_FILES = 3
MIN_LINE = 16
# A copy of part of an incubator file counts when it is at least PARTIAL_SHARED lines and
# PARTIAL_OWN of the new file (``fileutils`` functions moved to oslo.utils, oslo.policy).
PARTIAL_SHARED = 12
PARTIAL_OWN = 0.8
# Small files of the same name: SMALL_SHARED lines in common, SMALL_COVER of both files.
SMALL_SHARED = 4
SMALL_COVER = 0.5
# Words in a library commit's message that say it took code from the incubator.
SAYS_INCUBATOR = re.compile(r"incubator|graduat", re.I)
# Words in a deleting commit's message that say the code went somewhere (not just died).
GRADUATION_WORDS = re.compile(
    r"graduat|moved (?:in)?to|has moved|merged into|part of|now in|is in the", re.I
)
# git's similarity score (percent) below which a detected copy is read as a new file.
MIN_COPY_SCORE = 80
# The refs whose history is published: not review refs (refs/changes/...) of mirrors.
PUBLISHED = ("--branches", "--remotes", "--tags")
# Split-module library choices tried exhaustively for the recall ceiling.
CEILING_SEARCH = 100_000
SCHEMA = "oslo-incubator.graduation-truth/1"


# Git


def git(gitdir: str, *args: str) -> str:
    """Run git in ``gitdir`` (a work tree or a bare repository) and return its output."""
    result = subprocess.run(
        ["git", "-C", gitdir, *args],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {gitdir}: {result.stderr.strip()}")
    return result.stdout


def read_blobs(gitdir: str, specs: Sequence[str]) -> dict[str, str | None]:
    """The text of each ``rev:path`` spec (``None`` when missing), in one git process."""
    if not specs:
        return {}
    proc = subprocess.run(
        ["git", "-C", gitdir, "cat-file", "--batch"],
        input="".join(f"{s}\n" for s in specs).encode(),
        capture_output=True,
        check=True,
    )
    out: dict[str, str | None] = {}
    data, pos = proc.stdout, 0
    for spec in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode(errors="replace").split()
        pos = end + 1
        if len(header) < 3 or header[-1] == "missing":
            out[spec] = None
            continue
        size = int(header[2])
        out[spec] = data[pos : pos + size].decode(errors="replace")
        pos += size + 1
    return out


@dataclass(frozen=True)
class Change:
    """One file change of a commit: ``status`` A, M, D, R or C; ``old`` empty unless R, C."""

    status: str
    path: str
    old: str = ""


@dataclass(frozen=True)
class Commit:
    """A commit with its rename-aware file changes."""

    sha: str
    date: str
    subject: str
    changes: tuple[Change, ...]

    def cite(self) -> str:
        """Short reference used in evidence lines."""
        return f"{self.sha[:8]} {self.date} {self.subject!r}"


def read_log(gitdir: str, *revs: str, paths: Sequence[str] = ()) -> list[Commit]:
    """Commits of ``revs``, oldest first, with name-status changes detecting renames and
    copies (``C``: a file copied from one the same commit modified, as when a library
    moved out of its namespace package and left a shim behind)."""
    text = git(
        gitdir,
        "-c",
        "diff.renameLimit=0",
        "log",
        "--reverse",
        "-C",
        "--name-status",
        "--date=short",
        "--format=%x01%H%x02%ad%x02%s",
        *revs,
        "--",
        *paths,
    )
    commits = []
    for block in text.split("\x01")[1:]:
        head, _, body = block.partition("\n")
        sha, date, subject = head.split("\x02", 2)
        changes = []
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) == 2:
                changes.append(Change(parts[0][0], parts[1]))
            elif len(parts) == 3 and parts[0][0] == "R":
                changes.append(Change("R", parts[2], parts[1]))
            elif len(parts) == 3 and parts[0][0] == "C":
                # A weak copy is likely two small files sharing a licence header.
                status = "C" if int(parts[0][1:] or 0) >= MIN_COPY_SCORE else "A"
                changes.append(Change(status, parts[2], parts[1] if status == "C" else ""))
        commits.append(Commit(sha, date, subject, tuple(changes)))
    return commits


# The incubator


def module_of(path: str, root: str) -> str | None:
    """The update.py module name of an incubator ``*.py`` path, ``None`` if not one."""
    if not path.startswith(root + "/") or not path.endswith(".py"):
        return None
    parts = path[len(root) + 1 :].split("/")
    if len(parts) == 1:
        stem = parts[0][:-3]
        return None if stem == "__init__" else stem
    return ".".join(parts[:-1])


@dataclass(frozen=True)
class Deletion:
    """A commit after the snapshot that deleted some of a module's files."""

    commit: Commit
    message: str
    named: tuple[str, ...]
    files: tuple[str, ...]

    @property
    def says_moved(self) -> bool:
        """Its message says the code graduated or moved, not merely that it died."""
        return bool(GRADUATION_WORDS.search(self.message))


@dataclass
class IncubatorRecords:
    """What the incubator's own history says after the snapshot, per module."""

    deletions: dict[str, list[Deletion]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    named: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    last_versions: dict[str, str] = field(default_factory=dict)
    born: dict[str, str] = field(default_factory=dict)


@dataclass
class Incubator:
    """An incubator snapshot: its head, its modules and their ``*.py`` files."""

    path: str
    history: str
    root: str
    head: str
    modules: dict[str, list[str]]

    @classmethod
    def open(cls, path: str, history: str | None, root: str) -> Incubator:
        """Read the snapshot at ``path``'s HEAD."""
        head = git(path, "rev-parse", "HEAD").strip()
        modules: dict[str, list[str]] = defaultdict(list)
        for name in git(path, "ls-tree", "-r", "--name-only", "HEAD", "--", root).split():
            module = module_of(name, root)
            if module is not None:
                modules[module].append(name)
        return cls(path, history or path, root, head, dict(sorted(modules.items())))

    def file_module(self) -> dict[str, str]:
        """Snapshot file path to module."""
        return {f: m for m, files in self.modules.items() for f in files}

    def later_revs(self) -> list[str]:
        """Revision arguments selecting the published history after the snapshot."""
        try:
            git(self.history, "cat-file", "-e", f"{self.head}^{{commit}}")
        except RuntimeError:
            date = git(self.path, "log", "-1", "--format=%cI", "HEAD").strip()
            return [*PUBLISHED, f"--since={date}"]
        return [*PUBLISHED, f"^{self.head}"]


def message_of(gitdir: str, sha: str) -> str:
    """A commit's full message."""
    return git(gitdir, "log", "-1", "--format=%B", sha)


def name_pattern(names: Iterable[str]) -> dict[str, re.Pattern[str]]:
    """For each library name, a pattern finding it in prose (``oslo.utils``, ``oslo_utils``)."""
    out = {}
    for name in names:
        variants = {name, name.replace(".", "_"), name.replace(".", "-")}
        alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        out[name] = re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.I)
    return out


def libraries_named(text: str, patterns: dict[str, re.Pattern[str]]) -> tuple[str, ...]:
    """The libraries whose names occur in ``text``."""
    return tuple(sorted(name for name, pattern in patterns.items() if pattern.search(text)))


def read_records(inc: Incubator, patterns: dict[str, re.Pattern[str]]) -> IncubatorRecords:
    """Deleting commits, obsolete.txt lines and MAINTAINERS changes after the snapshot."""
    records = IncubatorRecords()
    file_module = inc.file_module()
    revs = inc.later_revs()
    first_deleted: dict[str, str] = {}
    by_subject: dict[tuple[str, str], list[str]] = {}
    for commit in read_log(inc.history, *revs, paths=[inc.root]):
        gone: dict[str, list[str]] = defaultdict(list)
        for change in commit.changes:
            if change.status == "D" and change.path in file_module:
                gone[file_module[change.path]].append(change.path)
            elif change.status == "R" and change.old in file_module:
                if module_of(change.path, inc.root) is None:  # not a move inside
                    gone[file_module[change.old]].append(change.old)
        for module, files in gone.items():
            for name in files:
                first_deleted.setdefault(name, commit.sha)
            key = (module, commit.subject)
            if key in by_subject:  # the same change again on another branch
                continue
            by_subject[key] = files
            message = message_of(inc.history, commit.sha)
            named = libraries_named(message, patterns)
            records.deletions[module].append(Deletion(commit, message, named, tuple(files)))
            records.named[module].update(named)
    specs = {f: f"{sha}^:{f}" for f, sha in first_deleted.items()}
    texts = read_blobs(inc.history, list(specs.values()))
    records.last_versions = {f: t for f, s in specs.items() if (t := texts[s]) is not None}
    records.born = _first_added(inc)
    _read_obsolete(inc, revs, patterns, records)
    _read_maintainers(inc, revs, patterns, records)
    return records


def _first_added(inc: Incubator) -> dict[str, str]:
    """The date each incubator file first appeared, over all refs."""
    text = git(
        inc.history,
        "log",
        *PUBLISHED,
        "--diff-filter=A",
        "--date=short",
        "--format=%x01%ad",
        "--name-only",
        "--",
        inc.root,
    )
    born: dict[str, str] = {}
    for block in text.split("\x01")[1:]:
        date, *names = block.split()
        for name in names:
            if name not in born or date < born[name]:
                born[name] = date
    return born


def _read_obsolete(
    inc: Incubator,
    revs: list[str],
    patterns: dict[str, re.Pattern[str]],
    records: IncubatorRecords,
) -> None:
    shas = [inc.head]
    shas += git(inc.history, "log", "--format=%H", *revs, "--", "obsolete.txt").split()
    texts = read_blobs(inc.history, [f"{sha}:obsolete.txt" for sha in shas])
    seen: set[tuple[str, str]] = set()
    for sha in shas:
        for line in (texts[f"{sha}:obsolete.txt"] or "").splitlines():
            fields = line.split()
            if len(fields) < 2 or line.lstrip().startswith("#"):
                continue
            named = libraries_named(fields[1], patterns)
            for module, files in inc.modules.items():
                if not any(fnmatch.fnmatch(f, fields[0]) for f in files):
                    continue
                if (module, line.strip()) in seen:
                    continue
                seen.add((module, line.strip()))
                records.notes[module].append(
                    f"record: obsolete.txt at {sha[:8]}: {line.strip()!r}"
                )
                records.named[module].update(named)


_SECTION = re.compile(r"^== (.+?) ==\s*$")


def parse_maintainers(text: str) -> dict[str, tuple[str, list[str]]]:
    """Section name to (status, F: patterns relative to the package root)."""
    out: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in text.splitlines():
        if match := _SECTION.match(line):
            name = match.group(1)
            out[name] = ("", [])
        elif name and line.startswith("S:"):
            out[name] = (line[2:].strip(), out[name][1])
        elif name and line.startswith("F:"):
            out[name][1].append(line[2:].strip())
    return out


def _sections_of(
    inc: Incubator, module: str, sections: dict[str, tuple[str, list[str]]]
) -> list[str]:
    prefix = inc.root + "/"
    found = []
    for name, (_status, globs) in sections.items():
        for glob in globs:
            pattern = prefix + glob + ("*" if glob.endswith("/") else "")
            if any(fnmatch.fnmatch(f, pattern) for f in inc.modules[module]):
                found.append(name)
                break
    return found


def _read_maintainers(
    inc: Incubator,
    revs: list[str],
    patterns: dict[str, re.Pattern[str]],
    records: IncubatorRecords,
) -> None:
    """The module's MAINTAINERS status at the snapshot, then each commit that changed it
    (compared with that commit's own parent, so parallel branches do not interleave)."""
    shas = git(
        inc.history, "log", "--reverse", "--no-merges", "--format=%H", *revs, "--", "MAINTAINERS"
    ).split()
    specs = [f"{inc.head}:MAINTAINERS"]
    for sha in shas:
        specs += [f"{sha}^:MAINTAINERS", f"{sha}:MAINTAINERS"]
    texts = read_blobs(inc.history, specs)
    at_head = parse_maintainers(texts[specs[0]] or "")
    for module in inc.modules:
        for name in _sections_of(inc, module, at_head):
            note = f"record: MAINTAINERS [{name}] S: {at_head[name][0]} at the snapshot"
            records.notes[module].append(note)
    seen: set[tuple[str, str, str]] = set()
    for sha in shas:
        before = parse_maintainers(texts[f"{sha}^:MAINTAINERS"] or "")
        after = parse_maintainers(texts[f"{sha}:MAINTAINERS"] or "")
        message = ""
        for module in inc.modules:
            for name in _sections_of(inc, module, after):
                old, new = before.get(name, ("(none)", []))[0], after[name][0]
                if old == new or (module, name, new) in seen:
                    continue
                seen.add((module, name, new))
                message = message or message_of(inc.history, sha)
                named = libraries_named(message, patterns)
                subject = message.splitlines()[0] if message else ""
                note = f"record: MAINTAINERS [{name}] S: {old} -> {new} at {sha[:8]} {subject!r}"
                if named and new.lower() in ("graduating", "obsolete"):
                    note += f" (names {', '.join(named)})"
                    records.named[module].update(named)
                records.notes[module].append(note)


# Text similarity


def normalise_lines(text: str) -> Iterator[str]:
    """Whitespace-collapsed code lines long enough to be distinctive."""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if len(line) < MIN_LINE or line.startswith(("#", "import ", "from ")):
            continue
        yield line


def code_lines(text: str) -> list[str]:
    """Every non-blank line that is not a comment or an import, whitespace-collapsed."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line and not line.startswith(("#", "import ", "from ")):
            out.append(line)
    return out


Match = tuple[str, int, float, float, bool]


class Matcher:
    """Finds the incubator files a text was copied from, by shared distinctive lines."""

    def __init__(self, versions: dict[tuple[str, str], str]) -> None:
        """``versions`` maps (incubator path, version label) to its text."""
        frequency: dict[str, set[str]] = defaultdict(set)
        raw = {key: set(normalise_lines(text)) for key, text in versions.items()}
        for (path, _label), lines in raw.items():
            for line in lines:
                frequency[line].add(path)
        self.boilerplate = {
            line for line, paths in frequency.items() if len(paths) >= BOILERPLATE_FILES
        }
        self.signatures = {key: lines - self.boilerplate for key, lines in raw.items()}
        self.index: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, lines in self.signatures.items():
            for line in lines:
                self.index[line].append(key)
        self.by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in versions:
            name = key[0].rsplit("/", 1)[-1]
            if name != "__init__.py":
                self.by_name[name].append(key)
        self.texts = versions

    def matches(self, text: str, path: str) -> list[Match]:
        """(incubator path, shared lines, share of the incubator file, share of ``text``,
        small), best version per path, only those past the thresholds, best first.

        A file too small for distinctive lines (``units.py``: ``Ki = 1024``) is compared
        line by line with the incubator files of the same name instead.
        """
        lines = set(normalise_lines(text)) - self.boilerplate
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for line in lines:
            for key in self.index.get(line, ()):
                counts[key] += 1
        best: dict[str, Match] = {}
        for key, shared in counts.items():
            inc_share = shared / max(len(self.signatures[key]), 1)
            own_share = shared / max(len(lines), 1)
            if shared < MIN_SHARED or max(inc_share, own_share) < MIN_COVER:
                continue
            _keep_best(best, (key[0], shared, round(inc_share, 2), round(own_share, 2), False))
        if not best:
            for key in self.by_name.get(path.rsplit("/", 1)[-1], ()):
                if (item := self._small_match(key, text)) is not None:
                    _keep_best(best, item)
        return sorted(best.values(), key=lambda m: (-m[1], m[0]))

    def _small_match(self, key: tuple[str, str], text: str) -> Match | None:
        theirs, ours = code_lines(self.texts[key]), code_lines(text)
        matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
        shared = sum(block.size for block in matcher.get_matching_blocks())
        inc_share = shared / max(len(theirs), 1)
        own_share = shared / max(len(ours), 1)
        if shared < SMALL_SHARED or min(inc_share, own_share) < SMALL_COVER:
            return None
        return (key[0], shared, round(inc_share, 2), round(own_share, 2), True)


def _keep_best(best: dict[str, Match], item: Match) -> None:
    if item[0] not in best or item[1:] > best[item[0]][1:]:
        best[item[0]] = item


# A library


def package_prefixes(gitdir: str) -> list[str]:
    """Path prefixes of the library's packages over its history, from setup.cfg [files]."""
    shas = git(gitdir, "log", "--format=%H", "HEAD", "--", "setup.cfg").split()
    texts = read_blobs(gitdir, [f"{sha}:setup.cfg" for sha in shas])
    prefixes: set[str] = set()
    for text in texts.values():
        prefixes.update(_packages_in_setup_cfg(text or ""))
    if not prefixes:
        for name in git(gitdir, "ls-tree", "-r", "--name-only", "HEAD").split():
            parts = name.split("/")
            if len(parts) == 2 and parts[1] == "__init__.py" and "test" not in parts[0]:
                prefixes.add(parts[0] + "/")
    return sorted(prefixes)


def _packages_in_setup_cfg(text: str) -> Iterator[str]:
    section = ""
    in_packages = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section, in_packages = stripped[1:-1].strip(), False
            continue
        if section != "files":
            continue
        if not line[:1].isspace():
            key, _, value = line.partition("=")
            in_packages = key.strip() == "packages"
            stripped = value.strip() if in_packages else ""
        if in_packages and stripped:
            for token in stripped.split():
                yield token.replace(".", "/") + "/"


@dataclass
class Lineage:
    """A file followed through a library's history from where it appeared: its live
    paths (renames move them, copies add to them, deletions remove them)."""

    origin: str
    first: Commit
    paths: set[str]
    entered: tuple[str, Commit] | None = None
    ended: Commit | None = None
    came_from: str = ""


@dataclass
class Found:
    """One piece of file evidence that ``module`` (its file ``source``) went into
    ``library``; ``ended`` is the commit that removed the last copy from the library."""

    module: str
    source: str
    library: str
    kind: str
    text: str
    since: str
    ended: Commit | None
    counted: bool = True
    origin: str = ""
    says: str = ""
    small: bool = False


class Library:
    """A library repository, read for the incubator files it took."""

    def __init__(self, name: str, gitdir: str, root: str) -> None:
        """Read the library's HEAD history with rename and copy detection."""
        self.name = name
        self.gitdir = gitdir
        self.root = root
        self.head = git(gitdir, "rev-parse", "HEAD").strip()
        self.packages = package_prefixes(gitdir)
        self.commits = read_log(gitdir, "HEAD")

    def in_package(self, path: str) -> bool:
        """A library package file, not a private incubator copy nor a test."""
        parts = path.split("/")
        if "tests" in parts or f"/{self.root}/" in f"/{path}":
            return False
        return path.endswith(".py") and any(path.startswith(p) for p in self.packages)

    def lineages(self) -> tuple[list[Lineage], list[Lineage]]:
        """Lineages of repository-root incubator files, and of package files added anew."""
        live: dict[str, Lineage] = {}
        roots: list[Lineage] = []
        added: list[Lineage] = []
        for commit in self.commits:
            for change in commit.changes:
                source = live.get(change.old) if change.old else None
                if source is not None and change.path not in live:
                    if change.status == "R":
                        source.paths.discard(change.old)
                        del live[change.old]
                    source.paths.add(change.path)
                    live[change.path] = source
                    if source.entered is None and self.in_package(change.path):
                        source.entered = (change.path, commit)
                    continue
                if change.status == "R" and source is not None:
                    continue  # renamed onto a path already followed
                if change.status == "D":
                    lineage = live.pop(change.path, None)
                    if lineage is not None:
                        lineage.paths.discard(change.path)
                        if not lineage.paths:
                            lineage.ended = commit
                    continue
                if change.path in live:
                    continue
                if module_of(change.path, self.root) is not None:
                    lineage = Lineage(change.path, commit, {change.path})
                    roots.append(lineage)
                    live[change.path] = lineage
                elif change.status in "ACR" and self.in_package(change.path):
                    # New to the package: written anew, or copied or moved from a file
                    # not followed (a private incubator copy); its text decides.
                    lineage = Lineage(change.path, commit, {change.path}, came_from=change.old)
                    lineage.entered = (change.path, commit)
                    added.append(lineage)
                    live[change.path] = lineage
        return roots, added

    def evidence(self, inc: Incubator, matcher: Matcher, born: dict[str, str]) -> list[Found]:
        """Every module this library took, by history or by copy."""
        found: list[Found] = []
        roots, added = self.lineages()
        for lineage in roots:
            module = module_of(lineage.origin, self.root)
            if module not in inc.modules:
                continue
            trivial = lineage.origin.endswith("/__init__.py") and len(inc.modules[module]) > 1
            if lineage.entered is None:
                fate = f"deleted at {lineage.ended.cite()}" if lineage.ended else "still there"
                text = (
                    f"history (not counted): {self.name} has {lineage.origin} from "
                    f"{lineage.first.cite()}, never moved into its package ({fate})"
                )
                found.append(
                    Found(
                        module,
                        lineage.origin,
                        self.name,
                        "history",
                        text,
                        lineage.first.date,
                        lineage.ended,
                        counted=False,
                    )
                )
                continue
            path, commit = lineage.entered
            label = "history (package __init__, not counted)" if trivial else "history"
            text = f"{label}: {self.name} moved {lineage.origin} to {path} at {commit.cite()}"
            if lineage.ended is not None:
                text += f"; last copy removed at {lineage.ended.cite()}"
            found.append(
                Found(
                    module,
                    lineage.origin,
                    self.name,
                    "history",
                    text,
                    commit.date,
                    lineage.ended,
                    counted=not trivial,
                )
            )
        specs = [f"{lin.first.sha}:{lin.origin}" for lin in added]
        texts = read_blobs(self.gitdir, specs)
        for lineage, spec in zip(added, specs, strict=True):
            text = texts[spec] or ""
            for path, shared, inc_share, own_share, small in matcher.matches(text, lineage.origin):
                module = module_of(path, self.root)
                if module not in inc.modules:
                    continue
                if born.get(path, lineage.first.date) >= lineage.first.date:
                    continue  # the incubator file is the younger: copied the other way
                commit = lineage.first
                origin = f" (from {lineage.came_from})" if lineage.came_from else ""
                note = (
                    f"{self.name} added {lineage.origin}{origin} at {commit.cite()}, "
                    f"{shared} lines shared with {path} ({inc_share:.0%} of it, "
                    f"{own_share:.0%} of the new file)"
                )
                if lineage.ended is not None:
                    note += f"; last copy removed at {lineage.ended.cite()}"
                partial = inc_share < MIN_COVER and (
                    shared < PARTIAL_SHARED or own_share < PARTIAL_OWN
                )
                message = message_of(self.gitdir, commit.sha)
                says = ""
                if SAYS_INCUBATOR.search(message):
                    says = "its commit message speaks of the incubator or graduation"
                elif _names_file(commit.subject, path) and own_share >= PARTIAL_OWN:
                    says = "its commit subject names the file and the new file is mostly it"
                item = Found(module, path, self.name, "copy", note, commit.date, lineage.ended)
                item.counted = not partial
                item.says = says
                item.small = small
                if not lineage.came_from:
                    item.origin = "new"
                elif f"/{self.root}/" in f"/{lineage.came_from}":
                    item.origin = "private"
                else:
                    item.origin = "foreign"
                found.append(item)
        return found


def _names_file(subject: str, path: str) -> bool:
    """The commit subject names the incubator file (``Move fileutils functions ...``)."""
    stem = path.rsplit("/", 1)[-1][:-3]
    return re.search(rf"(?<![\w.]){re.escape(stem)}(?![\w])", subject) is not None


# The truth


def build_truth(
    inc: Incubator, libraries: Sequence[Library], log: Any = sys.stderr
) -> dict[str, Any]:
    """The truth document for the snapshot, from the libraries' and incubator's histories."""
    patterns = name_pattern(lib.name for lib in libraries)
    records = read_records(inc, patterns)
    versions: dict[tuple[str, str], str] = {}
    snapshot = read_blobs(inc.path, [f"HEAD:{f}" for f in inc.file_module()])
    for spec, text in snapshot.items():
        if text is not None:
            versions[(spec[5:], "snapshot")] = text
    for path, text in records.last_versions.items():
        versions[(path, "last")] = text
    matcher = Matcher(versions)
    found: dict[str, list[Found]] = defaultdict(list)
    for library in libraries:
        print(f"reading {library.name}: {len(library.commits)} commits", file=log)
        for item in library.evidence(inc, matcher, records.born):
            found[item.module].append(item)
    order = [lib.name for lib in libraries]
    modules = {
        module: _module_truth(module, found[module], records, order) for module in inc.modules
    }
    return {
        "schema": SCHEMA,
        "incubator_head": inc.head,
        "incubator": inc.path,
        "package_root": inc.root,
        "libraries_read": {lib.name: {"git": lib.gitdir, "head": lib.head} for lib in libraries},
        "modules": modules,
    }


def _superseded(library: str, items: list[Found], others: list[Found]) -> bool:
    """Every file of the module that went to ``library`` left it again, and each also
    went to another library that still has it or got it before it left."""
    if any(i.ended is None for i in items):
        return False
    for item in items:
        assert item.ended is not None
        elsewhere = [
            o
            for o in others
            if o.source == item.source
            and o.library != library
            and (o.ended is None or o.since <= item.ended.date)
        ]
        if not elsewhere:
            return False
    return True


def _judge_copy(item: Found, named: set[str]) -> None:
    """Decide whether copy evidence counts, and label its text.

    A copy counts when it is a whole-file copy or a substantial partial one, and it is
    corroborated: the incubator names the library, or the library's commit speaks of the
    incubator or names the file. A private incubator copy moved into the package counts
    only when the incubator names the library, and so does a small file matched only by its
    name (``_i18n.py`` boilerplate is in every library); a file moved in from elsewhere in the
    repository (``nova/safe_utils.py``) never counts.
    """
    by_records = item.library in named
    reasons = []
    if not item.counted:
        reasons.append("partial")
    if item.origin == "foreign":
        reasons.append("moved in from a file that is not incubator code")
    elif item.origin == "private" and not by_records:
        reasons.append("a private incubator copy, and the incubator does not name the library")
    elif item.small and not by_records:
        reasons.append("a small file matched by name, and the incubator does not name the library")
    elif not by_records and not item.says:
        reasons.append("uncorroborated: neither the incubator nor the library's commit names it")
    item.counted = not reasons
    if reasons:
        item.text = f"copy (not counted: {'; '.join(reasons)}): {item.text}"
    else:
        support = "the incubator names the library" if by_records else item.says
        item.text = f"copy ({support}): {item.text}"


def _module_truth(
    module: str, found: list[Found], records: IncubatorRecords, order: list[str]
) -> dict[str, Any]:
    named = records.named.get(module, set())
    for item in found:
        if item.kind == "copy":
            _judge_copy(item, named)
    counted = [f for f in found if f.counted]
    by_library: dict[str, list[Found]] = defaultdict(list)
    for item in counted:
        by_library[item.library].append(item)
    deletions = records.deletions.get(module, [])
    confidence = {
        library: "strong" if any(i.kind == "history" for i in items) else "medium"
        for library, items in by_library.items()
    }
    if not confidence:
        for deletion in deletions:
            if deletion.says_moved:
                confidence.update({library: "weak" for library in deletion.named})
    rank = {"strong": 0, "medium": 1, "weak": 2}
    chosen = sorted(confidence, key=lambda lib: (rank[confidence[lib]], order.index(lib)))
    removed = {}
    for library, items in by_library.items():
        if all(i.ended is not None for i in items):
            last = max((i.ended for i in items if i.ended), key=lambda c: c.date)
            removed[library] = last.cite()
    superseded = sorted(lib for lib in removed if _superseded(lib, by_library[lib], counted))
    evidence = []
    for library in chosen:
        items = sorted(by_library.get(library, []), key=lambda i: (i.kind != "history", i.text))
        evidence += [i.text for i in items[:3]]
        if len(items) > 3:
            evidence.append(f"... and {len(items) - 3} more {library} files")
    evidence += [f.text for f in found if not f.counted]
    for deletion in deletions:
        names = ", ".join(deletion.named) or "no library read"
        evidence.append(
            f"record: incubator deleted {len(deletion.files)} of its files at "
            f"{deletion.commit.cite()} (message names {names})"
        )
    evidence += records.notes.get(module, [])
    notes = []
    if chosen and named - set(chosen):
        notes.append(
            "incubator records also name "
            + ", ".join(sorted(named - set(chosen)))
            + ", with no file evidence there"
        )
    unnamed = [lib for lib in chosen if lib not in named]
    if unnamed:
        notes.append("incubator records do not name " + ", ".join(unnamed))
    if not chosen and named:
        notes.append(
            "incubator records name "
            + ", ".join(sorted(named))
            + " but no file went there and no deleting commit says it moved"
        )
    if any(c == "weak" for c in confidence.values()):
        notes.append("only a deleting commit's message says it moved; no file evidence")
    if superseded:
        notes.append(
            "later removed from " + ", ".join(superseded) + ", which another library took over"
        )
    return {
        "libraries": chosen,
        "split": len(chosen) > 1,
        "confidence": {lib: confidence[lib] for lib in chosen},
        "removed": dict(sorted(removed.items())),
        "superseded": superseded,
        "deleted": [d.commit.cite() for d in deletions],
        "notes": notes,
        "evidence": evidence,
    }


# Scoring


def load_plan(path: str) -> list[tuple[str, list[str]]]:
    """(library name, modules) of a plan document, in its order."""
    data = json.loads(Path(path).read_text())
    return [(lib["name"], list(lib["modules"])) for lib in data["libraries"]]


def true_libraries(entry: dict[str, Any], ignore: set[str]) -> set[str]:
    """A module's true libraries, less those of a kind the caller ignores: ``superseded``
    (its code left that library for another one) or ``weak`` (records only)."""
    libs = set(entry.get("libraries", []))
    if "superseded" in ignore:
        libs -= set(entry.get("superseded", []))
    if "weak" in ignore:
        libs = {lib for lib in libs if entry.get("confidence", {}).get(lib) != "weak"}
    return libs


def score(
    truth: dict[str, Any], plan: list[tuple[str, list[str]]], ignore: set[str]
) -> dict[str, Any]:
    """Pair recall and precision of ``plan`` against ``truth``, and the per-library table."""
    modules: dict[str, dict[str, Any]] = truth["modules"]
    plan_of = {m: name for name, mods in plan for m in mods}
    truth_of = {m: true_libraries(e, ignore) for m, e in modules.items()}
    counted = sorted(m for m in plan_of if truth_of.get(m))
    no_library = sorted(m for m in modules if not truth_of[m])
    not_in_plan = sorted(m for m in modules if truth_of[m] and m not in plan_of)
    not_in_truth = sorted(m for m in plan_of if m not in modules)
    true_pairs = [(a, b) for a, b in combinations(counted, 2) if truth_of[a] & truth_of[b]]
    plan_pairs = [(a, b) for a, b in combinations(counted, 2) if plan_of[a] == plan_of[b]]
    kept = [p for p in true_pairs if plan_of[p[0]] == plan_of[p[1]]]
    right = [p for p in plan_pairs if truth_of[p[0]] & truth_of[p[1]]]
    by_library = []
    for library in sorted({lib for m in counted for lib in truth_of[m]}):
        members = [m for m in counted if library in truth_of[m]]
        pairs = list(combinations(members, 2))
        together = [p for p in pairs if plan_of[p[0]] == plan_of[p[1]]]
        by_library.append(
            {
                "library": library,
                "modules": members,
                "pairs": len(pairs),
                "together": len(together),
                "plan_libraries": sorted({plan_of[m] for m in members}),
            }
        )
    table = [
        {
            "library": name,
            "modules": [
                {"module": m, "true": sorted(truth_of[m]) if m in truth_of else None} for m in mods
            ],
        }
        for name, mods in plan
    ]
    return {
        "recall": _ratio(len(kept), len(true_pairs)),
        "recall_ceiling": _ratio(recall_ceiling(truth_of, counted), len(true_pairs)),
        "precision": _ratio(len(right), len(plan_pairs)),
        "true_pairs": len(true_pairs),
        "true_pairs_together": len(kept),
        "plan_pairs": len(plan_pairs),
        "plan_pairs_right": len(right),
        "modules_scored": len(counted),
        "excluded_no_library": no_library,
        "excluded_not_in_plan": not_in_plan,
        "plan_modules_not_in_truth": not_in_truth,
        "ignored": sorted(ignore),
        "by_true_library": by_library,
        "missed_pairs": [list(p) for p in true_pairs if p not in set(kept)],
        "wrong_pairs": [list(p) for p in plan_pairs if p not in set(right)],
        "table": table,
    }


def recall_ceiling(truth_of: dict[str, set[str]], modules: Sequence[str]) -> int:
    """The most true pairs a plan can keep without a wrong pair: each module in one of its
    true libraries, the libraries of split modules chosen to keep the most pairs (every
    choice tried when there are few, else one split module at a time)."""
    split = [m for m in modules if len(truth_of[m]) > 1]
    fixed = {m: next(iter(truth_of[m])) for m in modules if len(truth_of[m]) == 1}

    def kept(choice: dict[str, str]) -> int:
        groups: dict[str, int] = defaultdict(int)
        for library in choice.values():
            groups[library] += 1
        return sum(n * (n - 1) // 2 for n in groups.values())

    options = [sorted(truth_of[m]) for m in split]
    if prod(len(o) for o in options) <= CEILING_SEARCH:
        return max(
            kept({**fixed, **dict(zip(split, pick, strict=True))}) for pick in product(*options)
        )
    choice = {**fixed, **{m: o[0] for m, o in zip(split, options, strict=True)}}
    for module, option in zip(split, options, strict=True):
        choice[module] = max(option, key=lambda lib: kept({**choice, module: lib}))
    return kept(choice)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def render_score(result: dict[str, Any]) -> str:
    """The score as text: figures, exclusions, then one block per plan library."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    out = [
        f"recall    {pct(result['recall'])}: {result['true_pairs_together']} of "
        f"{result['true_pairs']} module pairs that went into one library are together in "
        "the plan",
        f"          (a plan with no wrong pair keeps at most {pct(result['recall_ceiling'])}: "
        "a split module sits in one plan library only)",
        f"precision {pct(result['precision'])}: {result['plan_pairs_right']} of "
        f"{result['plan_pairs']} module pairs the plan puts together really went together",
        f"scored over {result['modules_scored']} modules; excluded: "
        f"{len(result['excluded_no_library'])} with no library "
        f"({', '.join(result['excluded_no_library']) or 'none'}), "
        f"{len(result['excluded_not_in_plan'])} not in the plan "
        f"({', '.join(result['excluded_not_in_plan']) or 'none'})",
    ]
    if result["plan_modules_not_in_truth"]:
        out.append(
            "plan modules not in the truth: " + ", ".join(result["plan_modules_not_in_truth"])
        )
    if result["ignored"]:
        out.append("ignoring true libraries that are: " + ", ".join(result["ignored"]))
    out.append("")
    out.append("by true library: modules, pairs together in the plan / pairs, plan libraries")
    for item in result["by_true_library"]:
        out.append(
            f"    {item['library']:<20} {len(item['modules']):>3} modules  "
            f"{item['together']:>3} / {item['pairs']:<4} in {len(item['plan_libraries'])} "
            "plan libraries"
        )
    out.append("")
    width = max((len(m["module"]) for lib in result["table"] for m in lib["modules"]), default=8)
    for lib in result["table"]:
        out.append(f"{lib['library']}:")
        for item in lib["modules"]:
            true = item["true"]
            where = "not in truth" if true is None else (", ".join(true) or "(no library)")
            out.append(f"    {item['module']:<{width}}  -> {where}")
    return "\n".join(out) + "\n"


# Command line


def _library_arg(text: str) -> tuple[str, str]:
    name, sep, gitdir = text.partition("=")
    if not sep or not name or not gitdir:
        raise argparse.ArgumentTypeError(f"expected NAME=GITDIR, got {text!r}")
    return name, gitdir


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``truth`` or ``score``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    truth = sub.add_parser("truth", help="derive the truth JSON from the repositories")
    truth.add_argument("--incubator", required=True, help="incubator work tree (snapshot)")
    truth.add_argument(
        "--history",
        help="incubator git directory holding the history after the snapshot "
        "(default: the --incubator repository, all refs)",
    )
    truth.add_argument("--package-root", default=DEFAULT_ROOT)
    truth.add_argument(
        "--library", action="append", type=_library_arg, default=[], metavar="NAME=GITDIR"
    )
    truth.add_argument("--output", help="write the JSON here instead of stdout")
    scorer = sub.add_parser("score", help="score a plan against a truth file")
    scorer.add_argument("--truth", required=True)
    scorer.add_argument("--plan", required=True)
    scorer.add_argument("--format", choices=["text", "json"], default="text")
    scorer.add_argument(
        "--ignore",
        action="append",
        choices=["superseded", "weak"],
        default=[],
        help="leave out true libraries of this kind (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.command == "truth":
        inc = Incubator.open(args.incubator, args.history, args.package_root)
        libraries = [Library(name, gitdir, args.package_root) for name, gitdir in args.library]
        document = json.dumps(build_truth(inc, libraries), indent=2) + "\n"
        if args.output:
            Path(args.output).write_text(document)
        else:
            sys.stdout.write(document)
        return 0
    result = score(
        json.loads(Path(args.truth).read_text()), load_plan(args.plan), set(args.ignore)
    )
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(render_score(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
