#!/usr/bin/env python3
"""Check drift's status and base of every copy against the project's own git history.

For each copy in each project checkout (a work tree at a release tag, with history):

* **drift**: its content status and base, from the provenance engine;
* **history**: the project commit that last changed the file; the incubator commit
  in force for it (named in the message, else the first master commit containing
  every incubator commit the message lists, else the newest master commit at the
  commit's author or commit date: see ``replay_syncs.incubator_candidates``); whether
  the file then equals that commit's master version (a *clean* sync: exactly, or for
  a sync up to update.py's unescaped-dot mangling; or, for a sync, a master version
  that existed then but merged later, a review); if not, the last clean sync before
  it (the commits since are local patches). What that says
  the copy must be: the version it equals, and current or behind by whether that
  version equals master's HEAD; diverged, on top of the last clean sync's version,
  when the file equals no master version a sync brought.

The verdict is ``agree`` when both say the same status and the same base content;
otherwise a reason is guessed (a local commit that equals a master version, a sync
that took another version than the one named, drift's nearest base differing from
the last clean sync ...) for a person to check.

With ``--sync`` it also plans a default ``sync --dry-run`` of each project and counts
the copies drift calls current that the sync would change (must be none), and how
many changed copies keep the project's own conventions (no line whose only change
turns the project's name back into ``oslo``), and which current copies only the
guard keeps (the rewrite chosen for them would not reproduce them).

A maintainer tool: it reads the repositories, writes only its cache in the work
directory, and is never run by the tests. Example::

    python tools/check_provenance.py \\
        --incubator /work/.mirror/openstack-archive+oslo-incubator/repo \\
        --before 2014-10-15 /tmp/real/nova-2014.2 /tmp/real/glance-2014.2

Run it as a script: it imports ``replay_syncs`` from its own folder.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from replay_syncs import SUBJECT_RE, incubator_candidates

from oslo_incubator.analysis.normalise import decode, fold, fold_quirks, quirk_equal
from oslo_incubator.analysis.rewrite import rewrite_text
from oslo_incubator.analysis.updatepy import with_restored
from oslo_incubator.history.git import git_text, read_blobs
from oslo_incubator.history.incubator import Incubator, open_incubator
from oslo_incubator.history.provenance import analyse_project
from oslo_incubator.model.drift import CopyDrift, DriftStatus
from oslo_incubator.model.sync import FileSync, SyncOptions
from oslo_incubator.operations.sync import plan_sync
from oslo_incubator.workspace.cache import Cache
from oslo_incubator.workspace.config import load_project_config

SHA_RE = re.compile(r"\b[0-9a-f]{7,40}\b")
SYNC_RE = re.compile(r"\bsync", re.I)  # "oslo-incubator sync" names them in either order
OSLO_RE = re.compile(r"oslo|incubator", re.I)


@dataclass
class Row:
    """One copy: what drift says, what history says, and whether they agree."""

    project: str
    copy_path: str
    status: str
    base: str | None
    match: str
    commit: str = ""  # the project commit that last changed the file
    date: str = ""
    subject: str = ""
    sync: bool = False  # whether that commit is a sync (subject or listed commits)
    incubator: str | None = None  # the incubator commit in force for it
    how: str = ""  # how that commit was found; "" when no candidate fits the file
    clean: bool = False  # the file equals the master version of ``incubator``
    synced_from: str | None = None  # the last clean sync before a local patch
    expected_status: str = ""
    expected_base: str | None = None  # commit that introduced the expected version
    verdict: str = ""
    local_commits: list[str] = field(default_factory=list)


@dataclass
class SyncCount:
    """What a default dry-run sync of one project would change."""

    project: str
    copies: int
    current: int
    changed: int
    current_changed: list[str]
    behind_changed: int
    conventions_kept: int
    conventions_lost: list[str]
    quirk_fixed: list[str]
    current_synced: int  # current copies the sync covers (declared modules)
    guarded: list[str]  # of those, the ones only the guard keeps (not reproduced)
    seconds: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incubator", type=Path, required=True, help="incubator with history")
    parser.add_argument("--rev", default=None, help="the incubator commit (default: master)")
    parser.add_argument("--before", default=None, help="the last master commit before DATE")
    parser.add_argument("projects", type=Path, nargs="+", help="project work trees at a tag")
    parser.add_argument("--workdir", type=Path, default=None, help="where the cache goes")
    parser.add_argument("--sync", action="store_true", help="also count a default sync")
    parser.add_argument("--all", action="store_true", help="print agreeing copies too")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="check-provenance-"))
    cache = Cache(workdir / "cache")
    rev = args.rev or "master"
    if args.before:
        rev = git_text(args.incubator, "rev-list", "-1", "--first-parent",
                       f"--before={args.before}", "master").strip()  # fmt: skip
    incubator = open_incubator(args.incubator, cache=cache, rev=rev)
    rows: list[Row] = []
    counts: list[SyncCount] = []
    for project in args.projects:
        rows += check_project(incubator, project, cache)
        if args.sync:
            counts.append(count_sync(incubator, project, cache))
    cache.close()
    if args.json:
        print(json.dumps({"rows": [asdict(r) for r in rows],
                          "sync": [asdict(c) for c in counts]}, indent=2))  # fmt: skip
    else:
        print(f"incubator {args.incubator} at {incubator.head[:8]}")
        print(render(rows, args.all))
        if counts:
            print(render_sync(counts))
    return 0


def check_project(incubator: Incubator, project: Path, cache: Cache | None) -> list[Row]:
    """One row per copy of ``project`` that master ever had (see the module docstring)."""
    config = load_project_config(project)
    drift = analyse_project(incubator, project, config, cache)
    history = _History(project, [c.copy_path for c in drift.copies])
    checker = _Checker(incubator, project, config.base or "", history)
    return [checker.row(project.name, copy) for copy in drift.copies if copy.master_path]


def count_sync(incubator: Incubator, project: Path, cache: Cache | None) -> SyncCount:
    """Plan a default dry-run sync of ``project`` and count what it changes."""
    started = time.monotonic()
    config = load_project_config(project)
    base = config.base or ""
    drift = analyse_project(incubator, project, config, cache)
    status = {c.copy_path: c.status for c in drift.copies}
    result = plan_sync(incubator, project, config, SyncOptions(dry_run=True), cache)
    seconds = time.monotonic() - started
    current = [p for p, s in status.items() if s is DriftStatus.CURRENT]
    changed = {f.copy_path: f for f in result.changed}
    kept, lost, quirks = 0, [], []
    for path, item in changed.items():
        verdict = _conventions(item.old_text or "", item.new_text, base)
        if verdict == "lost":
            lost.append(path)
        elif verdict == "quirk":
            quirks.append(path)
        else:
            kept += 1
    planned = {f.copy_path for f in result.files}
    guarded = [f.copy_path for f in result.files if f.copy_path in current
               and not _reproduces(incubator, f, base)]  # fmt: skip
    return SyncCount(
        project=project.name,
        copies=len(status),
        current=len(current),
        changed=len(changed),
        current_changed=sorted(set(current) & set(changed)),
        behind_changed=sum(1 for p in changed if status.get(p) is DriftStatus.BEHIND),
        conventions_kept=kept,
        conventions_lost=lost,
        quirk_fixed=quirks,
        current_synced=sum(1 for p in current if p in planned),
        guarded=sorted(guarded),
        seconds=round(seconds, 1),
    )


def render(rows: list[Row], everything: bool) -> str:
    """The table of copies (disagreements only unless ``everything``) and the totals."""
    lines = [
        f"{'project':16} {'copy':44} {'drift':9} {'base':8} {'history':9} {'base':8} "
        f"{'last commit':22} {'incubator (how)':26} verdict"
    ]
    for r in rows:
        if r.verdict == "agree" and not everything:
            continue
        inc = f"{(r.incubator or '-')[:8]} ({r.how or 'none fits'})"
        lines.append(
            f"{r.project[:16]:16} {_short(r.copy_path):44} {r.status:9} {(r.base or '-')[:8]:8} "
            f"{r.expected_status:9} {(r.expected_base or '-')[:8]:8} "
            f"{r.commit[:10]} {r.date[:10]}  {inc:26} {r.verdict}"
        )
    lines.append("")
    by_project: dict[str, Counter[str]] = {}
    for r in rows:
        tally = by_project.setdefault(r.project, Counter())
        tally["copies"] += 1
        tally["agree" if r.verdict == "agree" else "disagree"] += 1
        tally[f"drift {r.status}"] += 1
        tally[f"via {r.how or 'none fits'}"] += 1
    for name, tally in by_project.items():
        detail = ", ".join(f"{k} {v}" for k, v in sorted(tally.items())
                           if k not in ("copies", "agree", "disagree"))  # fmt: skip
        lines.append(
            f"{name}: {tally['copies']} copies, {tally['agree']} agree, "
            f"{tally['disagree']} disagree ({detail})"
        )
    return "\n".join(lines)


def render_sync(counts: list[SyncCount]) -> str:
    """The table of default dry-run syncs."""
    lines = [
        "",
        f"{'project':18} {'copies':>6} {'current':>7} {'changed':>7} {'cur&chg':>7} "
        f"{'behind chg':>10} {'conv kept':>9} {'conv lost':>9} {'quirk fix':>9} "
        f"{'cur synced':>10} {'guarded':>7} {'seconds':>7}",
    ]
    for c in counts:
        lines.append(
            f"{c.project:18} {c.copies:6} {c.current:7} {c.changed:7} "
            f"{len(c.current_changed):7} {c.behind_changed:10} {c.conventions_kept:9} "
            f"{len(c.conventions_lost):9} {len(c.quirk_fixed):9} {c.current_synced:10} "
            f"{len(c.guarded):7} {c.seconds:7}"
        )
        for path in c.current_changed:
            lines.append(f"    current yet changed: {path}")
        for path in c.conventions_lost:
            lines.append(f"    conventions lost: {path}")
        for path in c.quirk_fixed:
            lines.append(f"    unescaped-dot text fixed: {path}")
        for path in c.guarded:
            lines.append(f"    current, kept only by the guard: {path}")
    return "\n".join(lines)


# Private


def _short(path: str) -> str:
    return path.replace("/openstack/common/", "/o/c/")[-44:]


def _reproduces(incubator: Incubator, item: FileSync, base: str) -> bool:
    """Whether the rewrite sync chose for a file turns master's text into the file as
    it is (for a current copy: whether anything but the guard keeps it unchanged)."""
    if item.master_path is None or item.old_text is None:
        return True
    eras = {rules.name: rules for _, rules in incubator.rewrite_eras}
    rules = eras.get(item.rewrite)
    if rules is not None:
        rules = with_restored(rules, incubator.libraries)  # as sync writes new text
    data = incubator.index.read_at_head(item.master_path) or b""
    text = rewrite_text(decode(data), base, item.copy_path, rules, incubator.package_root).text
    return text == item.old_text


def _conventions(old: str, new: str, base: str) -> str:
    """How a changed copy treats the project's conventions: ``lost`` when a line's only
    change turns the project's name into ``oslo`` (or back), ``quirk`` when it only
    undoes update.py's unescaped-dot mangling, else ``kept``."""
    a, b = old.splitlines(), new.splitlines()
    verdict = "kept"
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=False):
            fx, fy = fold(x, base), fold(y, base)
            if fx == fy:
                return "lost"
            if fold_quirks(fx) == fold_quirks(fy):
                verdict = "quirk"
    return verdict


