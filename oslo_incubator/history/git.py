"""The git CLI, called without a shell: the only place this package runs git."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from oslo_incubator.model.errors import GitError

# Keep git's output stable whatever the user's configuration says.
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


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
            ["git", "-C", str(repo), *args],
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
                ["git", "-C", str(repo), *args],
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


def is_dirty(repo: Path, paths: Sequence[str]) -> list[str]:
    """Return those of ``paths`` (relative to ``repo``) that have uncommitted changes."""
    if not paths:
        return []
    out = git_text(repo, "status", "--porcelain", "-z", "--untracked-files=no", "--", *paths)
    dirty = []
    for entry in out.split("\0"):
        if len(entry) > 3:
            dirty.append(entry[3:])
    return dirty
