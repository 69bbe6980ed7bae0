"""Writes are transactions: all or nothing across errors, Ctrl-C, SIGTERM and SIGKILL,
one writer at a time, never over a file someone else changed, nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oslo_incubator.history.builder import RepoBuilder
from oslo_incubator.history.git import commit_paths, git_text, run_git
from oslo_incubator.model.errors import ConcurrentChangeError, GitError, ProjectLockedError
from oslo_incubator.workspace.writer import (
    FileWrite,
    Transaction,
    recover,
    state_dir,
)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but git's own, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def project(tmp_path: Path) -> Path:
    repo = RepoBuilder(tmp_path / "nova")
    repo.commit("Start", {"a.py": "a = 1\n", "b.py": "b = 1\n", "pkg/c.py": "c = 1\n"})
    return repo.path


CHANGES = {
    "a.py": FileWrite(b"a = 2\n"),
    "pkg/c.py": FileWrite(None),  # deleted
    "new/deep/d.py": FileWrite(b"d = 1\n", 0o755),
}
AFTER = {"a.py": b"a = 2\n", "b.py": b"b = 1\n", "new/deep/d.py": b"d = 1\n"}


def test_a_write_changes_every_file_and_leaves_nothing_of_its_own(tmp_path: Path) -> None:
    root = project(tmp_path)
    with Transaction(root, "test") as transaction:
        assert transaction.write(CHANGES) == ["a.py", "new/deep/d.py", "pkg/c.py"]
    assert tree(root) == AFTER
    assert not (root / "pkg").exists()  # the deletion emptied it
    assert os.stat(root / "new/deep/d.py").st_mode & 0o777 == 0o755
    assert not state_dir(root).exists()


STEPS = ["journal", "stage:a.py", "stage:new/deep/d.py", "stage:pkg/c.py", "check",
         "rename:0", "rename:1", "rename:2", "commit", "clean"]  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(step=st.sampled_from(STEPS), error=st.sampled_from([OSError, KeyboardInterrupt]))
def test_a_failure_at_any_step_leaves_the_tree_as_it_was(
    tmp_path_factory: pytest.TempPathFactory, step: str, error: type[BaseException]
) -> None:
    root = project(tmp_path_factory.mktemp("fault"))
    before = tree(root)

    def fault(at: str) -> None:
        if at == step:
            raise error("injected")

    with pytest.raises(error), Transaction(root, "test", fault=fault) as transaction:
        transaction.write(CHANGES)
    assert tree(root) == before
    assert not state_dir(root).exists()


def test_sigterm_undoes_like_ctrl_c(tmp_path: Path) -> None:
    root = project(tmp_path)
    before = tree(root)

    def fault(at: str) -> None:
        if at == "rename:1":
            os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(KeyboardInterrupt), Transaction(root, fault=fault) as transaction:
        transaction.write(CHANGES)
    assert tree(root) == before
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_file_changed_since_it_was_read_stops_the_write(tmp_path: Path) -> None:
    root = project(tmp_path)
    read = FileWrite.read_as(b"a = 1\n")
    (root / "a.py").write_text("a = 1\n# added by an editor\n")
    before = tree(root)
    with pytest.raises(ConcurrentChangeError, match="a.py changed"), Transaction(root) as t:
        t.write({"a.py": FileWrite(b"a = 2\n", expected=read)})
    assert tree(root) == before


def test_a_file_changed_between_staging_and_renaming_stops_the_write(tmp_path: Path) -> None:
    root = project(tmp_path)

    def fault(at: str) -> None:
        if at == "check":
            (root / "b.py").write_text("b = 'theirs'\n")

    with pytest.raises(ConcurrentChangeError), Transaction(root, fault=fault) as transaction:
        transaction.write({"a.py": FileWrite(b"a = 2\n"), "b.py": FileWrite(b"b = 2\n")})
    assert tree(root)["a.py"] == b"a = 1\n"
    assert tree(root)["b.py"] == b"b = 'theirs'\n"


def test_a_second_writer_waits_then_fails_naming_the_first(tmp_path: Path) -> None:
    root = project(tmp_path)
    with Transaction(root, "oslo-incubator sync nova"):
        with pytest.raises(ProjectLockedError) as error, Transaction(root, wait=0.2):
            pass
    assert f"pid {os.getpid()}: oslo-incubator sync nova" in str(error.value)
    with Transaction(root) as again:  # free once the first is done
        again.write({"b.py": FileWrite(b"b = 3\n")})


def test_a_commit_a_hook_refuses_undoes_the_write(tmp_path: Path) -> None:
    root = project(tmp_path)
    hook = root / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'no, thanks' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = tree(root)
    with (
        pytest.raises(GitError, match="no, thanks"),
        Transaction(root, committer=commit_paths) as t,
    ):
        t.write(CHANGES, message="Sync\n")
    assert tree(root) == before
    assert git_text(root, "status", "--porcelain") == ""


def test_a_commit_runs_the_repositorys_hooks(tmp_path: Path) -> None:
    root = project(tmp_path)
    hook = root / ".git/hooks/commit-msg"
    hook.write_text('#!/bin/sh\necho "Change-Id: I1234" >> "$1"\n')
    hook.chmod(0o755)
    with Transaction(root, committer=commit_paths) as transaction:
        transaction.write(CHANGES, message="Sync from the incubator\n")
    assert git_text(root, "log", "-1", "--format=%B").strip().endswith("Change-Id: I1234")
    assert git_text(root, "status", "--porcelain") == ""


# A writer killed outright (SIGKILL) at each step: the next writer, or recover, ends
# with the tree as it was or as intended, and nothing stray.

CHILD = """
import os, signal, sys
from pathlib import Path
from oslo_incubator.history.git import commit_paths
from oslo_incubator.workspace.writer import FileWrite, Transaction

