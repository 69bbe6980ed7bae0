"""Every version of every master file, from one ``git log --raw`` over the whole history.

A *lineage* is the chain of paths one file had as master renamed and moved it; it is
named by the newest of those paths. Versions are recorded per lineage, newest first,
including contents that exist only as the result of a merge (``git log -c`` lists a
merge's file only when it differs from every parent, which is exactly that case).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oslo_incubator.history.git import (
    RunningGit,
    git_text,
    list_tree,
    read_blobs,
    resolve_commit,
)
from oslo_incubator.model.errors import GitError
from oslo_incubator.model.history import Commit, Version
from oslo_incubator.model.packageroot import DEFAULT_PACKAGE_ROOT, PackageRoot

CACHE_SCHEMA = "oslo-incubator.history-index/2"
COMPANION_PREFIXES = ("tools/", "etc/oslo/")
_NULL_SHA = "0" * 40
_LOG_FORMAT = "%x01%H%x02%P%x02%ct%x02%cI%x02%s"


@dataclass
class HistoryIndex:
    """The incubator's history, indexed for drift, sync and graduation.

    Attributes:
        repo: the incubator's git directory or work tree.
        head: the sha the index was built at.
        package_root: where master modules live.
        commits: every commit reachable from ``head``, by sha.
        versions: per lineage, its versions newest first (deletions have no blob).
        lineage_of: every path ever seen under the tracked prefixes → its lineage.
        head_tree: path → blob of every tracked file at ``head``.
    """

    repo: Path
    head: str
    package_root: PackageRoot
    commits: dict[str, Commit]
    versions: dict[str, list[Version]]
    lineage_of: dict[str, str]
    head_tree: dict[str, str]
    _bits: dict[str, int] = field(default_factory=dict, repr=False)
    _texts: dict[str, bytes] = field(default_factory=dict, repr=False)
    _messages: dict[str, str] = field(default_factory=dict, repr=False)

    # Queries

    def lineage(self, path: str) -> str | None:
        """The lineage a master path belongs to, or ``None`` if master never had it."""
        return self.lineage_of.get(path)

    def versions_of(self, lineage: str) -> list[Version]:
        """Versions of ``lineage`` newest first, deletions included."""
        return self.versions.get(lineage, [])

    def head_path(self, lineage: str, prefer: str | None = None) -> str | None:
        """The path the lineage has at ``head`` (``prefer`` when it is one of them)."""
        if (
            prefer is not None
            and prefer in self.head_tree
            and self.lineage_of.get(prefer) == lineage
        ):
            return prefer
        if lineage in self.head_tree:
            return lineage
        for version in self.versions_of(lineage):
            if version.blob is not None and self.head_tree.get(version.path) == version.blob:
                return version.path
        return None

    def deletion(self, lineage: str) -> Version | None:
        """The newest deletion of the lineage, when it is absent at ``head``."""
        for version in self.versions_of(lineage):
            if version.blob is None:
                return version
        return None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether ``ancestor`` is ``descendant`` or reachable from it."""
        commit = self.commits.get(ancestor)
        if commit is None:
            return False
        # Bit i of an ancestry set stands for the commit of order i.
        return bool(self._ancestor_bits().get(descendant, 0) >> commit.order & 1)

    def changes_since(self, lineage: str, base_commit: str) -> list[Commit]:
        """Commits that changed ``lineage`` and are not in ``base_commit``'s history.

        Oldest first, as a commit message lists them. A merge whose content only
        combines changes already listed (a listed commit is among its ancestors) is left
        out: it changed nothing the listed commits did not.
        """
        found: dict[str, Commit] = {}
        for version in self.versions_of(lineage):
            if not self.is_ancestor(version.commit, base_commit):
                found[version.commit] = self.commits[version.commit]
        plain = [c.sha for c in found.values() if len(c.parents) < 2]
        for sha, commit in list(found.items()):
            if len(commit.parents) > 1 and any(
                self.is_ancestor(other, sha) for other in plain if other != sha
            ):
                del found[sha]
        return sorted(found.values(), key=lambda c: -c.order)

    def texts(self, blobs: Iterable[str]) -> dict[str, bytes]:
        """Contents of ``blobs``, read with one ``git cat-file --batch`` for those not yet read."""
        asked = list(dict.fromkeys(blobs))
        wanted = [b for b in asked if b not in self._texts]
        if wanted:
            self._texts.update(read_blobs(self.repo, wanted))
        return {b: self._texts[b] for b in asked if b in self._texts}

    def read_at_head(self, path: str) -> bytes | None:
        """Content of any file at ``head`` (``MAINTAINERS``, ``update.py``), or ``None``."""
        return self.read_many_at_head([path]).get(path)

    def read_many_at_head(self, paths: Sequence[str]) -> dict[str, bytes]:
        """Contents of files at ``head`` with one git process; absent files left out."""
        found = read_blobs(self.repo, [f"{self.head}:{path}" for path in paths])
        return {
            path: found[f"{self.head}:{path}"] for path in paths if f"{self.head}:{path}" in found
        }

    def messages(self, shas: Iterable[str]) -> dict[str, str]:
        """Full commit messages of ``shas``, with one git process for those not yet read."""
        asked = list(dict.fromkeys(shas))
        wanted = [sha for sha in asked if sha not in self._messages]
        if wanted:
            out = git_text(
                self.repo, "log", "--no-walk=unsorted", "--format=%x01%H%x02%B", *wanted
            )
            for record in out.split("\x01")[1:]:
                sha, _, body = record.partition("\x02")
                self._messages[sha] = body.strip()
        return {sha: self._messages[sha] for sha in asked if sha in self._messages}

    def _ancestor_bits(self) -> dict[str, int]:
        """Every commit's ancestry as an integer bit set, computed once.

        Parents come after children in ``order`` (git's date order guarantees it), so
        walking from the oldest commit lets each set be its parents' union.
        """
        if not self._bits and self.commits:
            bits = self._bits
            for commit in sorted(self.commits.values(), key=lambda c: -c.order):
                value = 1 << commit.order
                for parent in commit.parents:
                    value |= bits.get(parent, 0)
                bits[commit.sha] = value
        return self._bits

    # Serialisation for the cache

    def to_json(self) -> dict[str, Any]:
        """A JSON-able form of the index (what the cache stores)."""
        return {
            "schema": CACHE_SCHEMA,
            "head": self.head,
            "package_root": self.package_root.path,
            "commits": [
                [c.sha, list(c.parents), c.timestamp, c.date, c.subject]
                for c in sorted(self.commits.values(), key=lambda c: c.order)
            ],
            "versions": {
                lineage: [[v.path, v.blob, v.commit] for v in versions]
                for lineage, versions in self.versions.items()
            },
            "lineage_of": self.lineage_of,
            "head_tree": self.head_tree,
        }

    @classmethod
    def from_json(cls, repo: Path, data: dict[str, Any]) -> HistoryIndex:
        """Rebuild an index from :meth:`to_json` output.

        Raises:
            ValueError: the data is not an index of this schema.
        """
        if data.get("schema") != CACHE_SCHEMA:
            raise ValueError("not a history index")
        commits = {}
        for order, (sha, parents, ts, date, subject) in enumerate(data["commits"]):
            commits[sha] = Commit(sha, tuple(parents), int(ts), date, subject, order)
        versions = {
            lineage: [Version(p, b, c, commits[c].order) for p, b, c in entries]
            for lineage, entries in data["versions"].items()
        }
        return cls(
            repo=repo,
            head=data["head"],
            package_root=PackageRoot(data["package_root"]),
            commits=commits,
            versions=versions,
            lineage_of=dict(data["lineage_of"]),
            head_tree=dict(data["head_tree"]),
        )


