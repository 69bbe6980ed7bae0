"""history/git.py's writers on a repository built in the test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from oslo_incubator.history.git import commit_texts, git_text, run_git

ENV = {
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    run_git(tmp_path, "init", "-q")
    (tmp_path / "var/fake").mkdir(parents=True)
    (tmp_path / "var/fake/empty.conf").write_text("")
    os.symlink("fake", tmp_path / "var/fake_link")
    run_git(tmp_path, "add", "-A")
    run_git(tmp_path, "commit", "-q", "-m", "Data with a link", env=ENV)
    return tmp_path


def test_a_link_written_with_its_own_target_stays_a_link(repo: Path) -> None:
    # The graduation of a module whose tests read a data folder holding a link
    # failed with "Is a directory": the write followed the link into the folder.
    head = git_text(repo, "rev-parse", "HEAD").strip()
    assert commit_texts(repo, {"var/fake_link": "fake", "a.txt": "a\n"}, "Add a", ENV)
    assert os.readlink(repo / "var/fake_link") == "fake"
    assert git_text(repo, "diff", "--name-only", head, "HEAD").split() == ["a.txt"]


def test_a_link_given_other_text_becomes_that_file(repo: Path) -> None:
    assert commit_texts(repo, {"var/fake_link": "now a file\n"}, "Replace", ENV)
    assert not (repo / "var/fake_link").is_symlink()
    assert (repo / "var/fake_link").read_text() == "now a file\n"
    assert (repo / "var/fake/empty.conf").read_text() == ""  # the folder is untouched


def test_nothing_changed_makes_no_commit(repo: Path) -> None:
    assert commit_texts(repo, {"var/fake_link": "fake"}, "Nothing", ENV) is None