root, step, commit = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "commit"
changes = {
    "a.py": FileWrite(b"a = 2\\n"),
    "pkg/c.py": FileWrite(None),
    "new/deep/d.py": FileWrite(b"d = 1\\n", 0o755),
}

def fault(at):
    if at == step:
        os.kill(os.getpid(), signal.SIGKILL)

with Transaction(root, "child", commit_paths, fault=fault) as transaction:
    transaction.write(changes, "Sync\\n" if commit else None)
"""


@pytest.mark.parametrize("commit", [False, True])
@pytest.mark.parametrize("step", STEPS)
def test_a_writer_killed_at_any_step_is_finished_or_undone_by_the_next(
    tmp_path: Path, step: str, commit: bool
) -> None:
    root = project(tmp_path)
    before = tree(root)
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD))
    mode = "commit" if commit else "plain"
    done = subprocess.run([sys.executable, str(script), str(root), step, mode], check=False)
    assert done.returncode == -signal.SIGKILL
    outcome = recover(root, commit_paths)
    after = tree(root)
    assert after in (before, AFTER), step
    renamed = step in ("commit", "clean")
    expected = "finished" if renamed else ("undone" if step != "journal" else None)
    assert outcome.outcome == expected
    assert after == (AFTER if renamed else before)
    if commit and renamed:
        assert git_text(root, "log", "-1", "--format=%s").strip() == "Sync"
    if commit or not renamed:
        assert git_text(root, "status", "--porcelain") == ""
    assert not state_dir(root).exists()


def test_recover_without_an_interrupted_write_does_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert recover(root).outcome is None
    assert run_git(root, "status", "--porcelain") == b""


SYNC_CHILD = """
import os, signal, sys
from oslo_incubator.cli import main

real, count = os.replace, []

def replace(src, dst):
    count.append(dst)
    if len(count) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)

os.replace = replace
main(["sync", sys.argv[1], "--incubator", sys.argv[3]])
"""


@pytest.mark.parametrize("kill_at", [2, 3, 4])  # the first replace writes the journal
def test_a_sync_killed_mid_write_is_undone_by_the_next_sync_which_completes(
    tmp_path: Path, kill_at: int
) -> None:
    from builders import make_incubator, make_project
    from click.testing import CliRunner

    from oslo_incubator.cli import main as cli

    master = {f"openstack/common/m{n}.py": f"VALUE = {n}\n" for n in range(3)}
    incubator = make_incubator(tmp_path / "inc", [("Add", master)])
    incubator.commit("Change", {p: t.replace("VALUE", "NEW") for p, t in master.items()})
    old = {f"m{n}.py": f"VALUE = {n}\n" for n in range(3)}
    root = make_project(tmp_path / "nova", "nova", old).path
    before = tree(root)
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(SYNC_CHILD))
    args = [sys.executable, str(script), str(root), str(kill_at), str(incubator.path)]
    assert subprocess.run(args, check=False).returncode == -signal.SIGKILL
    assert any(p.name.endswith(".oslo-incubator.tmp") for p in root.rglob("*"))
    # The next writer undoes the interrupted sync first, says so, then syncs.
    again = CliRunner().invoke(cli, ["sync", str(root), "--incubator", str(incubator.path)])
    assert again.exit_code == 0, again.output
    assert "was undone first" in again.output
    after = tree(root)
    assert after != before
    assert all(
        after[f"nova/openstack/common/m{n}.py"] == f"NEW = {n}\n".encode() for n in range(3)
    )
    assert not any(p.name.endswith(".oslo-incubator.tmp") for p in root.rglob("*"))
    assert not state_dir(root).exists()