@dataclass
class _Commit:
    sha: str
    author_date: str
    commit_date: str
    message: str

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


class _History:
    """The project's commits that touched the copies, read with one ``git log``."""

    def __init__(self, project: Path, paths: list[str]):
        self.project = project
        self.touching: dict[str, list[_Commit]] = {p: [] for p in paths}
        folders = sorted({p.rsplit("/", 1)[0] for p in paths})
        out = git_text(project, "log", "--no-merges", "--name-only",
                       "--format=%x1e%H%x00%aI%x00%cI%x00%B%x00", "HEAD", "--",
                       *folders)  # fmt: skip
        for record in out.split("\x1e")[1:]:
            sha, author, committed, message, names = record.split("\x00", 4)
            commit = _Commit(sha, author, committed, message.strip())
            for name in names.split():
                if name in self.touching:
                    self.touching[name].append(commit)
        self._blobs: dict[str, bytes | None] = {}

    def content(self, commit: str, path: str) -> bytes | None:
        key = f"{commit}:{path}"
        if key not in self._blobs:
            self._blobs[key] = read_blobs(self.project, [key]).get(key)
        return self._blobs[key]


class _Checker:
    def __init__(self, incubator: Incubator, project: Path, base: str, history: _History):
        self.incubator = incubator
        self.index = incubator.index
        self.project = project
        self.base = base
        self.root = incubator.package_root
        self.history = history
        self._candidates: dict[str, list[tuple[str, str]]] = {}
        self._master: dict[tuple[str, str], str | None] = {}
        self._introduced: dict[tuple[str, str], str | None] = {}

    def row(self, project: str, copy: CopyDrift) -> Row:
        row = Row(project, copy.copy_path, copy.status.value, copy.base_commit, copy.match)
        lineage = self.index.lineage(copy.master_path or "") or ""
        paths = list(dict.fromkeys(v.path for v in self.index.versions_of(lineage)))
        commits = self.history.touching.get(copy.copy_path, [])
        if not commits:
            row.verdict = "no commit in the project's history touched it"
            return row
        last = commits[0]
        row.commit, row.date, row.subject = last.sha, last.author_date, last.subject
        row.sync = self._is_sync(last)
        text = decode(self.history.content(last.sha, copy.copy_path) or b"")
        found = self._clean_source(last, text, paths)
        head_path = self.index.head_path(lineage, prefer=copy.master_path)
        head_text = self._head_text(head_path)
        expected: str | None = None
        if found is not None:
            row.incubator, row.how, master_path, master_text = found
            row.clean, expected = True, master_text
            row.expected_base = self._introduced_by(row.incubator, master_path)
            row.expected_status = self._status(master_text, head_text, clean=True)
        else:
            candidates = self._candidates_of(last)
            row.incubator = candidates[0][0] if candidates else None
            for earlier in commits[1:]:
                old = decode(self.history.content(earlier.sha, copy.copy_path) or b"")
                source = self._clean_source(earlier, old, paths)
                row.local_commits.append(earlier.sha[:10] if source is None else "")
                if source is not None:
                    row.synced_from, expected = earlier.sha, source[3]
                    row.expected_base = self._introduced_by(source[0], source[2])
                    break
            row.local_commits = [c for c in row.local_commits if c]
            row.expected_status = self._status(None, head_text, clean=False)
        row.verdict = self._verdict(row, copy, lineage, expected)
        return row

    # What history says

    def _clean_source(
        self, commit: _Commit, text: str, paths: list[str]
    ) -> tuple[str, str, str, str] | None:
        """(incubator commit, how, master path, master text) of the first candidate
        whose master version the file equals: exactly, else (for a sync: the mangling
        is update.py's) up to the unescaped-dot quirk."""
        folded = fold(text, self.base, self.root)
        quirky = [True, False] if self._is_sync(commit) else [False]
        for quirk in quirky[::-1]:
            for sha, how in self._candidates_of(commit):
                for path in paths:
                    master = self._master_text(sha, path)
                    if master is None:
                        continue
                    other = fold(master, self.base, self.root)
                    if other == folded or (quirk and quirk_equal(folded, other)):
                        return sha, how + (", quirk" if quirk else ""), path, master
        if self._is_sync(commit):
            return self._review_source(commit, folded, paths)
        return None

    def _review_source(
        self, commit: _Commit, folded: str, paths: list[str]
    ) -> tuple[str, str, str, str] | None:
        """A sync of a master change that existed when the project commit was made but
        merged later (a review checked out, or merged minutes after): the newest
        version the file equals whose own commit is older than the project commit."""
        when = datetime.fromisoformat(commit.commit_date).timestamp()
        lineage = self.index.lineage(paths[0]) if paths else None
        merged = [sha for sha, _ in self._candidates_of(commit)]
        for version in self.index.versions_of(lineage or ""):
            if not version.blob or self.index.commits[version.commit].timestamp > when:
                continue
            if any(self.index.is_ancestor(version.commit, sha) for sha in merged):
                continue  # merged before: an older version (a stale checkout), no review
            master = decode(self.index.texts([version.blob]).get(version.blob, b""))
            if fold(master, self.base, self.root) == folded:
                return version.commit, "review, merged later", version.path, master
        return None

    def _candidates_of(self, commit: _Commit) -> list[tuple[str, str]]:
        if commit.sha not in self._candidates:
            repo = self.incubator.path
            self._candidates[commit.sha] = incubator_candidates(
                repo, commit.message, commit.author_date, commit.commit_date
            )
        return self._candidates[commit.sha]

    def _is_sync(self, commit: _Commit) -> bool:
        subject = commit.subject
        if SUBJECT_RE.search(subject) or (SYNC_RE.search(subject) and OSLO_RE.search(subject)):
            return True
        return any(self._resolves(s) for s in SHA_RE.findall(commit.message))

    def _resolves(self, sha: str) -> bool:
        return bool(self._master_text(sha, "") is not None)

    def _master_text(self, commit: str, path: str) -> str | None:
        key = (commit, path)
        if key not in self._master:
            name = f"{commit}:{path}" if path else f"{commit}^{{commit}}"
            data = read_blobs(self.incubator.path, [name]).get(name)
            self._master[key] = decode(data) if data is not None else None
        return self._master[key]

    def _introduced_by(self, commit: str, path: str) -> str | None:
        """The commit that made ``path`` what it is at ``commit``."""
        key = (commit, path)
        if key not in self._introduced:
            out = git_text(self.incubator.path, "log", "-1", "--format=%H", commit, "--", path)
            self._introduced[key] = out.strip() or None
        return self._introduced[key]

    def _head_text(self, head_path: str | None) -> str | None:
        if head_path is None:
            return None
        blob = self.index.head_tree[head_path]
        return decode(self.index.texts([blob]).get(blob, b""))

    def _status(self, master_text: str | None, head_text: str | None, clean: bool) -> str:
        if head_text is None:
            return DriftStatus.OBSOLETE.value
        if not clean or master_text is None:
            return DriftStatus.DIVERGED.value
        same = fold(master_text, self.base, self.root) == fold(head_text, self.base, self.root)
        return (DriftStatus.CURRENT if same else DriftStatus.BEHIND).value

    # Do they agree?

    def _verdict(self, row: Row, copy: CopyDrift, lineage: str, expected: str | None) -> str:
        drift_base = self._version_text(lineage, copy.base_commit)
        same_base = (
            drift_base is not None
            and expected is not None
            and fold(drift_base, self.base, self.root) == fold(expected, self.base, self.root)
        )
        if copy.match == "trivial" and row.expected_status == row.status:
            return "agree"
        if row.status == row.expected_status and same_base:
            return "agree"
        if row.clean:
            if row.status == DriftStatus.OBSOLETE.value or row.expected_status == row.status:
                drift, history = _s(copy.base_commit), _s(row.expected_base)
                return f"bases differ: drift {drift}, history {history}"
            return f"status differs: drift {row.status}, history {row.expected_status}"
        if copy.hunks:
            if row.synced_from is None:
                return "local patch; no clean sync in the project's history"
            return (
                f"local patch after {row.synced_from[:10]}; drift's nearest base "
                f"{_s(copy.base_commit)} is not its version {_s(row.expected_base)}"
            )
        # The file equals a master version, but not one a candidate sync brought.
        when = "newer" if self._is_newer(copy.base_commit, row.incubator) else "older"
        kind = "sync" if row.sync else "local commit"
        return (
            f"{kind} {row.commit[:10]} made it equal master {_s(copy.base_commit)}, {when} "
            f"than the incubator commit {_s(row.incubator)} it names or dates from"
        )

    def _version_text(self, lineage: str, commit: str | None) -> str | None:
        if commit is None:
            return None
        for version in self.index.versions_of(lineage):
            if version.commit == commit and version.blob:
                return decode(self.index.texts([version.blob]).get(version.blob, b""))
        for path in dict.fromkeys(v.path for v in self.index.versions_of(lineage)):
            found = self._master_text(commit, path)
            if found is not None:
                return found
        return None

    def _is_newer(self, commit: str | None, than: str | None) -> bool:
        if commit is None or than is None:
            return False
        return not self.index.is_ancestor(commit, than)


def _s(sha: str | None) -> str:
    return sha[:8] if sha else "-"


if __name__ == "__main__":
    sys.exit(main())
