"""The git CLI, called without a shell: the only place this package runs git."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from oslo_incubator.model.errors import DirtyTreeError, GitError

# Keep git's output stable whatever the user's configuration says.
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}
# Settings a repository's own configuration could use to run a program while this
# package only reads it (a file-system monitor, signature checks), or to change
# output. Hooks are left alone: only commit runs them, in the user's own repository.
_SAFE_CONFIG = (
    "-c", "core.fsmonitor=false",
    "-c", "log.showSignature=false",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "core.pager=cat",
)  # fmt: skip


def git_env() -> dict[str, str]:
    """The environment every git process of this package runs with."""
    env = dict(os.environ)
    env.update(_GIT_ENV)
    return env


def run_git(
    repo: Path, *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> bytes:
    """Run ``git -C repo ARGS`` and return its standard output.

    ``env`` adds variables (commit dates, identities) to :func:`git_env`.

    Raises:
        GitError: git failed; the message carries git's own first line of error.
    """
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), *_SAFE_CONFIG, *args],
            input=input,
            capture_output=True,
            env={**git_env(), **(env or {})},
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {reason[0] if reason else 'no reason given'}", repo)
    return proc.stdout


class RunningGit:
    """A git process started in the background; :meth:`text` waits for its output.

    The output goes to an unnamed temporary file, so git runs to the end however
    late it is read (a pipe would stop it once full).
    """

    def __init__(self, repo: Path, *args: str):
        self.repo = repo
        self.args = args
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                ["git", "-C", str(repo), *_SAFE_CONFIG, *args],
                stdout=self._out,
                stderr=self._err,
                env=git_env(),
            )
        except FileNotFoundError:
            self.close()
            raise GitError("git is not installed or not on PATH") from None

    def text(self) -> str:
        """Wait for git and return its output as text.

        Raises:
            GitError: git failed.
        """
        try:
            self._proc.wait()
            if self._proc.returncode != 0:
                self._err.seek(0)
                reason = self._err.read().decode("utf-8", "replace").strip().splitlines()
                first = reason[0] if reason else "no reason given"
                raise GitError(f"git {self.args[0]} failed: {first}", self.repo)
            self._out.seek(0)
            return self._out.read().decode("utf-8", "replace")
        finally:
            self.close()

    def close(self) -> None:
        """Stop git if it still runs, and let its output go."""
        if getattr(self, "_proc", None) is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._out.close()
        self._err.close()


def git_text(repo: Path, *args: str) -> str:
    """Like :func:`run_git`, decoded as UTF-8 with undecodable bytes replaced."""
    return run_git(repo, *args).decode("utf-8", "replace")


def resolve_commit(repo: Path, rev: str = "HEAD") -> str:
    """Return the full sha of ``rev`` in ``repo``."""
    if not (repo / ".git").exists() and not (repo / "HEAD").is_file():
        raise GitError("not a git repository", repo)
    return git_text(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()


def read_blobs(repo: Path, names: Iterable[str]) -> dict[str, bytes]:
    """Read many objects with one ``git cat-file --batch``.

    ``names`` are blob shas or ``rev:path`` expressions; an object git cannot find is
    left out of the result.
    """
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return {}
    out = run_git(repo, "cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
    result: dict[str, bytes] = {}
    pos = 0
    for name in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 2 and header[1] == b"missing":
            continue
        size = int(header[2])
        result[name] = out[pos : pos + size]
        pos += size + 1  # the content is followed by a newline
    return result


def list_tree(repo: Path, rev: str, paths: Sequence[str] = ()) -> dict[str, str]:
    """Map every file path under ``paths`` at ``rev`` to its blob sha."""
    out = git_text(repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths)
    tree: dict[str, str] = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            tree[path] = sha
    return tree


def check_clean(
    repo: Path,
    paths: Sequence[str],
    message: str,
    *,
    untracked: bool = True,
    work_tree: bool = False,
) -> None:
    """Refuse to write over uncommitted changes: those of ``paths`` (relative to
    ``repo``; ``:/`` for all) that have some, untracked files included unless
    ``untracked`` is false. A ``repo`` that is not a git work tree has nothing to
    compare, unless ``work_tree`` asks for one.

    Args:
        message: the error's text, with ``{count}`` and ``{paths}`` (the first three
            dirty paths, sorted) to fill in.

    Raises:
        DirtyTreeError: ``message``, at the first dirty path.
        GitError: ``work_tree`` and ``repo`` is not a git work tree.
    """
    if not paths:
        return
    args = ["status", "--porcelain", "-z", f"--untracked-files={'all' if untracked else 'no'}"]
    try:
        out = run_git(repo, *args, "--", *paths)
    except GitError:
        if work_tree:
            raise
        return
    dirty: set[str] = set()
    entries = iter(out.decode("utf-8", "surrogateescape").split("\0"))
    for entry in entries:
        if len(entry) > 3:
            dirty.add(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:
                next(entries, None)  # a rename's or copy's source follows
    if dirty:
        first = sorted(dirty)
        listed = f"{', '.join(first[:3])}{', ...' if len(first) > 3 else ''}"
        raise DirtyTreeError(message.format(count=len(first), paths=listed), repo / first[0])


def check_can_commit(repo: Path) -> None:
    """Fail before anything is written when a commit in ``repo`` could not be made:
    not a work tree, or no identity to commit as.

    Raises:
        GitError: with git's own reason.
    """
    run_git(repo, "rev-parse", "--is-inside-work-tree")
    try:
        run_git(repo, "var", "GIT_COMMITTER_IDENT")
        run_git(repo, "var", "GIT_AUTHOR_IDENT")
    except GitError:
        raise GitError(
            "git has no identity to commit as here: set user.name and user.email "
            "(git config), or run without --commit",
            repo,
        ) from None


def commit_paths(repo: Path, paths: Sequence[str], message: str) -> None:
    """Commit exactly ``paths`` (added, changed or deleted) with ``message``, running the
    repository's hooks. When the commit fails the paths are unstaged again.

    Raises:
        GitError: the commit failed (a hook refused it, say).
    """
    # update-index, not add: a path already deleted and committed is no error.
    run_git(repo, "update-index", "--add", "--remove", "--", *paths)
    try:
        if not run_git(repo, "diff", "--cached", "--name-only", "--", *paths).strip():
            return  # already committed (a recovery finishing an interrupted commit)
        run_git(repo, "commit", "-q", "-F", "-", "--", *paths, input=message.encode())
    except GitError:
        with contextlib.suppress(GitError):
            run_git(repo, "reset", "-q", "--", *paths)
        raise


def add_worktree(repo: Path, dest: Path, rev: str = "HEAD") -> None:
    """A detached worktree of ``repo`` at ``rev`` in ``dest`` (absent or empty): the
    files of the checkout are not touched, only git's list of worktrees grows.

    Raises:
        GitError: ``repo`` is not a work tree, or ``rev`` does not exist.
    """
    run_git(repo, "worktree", "add", "--detach", "--force", str(dest), rev)


def remove_worktree(repo: Path, dest: Path) -> None:
    """Remove a worktree :func:`add_worktree` made, changes and all, and forget it."""
    with contextlib.suppress(GitError):
        run_git(repo, "worktree", "remove", "--force", "--force", str(dest))
    with contextlib.suppress(GitError):
        run_git(repo, "worktree", "prune")


def commit_texts(
    repo: Path, texts: Mapping[str, str], message: str, env: Mapping[str, str]
) -> str | None:
    """Write ``texts`` (path → text) into ``repo``'s work tree and commit them with
    ``env`` (an identity) and no hooks; the new commit, ``None`` when nothing changed."""
    for rel, text in texts.items():
        target = repo / rel
        if target.is_symlink():
            # A link (a test data folder's, kept by the history) holds its target as
            # its text: writing through it would write into what it points at.
            if os.readlink(target) == text:
                continue
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", errors="surrogateescape")
    run_git(repo, "add", "--", *texts)
    if not run_git(repo, "diff", "--cached", "--name-only").strip():
        return None
    run_git(repo, "commit", "-q", "--no-verify", "-F", "-", input=message.encode(), env=dict(env))
    return git_text(repo, "rev-parse", "HEAD").strip()


def commit_tree(
    repo: Path,
    parent: str,
    files: Mapping[str, str | None],
    message: str,
    env: Mapping[str, str],
) -> str:
    """A commit on ``parent`` that changes ``files`` (path → text, ``None`` removes
    it; modes kept), made with plumbing and a private index file, so no checkout and
    no index of ``repo`` is touched; no branch points at it yet."""
    modes = _modes(repo, parent, files)
    with tempfile.TemporaryDirectory(prefix="oslo-incubator-shim-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        run_git(repo, "read-tree", parent, env=index)
        entries = []
        for path, text in files.items():
            if text is None:
                entries.append(f"0 {'0' * 40}\t{path}\n")  # mode 0: drop the entry
                continue
            data = text.encode("utf-8", "surrogateescape")
            blob = run_git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()
            entries.append(f"{modes.get(path, '100644')} {blob}\t{path}\n")
        run_git(repo, "update-index", "--index-info", input="".join(entries).encode(), env=index)
        tree = run_git(repo, "write-tree", env=index).decode().strip()
    out = run_git(repo, "commit-tree", tree, "-p", parent, input=message.encode(), env=dict(env))
    return out.decode().strip()


def create_branch(repo: Path, branch: str, commit: str) -> None:
    """Point the new ``branch`` at ``commit``; git refuses a branch that exists."""
    run_git(repo, "update-ref", f"refs/heads/{branch}", commit, "0" * 40)


def fast_forward(repo: Path, commit: str) -> None:
    """Fast-forward the current branch and work tree of ``repo`` to ``commit``."""
    run_git(repo, "merge", "--ff-only", "-q", commit)


def valid_branch_name(repo: Path, branch: str) -> bool:
    """Whether git accepts ``branch`` as a branch name."""
    try:
        run_git(repo, "check-ref-format", "--branch", branch)
    except GitError:
        return False
    return True


def branch_exists(repo: Path, branch: str) -> bool:
    """Whether ``repo`` has a branch named ``branch``."""
    try:
        run_git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    except GitError:
        return False
    return True


def tag_head(repo: Path, tag: str, message: str, env: Mapping[str, str]) -> None:
    """Tag ``repo``'s HEAD with the annotated tag ``tag``, made with ``env``."""
    run_git(repo, "tag", "-a", tag, "-F", "-", input=message.encode(), env=dict(env))


def renames(repo: Path, rev: str) -> list[tuple[str, str]]:
    """Every rename git detects in the history of ``rev``, anywhere in the tree, as
    (old path, new path); one ``git log``."""
    out = git_text(repo, "log", "-M", "--diff-filter=R", "--name-status", "-z", "--format=", rev)
    fields = [f for f in out.split("\0") if f.strip()]
    found = []
    for index, status in enumerate(fields[:-2]):
        if status.startswith("R") and status[1:].isdigit():
            found.append((fields[index + 1], fields[index + 2]))
    return found


def _modes(repo: Path, rev: str, files: Iterable[str]) -> dict[str, str]:
    out = git_text(repo, "ls-tree", "-z", "--full-tree", rev, "--", *files)
    modes = {}
    for entry in out.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            modes[path] = meta.split()[0]
    return modes
