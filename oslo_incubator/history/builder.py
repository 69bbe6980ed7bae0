"""Write small git repositories with a scripted history (the demo and the tests use it)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.model.errors import GitError

DEFAULT_AUTHOR = ("Oslo Developer", "oslo-dev@example.org")
FIRST_DATE = 1_400_000_000  # 2014-05-13; every commit is one hour after the previous


class RepoBuilder:
    """A git repository being written commit by commit, with deterministic dates."""

    def __init__(self, path: Path, author: tuple[str, str] = DEFAULT_AUTHOR):
        self.path = path
        self.author = author
        self._clock = FIRST_DATE
        path.mkdir(parents=True, exist_ok=True)
        run_git(path, "init", "-q", "-b", "master")
        run_git(path, "config", "user.name", author[0])
        run_git(path, "config", "user.email", author[1])
        run_git(path, "config", "commit.gpgsign", "false")

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write files (text or bytes) relative to the root; ``None`` deletes a file."""
        for rel, content in files.items():
            target = self.path / rel
            if content is None:
                if target.is_dir():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def move(self, old: str, new: str) -> None:
        """``git mv old new``."""
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        run_git(self.path, "mv", old, new)

    def commit(
        self,
        message: str,
        files: Mapping[str, str | bytes | None] | None = None,
        allow_empty: bool = False,
    ) -> str:
        """Write ``files``, stage everything and commit; return the new sha."""
        if files:
            self.write(files)
        run_git(self.path, "add", "-A")
        self._clock += 3600
        date = f"@{self._clock} +0000"
        args = ["commit", "-q", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        run_git(self.path, *args, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        return self.head()

    def head(self) -> str:
        """The sha of HEAD."""
        return git_text(self.path, "rev-parse", "HEAD").strip()

    def branch(self, name: str, start: str = "HEAD") -> None:
        """Create and switch to branch ``name``."""
        run_git(self.path, "checkout", "-q", "-b", name, start)

    def checkout(self, rev: str) -> None:
        """Switch to ``rev``."""
        run_git(self.path, "checkout", "-q", rev)

    def merge(self, rev: str, message: str, resolve: Mapping[str, str] | None = None) -> str:
        """Merge ``rev``; files in ``resolve`` are written over the result (a conflict
        resolution or an evil merge) before the merge commit is made."""
        self._clock += 3600
        date = f"@{self._clock} +0000"
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        try:
            run_git(self.path, "merge", "-q", "--no-ff", "--no-commit", rev, env=env)
        except GitError:
            if not resolve:
                raise
        if resolve:
            self.write(resolve)
        run_git(self.path, "add", "-A")
        run_git(self.path, "commit", "-q", "-m", message, env=env)
        return self.head()
