"""One change to a repository (an incubator or a library): which commits, which
files, and their texts before and after. A few git processes: ``rev-parse``,
``describe`` for a last release, ``log`` for the commits, ``diff --name-status -M``
and one ``cat-file --batch`` for the texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.history.git import git_text, list_tree, read_blobs, resolve_commit
from oslo_incubator.model.errors import GitError
from oslo_incubator.model.impact import ChangedCommit


@dataclass(frozen=True)
class ChangeRange:
    """The commits ``base``..``head`` (full shas); ``tag`` the release ``base`` is,
    when the range starts at one."""

    base: str
    head: str
    tag: str | None = None


@dataclass(frozen=True)
class FileChange:
    """One file the change touches: added (``old_path`` ``None``), deleted
    (``new_path`` ``None``), modified, or renamed (both set and different)."""

    old_path: str | None
    new_path: str | None


def resolve_range(
    repo: Path, change: str | None = None, span: str | None = None, since_release: bool = False
) -> ChangeRange:
    """The range a user asks for: ``span`` (``A..B``), or one commit ``change``
    against its first parent, or (``since_release``) the last tag reachable from
    HEAD to HEAD; the commit HEAD alone when nothing is asked.

    Raises:
        GitError: not a repository, an unknown revision, a root commit asked for on
            its own, or no tag before HEAD.
    """
    if span is not None:
        if ".." not in span or "..." in span:
            raise GitError(f"a range is written A..B, not {span!r}", repo)
        start, _, end = span.partition("..")
        return ChangeRange(_commit(repo, start or "HEAD"), _commit(repo, end or "HEAD"))
    if since_release:
        head = _commit(repo, change or "HEAD")
        tag = last_tag(repo, head)
        if tag is None:
            raise GitError("no tag before HEAD: nothing was released yet", repo)
        return ChangeRange(_commit(repo, tag), head, tag)
    head = _commit(repo, change or "HEAD")
    parents = git_text(repo, "rev-list", "--parents", "-n", "1", head).split()[1:]
    if not parents:
        raise GitError(f"{head[:8]} is the first commit: there is nothing to compare with", repo)
    return ChangeRange(parents[0], head)


def last_tag(repo: Path, rev: str) -> str | None:
    """The newest tag reachable from ``rev`` (``rev`` itself included), or ``None``."""
    try:
        return git_text(repo, "describe", "--tags", "--abbrev=0", rev).strip() or None
    except GitError:
        return None


def commits_in(repo: Path, span: ChangeRange) -> tuple[ChangedCommit, ...]:
    """The commits of the range, oldest first, merges left out."""
    out = git_text(
        repo, "log", "--no-merges", "--reverse", "--format=%H%x02%s", f"{span.base}..{span.head}"
    )
    found = []
    for line in out.splitlines():
        sha, _, subject = line.partition("\x02")
        if sha:
            found.append(ChangedCommit(sha, subject))
    return tuple(found)


def changed_files(repo: Path, span: ChangeRange, folders: Sequence[str]) -> list[FileChange]:
    """The ``.py`` files under ``folders`` the range changes, renames followed."""
    out = git_text(
        repo, "-c", "core.quotePath=false", "diff", "--name-status", "-M", "-z",
        span.base, span.head, "--", *folders,
    )  # fmt: skip
    fields = out.split("\0")
    found = []
    position = 0
    while position < len(fields) and fields[position]:
        status = fields[position]
        if status.startswith(("R", "C")):
            old, new = fields[position + 1], fields[position + 2]
            position += 3
        else:
            old = new = fields[position + 1]
            position += 2
        if status.startswith("A"):
            change = FileChange(None, new)
        elif status.startswith("D"):
            change = FileChange(old, None)
        elif status.startswith("C"):
            change = FileChange(None, new)
        else:
            change = FileChange(old, new)
        if any(p is not None and p.endswith(".py") for p in (change.old_path, change.new_path)):
            found.append(change)
    return found


def texts_of(
    repo: Path, span: ChangeRange, changes: Sequence[FileChange]
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The texts before (by old path) and after (by new path), one git process."""
    names = [f"{span.base}:{c.old_path}" for c in changes if c.old_path]
    names += [f"{span.head}:{c.new_path}" for c in changes if c.new_path]
    blobs = read_blobs(repo, names)
    before = {
        c.old_path: blobs[f"{span.base}:{c.old_path}"]
        for c in changes
        if c.old_path and f"{span.base}:{c.old_path}" in blobs
    }
    after = {
        c.new_path: blobs[f"{span.head}:{c.new_path}"]
        for c in changes
        if c.new_path and f"{span.head}:{c.new_path}" in blobs
    }
    return before, after


def files_at(repo: Path, rev: str, folders: Sequence[str]) -> dict[str, str]:
    """Path → blob of every file under ``folders`` at ``rev``."""
    return list_tree(repo, rev, folders)


# Private


def _commit(repo: Path, rev: str) -> str:
    try:
        return resolve_commit(repo, rev)
    except GitError:
        raise GitError(f"no commit {rev!r}", repo) from None
