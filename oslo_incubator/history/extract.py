"""Copy the history of some files into a new repository, under new paths.

``git fast-export --no-data`` limited to every path the files ever had (so renames and
moves are followed: the caller maps each old path to the file's new home) gives the
simplified history of those files as a stream of commits whose files name blobs by sha.
The stream is rewritten (paths mapped, other files dropped, commits left empty dropped)
and fed to ``git fast-import`` in the new repository, which borrows the source's
objects through ``objects/info/alternates`` while importing and then repacks to stand
alone. No blob passes through Python, and the source repository is only read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.model.errors import GitError

_MARK = re.compile(rb"^:(\d+)$")


@dataclass(frozen=True)
class ExtractedHistory:
    """What :func:`extract_history` wrote."""

    path: Path
    commits: int  # commits kept
    dropped: int  # commits of the source stream left empty by the path mapping
    head: str | None  # the new repository's HEAD, None when nothing was kept


@dataclass
class _Commit:
    mark: bytes
    header: list[bytes]  # author/committer lines and the message's data block
    parents: list[bytes]  # marks
    ops: list[bytes]


def extract_history(
    source: Path,
    dest: Path,
    paths: Sequence[str],
    new_path: Callable[[str], str | None],
    rev: str = "HEAD",
    branch: str = "master",
) -> ExtractedHistory:
    """Write a new repository at ``dest`` with the history of ``paths`` in ``source``.

    Args:
        source: the repository to read (never written).
        dest: a directory that does not exist or is empty.
        paths: every path the files ever had in ``source``.
        new_path: maps a source path to its path in the new repository, or ``None``
            to leave the file out.
        rev: the source revision whose history is copied.
        branch: the new repository's branch.

    Returns:
        Counts and the new HEAD.

    Raises:
        GitError: git failed, or ``dest`` is not empty.
    """
    if dest.exists() and any(dest.iterdir()):
        raise GitError("destination is not empty", dest)
    stream = run_git(
        source, "fast-export", "--no-data", "--signed-tags=strip",
        "--tag-of-filtered-object=drop", "--reencode=yes", rev, "--", "--", *paths,
    )  # fmt: skip
    commits = _parse(stream)
    kept, dropped = _rewrite(commits, new_path)
    dest.mkdir(parents=True, exist_ok=True)
    run_git(dest, "init", "-q", "-b", branch)
    if not kept:
        return ExtractedHistory(dest, 0, dropped, None)
    common_dir = Path(
        git_text(source, "rev-parse", "--path-format=absolute", "--git-common-dir").strip()
    )
    alternates = dest / ".git" / "objects" / "info" / "alternates"
    alternates.write_text(str(common_dir / "objects") + "\n")
    try:
        run_git(dest, "fast-import", "--quiet", input=_serialise(kept, branch))
        # Copy in exactly the borrowed objects the new history reaches ("repack -a"
        # would copy whole packs, all of a partial clone's promisor pack included).
        reachable = run_git(dest, "rev-list", "--objects", "--all")
        run_git(dest, "pack-objects", "-q", ".git/objects/pack/pack", input=reachable)
    finally:
        alternates.unlink()
    run_git(dest, "repack", "-a", "-d", "-q")
    run_git(dest, "reset", "-q", "--hard", branch)
    head = git_text(dest, "rev-parse", "HEAD").strip()
    return ExtractedHistory(dest, len(kept), dropped, head)


# Private


def _parse(stream: bytes) -> list[_Commit]:
    commits: list[_Commit] = []
    pos = 0
    current: _Commit | None = None
    while pos < len(stream):
        end = stream.find(b"\n", pos)
        if end < 0:
            end = len(stream)
        line = stream[pos:end]
        pos = end + 1
        if line.startswith(b"commit "):
            current = _Commit(b"", [], [], [])
            commits.append(current)
        elif current is None:
            continue  # reset, progress, feature lines before the first commit
        elif line.startswith(b"mark "):
            current.mark = line[5:]
        elif line.startswith((b"author ", b"committer ", b"encoding ")):
            current.header.append(line)
        elif line.startswith(b"data "):
            size = int(line[5:])
            current.header.append(line + b"\n" + stream[pos : pos + size])
            pos += size
        elif line.startswith((b"from ", b"merge ")):
            current.parents.append(line.split(b" ", 1)[1])
        elif line[:2] in (b"M ", b"D "):
            current.ops.append(line)
        elif line.startswith(b"reset "):
            current = None
    return commits


def _op_path(op: bytes) -> str:
    raw = op.split(b" ", 3)[3] if op.startswith(b"M ") else op[2:]
    if raw.startswith(b'"'):
        raw = raw[1:-1].decode("unicode_escape").encode("latin-1")
    return raw.decode("utf-8")


def _quote(path: str) -> bytes:
    if any(c in path for c in '"\n\\') or path.startswith(" "):
        escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'.encode()
    return path.encode()


def _rewrite(
    commits: list[_Commit], new_path: Callable[[str], str | None]
) -> tuple[list[_Commit], int]:
    replaced: dict[bytes, bytes | None] = {}  # dropped mark -> the mark standing for it
    trees: dict[bytes | None, dict[str, bytes]] = {None: {}}  # kept mark -> path -> mode+ref
    kept: list[_Commit] = []
    for commit in commits:
        changes: dict[str, bytes | None] = {}  # new path -> mode+ref, None to delete
        for op in commit.ops:
            target = new_path(_op_path(op))
            if target is None:
                continue
            if op.startswith(b"M "):
                mode, ref, _ = op.split(b" ", 3)[1:]
                changes[target] = mode + b" " + ref
            elif target not in changes:  # a rename's delete must not undo its add
                changes[target] = None
        parents = []
        for parent in commit.parents:
            while parent in replaced:
                stand_in = replaced[parent]
                if stand_in is None:
                    break
                parent = stand_in
            if parent not in replaced and parent not in parents:
                parents.append(parent)
        tree = dict(trees[parents[0] if parents else None])
        ops = []
        for path, entry in changes.items():
            if tree.get(path) == entry:
                continue  # e.g. a rename whose old and new paths map to one file
            if entry is None:
                del tree[path]
                ops.append(b"D " + _quote(path))
            else:
                tree[path] = entry
                ops.append(b"M " + entry + b" " + _quote(path))
        if not ops and len(parents) <= 1:
            replaced[commit.mark] = parents[0] if parents else None
            continue
        trees[commit.mark] = tree
        commit.ops = ops
        commit.parents = parents
        kept.append(commit)
    return kept, len(commits) - len(kept)


def _serialise(commits: list[_Commit], branch: str) -> bytes:
    out: list[bytes] = []
    for commit in commits:
        out.append(b"commit refs/heads/" + branch.encode())
        out.append(b"mark " + commit.mark)
        out.extend(commit.header)
        for i, parent in enumerate(commit.parents):
            out.append((b"from " if i == 0 else b"merge ") + parent)
        out.extend(commit.ops)
        out.append(b"")
    return b"\n".join(out) + b"\n"