def build_index(
    repo: Path, package_root: PackageRoot = DEFAULT_PACKAGE_ROOT, rev: str = "HEAD"
) -> HistoryIndex:
    """Index the history of ``repo`` under ``package_root`` and the companion folders.

    A handful of git processes, the two logs running side by side while the others
    are read: ``rev-parse``; ``rev-list --parents`` for the shape of the whole history
    (ancestry questions need every commit); ``log --raw --no-merges --full-history``
    limited to the tracked folders, for every commit that changed a file there (side
    branches included); ``log --raw --merges -m --first-parent`` for the merges that
    made content no commit had (a conflict resolution, or git's own merge of two
    changes to one file); and ``ls-tree`` for HEAD. Merges off the first-parent chain,
    rare in a Gerrit history, get one more ``log -c`` of their own. Commits that
    touched no tracked file carry only their place in history (no date or subject).

    Raises:
        GitError: ``repo`` is not a git repository, ``rev`` does not exist, or the
            repository is a shallow clone.
    """
    head = resolve_commit(repo, rev)
    if git_text(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise GitError(
            "the incubator is a shallow clone: its history is cut off, so copies would "
            "be reported unknown or deleted; fetch all of it (git fetch --unshallow)",
            repo,
        )
    prefixes = (package_root.path + "/", *COMPANION_PREFIXES)
    folders = [p.rstrip("/") for p in prefixes]
    log_args = ("-c", "core.quotePath=false", "log", "--raw", "--no-abbrev")
    fmt = f"--format={_LOG_FORMAT}"
    changes = RunningGit(
        repo, *log_args, "-M", "--no-merges", "--full-history", fmt, head, "--", *folders
    )
    merges = RunningGit(
        repo, *log_args, "--merges", "-m", "--first-parent", fmt, head, "--", *folders
    )
    commits: dict[str, Commit] = {}
    shape = git_text(repo, "rev-list", "--parents", "--date-order", head)
    for order, line in enumerate(shape.splitlines()):
        sha, *parents = line.split()
        commits[sha] = Commit(sha, tuple(parents), 0, "", "", order)
    head_tree = list_tree(repo, head, folders)
    raw_versions: list[tuple[str, str | None, str]] = []
    renames: list[tuple[str, str, str]] = []
    introduced: set[tuple[str, str]] = set()  # (path, blob) some non-merge commit made

    def record(log: str, from_merges: bool) -> None:
        for header, entries in _split_log(log):
            sha, _parents, ts, date, subject = header.split("\x02", 4)
            known = commits[sha]
            commits[sha] = Commit(sha, known.parents, int(ts), date, subject, known.order)
            for status, blob, paths in entries:
                if not any(p.startswith(prefixes) for p in paths):
                    continue
                content = None if blob == _NULL_SHA else blob
                if from_merges:
                    # A merge's own content is one no commit made; what it took from a
                    # side branch was introduced there, and deletions came from there.
                    if content is None or (paths[-1], content) in introduced:
                        continue
                elif status.startswith("R") and len(paths) == 2:
                    renames.append((paths[0], paths[1], sha))
                    raw_versions.append((paths[0], None, sha))
                if content is not None:
                    introduced.add((paths[-1], content))
                raw_versions.append((paths[-1], content, sha))

    record(changes.text(), from_merges=False)
    # Side merges first: a first-parent merge that brings their content in did not
    # make it, and must find it already introduced.
    side_merges = _merges_off_first_parent(commits, head)
    if side_merges:
        side = git_text(
            repo, *log_args, "-c", "--no-walk=unsorted", fmt, *side_merges, "--", *folders
        )
        record(side, from_merges=True)
    record(merges.text(), from_merges=True)
    if not commits[head].date:
        # HEAD touched no tracked file: its date and subject still head commit messages.
        ts, date, subject = (
            git_text(repo, "log", "-1", "--format=%ct%x02%cI%x02%s", head)
            .strip("\n")
            .split("\x02", 2)
        )
        known = commits[head]
        commits[head] = Commit(head, known.parents, int(ts), date, subject, known.order)
    # Newest first, as _lineages expects of renames.
    raw_versions.sort(key=lambda entry: commits[entry[2]].order)
    renames.sort(key=lambda entry: commits[entry[2]].order)
    lineage_of = _lineages(raw_versions, [(old, new) for old, new, _ in renames])
    versions: dict[str, list[Version]] = {}
    for path, content, sha in raw_versions:
        lineage = lineage_of[path]
        versions.setdefault(lineage, []).append(Version(path, content, sha, commits[sha].order))
    for chain in versions.values():
        # A rename records the old path's end and the new path's start at the same
        # commit; keep the content (not the deletion) first so "newest" is the content.
        chain.sort(key=lambda v: (v.order, v.blob is None))
    return HistoryIndex(repo, head, package_root, commits, versions, lineage_of, head_tree)


# Private


def _merges_off_first_parent(commits: dict[str, Commit], head: str) -> list[str]:
    chain = set()
    current: str | None = head
    while current is not None and current in commits:
        chain.add(current)
        parents = commits[current].parents
        current = parents[0] if parents else None
    return [sha for sha, c in commits.items() if len(c.parents) > 1 and sha not in chain]


def _split_log(log: str) -> Iterator[tuple[str, list[tuple[str, str, list[str]]]]]:
    for record in log.split("\x01")[1:]:
        header, _, rest = record.partition("\n")
        entries = []
        for line in rest.splitlines():
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            fields = meta.lstrip(":").split()
            # Plain: modes(2) blobs(2) status; combined (merge): modes(n+1) blobs(n+1) status.
            n = (len(fields) - 1) // 2
            blob = fields[2 * n - 1]
            status = fields[-1]
            entries.append((status, blob, [_unquote(p) for p in paths]))
        yield header.strip(), entries


def _unquote(path: str) -> str:
    if path.startswith('"') and path.endswith('"'):
        return (
            path[1:-1]
            .encode("latin-1", "backslashreplace")
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8", "replace")
        )
    return path


def _lineages(
    raw_versions: list[tuple[str, str | None, str]], renames: list[tuple[str, str]]
) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(path: str) -> str:
        root = path
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(path, path) != root:
            parent[path], path = root, parent[path]
        return root

    for path, _, _ in raw_versions:
        parent.setdefault(path, path)
    # Renames arrive newest first: the newest path of a chain becomes its name.
    for old, new in renames:
        a, b = find(old), find(new)
        if a != b:
            parent[a] = b
    return {path: find(path) for path in parent}
