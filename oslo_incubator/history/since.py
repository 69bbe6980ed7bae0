"""What changed in a project's git work tree since a commit, for ``check --since``."""

from __future__ import annotations

from pathlib import Path

from oslo_incubator.analysis.findings import added_lines
from oslo_incubator.history.git import git_text, run_git
from oslo_incubator.model.check import ProjectChanges
from oslo_incubator.model.errors import GitError

# Read-only, whatever the user's configuration says: no external diff or textconv
# program runs, and paths keep git's default prefixes for the parser.
_DIFF = ("diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--relative")


def changes_since(project: Path, rev: str) -> ProjectChanges:
    """Files and lines of ``project`` changed between ``rev`` and its work tree.

    The work tree, not ``HEAD``, is compared, so uncommitted edits count (pre-commit
    runs on staged content); untracked files that are not ignored count as wholly
    new. Paths are relative to ``project``, which may be a directory inside its
    repository.

    Raises:
        GitError: ``project`` is not in a git work tree, or ``rev`` names no commit there.
    """
    try:
        run_git(project, "rev-parse", "--is-inside-work-tree")
    except GitError:
        raise GitError("--since needs the project in a git work tree", project) from None
    try:
        sha = git_text(project, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        sha = ""
    if not sha:
        raise GitError(f"--since {rev}: no such commit in the project's repository", project)
    status = run_git(project, *_DIFF, "--name-status", "-z", sha, "--", ".")
    patch = git_text(project, *_DIFF, "-U0", "--src-prefix=a/", "--dst-prefix=b/", sha, "--", ".")
    others = run_git(project, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    return ProjectChanges(
        since=sha,
        changed=frozenset(_changed_paths(status)),
        added_lines=added_lines(patch),
        untracked=frozenset(_split(others)),
    )


# Private


def _split(out: bytes) -> list[str]:
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _changed_paths(status: bytes) -> set[str]:
    """Every path of ``git diff --name-status -z``: both sides of a rename or copy."""
    fields = _split(status)
    paths: set[str] = set()
    i = 0
    while i < len(fields):
        kind = fields[i]
        width = 2 if kind[:1] in ("R", "C") else 1
        paths.update(fields[i + 1 : i + 1 + width])
        i += 1 + width
    return paths
